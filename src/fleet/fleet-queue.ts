// Scale-out: fleet audits spread over worker processes (on any machines) via
// pg-boss, a Postgres-backed job queue with leases (expireInSeconds: a job
// whose worker vanished is failed and retried), retries and SKIP LOCKED
// fetching — not a home-made queue. Jobs carry the target's NAME only: each
// worker resolves names through its own targets file, so no password ever
// lands in the control database. Results are written to plumb_fleet.results.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { runAudit, type AuditOptions } from '../audit/audit.js';
import type { AuditResult } from '../audit/types.js';
import { connect } from '../drivers/connect.js';
import type { Connection } from '../drivers/connection.js';
import { parseDbUrl } from '../drivers/url.js';
import { PlumbError } from '../errors.js';
import { summarizeFleetAudit, type FleetAuditReport } from './fleet-audit.js';
import { runFleet, type TargetOutcome } from './run-fleet.js';
import type { FleetTarget } from './targets.js';
import { ensureControlSchema, RolloutStore, serialConnection, type TargetRunRow } from './rollout-store.js';
import { applyOne, TargetBusy, withTargetLock, type FleetPlanOptions } from './fleet-apply.js';
import { DesiredCatalogs } from './desired-catalogs.js';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/types.js';

export const AUDIT_QUEUE = 'plumb-fleet-audit';
export const APPLY_QUEUE = 'plumb-fleet-apply';

export interface ApplyJob {
  rollout: string;
  target: string;
  /** Absolute path of the spec: workers read the same file (shared disk or the same checkout). */
  spec: string;
}

export interface AuditJob {
  run: string;
  target: string;
  timeoutMs?: number;
  /** Absolute path of a spec whose differences become drift findings (workers read the same file). */
  spec?: string;
  audit: Pick<AuditOptions, 'data' | 'statementTimeoutMs' | 'only' | 'ignore' | 'ruleSettings' | 'toolVersion'>;
}

const RESULTS_DDL = [
  'CREATE SCHEMA IF NOT EXISTS plumb_fleet',
  `CREATE TABLE IF NOT EXISTS plumb_fleet.results (
  run_id text NOT NULL,
  target text NOT NULL,
  outcome jsonb NOT NULL,
  worker text NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, target)
)`,
];

function requirePostgres(url: string): void {
  if (parseDbUrl(url).driver !== 'pg') throw new PlumbError('E_USAGE', 'the job queue needs a Postgres server as --control (workers on other processes and machines share it)', 'for example: --control postgres://plumb@control-db/plumb');
}

async function startBoss(controlUrl: string, maintenanceSeconds = 30): Promise<PgBoss> {
  requirePostgres(controlUrl);
  // Maintenance (default every 30 s) fails and retries jobs whose lease expired: a killed worker's jobs.
  const boss = new PgBoss({ connectionString: controlUrl, schema: 'plumb_fleet_queue', max: 4, maintenanceIntervalSeconds: maintenanceSeconds, monitorStateIntervalSeconds: 30 });
  boss.on('error', () => undefined);
  await boss.start();
  for (const q of [AUDIT_QUEUE, APPLY_QUEUE]) {
    try {
      await boss.createQueue(q);
    } catch {
      /* created by a process starting at the same moment */
    }
  }
  return boss;
}

const TERMINAL = new Set(['applied', 'up-to-date', 'drifted', 'failed']);

