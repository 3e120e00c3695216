// The gauge-calibration worked example (seed 000) on MariaDB, where the
// report's database lived: every defect the report lists is found by rule id
// and object path, then plan → apply (with the README's remediation) → seed →
// verify → chain → re-audit → tamper, step by step; and `plumb demo --db`
// runs the same story end to end. The `plumb` apply journal and the
// `plumb_quarantine` database are server-wide: assertions about them are
// scoped to this plan's checksum and this database's name.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { applyPlan, type ApplyResult } from '../../src/apply/apply-plan.js';
import type { Catalog } from '../../src/catalog/types.js';
import { installChain } from '../../src/chain/install.js';
import { verifyChain } from '../../src/chain/verify.js';
import { runDemo, type DemoResult } from '../../src/demo/run-demo.js';
import { splitSqlScript } from '../../src/demo/split-sql-script.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { planFromSpec, type SpecPlan } from '../../src/plan/plan-spec.js';
import { QUARANTINE_SCHEMA, quarantineTableName } from '../../src/plan/remediation.js';
import { planSteps, type RemediationPolicy } from '../../src/plan/types.js';
import { seed } from '../../src/seed/seed.js';
import { bindSeedTables, specSchemaMap } from '../../src/spec/bind-target.js';
import { diffOptionsOn, inspectLive, liveSchemaNames } from '../../src/spec/compare-spec.js';
import { loadSpec } from '../../src/spec/load.js';
import type { Spec } from '../../src/spec/types.js';
import { verify, type VerifyReport } from '../../src/verify/verify.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';

const BEFORE = readFileSync('examples/gauge-calibration/before/mysql.sql', 'utf8');
const SPEC = 'examples/gauge-calibration/spec.yaml';

/** The report's forensic findings on MySQL, as (rule, path under the database) pairs the audit must produce. */
const REPORTED: [string, string, string][] = [
  ['zero security records', 'rbac-tables-empty', 'core_roles'],
  ['zero security records', 'rbac-tables-empty', 'core_permissions'],
  ['zero security records', 'rbac-tables-empty', 'core_role_permissions'],
  ['no admin assigned', 'no-admin-user', 'core_roles'],
  ['11 hidden stored procedures + 1 event', 'hidden-automation', ''],
  ['the scheduled event', 'mysql-scheduled-event', 'expire_transfer_requests'],
  ['self-referencing companions', 'self-referencing-rows', 'gauges.companion_gauge_id'],
  ['orphaned gauge_notes', 'implied-foreign-key-orphans', 'gauge_notes.gauge_id'],
  ['invalid JSON in core_events.payload', 'invalid-json-text', 'core_events.payload'],
  ['invalid JSON in core_notifications.data', 'invalid-json-text', 'core_notifications.data'],
  ['FK without index (category)', 'foreign-key-without-index', 'gauges.gauges_category_id_fkey'],
  ['FK without index (location)', 'foreign-key-without-index', 'gauges.gauges_location_id_fkey'],
  ['redundant index', 'redundant-index', 'gauges.idx_gauges_status'],
  // One finding per cause (the four tables share latin1), on the database, listing the tables.
  ['latin1 tables', 'mysql-non-utf8mb4', ''],
  ['MyISAM notes table', 'mysql-non-transactional-engine', 'gauge_notes'],
  ['mutable audit trail', 'audit-log-mutable', 'audit_logs'],
  ['missing table gauge_calibrations', 'spec-difference', 'gauge_calibrations'],
  ['missing table checkouts', 'spec-difference', 'checkouts'],
  ['missing table core_data_state_logs', 'spec-difference', 'core_data_state_logs'],
  ['missing table core_notification_queue', 'spec-difference', 'core_notification_queue'],
  ['audit_logs not renamed', 'spec-difference', 'core_audit_logs'],
  ['status enum out of spec', 'spec-difference', 'gauges.status'],
];

/** The README's remediation for the dirty data, on a database named `db`. */
function readmeRemediation(db: string): Record<string, RemediationPolicy> {
  return {
    [`${db}.core_events.payload`]: 'quarantine',
    [`${db}.gauge_notes.gauge_notes_gauge_id_fkey`]: 'quarantine',
    [`${db}.core_notifications.data`]: 'nullify',
    // MySQL cannot CHECK an AUTO_INCREMENT column: the check is a BEFORE INSERT/UPDATE trigger pair, the insert one counts the rows.
    [`${db}.gauges.chk_no_self_companion_bi`]: 'nullify',
    [`${db}.gauges.chk_spare_no_companion`]: 'nullify',
    [`${db}.gauge_notes.gauge_notes_created_by_fkey`]: 'nullify',
    [`${db}.core_audit_logs.core_audit_logs_user_id_fkey`]: 'nullify',
  };
}

