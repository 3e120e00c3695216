// The clean twin, from the data side: plant every rule's GOOD example (the
// catalog rules' docs/fixtures and every data rule's good fixture) in one
// PGlite database; no data rule may report anything there. Data rules run on
// every database, so a false positive on someone else's clean schema is a bug.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import { dataRules } from '../../src/audit/rules/data-rules.js';
import type { AuditResult } from '../../src/audit/types.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { casesOf, plant } from './fixture-kit.js';
import { loadDataFixture, plantPg } from './fixtures/data/harness.js';

const engine = pgEngines().find((e) => e.kind === 'pglite')!;

describe('no data rule fires on the clean twin (pglite)', () => {
  let db: FreshDb;
  let result: AuditResult;
  const schemas: string[] = [];
  /** Catalog rules whose examples cannot be planted here (each says where it is tested instead). */
  const unplanted: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase(engine);
    for (const r of catalogRules) {
      const cs = await casesOf(r);
      if (typeof cs === 'string') {
        unplanted.push(r.meta.id);
        continue;
      }
      const good = cs.find((c) => c.side === 'good')!;
      await plant(db.conn, good);
      schemas.push(good.schema);
    }
    for (const r of dataRules) {
      const schema = `twin_${r.meta.code.toLowerCase()}`;
      await plantPg(db.conn, schema, loadDataFixture(r.meta.id).good);
      schemas.push(schema);
    }
    result = await audit(db.conn, { rules: dataRules, inspect: { schemas } });
  });
  afterAll(async () => db?.dispose());

  it('plants the good examples of the catalog rules and of every data rule', () => {
    expect(unplanted.sort()).toEqual(['extension-in-public', 'extension-outdated', 'foreign-key-parent-not-unique', 'spec-difference']);
    expect(schemas.length).toBe(dataRules.length + catalogRules.length - unplanted.length);
  });

  it('has no data finding and no skipped check', () => {
    expect(result.findings.map((f) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([]);
    expect(result.skipped).toEqual([]);
  });
});
