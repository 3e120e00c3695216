// Every blueprint, with default and with non-default parameters, parses as a
// spec and renders on a real Postgres (PGlite scratch engine); `add` merges
// into a spec file without clobbering a table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { normalizeSpec } from '../../src/spec/normalize-spec.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import { parseSpecText } from '../../src/spec/load.js';
import { addToSpecText, blueprints, buildBlueprint } from '../../src/blueprints/index.js';
import type { SpecInput } from '../../src/spec/types.js';

const variants: Record<string, string>[] = [{}, { prefix: 'core_', idType: 'uuid', schema: 'app', environments: 'staging,production' }];

describe('blueprints', () => {
  let scratch: Connection;
  beforeAll(async () => {
    scratch = await connect('pglite:');
  });
  afterAll(async () => scratch?.close());

  it('lists the eight subsystems the seeds keep rebuilding', () => {
    expect(blueprints.map((b) => b.name)).toEqual(['rbac', 'audit-log', 'settings', 'feature-flags', 'api-keys', 'sessions', 'notification-queue', 'state-log']);
  });

  for (const b of blueprints) {
    for (const params of variants) {
      it(`${b.name} ${JSON.stringify(params)} parses and renders on Postgres`, async () => {
        const f = buildBlueprint(b.name, params);
        const spec = normalizeSpec({ ...(f.spec as SpecInput) }, b.name);
        const cat = await specToCatalog(spec, { scratch });
        const tables = cat.schemas.flatMap((s) => s.tables.map((t) => `${s.name}.${t.name}`));
        for (const t of f.spec.tables ?? []) expect(tables).toContain(`${t.schema}.${t.name}`);
        if (params.prefix) for (const t of f.spec.tables ?? []) expect(t.name.startsWith('core_')).toBe(true);
        if (params.idType === 'uuid') {
          const idTypes = cat.schemas.flatMap((s) => s.tables.flatMap((t) => t.columns.filter((c) => c.name === 'id').map((c) => c.type.raw)));
          for (const ty of idTypes) expect(ty).toBe('uuid');
        }
        expect(f.satisfies.length).toBeGreaterThan(0);
      });
    }
  }

  it('all eight together, referencing rbac\'s users table, render as one spec', async () => {
    const params = { prefix: 'core_', usersTable: 'core_users' };
    let text = '';
    for (const b of blueprints) text = addToSpecText(text, buildBlueprint(b.name, params));
    const spec = parseSpecText(text, 'all.yaml');
    const cat = await specToCatalog(spec, { scratch });
    const tables = cat.schemas.flatMap((s) => s.tables);
    expect(tables.length).toBe(13);
    const sessions = tables.find((t) => t.name === 'core_sessions')!;
    expect(sessions.foreignKeys.map((fk) => fk.references.table)).toContain('core_users');
    // The rbac seed: 4 roles, 16 permissions, and the matrix.
    expect(spec.seed.map((s) => [s.table, s.rows.length])).toEqual([
      ['core_roles', 4],
      ['core_permissions', 16],
      ['core_role_permissions', 16 + 7 + 2 + 2],
    ]);
  });

  it('add refuses to add a table the spec already has', () => {
    const once = addToSpecText('', buildBlueprint('sessions'));
    expect(() => addToSpecText(once, buildBlueprint('sessions'))).toThrow(/already has a table/);
    expect(addToSpecText(once, buildBlueprint('sessions', { prefix: 'other_' }))).toContain('other_sessions');
  });

  it('rejects unknown parameters and bad values', () => {
    expect(() => buildBlueprint('rbac', { nope: 'x' })).toThrow(/unknown blueprint parameter/);
    expect(() => buildBlueprint('rbac', { idType: 'int' })).toThrow(/uuid or bigint/);
    expect(() => buildBlueprint('nope')).toThrow(/no blueprint named/);
  });
});
