// Every data rule on each Postgres engine (PGlite, servers), through the audit engine: its bad fixture must
// make it report (with the evidence a DBA needs), its near-identical good
// fixture must not, and no finding may carry a planted secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { dataRules } from '../../src/audit/rules/data-rules.js';
import type { Rule } from '../../src/audit/rule.js';
import type { AuditResult, Finding } from '../../src/audit/types.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { loadDataFixture, plantPg } from './fixtures/data/harness.js';

const byId = (id: string): Rule => dataRules.find((r) => r.meta.id === id)!;
const schemaOf = (r: Rule, side: 'bad' | 'good') => `dx_${r.meta.code.toLowerCase()}_${side}`;

/** What each rule's bad fixture must produce, beyond "at least one finding". */
const expectations: Record<string, (f: Finding[]) => void> = {
  'foreign-key-orphans': (f) => {
    expect(f[0]!.path).toBe('dx_plb100_bad.gauge_notes.gauge_notes_gauge_id_fkey');
    expect(f[0]!.evidence).toMatchObject({ orphans: 1, validated: false, sampleKeys: ['2'], missingParentValues: ['99'] });
    expect(f[0]!.fix).toContain('DELETE FROM "dx_plb100_bad"."gauge_notes"');
    expect(f[0]!.fix).toContain('VALIDATE CONSTRAINT "gauge_notes_gauge_id_fkey"');
  },
  'implied-foreign-key-orphans': (f) => {
    expect(f[0]!.path).toBe('dx_plb101_bad.gauge_notes.gauge_id');
    expect(f[0]!.evidence).toMatchObject({ orphans: 1, impliedParent: 'dx_plb101_bad.gauges.id', sampleKeys: ['2'], missingParentValues: ['42'] });
    expect(f[0]!.fix).toContain('FOREIGN KEY ("gauge_id") REFERENCES "dx_plb101_bad"."gauges" ("id")');
  },
  'self-referencing-rows': (f) => {
    expect(f[0]!.path).toBe('dx_plb102_bad.gauges.companion_gauge_id');
    expect(f[0]!.evidence).toMatchObject({ rows: 1, sampleKeys: ['3'] });
    expect(f[0]!.fix).toContain('CHECK ("companion_gauge_id" IS NULL OR "companion_gauge_id" <> "id")');
  },
  'natural-key-duplicates': (f) => {
    expect(f[0]!.path).toBe('dx_plb103_bad.users.email');
    expect(f[0]!.evidence).toMatchObject({ duplicateValues: 1, rowsInvolved: 2, largestGroup: 2, caseInsensitive: true, ignoresSoftDeleted: 'deleted_at', sampleKeys: ['1', '2'] });
    expect(f[0]!.fix).toContain('((LOWER("email"))) WHERE "deleted_at" IS NULL');
    expect(JSON.stringify(f)).not.toMatch(/ana@example\.com/i);
  },
  'invalid-json-text': (f) => {
    expect(f[0]!.path).toBe('dx_plb104_bad.core_events.payload');
    expect(f[0]!.evidence).toMatchObject({ invalid: 2, checked: 3, sampleKeys: ['2', '3'] });
  },
  'status-value-outside-set': (f) => {
    expect(f[0]!.path).toBe('dx_plb105_bad.gauges.status');
    expect(f[0]!.evidence).toMatchObject({ rows: 1, outside: [{ value: 'pending_unseal', rows: 1 }], declaredBy: 'enum dx_plb105_bad.gauge_status', sampleKeys: ['3'] });
  },
  'nullable-never-null': (f) => {
    expect(f.map((x) => x.path)).toEqual(['dx_plb106_bad.customers.name']);
    expect(f[0]!.evidence).toEqual({ rows: 120, nulls: 0 });
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.fix).toMatch(/ALTER TABLE "dx_plb106_bad"\."customers" ALTER COLUMN "name" SET NOT NULL;/);
  },
  'plaintext-in-encrypted-column': (f) => {
    expect(f[0]!.path).toBe('dx_plb110_bad.settings.value_encrypted');
    expect(f[0]!.evidence).toEqual({ plaintext: 1, checked: 2, sampleKeys: ['2'] });
  },
  'password-not-hashed': (f) => {
    expect(f[0]!.path).toBe('dx_plb111_bad.users.password_hash');
    expect(f[0]!.evidence).toMatchObject({ notHashed: 1, checked: 2, hashSchemes: { bcrypt: 1 }, sampleKeys: ['2'] });
  },
  'secret-value-in-clear': (f) => {
    expect(f[0]!.path).toBe('dx_plb112_bad.api_clients.client_secret');
    expect(f[0]!.evidence).toMatchObject({ clear: 2, liveLooking: 2, checked: 2, sampleKeys: ['1', '2'] });
  },
  'rbac-tables-empty': (f) => {
    expect(f.map((x) => x.path).sort()).toEqual(['dx_plb113_bad.permissions', 'dx_plb113_bad.role_permissions']);
  },
  'no-admin-user': (f) => {
    expect(f[0]!.path).toBe('dx_plb114_bad.roles');
    expect(f[0]!.evidence).toMatchObject({ adminRoles: ['admin'], roles: 2 });
  },
  'role-without-permissions': (f) => {
    expect(f[0]!.path).toBe('dx_plb115_bad.roles');
    expect(f[0]!.evidence).toMatchObject({ roles: 1, sampleRoles: ['qc_operator'] });
  },
  'audit-chain-broken': (f) => {
    expect(f[0]!.path).toBe('dx_plb120_bad.audit_logs');
    expect(f[0]!.evidence).toMatchObject({ checked: 4, brokenLinks: 1, nullHashes: 1, firstBreak: { at: '4', after: '2', kind: 'previous hash does not match' } });
  },
  'varchar-values-at-limit': (f) => {
    expect(f.map((x) => x.path)).toEqual(['dx_plb121_bad.support_tickets.subject']);
    expect(f[0]!.evidence).toEqual({ limit: 24, atLimit: 5, justBelow: 0, shorter: 2 });
  },
};