/** The coordinator's side of a queued rollout: one job per target of a wave, then the wave's results from the rollout state. */
export async function applyQueue(q: { controlUrl: string; leaseSeconds?: number; maintenanceSeconds?: number }, specPath: string): Promise<{
  runWave(rollout: string, rows: readonly TargetRunRow[], budget: number, failed: Set<string>, log: (line: string) => void): Promise<{ halted?: string }>;
  stop(): Promise<void>;
}> {
  const boss = await startBoss(q.controlUrl, q.maintenanceSeconds);
  const control = await connect(parseDbUrl(q.controlUrl));
  const store = new RolloutStore(control);
  return {
    async runWave(rollout, rows, budget, failed, log) {
      const jobs = new Map<string, string>();
      for (const r of rows) {
        await store.resetTarget(rollout, r.name);
        const id = await boss.send(APPLY_QUEUE, { rollout, target: r.name, spec: specPath } satisfies ApplyJob, { retryLimit: 12, retryDelay: 1, retryBackoff: true, expireInSeconds: q.leaseSeconds ?? 900 });
        if (id) jobs.set(r.name, id);
      }
      const names = new Set(rows.map((r) => r.name));
      let halted: string | undefined;
      let lastJobCheck = Date.now();
      const reported = new Set<string>();
      for (;;) {
        const current = (await store.targets(rollout)).filter((r) => names.has(r.name));
        for (const r of current) {
          if (r.status === 'failed') failed.add(r.name);
          else if (TERMINAL.has(r.status)) failed.delete(r.name);
          if (TERMINAL.has(r.status) && !reported.has(r.name)) {
            reported.add(r.name);
            log(`  ${r.name}: ${r.status}${r.error ? ` — ${r.error}` : ''}`);
          }
        }
        if (!halted && failed.size > budget) {
          halted = `${failed.size} failed target(s) exceed the failure budget of ${budget}`;
          const waiting = current.filter((r) => r.status === 'pending').map((r) => jobs.get(r.name)).filter((x): x is string => !!x);
          if (waiting.length) await boss.cancel(APPLY_QUEUE, waiting);
        }
        const open = current.filter((r) => !TERMINAL.has(r.status));
        if (!open.length || (halted && !open.some((r) => r.status === 'running'))) break;
        // A job that used up its retries (its workers kept dying) leaves the target failed, not waited for forever.
        if (Date.now() - lastJobCheck > 3000) {
          lastJobCheck = Date.now();
          for (const r of open) {
            const jobId = jobs.get(r.name);
            // The live job first: a retried job's earlier, failed attempt may also sit in the archive under the same id.
            const job = jobId ? ((await boss.getJobById(APPLY_QUEUE, jobId)) ?? (await boss.getJobById(APPLY_QUEUE, jobId, { includeArchive: true }))) : null;
            if (job && (job.state === 'failed' || (job.state === 'cancelled' && !halted) || job.state === 'completed')) {
              const after = await store.target(rollout, r.name);
              if (after && !TERMINAL.has(after.status)) {
                await store.finishTarget(rollout, r.name, 'failed', `the job ${job.state} without a result (worker lost ${job.state === 'failed' ? 'after its retries' : ''})`.trim());
                await store.event(rollout, r.name, 'failed', `job ${job.state} without a result`);
              }
            }
          }
        }
        await new Promise((res) => setTimeout(res, 250));
      }
      return halted ? { halted } : {};
    },
    async stop() {
      await control.close();
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    },
  };
}

export interface QueuedAuditOptions {
  /** Per-target limit; also the job's lease (plus a margin). */
  timeoutMs?: number;
  /** A spec file the workers compare each target with (its path is resolved here: workers must see the same file). */
  specPath?: string;
  audit?: AuditJob['audit'];
  /** Give up waiting for results after this long (default: 10 min + targets × timeout / 1). */
  waitMs?: number;
  onDone?: (name: string, done: number, total: number) => void;
}

