// The audit engine: inspect once, then run every applicable rule over the
// catalog (and, with a connection, the data) inside ONE read-only transaction.
// It must never write: data rules only get a read-only `query`, each call in
// its own savepoint so a timeout in one query cannot abort the others.
import { specToCatalog } from '../spec/spec-to-catalog.js';
import type { Spec } from '../spec/types.js';
import { plumbObjectPaths, withoutPlumbSchemas } from '../catalog/plumb-schemas.js';
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/types.js';
import type { Connection } from '../drivers/connection.js';
import { sqlStateOf } from '../drivers/errors.js';
import { getDialect } from '../dialects/index.js';
import { DEFAULT_CONNECTIONS, type InspectOptions } from '../dialects/dialect.js';
import { isPlumbError } from '../errors.js';
import { grade } from './grade.js';
import { countObjects } from './objects.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';
import { allRules } from './rules/index.js';
import { type AuditResult, type DataCoverage, type DataMode, type Finding, type Severity, type SkippedCheck, SEVERITIES } from './types.js';
import { rowCount, sampledTables, sampledWording } from './data/sql.js';
import { passTotals, runTablePasses, type PassProbe } from './data/table-pass.js';
import { pathMatches } from './path-glob.js';
import { eachConcurrently, settleAll } from '../concurrency.js';

