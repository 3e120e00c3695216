// Applies a Plan to a live database: refuses on drift and on destructive steps
// not allowed, runs pre-checks and remediation, runs each phase (or the whole
// plan) in a transaction when the engine has transactional DDL, and journals
// every statement so an interrupted apply can resume or roll back. Records the
// plan in the history table. Never runs a step the plan does not hold.
import { catalogChecksum } from '../catalog/normalize.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import type { Dialect } from '../dialects/dialect.js';
import { applySupport } from '../dialects/apply-support.js';
import { PlumbError } from '../errors.js';
import { planChecksum } from '../plan/plan-checksum.js';
import { remediationSql } from '../plan/remediation.js';
import { PLAN_FORMAT_VERSION, planSteps, type Backfill, type Plan, type PlanPhase, type PlanStatement, type PlanStep, type PreCheck, type RemediationPolicy } from '../plan/types.js';
import { inspectLive, runPlanPreChecks } from '../plan/plan-spec.js';
import { ApplyStore, type JournalRow } from './apply-store.js';
import { destructiveRefusals, effectivePolicy } from './apply-policy.js';
import { catalogPaths, stepTookEffect } from './step-effect.js';
import { retryOnLockTimeout } from './lock-retry.js';
import { lockRefusals } from '../plan/step-impact.js';
import type { LockBlocks } from '../diff/render-types.js';
import { isLockTimeout, isOnlineDdlRefused } from '../drivers/errors.js';
import { redactRow } from '../catalog/sensitive-columns.js';

export interface StatementAt {
  stepId: string;
  /** Index within the step's forward statements. */
  index: number;
  /** Position in the whole plan (0-based); `total` is the boundary after the last statement. */
  global: number;
  total: number;
}

export interface ApplyOptions {
  /** Apply even though the database changed since the plan was made. */
  force?: boolean;
  /** Destructive steps allowed by hazard code (`PH102`), `code:path`, step id or path. */
  allow?: string[];
  allowDestructive?: boolean;
  /** Run everything inside a transaction that is rolled back; report what would fail. */
  dryRun?: boolean;
  /** Continue an interrupted apply of this plan from its journal. */
  resume?: boolean;
  /** Undo what the journal says was applied of this plan. */
  rollback?: boolean;
  /** Remediation per step id or object path, overriding the plan's. */
  remediate?: Record<string, RemediationPolicy>;
  /** Copy what destructive steps drop into plumb_backup first, so --rollback restores rows and values. */
  backup?: boolean;
  /** One transaction for all consecutive transactional phases (default true). */
  singleTransaction?: boolean;
  plumbVersion?: string;
  /** Wait at most this long for each lock (ms); default: the plan's lock timeout. */
  lockTimeoutMs?: number;
  /** Attempts after the first when a transaction or statement gives up waiting for a lock (default 3). */
  retries?: number;
  /** Wait before the first retry, doubled before each later one (default 500 ms). */
  retryDelayMs?: number;
  /** statement_timeout of every transaction apply runs (ms); default none. */
  statementTimeoutMs?: number;
  /** Refuse steps that hold a lock blocking more than this while they read or write rows. */
  maxLock?: LockBlocks;
  /** Refuse steps that rewrite an existing table. */
  noRewrite?: boolean;
  /** Refuse steps that rewrite an existing table of more rows than this (default: no bound; the CLI's is 1,000,000). */
  maxRewriteRows?: number;
  /**
   * Run only the plan's deferred phase (drop the old columns an online type
   * change left), once the rest of the plan has been applied. Allows its OC102 drops.
   */
  contract?: boolean;
  /** Called before each statement and once after the last; throwing simulates an interruption (fault-injection tests). */
  beforeStatement?: (at: StatementAt) => void | Promise<void>;
  /**
   * Called after a statement ran and before the journal records it done;
   * throwing simulates a kill while DDL (which commits on its own) has taken
   * effect (fault-injection tests).
   */
  afterStatement?: (at: StatementAt) => void | Promise<void>;
  /** Progress / log lines. */
  onEvent?: (message: string) => void;
}

export interface PreCheckOutcome {
  id: string;
  stepId: string;
  description: string;
  count: number;
  samples: Record<string, unknown>[];
  policy: RemediationPolicy;
  /** Statements that put quarantined rows back. */
  restore?: string[];
  quarantineTable?: string;
}

