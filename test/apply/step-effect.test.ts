// Whether an interrupted step took effect, from the live catalog: created
// objects present, dropped ones absent; alterations, renames and steps of
// several statements are left undecided.
import { describe, expect, it } from 'vitest';
import { catalogPaths, stepTookEffect } from '../../src/apply/step-effect.js';
import type { Catalog } from '../../src/catalog/types.js';

const catalog = {
  dialect: 'mysql',
  schemas: [{ name: 'app', path: 'app', tables: [{ name: 't', path: 'app.t', columns: [{ name: 'a', path: 'app.t.a' }], indexes: [{ name: 'i', path: 'app.t.i' }], foreignKeys: [] }], views: [] }],
} as unknown as Catalog;
const one = (kind: string, path: string) => ({ kind, path, forward: [{ sql: 'x' }] });

describe('stepTookEffect', () => {
  const paths = catalogPaths(catalog);
  it('collects every object path', () => {
    expect([...paths].sort()).toEqual(['app', 'app.t', 'app.t.a', 'app.t.i']);
  });
  it.each([
    ['addColumn', 'app.t.a', true],
    ['addColumn', 'app.t.b', false],
    ['createIndex', 'app.t.i', true],
    ['addForeignKey', 'app.t.fk', false],
    ['dropColumn', 'app.t.a', false],
    ['dropColumn', 'app.t.gone', true],
    ['dropTable', 'app.t', false],
    ['alterColumnType', 'app.t.a', undefined],
    ['renameColumn', 'app.t.a', undefined],
  ] as const)('%s %s → %s', (kind, path, want) => {
    expect(stepTookEffect(one(kind, path), paths)).toBe(want);
  });
  it('leaves a step of several statements undecided', () => {
    expect(stepTookEffect({ kind: 'createTable', path: 'app.t', forward: [{ sql: 'a' }, { sql: 'b' }] }, paths)).toBeUndefined();
  });
});