/** The apply history of one plan checksum (plumb_history, in the database itself). */
async function historyOf(db: FreshMysql, checksum: string): Promise<{ outcome: string }[]> {
  return db.conn.query<{ outcome: string }>('SELECT outcome FROM plumb_history WHERE plan_checksum = ? ORDER BY id', [checksum]);
}

const server = mysqlServer();

describe.skipIf(!server)('gauge-calibration on MariaDB: the before-database audit finds every reported defect', () => {
  let db: FreshMysql;
  let result: AuditResult;
  beforeAll(async () => {
    db = await freshMysql();
    for (const s of splitSqlScript(BEFORE)) await db.conn.exec(s);
    result = await audit(db.conn, { spec: await loadSpec(SPEC) });
  });
  afterAll(async () => db?.dispose());

  it.each(REPORTED)('%s → %s at %s', (_what, rule, path) => {
    const at = path ? `${db.name}.${path}` : db.name;
    expect(result.findings.map((f) => `${f.rule} ${f.path}`)).toContain(`${rule} ${at}`);
  });

  it('names the four latin1 tables in the one charset finding', () => {
    const latin1 = result.findings.filter((f) => f.rule === 'mysql-non-utf8mb4');
    expect(latin1.length).toBe(1);
    expect((latin1[0]!.evidence as { tables: string[] }).tables.sort()).toEqual(['gauge_categories', 'gauge_notes', 'gauges', 'locations'].map((t) => `${db.name}.${t}`));
  });

  it('counts 11 procedures and 1 event, sees the rename as a rename, and grades the database as failing', () => {
    const hidden = result.findings.find((f) => f.rule === 'hidden-automation')!;
    expect(hidden.message).toMatch(/11 procedures, 1 event/);
    const renamed = result.findings.find((f) => f.rule === 'spec-difference' && f.path === `${db.name}.core_audit_logs`)!;
    expect(renamed.message).toMatch(/rename table .*audit_logs → .*core_audit_logs/);
    // The old table is renamed, not reported as one to drop.
    expect(result.findings.filter((f) => f.rule === 'spec-difference' && f.path === `${db.name}.audit_logs`)).toEqual([]);
    // search_path is Postgres name resolution: MySQL's SQL SECURITY DEFINER procedures are not flagged for it.
    expect(result.findings.filter((f) => f.rule === 'security-definer-mutable-search-path')).toEqual([]);
    expect(result.grade).toBe('F');
  });
});

