// Drift against a spec: every difference is a spec-difference finding, and
// hidden-automation judges routines by what the spec declares (not by comments).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import { parseSpecText } from '../../src/spec/load.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const rules = catalogRules.filter((r) => ['spec-difference', 'hidden-automation'].includes(r.meta.id));

describe('audit with a spec (pglite)', () => {
  let db: FreshDb;
  let scratch: FreshDb;
  beforeAll(async () => {
    const pglite = pgEngines().find((e) => e.kind === 'pglite')!;
    [db, scratch] = [await freshDatabase(pglite), await freshDatabase(pglite)];
    await db.conn.exec(`
      CREATE SCHEMA lead;
      CREATE TABLE lead.leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, source text);
      CREATE FUNCTION lead.score_lead(p bigint) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
      COMMENT ON FUNCTION lead.score_lead(bigint) IS 'documented, but not in the spec';`);
  });
  afterAll(async () => {
    await db?.dispose();
    await scratch?.dispose();
  });

  it('reports the missing table and the undeclared routine; a matching database has no drift', async () => {
    const spec = parseSpecText(`
schemas: [lead]
tables:
  - name: leads
    schema: lead
    columns:
      id: { type: bigint, identity: always, primaryKey: true }
      source: text
  - name: lead_scores
    schema: lead
    columns:
      id: { type: bigint, identity: always, primaryKey: true }
`, 'lead.yaml');
    const specCatalog = await specToCatalog(spec, { scratch: scratch.conn });
    const r = await audit(db.conn, { rules, spec, specCatalog, inspect: { schemas: ['lead'] } });
    const drift = r.findings.filter((f) => f.rule === 'spec-difference');
    expect(drift.map((f) => f.path)).toContain('lead.lead_scores');
    expect(drift.find((f) => f.path === 'lead.lead_scores')!.message).toMatch(/lead_scores/);
    const hidden = r.findings.find((f) => f.rule === 'hidden-automation');
    expect(hidden?.message).toMatch(/not declared by the spec/);
    expect(r.categories.find((c) => c.category === 'drift')!.score).toBeLessThan(100);

    await db.conn.exec(`CREATE TABLE lead.lead_scores (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); DROP FUNCTION lead.score_lead(bigint);`);
    const again = await audit(db.conn, { rules, spec, specCatalog, inspect: { schemas: ['lead'] } });
    expect(again.findings.map((f) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([]);
  });

  it('without a spec, spec-difference stays silent', async () => {
    const r = await audit(db.conn, { rules, inspect: { schemas: ['lead'] } });
    expect(r.findings.filter((f) => f.rule === 'spec-difference')).toEqual([]);
  });
});
