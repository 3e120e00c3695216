// Data rules on the situations the seeds describe, on PGlite: seed 000's
// forensic findings found automatically, roles-as-text (seed 002), a
// settings/auth store done right (seed 003), sampling of large tables,
// validated-vs-NOT VALID trust, composite keys, privileges and no connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { dataRules } from '../../src/audit/rules/data-rules.js';
import type { Rule, RuleContext } from '../../src/audit/rule.js';
import { tableProfiles } from '../../src/audit/data/table-profile.js';
import { introspectPostgres } from '../../src/dialects/postgres/postgres-introspector.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { auditRule, checkDirect, plantPg } from './fixtures/data/harness.js';

const engine = pgEngines().find((e) => e.kind === 'pglite')!;
const rule = (id: string): Rule => dataRules.find((r) => r.meta.id === id)!;

const SEED_000 = `
CREATE TABLE core_users (id int PRIMARY KEY, username varchar(50) NOT NULL UNIQUE, password_hash varchar(255) NOT NULL);
CREATE TABLE core_roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE core_permissions (id int PRIMARY KEY, code varchar(50) NOT NULL UNIQUE);
CREATE TABLE core_role_permissions (role_id int NOT NULL REFERENCES core_roles (id), permission_id int NOT NULL REFERENCES core_permissions (id), PRIMARY KEY (role_id, permission_id));
CREATE TABLE core_user_roles (user_id int NOT NULL REFERENCES core_users (id), role_id int NOT NULL REFERENCES core_roles (id), PRIMARY KEY (user_id, role_id));
CREATE TABLE gauges (id int PRIMARY KEY, serial_no varchar(20) NOT NULL UNIQUE, gauge_type varchar(20) NOT NULL, companion_gauge_id int);
CREATE TABLE gauge_notes (id int PRIMARY KEY, gauge_id int NOT NULL, note text NOT NULL);
CREATE TABLE core_audit_logs (id int PRIMARY KEY, user_id int, action varchar(20) NOT NULL, changes text);
CREATE TABLE core_events (id int PRIMARY KEY, event_type varchar(30) NOT NULL, payload text NOT NULL);
INSERT INTO core_users VALUES (1, 'qc1', '$2b$12$KIXQJH8b3vT1qvXG9aQh0eYQ2t1yJ5wzq0H7c8mV3dF6sN4pL2rOe');
INSERT INTO gauges VALUES (1, 'G-1', 'thread_plug', 2), (2, 'G-2', 'thread_ring', 1), (3, 'G-3', 'thread_plug', 3), (4, 'G-4', 'spare', NULL);
INSERT INTO gauge_notes VALUES (1, 1, 'ok'), (2, 7, 'gauge 7 was deleted');
INSERT INTO core_audit_logs VALUES (1, 1, 'login', '{"ip": "10.0.0.1"}'), (2, 5, 'update', '{"field": "status"}');
INSERT INTO core_events VALUES (1, 'checkout', '{"gauge": 1}'), (2, 'checkout', '{"gauge": 2'), (3, 'return', '{"gauge": 2}');
`;

