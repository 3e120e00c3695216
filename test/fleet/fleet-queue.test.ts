// Scale-out on the pg-boss queue: two `plumb fleet worker` processes take the
// audit jobs of a 10-target fleet (one target unreachable) from a control
// database on the machine's Postgres; the coordinator folds their results
// into one report. No password is put on the queue or in the results.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedFleetAudit } from '../../src/fleet/fleet-queue.js';
import { connect } from '../../src/drivers/connect.js';
import { parseDbUrl } from '../../src/drivers/url.js';
import { DesiredCatalogs } from '../../src/fleet/desired-catalogs.js';
import { fleetApply } from '../../src/fleet/fleet-apply.js';
import { loadTargets, selectTargets } from '../../src/fleet/targets.js';
import { loadSpec } from '../../src/spec/load.js';
import { withDatabase } from '../helpers/engines.js';
import { pgServerUrl } from '../helpers/engines.js';
import { createTestFleet, V2_SPEC, type TestFleet } from './fleet-kit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function startWorker(targetsFile: string, control: string, idleExit = 4): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', 'fleet', 'worker', '--targets', targetsFile, '--control', control, '--idle-exit', String(idleExit), '--concurrency', '3'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  return { child, log: () => out, exited: new Promise((res) => child.on('exit', (code) => res(code))) };
}

