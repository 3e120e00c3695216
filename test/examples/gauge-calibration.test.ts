// The gauge-calibration worked example (seed 000), end to end on real engines:
// every defect the forensic report lists is found by rule id and object path,
// and the whole rebuild story (plumb demo) ends with all checkpoints passing,
// a clean re-audit and tampering detected.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { runDemo } from '../../src/demo/run-demo.js';
import { loadSpec } from '../../src/spec/load.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const BEFORE = readFileSync('examples/gauge-calibration/before/postgres.sql', 'utf8');

/** The report's forensic findings, as (rule, path) pairs the audit must produce. */
const REPORTED: [string, string, string][] = [
  ['zero security records', 'rbac-tables-empty', 'public.core_roles'],
  ['zero security records', 'rbac-tables-empty', 'public.core_permissions'],
  ['zero security records', 'rbac-tables-empty', 'public.core_role_permissions'],
  ['no admin assigned', 'no-admin-user', 'public.core_roles'],
  ['11 hidden stored procedures', 'hidden-automation', 'public'],
  ['self-referencing companions', 'self-referencing-rows', 'public.gauges.companion_gauge_id'],
  ['orphaned gauge_notes', 'implied-foreign-key-orphans', 'public.gauge_notes.gauge_id'],
  ['invalid JSON in core_events.payload', 'invalid-json-text', 'public.core_events.payload'],
  ['invalid JSON in core_notifications.data', 'invalid-json-text', 'public.core_notifications.data'],
  ['FK without index (category)', 'foreign-key-without-index', 'public.gauges.gauges_category_id_fkey'],
  ['FK without index (location)', 'foreign-key-without-index', 'public.gauges.gauges_location_id_fkey'],
  ['redundant index', 'redundant-index', 'public.gauges.idx_gauges_status'],
  ['mutable audit trail', 'audit-log-mutable', 'public.audit_logs'],
  ['missing table gauge_calibrations', 'spec-difference', 'public.gauge_calibrations'],
  ['missing table checkouts', 'spec-difference', 'public.checkouts'],
  ['missing table core_data_state_logs', 'spec-difference', 'public.core_data_state_logs'],
  ['missing table core_notification_queue', 'spec-difference', 'public.core_notification_queue'],
  ['audit_logs not renamed', 'spec-difference', 'public.core_audit_logs'],
  ['status enum out of spec', 'spec-difference', 'public.gauges.status'],
];

describe('gauge-calibration: the before-database audit finds every reported defect', () => {
  let db: FreshDb;
  let result: AuditResult;
  beforeAll(async () => {
    db = await freshDatabase(pgEngines()[0]!);
    await db.conn.exec(BEFORE);
    result = await audit(db.conn, { spec: await loadSpec('examples/gauge-calibration/spec.yaml') });
  });
  afterAll(async () => db?.dispose());

  it.each(REPORTED)('%s → %s at %s', (_what, rule, path) => {
    expect(result.findings.map((f) => `${f.rule} ${f.path}`)).toContain(`${rule} ${path}`);
  });

  it('counts the 11 procedures and grades the database as failing', () => {
    const hidden = result.findings.find((f) => f.rule === 'hidden-automation')!;
    expect(hidden.message).toMatch(/11 procedures/);
    expect(result.grade).toBe('F');
  });
});

describe.each(pgEngines().filter((e, i) => i === 0 || e.kind === 'server').slice(0, 2))('gauge-calibration: the whole story on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  });
  afterAll(async () => db?.dispose());

  it('audit → plan → apply → seed → verify → chain → re-audit → tamper detected', async () => {
    const lines: string[] = [];
    const r = await runDemo({ conn: db.conn, out: (l) => lines.push(l) });
    expect(r.before.grade).toBe('F');
    expect(r.verifyFailed, lines.join('\n')).toBe(0);
    expect(r.after.findings.filter((f) => f.severity === 'error'), lines.join('\n')).toEqual([]);
    expect(r.after.grade, lines.join('\n')).toBe('A');
    expect(r.tamperDetectedAt).toBe('2');
    expect(lines.join('\n')).toMatch(/run again: 0 inserted, 0 updated/);
  });
});
