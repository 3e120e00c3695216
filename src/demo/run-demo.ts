// `plumb demo`: the whole story on one database, narrated — the gauge-
// calibration system from a real forensic report (seed 000): create it as it
// was found, audit, plan, apply, seed, verify, audit again, then prove the
// audit log is tamper-evident. Writes only to the database it is given (an
// in-memory PGlite by default) and prints through `out`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { audit } from '../audit/audit.js';
import type { AuditResult, Finding } from '../audit/types.js';
import { applyPlan } from '../apply/apply-plan.js';
import { installChain } from '../chain/install.js';
import { verifyChain } from '../chain/verify.js';
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { planFromSpec } from '../plan/plan-spec.js';
import { planSteps, type Plan, type PlanStep, type RemediationPolicy } from '../plan/types.js';
import { seed } from '../seed/seed.js';
import { diffOptionsOn, inspectLive, liveSchemaNames } from '../spec/compare-spec.js';
import { bindSeedTables, specSchemaMap } from '../spec/bind-target.js';
import { getDialect } from '../dialects/index.js';
import { loadSpec } from '../spec/load.js';
import { verify } from '../verify/verify.js';
import { diffCatalogs } from '../diff/diff.js';
import { splitSqlScript } from './split-sql-script.js';

export interface DemoOptions {
  conn: Connection;
  /** Where narration goes (one call per line). */
  out: (line: string) => void;
  /** Colour output (TTY). */
  color?: boolean;
  /** plumb's version for reports. */
  version?: string;
}

export interface DemoResult {
  before: AuditResult;
  after: AuditResult;
  plan: Plan;
  verifyPassed: number;
  verifyFailed: number;
  /** seq the tampered row was detected at. */
  tamperDetectedAt: string | null;
}

const EXAMPLE = new URL('../../examples/gauge-calibration/', import.meta.url);
const AUDIT_TABLE = 'core_audit_logs';