describe('fleet audit over the job queue', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await createTestFleet(pgServerUrl(), { size: 9, down: true, control: true });
  });
  afterAll(async () => {
    await fleet?.dispose();
  });

  it('two worker processes audit every target against the spec; the coordinator reports all of them', async () => {
    const workers = [startWorker(fleet.targetsFile, fleet.control), startWorker(fleet.targetsFile, fleet.control)];
    try {
      const targets = await loadTargets(fleet.targetsFile);
      // With a spec: each worker realises it once and reports every tenant's differences as drift findings.
      const report = await queuedFleetAudit(fleet.control, targets, { timeoutMs: 30_000, audit: { data: false }, specPath: fleet.specFile, waitMs: 90_000 });
      expect(report.summary).toMatchObject({ targets: 10, audited: 9, unreachable: 1, timeout: 0 });
      const drift = report.rules.find((r) => r.rule === 'spec-difference');
      expect(drift?.targets).toEqual([...fleet.names].sort());
      expect(report.targets.find((t) => t.name === 'down')!.url).toBe('postgres://nobody:***@127.0.0.1:1/nowhere');
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes).toEqual([0, 0]);
      const done = workers.map((w) => Number(/(\d+) job\(s\) done/.exec(w.log())?.[1] ?? NaN));
      expect(done[0]! + done[1]!).toBe(10);
      // Jobs name targets; URLs (and so passwords) never enter the control database.
      const c = new pg.Client({ connectionString: fleet.control });
      await c.connect();
      try {
        const { rows } = await c.query<{ n: string }>("SELECT count(*) AS n FROM plumb_fleet_queue.job WHERE data::text LIKE '%hunter2%' OR data::text LIKE '%://%'");
        expect(Number(rows[0]!.n)).toBe(0);
      } finally {
        await c.end();
      }
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    }
  });

  // 40–120 s on a loaded 2-core machine (leases, retries, three worker processes): run with PLUMB_TEST_FLEET_SLOW=1 (npm run test:fleet:slow).
  it.skipIf(!process.env.PLUMB_TEST_FLEET_SLOW)('three workers apply a multi-phase rollout; one killed (SIGKILL) after a phase committed: another resumes its target from the journal, every target migrated exactly once', async () => {
    // Two commits per target: the users changes in one transaction, then an index on an existing table built
    // CONCURRENTLY outside it. The victim's index build waits on a lock, and its worker is killed there.
    const specFile = join(fleet.dir, 'spec-concurrent.sql');
    writeFileSync(specFile, V2_SPEC.replace(/CREATE TABLE invoices[^;]*;\s*CREATE INDEX invoices_order_id_idx[^;]*;/, '') + 'CREATE INDEX orders_total_idx ON orders (total);\n');
    const workers = [0, 1, 2].map(() => startWorker(fleet.targetsFile, fleet.control, 60));
    const victim = fleet.names[4]!;
    // SHARE on orders (reads pass) stalls only the victim's CREATE INDEX CONCURRENTLY, after its users phase committed.
    const locker = new pg.Client({ connectionString: fleet.urls[victim] });
    await locker.connect();
    const probe = new pg.Client({ connectionString: fleet.urls[victim] });
    await probe.connect();
    const control = await connect(parseDbUrl(fleet.control));
    // The killer watches on its own session (a session in a transaction must not be shared).
    const watch = await connect(parseDbUrl(fleet.control));
    let killed: string | undefined;
    let journalAtKill: { status: string; n: number }[] = [];
    const targets = selectTargets(await loadTargets(fleet.targetsFile), ['name!=down']);
    const spec = await loadSpec(specFile);
    const plan = { concurrently: true, lockTimeoutMs: 120_000 };
    const queue = { controlUrl: fleet.control, leaseSeconds: 4, maintenanceSeconds: 1 };
    try {
      await locker.query('BEGIN; LOCK TABLE orders IN SHARE MODE');
      const rollout = fleetApply(targets, spec, new DesiredCatalogs(spec), { control, rollout: 'q', specName: specFile, canary: 0, plan, queue });
      const killer = (async () => {
        for (let i = 0; i < 4800 && !killed; i++) {
          const [r] = await watch.query<{ status: string; worker: string | null }>("SELECT status, worker FROM plumb_fleet.targets WHERE rollout_id = 'q' AND name = $1", [victim]).catch(() => []);
          const journal = await probe
            .query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM plumb.journal GROUP BY status ORDER BY status")
            .then((x) => x.rows.map((j) => ({ status: j.status, n: Number(j.n) })))
            .catch(() => []);
          // The users phase is committed (its statements journaled done) and the index build has started.
          if (r?.status === 'running' && r.worker && journal.some((j) => j.status === 'done') && journal.some((j) => j.status === 'started')) {
            await new Promise((res) => setTimeout(res, 300));
            journalAtKill = journal;
            killed = r.worker;
            process.kill(Number(r.worker.split(':').pop()), 'SIGKILL');
          } else await new Promise((res) => setTimeout(res, 25));
        }
        await new Promise((res) => setTimeout(res, 500));
        await locker.query('ROLLBACK');
      })();
      let report = await rollout;
      await killer;
      // On a loaded machine a target can fail to connect in time (budget 0 halts the rollout): resume until done.
      for (let i = 0; i < 2 && report.rollout.status !== 'done'; i++) {
        process.stderr.write(`resuming after: ${report.rollout.halt_reason}\n`);
        report = await fleetApply(targets, spec, new DesiredCatalogs(spec), { control, rollout: 'q', specName: specFile, resume: true, queue });
      }
      process.stderr.write(`killed ${killed}; victim ${JSON.stringify(report.targets.find((t) => t.name === victim))}; events: ${report.events.filter((e) => e.target === victim).map((e) => `${e.at} ${e.event} ${e.detail ?? ''}`).join(' | ')}\n`);
      process.stderr.write(`not applied: ${JSON.stringify(report.targets.filter((t) => t.status !== 'applied').map((t) => [t.name, t.status, t.error, t.attempts]))}; halt: ${report.rollout.halt_reason}\n`);
      expect(killed).toBeDefined();
      // Killed after a phase committed: statements journaled done, the index build journaled started.
      expect(journalAtKill.find((j) => j.status === 'done')!.n).toBeGreaterThanOrEqual(2);
      expect(report.rollout.status).toBe('done');
      expect(report.summary).toMatchObject({ targets: 9, applied: 9, failed: 0 });
      const row = report.targets.find((t) => t.name === victim)!;
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.worker).not.toBe(killed);
      // The plan had two commits, and the worker that took the target over went on from the journal.
      const [stored] = await control.query<{ plan: unknown }>("SELECT plan FROM plumb_fleet.targets WHERE rollout_id = 'q' AND name = $1", [victim]);
      const phases = (typeof stored!.plan === 'string' ? JSON.parse(stored!.plan) : stored!.plan) as { phases: { name: string; transactional: boolean; steps: unknown[] }[] };
      expect(phases.phases.filter((p) => p.steps.length).map((p) => p.transactional)).toEqual(expect.arrayContaining([true, false]));
      expect(report.events.filter((e) => e.target === victim).map((e) => e.detail ?? '').join('\n')).toMatch(/resumed from the target's journal/);
      const { rows: idx } = await probe.query<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'orders_total_idx'::regclass");
      expect(idx).toEqual([{ valid: true }]);
      for (const n of fleet.names) {
        const c = new pg.Client({ connectionString: withDatabase(fleet.admin, n) });
        await c.connect();
        try {
          const { rows } = await c.query<{ n: string }>("SELECT count(*) AS n FROM plumb.history WHERE outcome = 'applied'");
          expect(Number(rows[0]!.n), n).toBe(1);
        } finally {
          await c.end();
        }
      }
    } finally {
      await locker.end().catch(() => undefined);
      await probe.end().catch(() => undefined);
      await control.close();
      await watch.close();
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
  });
});