/** Strings planted in fixtures that must never reach a finding. */
const SECRETS = ['Welcome2024!', 'sk_live_51Hx9QkLmN2pOq3RsTu4VwXy', 'JBSWY3DPEHPK3PXP', '$2b$12$KIXQJH8b3vT1qvXG9aQh0eYQ'];

describe.each(pgEngines())('data rules on their fixtures ($name, through the audit engine)', (engine) => {
  let db: FreshDb;
  let bad: AuditResult;
  let good: AuditResult;

  // Two audits per engine (every data rule over every bad schema, then every good one): the good side is a clean twin.
  beforeAll(async () => {
    db = await freshDatabase(engine);
    for (const r of dataRules) {
      const fx = loadDataFixture(r.meta.id);
      await plantPg(db.conn, schemaOf(r, 'bad'), fx.bad);
      await plantPg(db.conn, schemaOf(r, 'good'), fx.good);
    }
    bad = await audit(db.conn, { rules: dataRules, inspect: { schemas: dataRules.map((r) => schemaOf(r, 'bad')) } });
    good = await audit(db.conn, { rules: dataRules, inspect: { schemas: dataRules.map((r) => schemaOf(r, 'good')) } });
  });
  afterAll(async () => db?.dispose());

  it('covers every registered data rule with an expectation', () => {
    expect(Object.keys(expectations).sort()).toEqual(dataRules.map((r) => r.meta.id).sort());
  });

  it('runs every check: nothing skipped on either side', () => {
    expect(bad.skipped).toEqual([]);
    expect(good.skipped).toEqual([]);
  });

  it.each(dataRules.map((r) => [r.meta.id] as const))('%s fires on its bad fixture, with evidence, and not on any good one', (id) => {
    const r = byId(id);
    const found = bad.findings.filter((f) => f.rule === id && f.path.startsWith(`${schemaOf(r, 'bad')}.`));
    expect(found.length, `${id} findings: ${JSON.stringify(bad.findings.filter((f) => f.rule === id))}`).toBeGreaterThan(0);
    expect(found.every((f) => f.code === r.meta.code && f.message.length > 20)).toBe(true);
    expect(found.every((f) => !f.sampled)).toBe(true);
    expectations[id]!(found);
    expect(good.findings.filter((f) => f.rule === id).map((f) => `${f.path}: ${f.message}`)).toEqual([]);
  });

  it('never puts a planted secret, password or token in messages, evidence or fixes', () => {
    const all = JSON.stringify(bad);
    for (const s of SECRETS) expect(all).not.toContain(s);
  });
});