/** Pre-check remediation the demo chooses, as the report did: clear bad references, set bad JSON aside (reversibly). */
function demoPolicy(step: PlanStep): RemediationPolicy {
  const kinds = new Set(step.preChecks.map((c) => c.kind));
  if (step.preChecks.every((c) => c.nullifyColumns?.length)) return 'nullify';
  if (kinds.has('orphans') || kinds.has('json') || kinds.has('check')) return 'quarantine';
  return 'abort';
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const c = o.color ? pc : { bold: (s: string) => s, dim: (s: string) => s, green: (s: string) => s, red: (s: string) => s, yellow: (s: string) => s, cyan: (s: string) => s };
  const { conn, out } = o;
  const total = 9;
  let n = 0;
  const t0 = Date.now();
  const step = async <T>(title: string, fn: () => Promise<T>, summary: (r: T) => string): Promise<T> => {
    n++;
    const started = Date.now();
    out(`${c.bold(`${String(n).padStart(2)}/${total}`)}  ${title}`);
    const r = await fn();
    out(`       ${summary(r)} ${c.dim(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)}`);
    return r;
  };

  out(c.bold('plumb demo') + ' — rebuild a broken database, prove it, and make its audit log tamper-evident');
  out(c.dim(`The database: a gauge-calibration system a forensic report (seed 000) found with no access control,`));
  out(c.dim(`missing tables, hidden procedures, orphans and invalid JSON. Target: examples/gauge-calibration/spec.yaml`));
  out(c.dim(`Engine: ${conn.target.redacted} (${conn.dialect})`));
  out('');

  // 1. The database as it was found.
  const beforeFile = conn.dialect === 'mysql' ? 'before/mysql.sql' : 'before/postgres.sql';
  await step(
    'Create the database as the report found it',
    async () => {
      await assertEmpty(conn);
      const sql = await readFile(fileURLToPath(new URL(beforeFile, EXAMPLE)), 'utf8');
      for (const s of splitSqlScript(sql)) await conn.exec(s);
      return sql;
    },
    () => `loaded examples/gauge-calibration/${beforeFile}`,
  );

  // 2. Audit it.
  const before = await step(
    'Audit it (catalog and data rules, read-only)',
    () => audit(conn, { toolVersion: o.version ?? '0' }),
    (r) => `grade ${gradeText(r, c)} · ${countText(r, c)}`,
  );
  for (const f of topFindings(before.findings, 8)) out(`       ${sevText(f, c)} ${f.rule.padEnd(32)} ${c.dim(f.path)}  ${oneLine(f.message)}`);
  if (before.findings.length > 8) out(c.dim(`       … and ${before.findings.length - 8} more (plumb audit --format md shows them all)`));

  // 3. Plan the rebuild.
  const spec = await loadSpec(fileURLToPath(new URL('spec.yaml', EXAMPLE)));
  // Planned once: the spec is realised and the database inspected here, and `desired` serves verify below.
  const { plan, target: desired } = await step(
    'Plan the rebuild against the spec',
    () => planFromSpec(conn, spec, { plumbVersion: o.version ?? '0' }),
    ({ plan: p }) => {
      const steps = planSteps(p);
      const by = (k: string) => steps.filter((s) => s.safety === k).length;
      return `${p.phases.length} phases, ${steps.length} steps (${by('safe')} safe, ${by('blocking')} blocking, ${by('data-dependent')} data-dependent, ${by('destructive')} destructive) · every step has rollback SQL`;
    },
  );
  for (const ph of plan.phases) out(`       ${c.cyan(ph.title)}: ${ph.steps.length} step${ph.steps.length === 1 ? '' : 's'}`);

  // 4. Apply it.
  const applied = await step(
    'Apply it (pre-checks first; destructive steps allowed by name only)',
    // The demo chooses a remediation per step with pre-checks, and allows exactly those steps by id — never everything.
    () => {
      const remediate: Record<string, RemediationPolicy> = {};
      for (const s of planSteps(plan)) if (s.preChecks.length) remediate[s.id] = demoPolicy(s);
      const allow = planSteps(plan).filter((s) => s.safety === 'destructive' || s.preChecks.length).map((s) => s.id);
      return applyPlan(conn, plan, { remediate, allow, plumbVersion: o.version ?? '0' }).then((r) => {
        // The database was empty a moment ago: a journaled apply of this very plan belongs to an earlier database of the same name.
        if (r.outcome === 'already-applied') {
          throw new PlumbError('E_APPLY', `the apply history says this plan was applied already, to an earlier database named like ${conn.target.redacted}`, 'run the demo on a database with a new name (the apply journal outlives a dropped database)');
        }
        return r;
      });
    },
    (r) => {
      const fixed = r.preChecks.filter((p) => p.count > 0).length;
      // MySQL commits each DDL statement itself: there the journal, not a transaction, makes the apply resumable.
      const how = getDialect(conn.dialect).capabilities.transactionalDdl ? 'in one transaction' : 'statement by statement, journaled';
      return `${r.steps.filter((s) => s.status === 'applied').length} steps applied ${how}${fixed ? `, after ${fixed} data fixes:` : ''}`;
    },
  );
  for (const p of applied.preChecks.filter((x) => x.count > 0)) {
    const where = p.quarantineTable ? c.dim(` (kept in ${p.quarantineTable}; apply --rollback puts them back)`) : '';
    const at = planSteps(plan).find((st) => st.id === p.stepId)?.path ?? '';
    out(`       ${String(p.count).padStart(3)} row${p.count === 1 ? ' ' : 's'} ${c.dim(at)}: ${p.description.replace(/^rows? /, '')} → ${p.policy}${where}`);
  }

  // 5. Seed. The spec's default schema is the connection's (MySQL: the URL's database).
  const schemas = liveSchemaNames(conn, spec, desired);
  const seedTables = bindSeedTables(spec.seed, specSchemaMap(spec, getDialect(conn.dialect), conn.target));
  const current = await inspectLive(conn, schemas);
  await step(
    'Seed reference data (roles, permissions, mappings, navigation, admin)',
    async () => {
      const first = await seed(conn, seedTables, current, { env: process.env });
      const second = await seed(conn, seedTables, current, { env: process.env });
      return { first, second };
    },
    ({ first, second }) => {
      const ins = first.tables.reduce((a, t) => a + t.inserted, 0);
      const upd = first.tables.reduce((a, t) => a + t.updated, 0);
      const ins2 = second.tables.reduce((a, t) => a + t.inserted, 0);
      const upd2 = second.tables.reduce((a, t) => a + t.updated, 0);
      return `${ins} rows inserted, ${upd} updated · run again: ${ins2} inserted, ${upd2} updated (idempotent)`;
    },
  );

  // 6. Verify.
  const report = await step(
    'Verify: the report\'s checkpoints, no drift, and constraints that really reject bad rows',
    async () => {
      const live = await inspectLive(conn, schemas, desired);
      return verify(conn, { checks: spec.verify, target: desired, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsOn(conn, spec)) });
    },
    (r) => `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`,
  );
  for (const f of report.results.filter((x) => x.status === 'fail').slice(0, 5)) out(`       ${c.red('fail')} ${f.name}: ${oneLine(f.detail)}`);

  // 7. Hash chain.
  await step(
    `Make ${AUDIT_TABLE} tamper-evident: hash chain, append-only guard`,
    async () => {
      await installChain(conn, { table: AUDIT_TABLE, orderBy: ['id'] });
      return verifyChain(conn, { table: AUDIT_TABLE });
    },
    (r) => (r.ok ? `${r.rows} rows chained; chain verifies (head seq ${r.head.seq})` : `chain does NOT verify: ${r.problems[0]?.kind}`),
  );

  // 8. Audit again: the rebuilt, chained database.
  const after = await step('Audit again', () => audit(conn, { toolVersion: o.version ?? '0', spec, specCatalog: desired }), (r) => `grade ${gradeText(r, c)} · ${countText(r, c)}`);
  for (const f of topFindings(after.findings, 5)) out(`       ${sevText(f, c)} ${f.rule.padEnd(32)} ${c.dim(f.path)}  ${oneLine(f.message)}`);

  // 9. Tamper, as an attacker with table-owner rights would, and detect it.
  const tampered = await step(
    'Tamper with one audit row behind the guard\'s back, then verify',
    async () => {
      await tamper(conn);
      return verifyChain(conn, { table: AUDIT_TABLE });
    },
    (r) => {
      const p = r.problems[0];
      return r.ok ? c.red('tampering NOT detected') : `${c.green('detected')}: ${p?.kind} at seq ${p?.seq} — ${oneLine(p?.detail ?? '')}`;
    },
  );

  out('');
  out(
    `${c.bold('Done')} in ${((Date.now() - t0) / 1000).toFixed(1)} s: grade ${before.grade} (${before.score}) → ${after.grade} (${after.score}), ` +
      `${report.passed}/${report.passed + report.failed} checks pass, tampering caught at seq ${tampered.problems[0]?.seq ?? '—'}.`,
  );
  out(c.dim('Try it on your own database:  plumb audit --db postgres://… · plumb plan --db … --spec spec.yaml · plumb --help'));
  return { before, after, plan, verifyPassed: report.passed, verifyFailed: report.failed, tamperDetectedAt: tampered.problems[0]?.seq ?? null };
}