export interface StepOutcome {
  id: string;
  path: string;
  status: 'applied' | 'skipped' | 'would-apply' | 'would-fail' | 'rolled-back';
  error?: string;
}

export interface ApplyResult {
  planChecksum: string;
  outcome: 'applied' | 'dry-run' | 'rolled-back' | 'already-applied' | 'resumed';
  steps: StepOutcome[];
  preChecks: PreCheckOutcome[];
  durationMs: number;
}

class DryRunRollback extends Error {}

const SAMPLE_LIMIT = 5;

/** Live catalog checksum over the schemas the plan covers (plumb's own schemas left out). */
export async function liveChecksum(conn: Connection, plan: Pick<Plan, 'options'>): Promise<string> {
  return catalogChecksum(await inspectLive(conn, plan.options.schemas));
}

export async function runPreCheck(conn: Connection, d: Dialect, check: PreCheck): Promise<{ count: number; samples: Record<string, unknown>[] }> {
  for (const s of check.setup ?? []) await conn.exec(s);
  const [r] = await conn.query<{ n: string | number }>(check.countSql);
  const count = Number(r?.n ?? 0);
  const samples = count > 0 ? await conn.query<Record<string, unknown>>(check.sampleSql) : [];
  void d;
  // Secret-named columns (a token used as key) never reach the journal or a message as values.
  return { count, samples: samples.slice(0, SAMPLE_LIMIT).map((row) => redactRow(row)) };
}

function describeSamples(check: PreCheck, samples: Record<string, unknown>[]): string {
  return samples.map((s) => '(' + check.keyColumns.map((c) => `${c}=${String(s[c])}`).join(', ') + ')').join(', ');
}

/** A backfill's journaled progress: the last key done, and rows filled so far. */
interface BackfillPosition {
  position?: string[];
  rows?: number;
}

const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_DELAY_MS = 500;

/** The lock timeout a run uses: the caller's, else the plan's. */
const lockTimeoutOf = (plan: Plan, options: ApplyOptions) => options.lockTimeoutMs ?? plan.options.lockTimeoutMs;

export async function applyPlan(conn: Connection, plan: Plan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const started = Date.now();
  const d = getDialect(conn.dialect);
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new PlumbError('E_PLAN', `plan format ${String(plan.formatVersion)} is not supported (this plumb reads format ${PLAN_FORMAT_VERSION})`, 'make the plan again with this plumb: plumb plan …');
  }
  const checksum = planChecksum(plan);
  if (checksum !== plan.checksum) {
    throw new PlumbError('E_PLAN', 'plan.json was edited after it was made (its checksum does not match its content)', 'make the plan again with plumb plan; never edit plan.json by hand');
  }
  if (plan.dialect !== conn.dialect) {
    throw new PlumbError('E_PLAN', `this plan was made for ${plan.dialect}, the database is ${conn.dialect}`, 'plan against the database you apply to');
  }
  // Session settings the whole run needs (SQLite: foreign keys off while tables are rebuilt), restored however it ends.
  const restoreSession = await applySupport(d.name).prepareSession?.(conn, { lockTimeoutMs: lockTimeoutOf(plan, options) });
  try {
    return await applyChecked(conn, d, plan, checksum, options, started);
  } finally {
    await restoreSession?.();
  }
}