export interface RuleSettings {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface AuditOptions {
  /** The rule set; defaults to every registered rule. */
  rules?: Rule[];
  /** Per-rule overrides by id (from plumb.config or flags). */
  ruleSettings?: Record<string, RuleSettings>;
  /** Run only these rule ids (`--rule`); they run even when off by default. */
  only?: string[];
  /** Globs on object paths whose findings are dropped (`*` within a part, `**` across parts). */
  ignore?: string[];
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /** Row count above which data rules sample. */
  sampleThreshold?: number;
  /** Schema filters for the inspection. */
  inspect?: InspectOptions;
  /** Audit plumb's own schemas and objects too (history, journal, quarantine, chain machinery); default false. */
  includePlumb?: boolean;
  /** A loaded spec (drift rules compare against it). */
  spec?: unknown;
  /** The spec as a catalog (specToCatalog): enables the spec-difference rule. */
  specCatalog?: Catalog;
  /**
   * Data rules, when a connection is given: `sample` (or true, the default)
   * reads a large table's first sampleThreshold rows by key; `full` reads
   * every row, all data rules sharing one pass per table, with no statement
   * timeout unless statementTimeoutMs is given; false runs none.
   */
  data?: boolean | DataMode;
  /**
   * Sessions to spread the inspection and the data rules' queries over, where
   * the engine can share one snapshot between sessions (Postgres servers):
   * every session still reads the same instant. Default 3; 1 = one session.
   */
  connections?: number;
  toolVersion?: string;
  /** Clock, injectable so reports are reproducible in tests. */
  now?: () => Date;
  onProgress?: (step: string, done: number, total: number) => void;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/** The data mode an option asks for (undefined when data rules do not run). */
export function dataModeOf(data: AuditOptions['data']): DataMode | undefined {
  if (data === false) return undefined;
  return data === 'full' ? 'full' : 'sample';
}
export const DEFAULT_LOCK_TIMEOUT_MS = 2_000;
export const DEFAULT_SAMPLE_THRESHOLD = 100_000;

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function fingerprint(rule: string, path: string, key = ''): string {
  return createHash('sha256').update(`${rule}\u0000${path}\u0000${key}`).digest('hex');
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    cmp(a.rule, b.rule) ||
    cmp(a.path, b.path) ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function helpUri(id: string): string {
  return `https://github.com/plumb-db/plumb/blob/main/docs/rules/${id}.md`;
}

/** Whether a rule runs under these settings (before dialect/capability checks). */
export function ruleEnabled(rule: Rule, o: Pick<AuditOptions, 'only' | 'ruleSettings'>): boolean {
  if (o.only?.length) return o.only.includes(rule.meta.id);
  const s = o.ruleSettings?.[rule.meta.id];
  if (s?.enabled !== undefined) return s.enabled;
  return rule.meta.enabledByDefault !== false;
}

/**
 * Audit a live database (Connection) or an already inspected Catalog. With a
 * catalog, data rules are reported as skipped: they need a connection.
 */
export async function audit(target: Connection | Catalog, options: AuditOptions = {}): Promise<AuditResult> {
  return (await runAudit(target, options)).result;
}

export interface AuditRun {
  result: AuditResult;
  /** The catalog the rules saw (reports show sizes and RLS status from it). */
  catalog: Catalog;
  /** Milliseconds: inspection, and each rule; passMs: full data mode's one pass per table (within rulesMs). */
  timings: { inspectMs: number; rulesMs: number; rules: Record<string, number>; passMs?: number };
}

/** Like audit(), also returning the catalog and timings (for reports and benchmarks). */
export async function runAudit(target: Connection | Catalog, options: AuditOptions = {}): Promise<AuditRun> {
  const started = Date.now();
  if (options.spec && !options.specCatalog) {
    // The spec is realised on a scratch engine (never the target) before the read-only audit starts.
    options = { ...options, specCatalog: await specToCatalog(options.spec as Spec, { dialect: target.dialect, ...(isCatalog(target) ? {} : { target: target.target }) }) };
  }
  const now = options.now ?? (() => new Date());
  if (isCatalog(target)) {
    const t0 = performance.now();
    const r = await runRules(target, undefined, options);
    const rulesMs = performance.now() - t0;
    return { result: assemble(target, r, options, now(), Date.now() - started, ''), catalog: target, timings: { inspectMs: 0, rulesMs, rules: r.timings } };
  }
  const conn = target;
  // Reading every row of a large table takes as long as it takes: full mode has no statement timeout unless given one.
  const statementTimeoutMs = options.statementTimeoutMs ?? (dataModeOf(options.data) === 'full' ? 0 : DEFAULT_STATEMENT_TIMEOUT_MS);
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const dialect = getDialect(conn.dialect);
  return conn.transaction(
    async (tx) => {
      // Extra sessions on this transaction's snapshot connect while the inspection starts.
      const extra = Math.max(1, options.connections ?? DEFAULT_CONNECTIONS) - 1;
      const lanes = extra > 0 ? await dialect.openLanes?.(tx, extra, { statementTimeoutMs, lockTimeoutMs }) : undefined;
      try {
        const t0 = performance.now();
        const catalog = await inSavepointRolledBack(tx, (sp) =>
          dialect.introspect(sp, {
            ...(options.includePlumb ? (options.inspect ?? {}) : withoutPlumbSchemas(options.inspect)),
            ...(lanes?.lanes.length ? { lanes: lanes.lanes } : {}),
            ...(options.onProgress ? { onProgress: (s, d, t) => options.onProgress!(`inspect ${s}`, d, t) } : {}),
          }),
        );
        const t1 = performance.now();
        const data = dataModeOf(options.data) ? [tx, ...(await joined(lanes?.lanes ?? []))] : undefined;
        const r = await runRules(catalog, data, options);
        const rulesMs = performance.now() - t1;
        return {
          result: assemble(catalog, r, options, now(), Date.now() - started, conn.target.redacted),
          catalog,
          timings: { inspectMs: t1 - t0, rulesMs, rules: r.timings, ...(r.passMs !== undefined ? { passMs: r.passMs } : {}) },
        };
      } finally {
        await lanes?.close();
      }
    },
    // Repeatable read: every rule sees the same snapshot as the inspection.
    { readOnly: true, statementTimeoutMs, lockTimeoutMs, isolation: 'repeatable read' },
  );
}

/** The lanes that joined the snapshot. */
async function joined(lanes: readonly Promise<Connection | null>[]): Promise<Connection[]> {
  return (await Promise.all(lanes)).filter((c): c is Connection => c !== null);
}

function isCatalog(x: Connection | Catalog): x is Catalog {
  return (x as Catalog).catalogVersion !== undefined && Array.isArray((x as Catalog).schemas);
}

interface RunOutput {
  findings: Finding[];
  skipped: SkippedCheck[];
  ran: Rule[];
  timings: Record<string, number>;
  /** How much of the data the data rules read (absent when none ran against a connection). */
  data?: DataCoverage;
  /** Milliseconds full mode's passes took (before the rules). */
  passMs?: number;
}

/**
 * Runs the rules over a catalog; `sessions` (read-only transactions on one
 * snapshot, the audit's own first) enable data rules. Exported for benchmarks.
 */
export async function runRules(catalog: Catalog, sessions: readonly Connection[] | undefined, options: AuditOptions): Promise<RunOutput> {
  const data = sessions?.length ? sessions : undefined;
  const rules = [...(options.rules ?? allRules)].sort((a, b) => cmp(a.meta.code, b.meta.code));
  const known = new Set(rules.map((r) => r.meta.id));
  const dialect = getDialect(catalog.dialect);
  const findings: Finding[] = [];
  const skipped: SkippedCheck[] = [];
  const ran: Rule[] = [];
  const timings: Record<string, number> = {};
  const ignore = options.ignore ?? [];
  // Findings on plumb's own machinery (chain functions, triggers, head table) are not the database's to fix.
  const isPlumbs = options.includePlumb ? () => false : plumbObjectPaths(catalog);
  const enabled = rules.filter((r) => ruleEnabled(r, options));
  for (const id of options.only ?? []) if (!known.has(id)) skipped.push({ rule: id, reason: 'no such rule' });
  // Schemas the role may not even look into are gaps in the audit, said out loud.
  for (const s of (catalog.settings['plumb.denied_schemas'] ?? '').split(',').filter(Boolean)) {
    skipped.push({ rule: 'inspect', path: s, reason: `no USAGE privilege on schema ${s}: its objects were not audited (GRANT USAGE ON SCHEMA ${s} TO the auditing role)` });
  }
  let done = 0;
  const memo = new Map<string, unknown>();
  // One pool for the whole audit: a session's savepoint is the session's, whichever rule's query it runs.
  const pool = data ? rulePool(data) : undefined;
  const mode = dataModeOf(options.data) ?? 'sample';
  /** Why a rule does not run here, or '' when it runs (undefined: not this engine's rule, not a gap). */
  const cannotRun = (m: Rule['meta']): string | undefined => {
    if (m.dialects && !m.dialects.includes(catalog.dialect)) return undefined;
    const missing = (m.requires ?? []).filter((c) => !dialect.capabilities[c]);
    if (missing.length) return `the ${catalog.dialect} dialect lacks ${missing.join(', ')}`;
    if (m.data && !data) return 'reads table data: needs a live connection (audit was given a catalog only, or --no-data)';
    return '';
  };
  const contextOf = (rule: Rule): RuleContext => {
    const m = rule.meta;
    const settings = options.ruleSettings?.[m.id];
    const severity = settings?.severity ?? m.severity;
    const ruleOptions = { ...(m.options ?? {}), ...(settings?.options ?? {}) };
    const ctx: RuleContext = {
      catalog,
      options: ruleOptions,
      capabilities: dialect.capabilities,
      quoteIdent: (n) => dialect.quoteIdent(n),
      quoteQualified: (s, n) => dialect.quoteQualified(s, n),
      sampleThreshold: options.sampleThreshold ?? DEFAULT_SAMPLE_THRESHOLD,
      dataMode: mode,
      spec: options.spec,
      memo,
      report(r: RuleReport) {
        if (isPlumbs(r.path) || ignore.some((g) => pathMatches(r.path, g))) return;
        const f: Finding = {
          rule: m.id,
          code: m.code,
          severity: settings?.severity ?? r.severity ?? severity,
          category: m.category,
          path: r.path,
          message: r.message,
          fingerprint: fingerprint(m.id, r.path, r.key),
        };
        if (r.evidence) f.evidence = r.evidence;
        if (r.fix) f.fix = r.fix;
        if (r.sampled) f.sampled = true;
        findings.push(f);
      },
      skip(reason: string, path?: string) {
        skipped.push(path ? { rule: m.id, path, reason } : { rule: m.id, reason });
      },
    };
    if (pool) {
      ctx.query = pool.query;
      ctx.parallelism = pool.parallelism;
    }
    if (options.specCatalog) ctx.specCatalog = options.specCatalog;
    return ctx;
  };
  const runOne = async (rule: Rule): Promise<void> => {
    const m = rule.meta;
    options.onProgress?.(m.id, done++, enabled.length);
    const why = cannotRun(m);
    if (why === undefined) return; // not this engine's rule: not a gap
    if (why) {
      skipped.push({ rule: m.id, reason: why });
      return;
    }
    const ctx = contextOf(rule);
    const t0 = performance.now();
    try {
      await rule.check(ctx);
    } catch (e) {
      ctx.skip(describeFailure(e));
    }
    timings[m.id] = performance.now() - t0;
    ran.push(rule);
  };
  // With several sessions, rules run side by side (one more than the sessions, so that a rule is always
  // preparing its next statements while the others' run): a rule's last slow statement no longer idles
  // the other sessions. Findings and skips are sorted below, so the report does not depend on the order.
  let passes: { tables: number; rows: number; ms: number } | undefined;
  try {
    // Full mode: every data rule's per-row aggregates, one pass per table. The passes start first; a rule
    // that reads them waits for its tables' (passCounts), the others (groupings, value reads) run meanwhile.
    const t0 = performance.now();
    const passing =
      pool && mode === 'full'
        ? fullPasses(enabled.filter((r) => r.meta.data && r.probes && cannotRun(r.meta) === ''), contextOf, options.onProgress).then((read) => ({ ...read, ms: performance.now() - t0 }))
        : undefined;
    passing?.catch(() => undefined); // awaited below; rules that wait for it see its tables as unread
    await eachConcurrently(enabled, pool && pool.parallelism > 1 ? pool.parallelism + 1 : 1, runOne);
    if (passing) passes = await passing;
  } finally {
    await pool?.finish().catch((e: unknown) => void skipped.push({ rule: 'audit', reason: describeFailure(e) }));
  }
  ran.sort((a, b) => cmp(a.meta.code, b.meta.code));
  options.onProgress?.('done', enabled.length, enabled.length);
  findings.sort(compareFindings);
  skipped.sort((a, b) => cmp(a.rule, b.rule) || cmp(a.path ?? '', b.path ?? '') || cmp(a.reason, b.reason));
  const out: RunOutput = { findings: dedupe(findings), skipped, ran, timings, ...(passes ? { passMs: passes.ms } : {}) };
  if (pool && enabled.some((r) => r.meta.data)) {
    const sampled = sampledTables(memo);
    // A sampled finding says how much of its table was read (its path is the table's, or under it).
    for (const f of out.findings) {
      const t = f.sampled ? sampled.find((x) => f.path === x.path || f.path.startsWith(x.path + '.')) : undefined;
      if (!t) continue;
      f.sample = { rowsRead: t.rowsRead, tableRows: t.tableRows };
      // Rules that read through scanSource say it themselves (sampleNote); the others' findings get it here.
      if (!f.message.includes('--data full')) f.message = f.message.replace(/ \(sampled\)$/, '') + sampledWording(t.rowsRead, t.tableRows);
    }
    out.data = { mode, sampleLimit: options.sampleThreshold ?? DEFAULT_SAMPLE_THRESHOLD, sampledTables: sampled, ...(passes ? { tablesRead: passes.tables, rowsRead: passes.rows } : {}) };
  }
  return out;
}

/** Runs the probes of `rules` (each under its own options), one pass per table; returns the tables and rows read. */
async function fullPasses(rules: readonly Rule[], contextOf: (r: Rule) => RuleContext, onProgress: AuditOptions['onProgress']): Promise<{ tables: number; rows: number }> {
  const probes: PassProbe[] = [];
  let ctx: RuleContext | undefined;
  for (const r of rules) {
    const c = contextOf(r);
    ctx ??= c;
    probes.push(...r.probes!(c));
  }
  if (!ctx || !probes.length) return { tables: 0, rows: 0 };
  await runTablePasses(ctx, probes, (t, done, total) => onProgress?.(`table ${done + 1}/${total}: reading ${t.path} (${t.rowEstimate === null ? 'size unknown' : `~${rowCount(t.rowEstimate)} rows`})`, done, total));
  return passTotals(ctx);
}

/**
 * A session's rule queries run inside a savepoint that is always rolled back:
 * the queries only read, and rolling back releases their table locks, so
 * auditing thousands of tables in one transaction cannot exhaust the lock
 * table (the savepoint is renewed every QUERIES_PER_SAVEPOINT queries for that
 * reason, and rolled back when the rules are done).
 * When a query fails (statement timeout, privilege), only the savepoint is
 * rolled back: the error reaches the rule, which may skip that table and go
 * on; the audit's transaction stays usable. SAVEPOINT is standard SQL on
 * every engine plumb supports.
 */
export const QUERIES_PER_SAVEPOINT = 200;
const SAVEPOINT = 'plumb_audit_rule';

type RuleSession = ReturnType<typeof ruleSession>;

function ruleSession(tx: Connection): { query: NonNullable<RuleContext['query']>; finish(): Promise<void> } {
  let open = false;
  let n = 0;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await tx.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await tx.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  };
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      if (open && n >= QUERIES_PER_SAVEPOINT) await close();
      if (!open) {
        await tx.exec(`SAVEPOINT ${SAVEPOINT}`);
        open = true;
        n = 0;
      }
      n++;
      try {
        return await tx.query<T>(sql, params);
      } catch (e) {
        await close().catch(() => undefined);
        throw e;
      }
    },
    finish: close,
  };
}