/** The demo creates its tables in the default schema: refuse to touch a database that already has some. */
async function assertEmpty(conn: Connection): Promise<void> {
  const sql =
    conn.dialect === 'mysql'
      ? 'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()'
      : "SELECT COUNT(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r','p','v','m')";
  const [r] = await conn.query<{ n: number | string }>(sql);
  if (Number(r?.n ?? 0) > 0) {
    throw new PlumbError('E_USAGE', `the demo needs an empty database, and ${conn.target.redacted} already has tables`, 'run it on a fresh database (createdb plumb_demo) or without --db to use an in-memory PGlite');
  }
}

/** Edit a chained row the way an insider would: bypass the guard trigger, change a value. */
async function tamper(conn: Connection): Promise<void> {
  if (conn.dialect === 'postgres') {
    await conn.transaction(async (tx) => {
      await tx.exec('SET LOCAL session_replication_role = replica');
      await tx.exec(`UPDATE ${AUDIT_TABLE} SET action = 'VIEW' WHERE id = (SELECT min(id) + 1 FROM ${AUDIT_TABLE})`);
    });
    return;
  }
  const triggers = await conn.query<{ name: string }>(
    `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? AND EVENT_MANIPULATION = 'UPDATE'`,
    [AUDIT_TABLE],
  );
  const defs: string[] = [];
  for (const t of triggers) {
    const [row] = await conn.query<Record<string, string>>(`SHOW CREATE TRIGGER \`${t.name.replace(/`/g, '``')}\``);
    const def = row?.['SQL Original Statement'];
    if (def) defs.push(def);
    await conn.exec(`DROP TRIGGER \`${t.name.replace(/`/g, '``')}\``);
  }
  await conn.exec(`UPDATE ${AUDIT_TABLE} SET action = 'VIEW' WHERE id = (SELECT id FROM (SELECT MIN(id) + 1 AS id FROM ${AUDIT_TABLE}) x)`);
  for (const d of defs) await conn.exec(d);
}

type Colors = { bold: (s: string) => string; dim: (s: string) => string; green: (s: string) => string; red: (s: string) => string; yellow: (s: string) => string; cyan: (s: string) => string };

function gradeText(r: AuditResult, c: Colors): string {
  const s = `${r.grade} (${r.score}/100)`;
  return r.grade === 'A' ? c.green(s) : r.grade === 'F' || r.grade === 'D' ? c.red(s) : c.yellow(s);
}

function countText(r: AuditResult, c: Colors): string {
  const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
  return `${c.red(`${n('error')} errors`)}, ${c.yellow(`${n('warning')} warnings`)}, ${n('info')} info`;
}

function sevText(f: Finding, c: Colors): string {
  return f.severity === 'error' ? c.red('error  ') : f.severity === 'warning' ? c.yellow('warning') : c.dim('info   ');
}

function topFindings(findings: Finding[], k: number): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const seen = new Set<string>();
  const out: Finding[] = [];
  // One line per rule first, so the summary shows the breadth of what was found.
  for (const f of [...findings].sort((a, b) => rank[a.severity] - rank[b.severity])) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    out.push(f);
    if (out.length === k) break;
  }
  return out;
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 110 ? `${t.slice(0, 107)}…` : t;
}