describe('data rules on seed situations (pglite)', () => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  });
  afterAll(async () => db?.dispose());

  it('finds seed 000\'s forensic findings by themselves: orphans, self-companions, invalid JSON, empty RBAC, no admin', async () => {
    await plantPg(db.conn, 's000', SEED_000);
    const r = await audit(db.conn, { rules: dataRules, inspect: { schemas: ['s000'] } });
    expect(r.skipped).toEqual([]);
    expect(r.findings.map((f) => `${f.rule} ${f.path}`).sort()).toEqual(
      [
        'implied-foreign-key-orphans s000.core_audit_logs.user_id', // audit rows of a deleted user (core_ prefix → core_users)
        'implied-foreign-key-orphans s000.gauge_notes.gauge_id',
        'invalid-json-text s000.core_events.payload',
        'no-admin-user s000.core_roles',
        'rbac-tables-empty s000.core_permissions',
        'rbac-tables-empty s000.core_role_permissions',
        'rbac-tables-empty s000.core_roles',
        'rbac-tables-empty s000.core_user_roles',
        'self-referencing-rows s000.gauges.companion_gauge_id', // implied by name: companion_gauge_id in gauges
      ].sort(),
    );
    const self = r.findings.find((f) => f.rule === 'self-referencing-rows')!;
    expect(self.evidence).toMatchObject({ rows: 1, sampleKeys: ['3'], constraint: null });
  });

  it('reads roles stored as text in user_roles (seed 002: PLATFORM_ADMIN)', async () => {
    await plantPg(db.conn, 's002', `CREATE TABLE users (id uuid PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);
CREATE TABLE user_roles (id int PRIMARY KEY, user_id uuid NOT NULL REFERENCES users (id), role_type varchar(30) NOT NULL);
INSERT INTO users VALUES ('6f1c2a3e-8b1d-4c4a-9a3f-2d7b9e0c1a55', 'admin@aiforce.com');
INSERT INTO user_roles VALUES (1, '6f1c2a3e-8b1d-4c4a-9a3f-2d7b9e0c1a55', 'CLIENT_ADMIN');`);
    const before = await auditRule(db.conn, rule('no-admin-user'), ['s002']);
    expect(before.findings.map((f) => f.path)).toEqual(['s002.user_roles']);
    await db.conn.exec(`UPDATE s002.user_roles SET role_type = 'PLATFORM_ADMIN'`);
    expect((await auditRule(db.conn, rule('no-admin-user'), ['s002'])).findings).toEqual([]);
  });

  it('accepts an auth store done right (seed 003): salted PBKDF2 digests, hashed API keys, encrypted TOTP seeds — and flags a clear one', async () => {
    await plantPg(db.conn, 's003', `CREATE TABLE users (id int PRIMARY KEY, username varchar(50) NOT NULL UNIQUE, password_hash varchar(255) NOT NULL, password_salt varchar(64) NOT NULL, totp_secret text);
CREATE TABLE api_keys (id int PRIMARY KEY, key_hash char(64) NOT NULL, key_prefix varchar(8) NOT NULL);
INSERT INTO users VALUES
  (1, 'admin', 'q3Xb0yCq0V0f6mJ3kJtq1u7s6Qm0Hq1o8r2o1jQ6x0k=', 'c2FsdHNhbHRzYWx0', 'v1:k1:Zm9vYmFyYmF6cXV4cXV1eHF1dXg='),
  (2, 'operator', 'PbQk1pZfM0s3Fq9c2x7Vb8n1Lw4Rt6Yu0Ii2Oo3Pp4A=', 'c2FsdHNhbHRzYWx1', 'JBSWY3DPEHPK3PXP');
INSERT INTO api_keys VALUES (1, '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'pk_9f86');`);
    const r = await audit(db.conn, { rules: dataRules, inspect: { schemas: ['s003'] } });
    expect(r.findings.map((f) => `${f.rule} ${f.path}`)).toEqual(['secret-value-in-clear s003.users.totp_secret']);
    expect(r.findings[0]!.evidence).toMatchObject({ clear: 1, checked: 2, sampleKeys: ['2'] });
    expect(JSON.stringify(r)).not.toContain('JBSWY3DPEHPK3PXP');
  });

  it('counts every duplicated natural key and samples the largest groups first, with and without a table key', async () => {
    await plantPg(db.conn, 'sdup', `CREATE TABLE items (id int PRIMARY KEY, code text, deleted_at timestamptz);
INSERT INTO items VALUES (1, 'B', NULL), (2, 'A', NULL), (3, 'B', NULL), (4, 'C', NULL), (5, 'A', NULL), (6, 'B', NULL),
  (7, 'D', NULL), (8, 'C', NULL), (9, 'E', NULL), (10, 'E', '2024-01-01'), (11, NULL, NULL), (12, NULL, NULL);
CREATE TABLE loose (code text);
INSERT INTO loose VALUES ('x'), ('x'), ('y'), ('y'), ('y'), ('z');`);
    const r = await auditRule(db.conn, rule('natural-key-duplicates'), ['sdup']);
    const items = r.findings.find((f) => f.path === 'sdup.items.code');
    // B ×3, A ×2, C ×2; E's second row is soft-deleted, NULLs are not values.
    expect(items?.evidence).toMatchObject({ duplicateValues: 3, rowsInvolved: 7, largestGroup: 3, ignoresSoftDeleted: 'deleted_at', sampleKeys: ['1', '3', '6', '2', '5'] });
    expect(items?.message).toMatch(/^3 values of sdup\.items\.code occur more than once \(7 rows, soft-deleted rows ignored\)/);
    const loose = r.findings.find((f) => f.path === 'sdup.loose.code');
    expect(loose?.evidence).toMatchObject({ duplicateValues: 2, rowsInvolved: 5, largestGroup: 3, sampleKeys: [] });
  });

  it('rules that ask for the same table profiles at once share one read of them', async () => {
    await plantPg(db.conn, 'sprof', `CREATE TABLE a (id int PRIMARY KEY, note text, extra text); INSERT INTO a VALUES (1, 'x', NULL), (2, NULL, NULL);
CREATE TABLE b (id int PRIMARY KEY, note text); INSERT INTO b VALUES (1, '{"a": 1}');`);
    const catalog = await introspectPostgres(db.conn, { schemas: ['sprof'] });
    const tables = catalog.schemas[0]!.tables;
    const statements: string[] = [];
    const ctx = (memo: Map<string, unknown>): RuleContext => ({
      catalog, options: {}, sampleThreshold: 100_000, memo, report: () => undefined, skip: () => undefined,
      quoteIdent: (n) => `"${n}"`, quoteQualified: (sch, n) => `"${sch}"."${n}"`,
      query: <T>(sql: string) => (statements.push(sql), db.conn.query<T>(sql)),
    });
    const alone = await tableProfiles(ctx(new Map()), tables);
    // Table sizes are looked up once per catalog; the profile statements are what the memo shares.
    const profileReads = () => statements.filter((q) => q.startsWith('SELECT COUNT(*) AS n, COUNT(')).length;
    const once = profileReads();
    expect(once).toBeGreaterThan(0);
    statements.length = 0;
    const shared = new Map<string, unknown>();
    const [x, y] = await Promise.all([tableProfiles(ctx(shared), tables), tableProfiles(ctx(shared), tables)]);
    expect(profileReads()).toBe(once);
    expect(x).toEqual(alone);
    expect(y).toEqual(alone);
    expect(alone.get('sprof.a')).toMatchObject({ rows: 2, nonNull: new Map([['id', 2], ['note', 1], ['extra', 0]]) });
  });

  it('samples a table above the threshold, bounds the count, and says so', async () => {
    await plantPg(db.conn, 'sbig', `CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE children (id int PRIMARY KEY, parent_id int);
INSERT INTO parents SELECT g FROM generate_series(1, 10) g;
INSERT INTO children SELECT g, CASE WHEN g IN (50, 250) THEN 999 ELSE 1 END FROM generate_series(1, 300) g;`);
    const r = await auditRule(db.conn, rule('implied-foreign-key-orphans'), ['sbig'], { sampleThreshold: 100 });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ sampled: true, evidence: { orphans: 1, sampleKeys: ['50'] } });
    expect(r.findings[0]!.message).toContain('sampled: read the first 100 of more than 100 rows by key; --data full reads all');
    const whole = await auditRule(db.conn, rule('implied-foreign-key-orphans'), ['sbig']);
    expect(whole.findings[0]).toMatchObject({ evidence: { orphans: 2, sampleKeys: ['50', '250'] } });
    expect(whole.findings[0]!.sampled).toBeUndefined();
  });

  it('trusts validated foreign keys on Postgres unless checkValidated is set; reports composite sample keys', async () => {
    await plantPg(db.conn, 'strust', `CREATE TABLE roles (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE grants (role_id int NOT NULL, scope text NOT NULL, PRIMARY KEY (role_id, scope), CONSTRAINT grants_role_fkey FOREIGN KEY (role_id) REFERENCES roles (id));
INSERT INTO roles VALUES (1, 'viewer');
SET session_replication_role = replica; -- how replicas and some restore tools bypass FK triggers
INSERT INTO grants VALUES (1, 'read'), (2, 'write');
SET session_replication_role = origin;`);
    expect((await auditRule(db.conn, rule('foreign-key-orphans'), ['strust'])).findings).toEqual([]);
    const r = await auditRule(db.conn, rule('foreign-key-orphans'), ['strust'], { options: { checkValidated: true } });
    expect(r.findings[0]).toMatchObject({ path: 'strust.grants.grants_role_fkey', evidence: { orphans: 1, validated: true, sampleKeys: [{ role_id: '2', scope: 'write' }] } });
    expect(r.findings[0]!.fix).not.toContain('VALIDATE');
  });

  it('detects JSON by content without mistaking bracketed prose for it; flags rare status outliers as info', async () => {
    await plantPg(db.conn, 'scontent', `CREATE TABLE tickets (id int PRIMARY KEY, note text, extra text, status text NOT NULL);
INSERT INTO tickets SELECT g, CASE WHEN g % 2 = 0 THEN '[draft] call the supplier' END, CASE WHEN g = 5 THEN '{"sla": ' WHEN g % 3 = 0 THEN '{"sla": 4}' END, CASE WHEN g = 7 THEN 'Actve' WHEN g % 2 = 0 THEN 'active' ELSE 'closed' END FROM generate_series(1, 150) g;`);
    const r = await audit(db.conn, { rules: [rule('invalid-json-text'), rule('status-value-outside-set')], inspect: { schemas: ['scontent'] } });
    expect(r.findings.map((f) => `${f.rule} ${f.path} ${f.severity}`).sort()).toEqual(['invalid-json-text scontent.tickets.extra error', 'status-value-outside-set scontent.tickets.status info']);
    expect(r.findings.find((f) => f.rule === 'invalid-json-text')!.evidence).toMatchObject({ invalid: 1, reason: 'column holds JSON values', sampleKeys: ['5'] });
    expect(r.findings.find((f) => f.rule === 'status-value-outside-set')!.evidence).toMatchObject({ outside: [{ value: 'Actve', rows: 1 }], sampleKeys: ['7'] });
  });

  it('checks the newest rows of a long hash chain (bytea hashes) and says it sampled', async () => {
    await plantPg(db.conn, 'schain', `CREATE TABLE security_audit_log (seq bigint PRIMARY KEY, previous_hash bytea, row_hash bytea NOT NULL);
INSERT INTO security_audit_log SELECT g, CASE WHEN g = 1 THEN NULL ELSE sha256(int4send(g - 1)) END, sha256(int4send(g)) FROM generate_series(1, 30) g;
UPDATE security_audit_log SET previous_hash = sha256(int4send(0)) WHERE seq IN (3, 27);`);
    const r = await auditRule(db.conn, rule('audit-chain-broken'), ['schain'], { options: { maxFetch: 10 } });
    expect(r.findings[0]).toMatchObject({ sampled: true, evidence: { checked: 10, brokenLinks: 1, nullHashes: 0, firstBreak: { at: '27', after: '26' } } });
    const all = await auditRule(db.conn, rule('audit-chain-broken'), ['schain']);
    expect(all.findings[0]).toMatchObject({ evidence: { checked: 30, brokenLinks: 2, firstBreak: { at: '3' } } });
  });

  it('reports a table it may not read as a skipped check with the reason, and goes on with the others', async () => {
    // ANALYZE: with row estimates the two self-reference counts go out as one batched statement, which
    // fails on the unreadable table; the rule must fall back to one query per table and keep the readable one.
    await plantPg(db.conn, 'spriv', `CREATE TABLE gauges (id int PRIMARY KEY, companion_gauge_id int);
CREATE TABLE parts (id int PRIMARY KEY, parent_id int);
CREATE TABLE audit_logs (id int PRIMARY KEY, previous_hash text, row_hash text);
INSERT INTO gauges VALUES (1, 1);
INSERT INTO parts VALUES (1, 1);
INSERT INTO audit_logs VALUES (1, NULL, 'a'), (2, 'x', 'b');
ANALYZE gauges; ANALYZE parts; ANALYZE audit_logs;
CREATE ROLE dx_auditor;
GRANT USAGE ON SCHEMA spriv TO dx_auditor;
GRANT SELECT ON spriv.gauges TO dx_auditor;`);
    await db.conn.exec('SET ROLE dx_auditor');
    try {
      const r = await audit(db.conn, { rules: [rule('self-referencing-rows'), rule('audit-chain-broken')], inspect: { schemas: ['spriv'] } });
      expect(r.findings.map((f) => f.path)).toEqual(['spriv.gauges.companion_gauge_id']);
      expect(r.skipped).toEqual([
        { rule: 'audit-chain-broken', path: 'spriv.audit_logs', reason: expect.stringMatching(/^permission denied: .*audit_logs/) },
        { rule: 'self-referencing-rows', path: 'spriv.parts.parent_id', reason: expect.stringMatching(/^permission denied: .*parts/) },
      ]);
    } finally {
      await db.conn.exec('RESET ROLE');
    }
  });

  it('without a connection a data rule reads nothing and says why', async () => {
    const catalog = await introspectPostgres(db.conn, { schemas: ['s000'] });
    const direct = await checkDirect(undefined, rule('invalid-json-text'), catalog);
    expect(direct.reports).toEqual([]);
    expect(direct.skipped[0]!.reason).toMatch(/needs a live connection/);
    const viaEngine = await audit(catalog, { rules: dataRules });
    expect(viaEngine.findings).toEqual([]);
    expect(viaEngine.skipped.map((s) => s.rule).sort()).toEqual(dataRules.map((r) => r.meta.id).sort());
  });

  it('gives the same findings called directly as through the engine', async () => {
    const catalog = await introspectPostgres(db.conn, { schemas: ['s000'] });
    const direct = await checkDirect(db.conn, rule('implied-foreign-key-orphans'), catalog);
    expect(direct.skipped).toEqual([]);
    expect(direct.reports.map((r) => r.path).sort()).toEqual(['s000.core_audit_logs.user_id', 's000.gauge_notes.gauge_id']);
  });
});