/** applyPlan once the plan is known to be intact and meant for this database. */
async function applyChecked(conn: Connection, d: Dialect, plan: Plan, checksum: string, options: ApplyOptions, started: number): Promise<ApplyResult> {
  const log = options.onEvent ?? (() => undefined);
  const lockTimeoutMs = lockTimeoutOf(plan, options);
  const store = new ApplyStore(d, conn);
  if (options.rollback) return rollbackPlan(conn, d, store, plan, checksum, options, started);

  // A plain apply runs every phase but the deferred one (contract); --contract runs only that one.
  const contract = !!options.contract;
  const phases = plan.phases.filter((p) => !!p.deferred === contract);
  const steps = planSteps({ phases });
  const policyOf = (s: PlanStep) => effectivePolicy(s, options.remediate);
  const refused = destructiveRefusals(steps, policyOf, { allow: [...plan.allow, ...(options.allow ?? []), ...(contract ? ['OC102'] : [])], allowDestructive: options.allowDestructive || plan.allow.includes('*') });
  if (refused.length) {
    throw new PlumbError(
      'E_APPLY',
      `refusing ${refused.length} destructive step(s): ${refused.map((r) => `${r.step.id} ${r.codes.join('+')} ${r.step.path}`).join('; ')}`,
      `allow them by name (--allow ${refused.map((r) => `${r.codes[0]}:${r.step.path}`).join(' --allow ')}) or with --allow-destructive; --yes never allows a destructive step`,
    );
  }

  const heavy = lockRefusals(steps, { maxLock: options.maxLock, noRewrite: options.noRewrite, maxRewriteRows: options.maxRewriteRows });
  if (heavy.length) {
    throw new PlumbError(
      'E_APPLY',
      `refusing ${heavy.length} step(s) that would stall the application: ${heavy.map((r) => `${r.step.id} ${r.reason}`).join('; ')}`,
      'apply them in a maintenance window (without --max-lock / --no-rewrite, or with --allow-rewrite), make the plan with --online, or change the spec so they are not needed',
    );
  }

  const hasStore = await store.exists();
  let journal: JournalRow[] = hasStore ? await store.readJournal(checksum) : [];
  journal = journal.filter((j) => j.status !== 'rolled_back');
  const alreadyApplied = (): ApplyResult => ({ planChecksum: checksum, outcome: 'already-applied', steps: steps.map((s) => ({ id: s.id, path: s.path, status: 'skipped' })), preChecks: [], durationMs: Date.now() - started });
  // The history says what ran, not what the database holds now (changes undone by hand, a backup restored):
  // "applied" is not believed when the live catalog is back where the plan starts. (Not "only when it is the
  // plan's result": a spec normalised in a scratch space does not always checksum like the applied database.)
  const showsPlanApplied = async () => plan.catalogChecksum === plan.targetChecksum || (await liveChecksum(conn, plan)) !== plan.catalogChecksum;
  if (contract) {
    if (!steps.length) throw new PlumbError('E_APPLY', 'this plan has nothing to contract: it changes no column type online', 'plans made with --online keep old columns for --contract; this one changed types in place');
    const doneKeys = new Set(journal.filter((j) => j.status === 'done').map((j) => `${j.step_id}#${j.statement_index}`));
    const isDone = (s: PlanStep) => s.forward.every((_, i) => doneKeys.has(`${s.id}#${i}`));
    const pending = planSteps({ phases: plan.phases.filter((p) => !p.deferred) }).filter((s) => !isDone(s));
    if (pending.length) {
      throw new PlumbError('E_APPLY', `the plan is not applied yet (${pending.length} step(s) before the contract phase have not run, e.g. ${pending[0]!.id} ${pending[0]!.summary})`, 'apply it first (plumb apply --plan … , or --resume); contract once the application no longer reads the old columns');
    }
    if (steps.every(isDone)) return alreadyApplied();
  } else if (options.resume) {
    const last = hasStore ? await store.lastHistory(checksum) : undefined;
    // A plan that finished has nothing to resume: say so, and record no second apply.
    if (last?.outcome === 'applied') {
      if (await showsPlanApplied()) return alreadyApplied();
      throw new PlumbError('E_APPLY', 'nothing to resume: the history records this plan as applied, but the database no longer shows its result', 'run plumb apply without --resume to apply it again');
    }
    if (!journal.length && last?.outcome !== 'failed') {
      throw new PlumbError('E_APPLY', 'nothing to resume: no interrupted apply of this plan is journaled', 'run plumb apply without --resume');
    }
  } else {
    if (journal.length) {
      const last = hasStore ? await store.lastHistory(checksum) : undefined;
      if (last?.outcome !== 'applied') throw new PlumbError('E_APPLY', 'an earlier apply of this plan was interrupted (the journal holds its progress)', 'continue it with --resume, or undo it with --rollback');
      if (await showsPlanApplied()) return alreadyApplied();
      // Applied once, undone since: that journal speaks of a past run. The drift check below decides whether it runs again.
      await store.clearJournal(conn, checksum);
      journal = [];
      log('the history records this plan as applied, but the database no longer shows its result: applying it again');
    }
    if (!options.force) {
      const live = await liveChecksum(conn, plan);
      if (live !== plan.catalogChecksum) {
        if (live === plan.targetChecksum) {
          return alreadyApplied();
        }
        throw new PlumbError(
          'E_APPLY',
          `the database changed since the plan was made (catalog ${live.slice(0, 12)} ≠ planned-from ${plan.catalogChecksum.slice(0, 12)})`,
          'make a fresh plan (plumb plan …), or apply anyway with --force',
        );
      }
    }
  }

  if (options.dryRun) return dryRun(conn, d, store, plan, checksum, options, started);

  const done = new Set(journal.filter((j) => j.status === 'done').map((j) => `${j.step_id}#${j.statement_index}`));
  const interrupted = new Set(journal.filter((j) => j.status === 'started' || j.status === 'failed').map((j) => `${j.step_id}#${j.statement_index}`));
  // `started` without `done`: the run stopped while the statement ran. Outside a transaction it may have
  // committed; the live catalog, not a second attempt, tells (a second CREATE or DROP fails).
  const startedOnly = new Set(journal.filter((j) => j.status === 'started').map((j) => `${j.step_id}#${j.statement_index}`));
  await store.ensure();
  const historyId = await store.startHistory(conn, checksum, plan.formatVersion, options.plumbVersion ?? plan.plumbVersion, steps.map((s) => ({ id: s.id, kind: s.kind, path: s.path, safety: s.safety })));
  const total = steps.reduce((n, s) => n + s.forward.length, 0);
  const preChecks: PreCheckOutcome[] = [];
  const outcomes = new Map<string, StepOutcome>();
  let global = 0;

  const txOptions = { lockTimeoutMs, ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}) };
  // Where each backfill stands: journaled with every batch, so a resumed (or retried) backfill goes on from there.
  const backfillAt = new Map<string, BackfillPosition>();
  for (const j of journal) if (j.status !== 'done' && j.detail?.startsWith('{')) backfillAt.set(`${j.step_id}#${j.statement_index}`, JSON.parse(j.detail) as BackfillPosition);
  const runBackfill = async (step: PlanStep, i: number, b: Backfill): Promise<void> => {
    const support = applySupport(d.name).backfill;
    if (!support) throw new PlumbError('E_PLAN', `step ${step.id} backfills in batches, which plumb cannot do on ${d.name}`, 'make the plan again for this database');
    const key = `${step.id}#${i}`;
    let at = backfillAt.get(key) ?? {};
    let lastLog = Date.now();
    for (;;) {
      const row = await conn.transaction(async (tx) => {
        const [r] = await tx.query<Record<string, unknown>>(support.batchSql(b, !at.position), at.position ?? []);
        if (r) {
          at = { position: b.key.map((_, k) => String(r[`k${k}`])), rows: (at.rows ?? 0) + Number(r.n) };
          await store.mark(tx, checksum, step.id, i, 'started', JSON.stringify(at));
        }
        return r;
      }, txOptions);
      backfillAt.set(key, at);
      if (!row || Number(row.n) < b.batchSize) break;
      if (Date.now() - lastLog >= 2000) {
        log(`  backfill ${step.path}: ${at.rows} row(s) so far`);
        lastLog = Date.now();
      }
    }
    log(`  backfill ${step.path}: ${at.rows ?? 0} row(s) filled`);
  };

  // A statement the server refuses to run in the online form it names runs in the next weaker form, said aloud.
  const execOnline = async (tx: Connection, step: PlanStep, st: PlanStatement): Promise<void> => {
    const forms = [st.sql, ...(st.fallbacks ?? [])];
    for (let f = 0; ; f++) {
      try {
        return await tx.exec(forms[f]!);
      } catch (e) {
        if (f + 1 >= forms.length || !isOnlineDdlRefused(e)) throw e;
        log(`  ${step.id}: the server cannot run it in that form (${(e as Error).message.replace(/\s*\(while running:.*$/s, '')}); trying: ${forms[f + 1]}`);
      }
    }
  };

  const runStep = async (tx: Connection, step: PlanStep, autocommit: boolean): Promise<void> => {
    const keys = step.forward.map((_, i) => `${step.id}#${i}`);
    if (keys.every((k) => done.has(k))) {
      global += step.forward.length;
      outcomes.set(step.id, { id: step.id, path: step.path, status: 'skipped' });
      return;
    }
    if (!keys.some((k) => done.has(k))) {
      // Pre-checks and remediation run right before the step, in its transaction.
      for (const check of step.preChecks) {
        const policy = policyOf(step);
        const r = await runPreCheck(tx, d, check);
        if (r.count === 0) continue;
        const outcome: PreCheckOutcome = { id: check.id, stepId: step.id, description: check.description, count: r.count, samples: r.samples, policy };
        preChecks.push(outcome);
        if (policy === 'abort') {
          throw new PlumbError(
            'E_APPLY',
            `pre-check failed for step ${step.id} (${step.summary}): ${r.count} row(s) ${check.description}; e.g. ${describeSamples(check, r.samples)}`,
            `fix the rows, or choose a remediation: --remediate ${step.id}=quarantine (reversible), =delete or =nullify (destructive)`,
          );
        }
        const rem = remediationSql(d, check, policy, step.id);
        outcome.restore = rem.restore;
        if (rem.quarantineTable) outcome.quarantineTable = rem.quarantineTable;
        for (const s of rem.forward) await tx.exec(s);
        // Remediation is journaled with negative indexes; its restore SQL is what rollback runs.
        await store.mark(tx, checksum, step.id, -1 - step.preChecks.indexOf(check), 'done', JSON.stringify({ policy, restore: rem.restore, count: r.count }));
        log(`  ${policy}: ${r.count} row(s) of ${check.table.schema}.${check.table.name} (${check.description})`);
        const again = await runPreCheck(tx, d, check);
        if (again.count > 0) throw new PlumbError('E_APPLY', `remediation ${policy} left ${again.count} row(s) failing pre-check ${check.id}`, 'fix the rows by hand, then apply again');
      }
    }
    if (options.backup && step.backup && !keys.some((k) => done.has(k))) {
      const b = backupSql(d, step, checksum);
      for (const st of b.forward) await tx.exec(st);
      // Journaled like a remediation: rollback runs `restore` after the step's own rollback recreated the structure.
      await store.mark(tx, checksum, step.id, -100, 'done', JSON.stringify({ policy: 'backup', restore: b.restore }));
      log(`  backed up ${step.path} into ${b.table}`);
    }
    for (let i = 0; i < step.forward.length; i++) {
      const key = keys[i]!;
      const st = step.forward[i]!;
      if (done.has(key)) {
        global++;
        continue;
      }
      await options.beforeStatement?.({ stepId: step.id, index: i, global, total });
      if (autocommit && startedOnly.has(key) && stepTookEffect(step, catalogPaths(await inspectLive(tx, plan.options.schemas))) === true) {
        await store.mark(tx, checksum, step.id, i, 'done', 'took effect before the interruption (the live catalog shows it)');
        log(`  ${step.id} had taken effect before the interruption (the catalog shows it): not run again`);
        global++;
        continue;
      }
      if (autocommit && interrupted.has(key)) for (const r of st.onRetry ?? []) await tx.exec(r);
      await store.mark(tx, checksum, step.id, i, 'started', st.backfill ? JSON.stringify(backfillAt.get(key) ?? {}) : null);
      try {
        if (st.backfill) await runBackfill(step, i, st.backfill);
        else await execOnline(tx, step, st);
      } catch (e) {
        // Outside a transaction the engine's error means this statement did not take effect (bar what onRetry cleans up):
        // rollback must not undo the step for it, and resume runs it again (a backfill from its position).
        if (autocommit) {
          const message = (e as Error).message.slice(0, 500);
          await store.mark(tx, checksum, step.id, i, 'failed', st.backfill ? JSON.stringify({ ...backfillAt.get(key), error: message }) : message).catch(() => undefined);
          interrupted.add(key);
        }
        if (isLockTimeout(e)) {
          throw new PlumbError(
            'E_TIMEOUT',
            `step ${step.id} (${step.summary}) gave up waiting for a lock after ${lockTimeoutMs} ms: ${(e as Error).message}`,
            `another session holds a lock on ${step.path} (an open transaction that read it is enough); once it ends, continue with plumb apply --resume, or make the plan with a larger --lock-timeout`,
            { cause: e },
          );
        }
        throw e;
      }
      await options.afterStatement?.({ stepId: step.id, index: i, global, total });
      await store.mark(tx, checksum, step.id, i, 'done');
      // Committed as it ran: a retry of this step goes on after it.
      if (autocommit) done.add(key);
      global++;
    }
    outcomes.set(step.id, { id: step.id, path: step.path, status: 'applied' });
    log(`  applied ${step.id} ${step.summary}`);
  };

  // A transaction (or a statement outside one) that gives up waiting for a lock is rolled back by the engine:
  // it runs again after a growing wait, so that readers queued behind plumb's lock request wait at most the
  // lock timeout, never as long as the session holding the lock.
  const retries = options.retries ?? DEFAULT_RETRIES;
  const withRetries = (what: string, work: () => Promise<void>) => {
    const g0 = global;
    const p0 = preChecks.length;
    return retryOnLockTimeout(work, {
      retries,
      delayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      reset: () => {
        global = g0;
        preChecks.length = p0;
      },
      onRetry: (next, of, wait) => log(`  lock timeout (${lockTimeoutMs} ms) in ${what}: nothing of it took effect; attempt ${next} of ${of} in ${wait} ms`),
    });
  };
  try {
    const groups = transactionGroups(phases, d, options.singleTransaction ?? true);
    if (groups.length > 1 && !journal.length) await abortingPreChecksFirst(conn, phases, policyOf);
    for (const group of groups) {
      if (group.transactional) {
        const names = group.phases.map((p) => p.name).join(', ');
        await withRetries(group.phases.length === 1 && group.phases[0]!.stepTransactions ? `step ${group.phases[0]!.steps[0]!.id}` : `phase(s) ${names}`, () =>
          conn.transaction(async (tx) => {
            for (const phase of group.phases) {
              log(`phase ${phase.name}: ${phase.title}`);
              for (const step of phase.steps) await runStep(tx, step, false);
            }
            for (const s of applySupport(d.name).beforeCommit ?? []) await tx.exec(s);
          }, txOptions),
        );
      } else {
        for (const phase of group.phases) {
          log(`phase ${phase.name}: ${phase.title} (outside a transaction; journaled statement by statement)`);
          for (const step of phase.steps) await withRetries(`step ${step.id}`, () => runStep(conn, step, true));
        }
      }
    }
    await options.beforeStatement?.({ stepId: '', index: 0, global: total, total });
  } catch (e) {
    const msg = (e as Error).message;
    await store.finishHistory(conn, historyId, 'failed', Date.now() - started, msg).catch(() => undefined);
    if (isLockTimeout(e)) {
      throw new PlumbError(
        'E_TIMEOUT',
        `${msg} — gave up after ${retries + 1} attempt(s); what ran before is committed and journaled, the step that waited did not take effect`,
        'find the session holding the lock (pg_stat_activity / SHOW PROCESSLIST), then continue with plumb apply --resume; or raise --lock-timeout / --retries',
        { cause: e },
      );
    }
    if (e instanceof PlumbError) {
      throw new PlumbError(e.code, e.message, e.hint ?? 'see the journal: continue with plumb apply --resume, or undo with --rollback', { cause: e });
    }
    throw new PlumbError('E_APPLY', `apply interrupted: ${msg}`, 'the journal records what ran: continue with plumb apply --resume, or undo with plumb apply --rollback', { cause: e });
  }
  const result: ApplyResult = {
    planChecksum: checksum,
    outcome: options.resume ? 'resumed' : 'applied',
    steps: steps.map((s) => outcomes.get(s.id) ?? { id: s.id, path: s.path, status: 'skipped' }),
    preChecks,
    durationMs: Date.now() - started,
  };
  await store.finishHistory(conn, historyId, 'applied', result.durationMs, null, { steps: result.steps, preChecks: preChecks.map(({ samples: _s, ...rest }) => rest) });
  const deferred = contract ? [] : planSteps({ phases: plan.phases.filter((p) => p.deferred) });
  if (deferred.length) log(`${deferred.length} old column(s) kept for readers still on them (${deferred.map((s) => s.path).join(', ')}): drop them with plumb apply --plan … --contract once nothing reads them`);
  return result;
}