/**
 * The rules' sessions: one ruleSession per audit session, each running one
 * query at a time; a query takes the first idle one. Rules, and the batches
 * inside a rule (data/sql.ts runBatched, up to `parallelism`), that issue
 * queries concurrently spread them over the server's backends.
 */
function rulePool(conns: readonly Connection[]): { query: NonNullable<RuleContext['query']>; parallelism: number; finish(): Promise<void> } {
  const sessions = conns.map(ruleSession);
  const idle = [...sessions].reverse();
  const waiting: ((s: RuleSession) => void)[] = [];
  const release = (s: RuleSession): void => {
    const next = waiting.shift();
    if (next) next(s);
    else idle.push(s);
  };
  return {
    parallelism: sessions.length,
    async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      const s = idle.pop() ?? (await new Promise<RuleSession>((r) => waiting.push(r)));
      try {
        return await s.query<T>(sql, params);
      } finally {
        release(s);
      }
    },
    finish: () => settleAll(sessions.map((s) => s.finish())),
  };
}

const ROLLBACK = new Error('plumb: roll back this read-only savepoint');

/** Runs fn in a savepoint that is always rolled back (keeps the transaction's snapshot, drops the locks fn took). */
async function inSavepointRolledBack<T>(tx: Connection, fn: (sp: Connection) => Promise<T>): Promise<T> {
  let out: { v: T } | undefined;
  try {
    await tx.transaction(async (sp) => {
      out = { v: await fn(sp) };
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return out!.v;
}

/** One line saying why a check could not finish (timeouts and privileges are expected, not crashes). */
export function describeFailure(e: unknown): string {
  const state = sqlStateOf(e);
  if (state === '57014' || (isPlumbError(e) && e.code === 'E_TIMEOUT')) return `statement timed out (raise --statement-timeout): ${firstLine(e)}`;
  if (state === '42501' || (isPlumbError(e) && e.code === 'E_PERMISSION')) return `permission denied: ${firstLine(e)}`;
  return `check failed: ${firstLine(e)}`;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => (seen.has(f.fingerprint) ? false : (seen.add(f.fingerprint), true)));
}

function assemble(catalog: Catalog, r: RunOutput, options: AuditOptions, at: Date, durationMs: number, url: string): AuditResult {
  const objects = countObjects(catalog);
  const g = grade(r.findings, objects);
  return {
    formatVersion: 1,
    tool: { name: 'plumb', version: options.toolVersion ?? '0.0.0' },
    target: { dialect: catalog.dialect, serverVersion: catalog.serverVersion, database: catalog.database, url },
    generatedAt: at.toISOString(),
    durationMs: Math.round(durationMs),
    score: g.score,
    grade: g.letter,
    categories: g.categories,
    findings: r.findings,
    skipped: r.skipped,
    objects,
    ...(r.data ? { data: r.data } : {}),
    rules: r.ran
      .map((x) => ({
        id: x.meta.id,
        code: x.meta.code,
        title: x.meta.title,
        category: x.meta.category,
        severity: options.ruleSettings?.[x.meta.id]?.severity ?? x.meta.severity,
        helpUri: helpUri(x.meta.id),
      }))
      .sort((a, b) => cmp(a.code, b.code)),
  };
}

export { SEVERITIES };