describe.skipIf(!server)('gauge-calibration on MariaDB: plan → apply → seed → verify → chain → re-audit → tamper', () => {
  let db: FreshMysql;
  let spec: Spec;
  let planned: SpecPlan;
  let applied: ApplyResult;
  let desired: Catalog;
  let report: VerifyReport;
  beforeAll(async () => {
    db = await freshMysql();
    for (const s of splitSqlScript(BEFORE)) await db.conn.exec(s);
    spec = await loadSpec(SPEC);
  });
  afterAll(async () => {
    if (db && planned) {
      // Quarantine tables live in the server-wide plumb_quarantine database: drop the ones this plan filled.
      for (const p of applied?.preChecks ?? []) if (p.quarantineTable) await db.conn.exec(`DROP TABLE IF EXISTS ${p.quarantineTable}`).catch(() => undefined);
    }
    await db?.dispose();
  });

  it('plans the rebuild in phases, every step with rollback SQL, the report\'s fixes included', async () => {
    planned = await planFromSpec(db.conn, spec, { remediate: readmeRemediation(db.name) });
    desired = planned.target;
    const { plan } = planned;
    const steps = planSteps(plan);
    // New tables are created with all their keys and indexes in one CREATE TABLE (MySQL keeps their order): no index phase.
    expect(plan.phases.map((p) => p.name)).toEqual(expect.arrayContaining(['tables', 'columns', 'constraints', 'foreign-keys', 'drops']));
    for (const s of steps) expect(s.rollback.length, `${s.id} ${s.kind} ${s.path} has no rollback`).toBeGreaterThan(0);
    const byKind = (k: string) => steps.filter((s) => s.kind === k);
    const sql = (k: string, path: string) => steps.find((s) => s.kind === k && s.path === path)?.forward.map((f) => f.sql).join('\n') ?? '';
    // Phase 2.5: the audit table is renamed, never dropped and recreated.
    expect(sql('renameTable', `${db.name}.core_audit_logs`)).toMatch(/RENAME TABLE .*`audit_logs` TO .*`core_audit_logs`/);
    expect(byKind('dropTable')).toEqual([]);
    // Phase 3.1: pending_unseal becomes available before the ENUM loses the label (MODIFY has no USING).
    expect(sql('alterColumnType', `${db.name}.gauges.status`)).toMatch(/UPDATE .*`gauges` SET `status` = \(CASE WHEN status = 'pending_unseal' THEN 'available' ELSE status END\)\s*\n.*MODIFY COLUMN `status` ENUM\(/);
    // Phase 4: 11 procedures and the event are dropped, the event disabled first.
    expect(byKind('dropRoutine')).toHaveLength(11);
    expect(sql('dropEvent', `${db.name}.expire_transfer_requests`)).toMatch(/ALTER EVENT .* DISABLE;?\s*\n?.*DROP EVENT/s);
    // Phase 6.1: the indexes the foreign keys lack come before anything rebuilds gauges (MariaDB refuses to rebuild it without them).
    const at = (k: string, path: string) => steps.findIndex((s) => s.kind === k && s.path === path);
    expect(at('createIndex', `${db.name}.gauges.idx_gauges_category`)).toBeGreaterThanOrEqual(0);
    expect(at('createIndex', `${db.name}.gauges.idx_gauges_category`)).toBeLessThan(at('alterTableOptions', `${db.name}.gauges`));
    // Phase 6.2: the latin1 tables (and the MyISAM one) are converted.
    for (const t of ['gauges', 'gauge_categories', 'locations', 'gauge_notes']) expect(sql('alterTableOptions', `${db.name}.${t}`)).toMatch(/CONVERT TO CHARACTER SET utf8mb4/);
    expect(sql('alterTableOptions', `${db.name}.gauge_notes`)).toMatch(/ENGINE=InnoDB/);
    // Pre-checks count the rows each step would fail on; the self-companion trigger's counts the 2 self-references.
    const selfCheck = steps.find((s) => s.path === `${db.name}.gauges.chk_no_self_companion_bi`)!;
    expect(selfCheck.preChecks.map((c) => c.kind)).toEqual(['check']);
    expect(selfCheck.remediation).toBe('nullify');
  });

  it('applies it with the README\'s remediation; the journal records this plan as applied', async () => {
    const steps = planSteps(planned.plan);
    // Destructive steps are allowed by name, as the README's --allow-destructive allows them all.
    applied = await applyPlan(db.conn, planned.plan, { allowDestructive: true });
    expect(applied.outcome).toBe('applied');
    expect(applied.steps.filter((s) => s.status === 'applied')).toHaveLength(steps.length);
    const fixed = Object.fromEntries(applied.preChecks.filter((p) => p.count > 0).map((p) => [steps.find((s) => s.id === p.stepId)!.path.slice(db.name.length + 1), `${p.count} ${p.policy}`]));
    expect(fixed).toEqual({
      'core_events.payload': '2 quarantine',
      'gauge_notes.gauge_notes_gauge_id_fkey': '2 quarantine',
      'core_notifications.data': '1 nullify',
      'gauges.chk_no_self_companion_bi': '2 nullify',
      'gauges.chk_spare_no_companion': '1 nullify',
      'gauge_notes.gauge_notes_created_by_fkey': '1 nullify',
      'core_audit_logs.core_audit_logs_user_id_fkey': '1 nullify',
    });
    expect((await historyOf(db, applied.planChecksum)).map((h) => h.outcome)).toEqual(['applied']);
    const [{ n } = { n: -1 }] = await db.conn.query<{ n: number }>('SELECT COUNT(*) AS n FROM gauges WHERE companion_gauge_id = id');
    expect(Number(n)).toBe(0);
  });

  it('re-plans to nothing: the database now matches the spec', async () => {
    const again = await planFromSpec(db.conn, spec);
    expect(planSteps(again.plan).map((s) => `${s.kind} ${s.path}`)).toEqual([]);
  });

  it('seeds idempotently: 29 inserted and 4 updated, then nothing', async () => {
    const tables = bindSeedTables(spec.seed, specSchemaMap(spec, getDialect(db.conn.dialect), db.conn.target));
    const live = await inspectLive(db.conn, liveSchemaNames(db.conn, spec, desired));
    const sum = (r: Awaited<ReturnType<typeof seed>>, k: 'inserted' | 'updated') => r.tables.reduce((a, t) => a + t[k], 0);
    const first = await seed(db.conn, tables, live, { env: {} });
    expect([sum(first, 'inserted'), sum(first, 'updated')]).toEqual([29, 4]);
    const second = await seed(db.conn, tables, live, { env: {} });
    expect([sum(second, 'inserted'), sum(second, 'updated')]).toEqual([0, 0]);
  });

  it('verifies: every checkpoint of the report and every enforcement probe passes', async () => {
    const live = await inspectLive(db.conn, liveSchemaNames(db.conn, spec, desired), desired);
    report = await verify(db.conn, { checks: spec.verify, target: desired, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsOn(db.conn, spec)) });
    expect(report.results.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.detail}`)).toEqual([]);
    for (const c of spec.verify) expect(report.results.find((r) => r.name === c.name)?.status, c.name).toBe(c.dialects && !c.dialects.includes('mysql') ? 'skip' : 'pass');
    expect(report.passed).toBeGreaterThan(100);
  });

  it('chains the 4 audit rows the table already had; the chain verifies', async () => {
    const installed = await installChain(db.conn, { table: 'core_audit_logs', orderBy: ['id'] });
    expect(installed.backfilled).toBe(4);
    const v = await verifyChain(db.conn, { table: 'core_audit_logs' });
    expect(v.ok, JSON.stringify(v.problems)).toBe(true);
    expect(v.head.seq).toBe('4');
    // Appends go through the trigger and extend the chain; edits are refused.
    await db.conn.exec("INSERT INTO core_audit_logs (table_name, record_id, action, user_id) VALUES ('gauges', 1, 'UPDATE', 1)");
    await expect(db.conn.exec("UPDATE core_audit_logs SET action = 'VIEW' WHERE id = 1")).rejects.toThrow(/append-only/);
    const v2 = await verifyChain(db.conn, { table: 'core_audit_logs' });
    expect([v2.ok, v2.head.seq]).toEqual([true, '5']);
  });

  it('re-audits to grade A with no error findings', async () => {
    const after = await audit(db.conn, { spec, specCatalog: desired });
    expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(after.grade, after.findings.map((f) => `${f.rule} ${f.path}`).join('\n')).toBe('A');
  });

  it('detects one audit row edited behind the guard, naming its seq', async () => {
    // An insider with TRIGGER privilege: drop the guard, edit, put the guard back.
    const [guard] = await db.conn.query<Record<string, string>>('SHOW CREATE TRIGGER `plumb_chain_noupd_core_audit_logs`');
    await db.conn.exec('DROP TRIGGER `plumb_chain_noupd_core_audit_logs`');
    await db.conn.exec("UPDATE core_audit_logs SET action = 'VIEW' WHERE seq = 3");
    await db.conn.exec(guard!['SQL Original Statement']!);
    const v = await verifyChain(db.conn, { table: 'core_audit_logs' });
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ kind: 'edited', seq: '3' });
  });
});

describe.skipIf(!server)('gauge-calibration on MariaDB: plumb demo --db runs the whole story', () => {
  let db: FreshMysql;
  let demo: DemoResult | undefined;
  beforeAll(async () => {
    db = await freshMysql();
  });
  afterAll(async () => {
    // The demo quarantines into the server-wide plumb_quarantine database: drop what its plan could have filled.
    for (const s of demo ? planSteps(demo.plan) : []) for (const c of s.preChecks) await db.conn.exec(`DROP TABLE IF EXISTS \`${QUARANTINE_SCHEMA}\`.\`${quarantineTableName(c, s.id)}\``).catch(() => undefined);
    await db?.dispose();
  });

  it('audit → plan → apply → seed → verify → chain → re-audit → tamper detected', async () => {
    const lines: string[] = [];
    const r = (demo = await runDemo({ conn: db.conn, out: (l) => lines.push(l) }));
    const text = lines.join('\n');
    expect(r.before.grade).toBe('F');
    expect(text).toMatch(/loaded examples\/gauge-calibration\/before\/mysql\.sql/);
    expect((await historyOf(db, r.plan.checksum)).map((h) => h.outcome)).toEqual(['applied']);
    expect(r.verifyFailed, text).toBe(0);
    expect(r.after.findings.filter((f) => f.severity === 'error'), text).toEqual([]);
    expect(r.after.grade, text).toBe('A');
    expect(r.tamperDetectedAt).toBe('2');
    expect(text).toMatch(/4 rows chained; chain verifies/);
    expect(text).toMatch(/run again: 0 inserted, 0 updated/);
    for (const p of planSteps(r.plan)) expect(p.path.startsWith(`${db.name}.`) || p.path === db.name, p.path).toBe(true);
  });
});