/** Copy-aside SQL for a data-losing step, and the statements that put the data back after its rollback. */
export function backupSql(d: Dialect, step: PlanStep, checksum: string): { table: string; forward: string[]; restore: string[] } {
  const b = step.backup!;
  const name = `${b.table.name}_${checksum.slice(0, 8)}_${step.id}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(-63);
  const bq = d.quoteQualified('plumb_backup', name);
  const src = d.quoteQualified(b.table.schema, b.table.name);
  const cols = b.column ? [...b.key, b.column] : [];
  const forward = [
    'CREATE SCHEMA IF NOT EXISTS plumb_backup',
    `DROP TABLE IF EXISTS ${bq}`,
    `CREATE TABLE ${bq} AS SELECT ${cols.length ? cols.map((c) => d.quoteIdent(c)).join(', ') : '*'} FROM ${src}`,
  ];
  // The engine's own UPDATE … FROM (MySQL: a join).
  const restore = b.column
    ? [applySupport(d.name).updateFrom(src, bq, [b.column], b.key), `DROP TABLE ${bq}`]
    : [`INSERT INTO ${src}${d.capabilities.identityColumns ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT * FROM ${bq}`, `DROP TABLE ${bq}`];
  return { table: bq, forward, restore };
}

interface TxGroup {
  transactional: boolean;
  phases: PlanPhase[];
}

/**
 * Consecutive transactional phases share one transaction (if `single`); the
 * rest run statement by statement. A phase with `stepTransactions` gives each
 * step a transaction of its own, shared with nothing before or after it.
 */
/**
 * A plan in more than one transaction commits its first ones before the later
 * steps' pre-checks run — and what a phase outside a transaction did (enum
 * ADD VALUE, CREATE INDEX CONCURRENTLY) no rollback undoes. So every pre-check
 * whose policy is abort runs first, read-only: one that finds rows stops the
 * plan before anything is applied. A check over objects earlier steps create
 * cannot run yet; it runs in order, before its step.
 */
async function abortingPreChecksFirst(conn: Connection, phases: PlanPhase[], policyOf: (s: PlanStep) => RemediationPolicy): Promise<void> {
  const aborting = planSteps({ phases }).filter((s) => s.preChecks.length && policyOf(s) === 'abort');
  if (!aborting.length) return;
  const results = await runPlanPreChecks(conn, { phases: phases.map((p) => ({ ...p, steps: p.steps.filter((s) => aborting.includes(s)) })) } as Plan);
  for (const step of aborting) {
    for (const check of step.preChecks) {
      const r = results[check.id];
      if (!r || !('count' in r) || r.count === 0) continue;
      throw new PlumbError(
        'E_APPLY',
        `pre-check failed for step ${step.id} (${step.summary}): ${r.count} row(s) ${check.description}; e.g. ${describeSamples(check, r.samples)}. Nothing was applied: the plan commits in more than one transaction, so every pre-check ran first`,
        `fix the rows, or choose a remediation: --remediate ${step.id}=quarantine (reversible), =delete or =nullify (destructive)`,
      );
    }
  }
}

export function transactionGroups(phases: PlanPhase[], d: Dialect, single: boolean): TxGroup[] {
  const out: TxGroup[] = [];
  let sealed = false;
  for (const p of phases) {
    if (!p.steps.length) continue;
    const tx = d.capabilities.transactionalDdl && p.transactional;
    if (tx && p.stepTransactions) {
      for (const step of p.steps) out.push({ transactional: true, phases: [{ ...p, steps: [step] }] });
      sealed = true;
      continue;
    }
    const last = out[out.length - 1];
    if (tx && single && !sealed && last?.transactional && !last.phases[last.phases.length - 1]!.commitAfter) last.phases.push(p);
    else out.push({ transactional: tx, phases: [p] });
    sealed = false;
  }
  return out;
}

async function dryRun(conn: Connection, d: Dialect, store: ApplyStore, plan: Plan, checksum: string, options: ApplyOptions, started: number): Promise<ApplyResult> {
  const steps: StepOutcome[] = [];
  const preChecks: PreCheckOutcome[] = [];
  void store;
  try {
    await conn.transaction(async (tx) => {
      for (const phase of plan.phases) {
        for (const step of phase.steps) {
          if (!phase.transactional || !d.capabilities.transactionalDdl) {
            steps.push({ id: step.id, path: step.path, status: 'would-apply', error: 'runs outside a transaction: not exercised by --dry-run' });
            continue;
          }
          try {
            await tx.transaction(async (sp) => {
              const policy = effectivePolicy(step, options.remediate);
              for (const check of step.preChecks) {
                const r = await runPreCheck(sp, d, check);
                if (r.count === 0) continue;
                preChecks.push({ id: check.id, stepId: step.id, description: check.description, count: r.count, samples: r.samples, policy });
                if (policy === 'abort') throw new Error(`${r.count} row(s) ${check.description}; e.g. ${describeSamples(check, r.samples)}`);
                for (const s of remediationSql(d, check, policy, step.id).forward) await sp.exec(s);
              }
              for (const st of step.forward) await sp.exec(st.sql);
            });
            steps.push({ id: step.id, path: step.path, status: 'would-apply' });
          } catch (e) {
            steps.push({ id: step.id, path: step.path, status: 'would-fail', error: (e as Error).message });
          }
        }
      }
      throw new DryRunRollback();
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return { planChecksum: checksum, outcome: 'dry-run', steps, preChecks, durationMs: Date.now() - started };
}

async function rollbackPlan(conn: Connection, d: Dialect, store: ApplyStore, plan: Plan, checksum: string, options: ApplyOptions, started: number): Promise<ApplyResult> {
  const log = options.onEvent ?? (() => undefined);
  const journal = (await store.exists()) ? (await store.readJournal(checksum)).filter((j) => j.status !== 'rolled_back') : [];
  if (!journal.length) throw new PlumbError('E_APPLY', 'nothing to roll back: the journal holds no applied step of this plan', 'plumb apply --rollback undoes a plan applied (or interrupted) on this database');
  const touched = new Set(journal.map((j) => j.step_id));
  const all = planSteps(plan);
  const steps = all.filter((s) => touched.has(s.id)).reverse();
  const outcomes: StepOutcome[] = [];
  const historyId = await store.startHistory(conn, checksum, plan.formatVersion, options.plumbVersion ?? plan.plumbVersion, { rollback: steps.map((s) => s.id) });
  // Rows a validation's pre-check moved aside go back after the step that added its constraint is undone.
  const byId = new Map(all.map((s) => [s.id, s]));
  const restoredBy = (j: JournalRow) => byId.get(j.step_id)?.validates ?? j.step_id;
  const undo = async (tx: Connection, step: PlanStep) => {
    const rows = journal.filter((j) => j.step_id === step.id && j.statement_index >= 0);
    const restores = journal.filter((j) => j.statement_index < 0 && restoredBy(j) === step.id);
    // A step whose forward statements never ran needs only its remediation undone; one whose only statement
    // run failed (outside a transaction) needs just the clean-up of a half-done statement (onRetry).
    // A statement journaled `started` (the run stopped while it ran) counts as run only if the catalog shows it took effect.
    const effect = rows.some((j) => j.status === 'started') ? stepTookEffect(step, catalogPaths(await inspectLive(tx, plan.options.schemas))) : undefined;
    const ran = rows.map((j) => (j.status === 'started' && effect === false ? { ...j, status: 'failed' as const } : j));
    if (ran.some((j) => j.status !== 'failed')) for (const st of step.rollback) await tx.exec(st.sql);
    else for (const j of ran) for (const st of step.forward[j.statement_index]?.onRetry ?? []) await tx.exec(st);
    for (const r of restores) {
      const detail = JSON.parse(r.detail ?? '{}') as { restore?: string[] };
      for (const s of detail.restore ?? []) await tx.exec(s);
    }
    for (const r of [...rows, ...restores]) await store.mark(tx, checksum, r.step_id, r.statement_index, 'rolled_back', r.detail);
    outcomes.push({ id: step.id, path: step.path, status: 'rolled-back' });
    log(`  rolled back ${step.id} ${step.summary}`);
  };
  try {
    if (d.capabilities.transactionalDdl && steps.every((s) => s.transactional)) {
      await conn.transaction(async (tx) => {
        for (const s of steps) await undo(tx, s);
        for (const s of applySupport(d.name).beforeCommit ?? []) await tx.exec(s);
      }, { lockTimeoutMs: lockTimeoutOf(plan, options) });
    } else {
      for (const s of steps) {
        if (s.transactional && d.capabilities.transactionalDdl) {
          await conn.transaction(async (tx) => {
            await undo(tx, s);
            for (const st of applySupport(d.name).beforeCommit ?? []) await tx.exec(st);
          }, { lockTimeoutMs: lockTimeoutOf(plan, options) });
        } else await undo(conn, s);
      }
    }
  } catch (e) {
    await store.finishHistory(conn, historyId, 'rollback-failed', Date.now() - started, (e as Error).message).catch(() => undefined);
    throw new PlumbError('E_APPLY', `rollback failed: ${(e as Error).message}`, 'the journal still holds what was not undone; fix the cause and run --rollback again', { cause: e });
  }
  await store.finishHistory(conn, historyId, 'rolled-back', Date.now() - started, null);
  return { planChecksum: checksum, outcome: 'rolled-back', steps: outcomes, preChecks: [], durationMs: Date.now() - started };
}