/** Coordinator: one job per target, then wait for every worker's result and fold them into one report. */
export async function queuedFleetAudit(controlUrl: string, targets: readonly FleetTarget[], options: QueuedAuditOptions = {}): Promise<FleetAuditReport> {
  const started = Date.now();
  const run = randomUUID();
  const boss = await startBoss(controlUrl);
  const control = await connect(parseDbUrl(controlUrl));
  try {
    await ensureControlSchema(control, RESULTS_DDL);
    const leaseSeconds = Math.ceil((options.timeoutMs ?? 15 * 60_000) / 1000) + 60;
    await boss.insert(
      targets.map((t) => ({ name: AUDIT_QUEUE, data: { run, target: t.name, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.specPath ? { spec: resolve(options.specPath) } : {}), audit: options.audit ?? {} } satisfies AuditJob, retryLimit: 2, retryDelay: 1, expireInSeconds: leaseSeconds })),
    );
    const deadline = Date.now() + (options.waitMs ?? 10 * 60_000);
    let seen = 0;
    let lastCheck = Date.now();
    for (;;) {
      const [r] = await control.query<{ n: string | number }>('SELECT count(*) AS n FROM plumb_fleet.results WHERE run_id = $1', [run]);
      const n = Number(r?.n ?? 0);
      if (n !== seen) options.onDone?.('', (seen = n), targets.length);
      if (n >= targets.length || Date.now() > deadline) break;
      // Jobs that used up their retries (e.g. the control database kept timing out) leave no result: stop waiting for them.
      if (Date.now() - lastCheck > 5000) {
        lastCheck = Date.now();
        // pg-boss 10's job table, read directly: does any job of this run still wait or run?
        const [live] = await control.query<{ n: string | number }>("SELECT count(*) AS n FROM plumb_fleet_queue.job WHERE name = $1 AND data->>'run' = $2 AND state < 'completed'", [AUDIT_QUEUE, run]);
        if (Number(live?.n ?? 0) === 0) break;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    const rows = await control.query<{ target: string; outcome: unknown }>('SELECT target, outcome FROM plumb_fleet.results WHERE run_id = $1', [run]);
    const got = new Map(rows.map((r) => [r.target, (typeof r.outcome === 'string' ? JSON.parse(r.outcome) : r.outcome) as TargetOutcome<AuditResult>]));
    const outcomes = targets.map(
      (t): TargetOutcome<AuditResult> =>
        got.get(t.name) ?? { target: { name: t.name, redacted: t.redacted, labels: t.labels }, status: 'timeout', durationMs: Date.now() - started, error: 'no worker reported a result (are `plumb fleet worker` processes running? a job that failed all its retries leaves none)' },
    );
    await control.query('DELETE FROM plumb_fleet.results WHERE run_id = $1', [run]);
    return summarizeFleetAudit(outcomes, { generatedAt: new Date().toISOString(), durationMs: Date.now() - started, ...(options.specPath ? { spec: options.specPath } : {}) });
  } finally {
    await control.close();
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}

export interface WorkerOptions {
  /** Jobs in hand at once. */
  concurrency?: number;
  /** Exit once no job has come for this long after the last one (benchmarks, CI); default: run until stopped. A worker that never got a job keeps waiting. */
  idleExitMs?: number;
  onJob?: (line: string) => void;
  signal?: AbortSignal;
}

/** A worker: pulls audit and apply jobs, runs them on its own targets (resolved by name), stores each result. */
export async function runWorker(controlUrl: string, targets: readonly FleetTarget[], options: WorkerOptions = {}): Promise<{ jobs: number }> {
  const byName = new Map(targets.map((t) => [t.name, t]));
  const boss = await startBoss(controlUrl);
  const session = await connect(parseDbUrl(controlUrl));
  // Shared by every job slot: one statement at a time.
  const control = serialConnection(session);
  const worker = `${hostname()}:${process.pid}`;
  let jobs = 0;
  let lastWork: number | undefined;
  let busy = 0;
  try {
    await ensureControlSchema(control, RESULTS_DDL);
    const store = new RolloutStore(control);
    const specs = new Map<string, Promise<{ spec: Spec; desired: DesiredCatalogs }>>();
    const specAt = (path: string) => {
      let p = specs.get(path);
      if (!p) specs.set(path, (p = loadSpec(path).then((spec) => ({ spec, desired: new DesiredCatalogs(spec) }))));
      return p;
    };
    // One job per work() call, `concurrency` calls per queue: a slow target holds up only its own slot, never a
    // batch, and a busy target fails only its own job (retried later).
    const slots = async <J extends object>(queue: string, run: (job: J) => Promise<void>) => {
      for (let i = 0; i < (options.concurrency ?? 4); i++) {
        await boss.work<J>(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
          busy++;
          try {
            await run(job!.data);
            jobs++;
          } finally {
            busy--;
            lastWork = Date.now();
          }
        });
      }
    };
    await slots<AuditJob>(AUDIT_QUEUE, workAudit);
    await slots<ApplyJob>(APPLY_QUEUE, workApply);
    async function workAudit(d: AuditJob): Promise<void> {
      const t = byName.get(d.target);
      if (!t) {
        await storeResult(control, d.run, { target: { name: d.target, redacted: '?', labels: {} }, status: 'error', durationMs: 0, error: `this worker's targets file has no target named ${d.target}` }, worker);
        return;
      }
      // The spec is realised (once per binding) before the target's time starts: a scratch engine's cold start is not the target's.
      const withSpec = d.spec ? await specAt(d.spec) : undefined;
      const db = parseDbUrl(t.url);
      const specCatalog = withSpec ? await withSpec.desired.for({ dialect: db.dialect, target: db }) : undefined;
      const [o] = await runFleet(
        [t],
        async (conn: Connection) => (await runAudit(conn, { connections: 1, ...d.audit, ...(withSpec && specCatalog ? { spec: withSpec.spec, specCatalog } : {}) })).result,
        d.timeoutMs ? { timeoutMs: d.timeoutMs } : {},
      );
      await storeResult(control, d.run, { ...o!, ...(o!.value ? { value: { ...o!.value, target: { ...o!.value.target, url: o!.target.redacted } } } : {}) }, worker);
      options.onJob?.(`${o!.target.name}: ${o!.status}`);
    }
    async function workApply(d: ApplyJob): Promise<void> {
      const rollout = await store.rollout(d.rollout);
      const row = await store.target(d.rollout, d.target);
      // Already settled (a retried job whose first run recorded its result): nothing to do, and never a second apply.
      if (!rollout || !row || row.status === 'applied' || row.status === 'up-to-date') return;
      const t = byName.get(d.target);
      if (!t) {
        await store.finishTarget(d.rollout, d.target, 'failed', `worker ${worker}: its targets file has no target named ${d.target}`);
        return;
      }
      const { spec, desired } = await specAt(d.spec);
      const o = rollout.options as { allowDrift?: boolean; allow?: string[]; allowDestructive?: boolean; plan?: FleetPlanOptions };
      let busyTarget = false;
      const [r] = await runFleet([t], (conn) =>
        withTargetLock(conn, t.name, async () => {
          // Read again under the lock: a process that held it may have finished this target meanwhile.
          const fresh = (await store.target(d.rollout, d.target)) ?? row;
          if (fresh.status === 'applied' || fresh.status === 'up-to-date') return { status: fresh.status, detail: 'already done by another worker' };
          await store.startTarget(d.rollout, d.target);
          return applyOne(conn, t, fresh, { store, id: d.rollout, spec, desired, reference: rollout.reference_fingerprint, allowDrift: !!o.allowDrift, options: { allow: o.allow ?? [], allowDestructive: !!o.allowDestructive }, plan: o.plan ?? {} });
        }).catch((e: unknown) => {
          if (e instanceof TargetBusy) busyTarget = true;
          throw e;
        }),
      );
      // Busy: fail this job so pg-boss retries it later; the state stays with the process that holds the target.
      if (busyTarget) throw new TargetBusy(d.target);
      if (r!.status === 'ok' && r!.value!.detail === 'already done by another worker') return;
      if (r!.status === 'ok') {
        const { status, detail } = r!.value!;
        await store.finishTarget(d.rollout, d.target, status, status === 'drifted' ? detail : null);
        await store.event(d.rollout, d.target, status, `${detail} (worker ${worker})`);
      } else {
        await store.finishTarget(d.rollout, d.target, 'failed', `${r!.status}: ${r!.error ?? ''}`);
        await store.event(d.rollout, d.target, 'failed', `${r!.status}: ${r!.error ?? ''} (worker ${worker})`);
      }
      options.onJob?.(`apply ${d.target}: ${r!.status === 'ok' ? r!.value!.status : 'failed'}`);
    }
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        if (options.signal?.aborted || (options.idleExitMs !== undefined && busy === 0 && lastWork !== undefined && Date.now() - lastWork > options.idleExitMs)) {
          clearInterval(tick);
          resolve();
        }
      }, 200);
    });
    return { jobs };
  } finally {
    await boss.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => undefined);
    await session.close();
  }
}

async function storeResult(control: Connection, run: string, outcome: TargetOutcome<AuditResult>, worker: string): Promise<void> {
  await control.query(
    'INSERT INTO plumb_fleet.results (run_id, target, outcome, worker) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, target) DO UPDATE SET outcome = EXCLUDED.outcome, worker = EXCLUDED.worker, finished_at = now()',
    [run, outcome.target.name, JSON.stringify(outcome), worker],
  );
}
