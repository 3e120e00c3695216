// Scale-out: fleet audits spread over worker processes (on any machines) via
// pg-boss, a Postgres-backed job queue with leases (expireInSeconds: a job
// whose worker vanished is failed and retried), retries and SKIP LOCKED
// fetching — not a home-made queue. Jobs carry the target's NAME only: each
// worker resolves names through its own targets file, so no password ever
// lands in the control database. Results are written to plumb_fleet.results.
import { hostname } from 'node:os';
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
import { ensureControlSchema } from './rollout-store.js';

export const AUDIT_QUEUE = 'plumb-fleet-audit';

export interface AuditJob {
  run: string;
  target: string;
  timeoutMs?: number;
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

async function startBoss(controlUrl: string): Promise<PgBoss> {
  requirePostgres(controlUrl);
  // Maintenance every 30 s: expired leases (a killed worker's jobs) are retried within half a minute of expiring.
  const boss = new PgBoss({ connectionString: controlUrl, schema: 'plumb_fleet_queue', max: 4, maintenanceIntervalSeconds: 30, monitorStateIntervalSeconds: 30 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue(AUDIT_QUEUE);
  return boss;
}

export interface QueuedAuditOptions {
  /** Per-target limit; also the job's lease (plus a margin). */
  timeoutMs?: number;
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
      targets.map((t) => ({ name: AUDIT_QUEUE, data: { run, target: t.name, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), audit: options.audit ?? {} } satisfies AuditJob, retryLimit: 2, retryDelay: 1, expireInSeconds: leaseSeconds })),
    );
    const deadline = Date.now() + (options.waitMs ?? 10 * 60_000);
    let seen = 0;
    for (;;) {
      const [r] = await control.query<{ n: string | number }>('SELECT count(*) AS n FROM plumb_fleet.results WHERE run_id = $1', [run]);
      const n = Number(r?.n ?? 0);
      if (n !== seen) options.onDone?.('', (seen = n), targets.length);
      if (n >= targets.length || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    const rows = await control.query<{ target: string; outcome: unknown }>('SELECT target, outcome FROM plumb_fleet.results WHERE run_id = $1', [run]);
    const got = new Map(rows.map((r) => [r.target, (typeof r.outcome === 'string' ? JSON.parse(r.outcome) : r.outcome) as TargetOutcome<AuditResult>]));
    const outcomes = targets.map(
      (t): TargetOutcome<AuditResult> =>
        got.get(t.name) ?? { target: { name: t.name, redacted: t.redacted, labels: t.labels }, status: 'timeout', durationMs: Date.now() - started, error: 'no worker reported a result in time (are `plumb fleet worker` processes running?)' },
    );
    await control.query('DELETE FROM plumb_fleet.results WHERE run_id = $1', [run]);
    return summarizeFleetAudit(outcomes, { generatedAt: new Date().toISOString(), durationMs: Date.now() - started });
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

/** A worker: pulls audit jobs, runs them on its own targets (resolved by name), stores each result. */
export async function runWorker(controlUrl: string, targets: readonly FleetTarget[], options: WorkerOptions = {}): Promise<{ jobs: number }> {
  const byName = new Map(targets.map((t) => [t.name, t]));
  const boss = await startBoss(controlUrl);
  const control = await connect(parseDbUrl(controlUrl));
  const worker = `${hostname()}:${process.pid}`;
  let jobs = 0;
  let lastWork: number | undefined;
  let busy = 0;
  try {
    await ensureControlSchema(control, RESULTS_DDL);
    await boss.work<AuditJob>(AUDIT_QUEUE, { batchSize: options.concurrency ?? 4, pollingIntervalSeconds: 0.5 }, async (batch) => {
      busy++;
      try {
        const known = batch.map((j) => byName.get(j.data.target));
        const missing = batch.filter((_, i) => !known[i]);
        for (const j of missing) await store(control, j.data.run, { target: { name: j.data.target, redacted: '?', labels: {} }, status: 'error', durationMs: 0, error: `this worker's targets file has no target named ${j.data.target}` }, worker);
        const present = batch.filter((_, i) => known[i]);
        // Each job on its own (two runs may name the same target in one batch).
        await Promise.all(
          present.map(async (j) => {
            const [o] = await runFleet([byName.get(j.data.target)!], async (conn: Connection) => (await runAudit(conn, { connections: 1, ...j.data.audit })).result, j.data.timeoutMs ? { timeoutMs: j.data.timeoutMs } : {});
            await store(control, j.data.run, { ...o!, ...(o!.value ? { value: { ...o!.value, target: { ...o!.value.target, url: o!.target.redacted } } } : {}) }, worker);
            options.onJob?.(`${o!.target.name}: ${o!.status}`);
          }),
        );
        jobs += batch.length;
      } finally {
        busy--;
        lastWork = Date.now();
      }
    });
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
    await control.close();
  }
}

async function store(control: Connection, run: string, outcome: TargetOutcome<AuditResult>, worker: string): Promise<void> {
  await control.query(
    'INSERT INTO plumb_fleet.results (run_id, target, outcome, worker) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, target) DO UPDATE SET outcome = EXCLUDED.outcome, worker = EXCLUDED.worker, finished_at = now()',
    [run, outcome.target.name, JSON.stringify(outcome), worker],
  );
}
