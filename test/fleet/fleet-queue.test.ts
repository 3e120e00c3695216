// Scale-out on the pg-boss queue: two `plumb fleet worker` processes take the
// audit jobs of a 10-target fleet (one target unreachable) from a control
// database on the machine's Postgres; the coordinator folds their results
// into one report. No password is put on the queue or in the results.
import { spawn, type ChildProcess } from 'node:child_process';
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
import { createTestFleet, type TestFleet } from './fleet-kit.js';

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

  it('two worker processes audit every target; the coordinator reports all of them', async () => {
    const workers = [startWorker(fleet.targetsFile, fleet.control), startWorker(fleet.targetsFile, fleet.control)];
    try {
      const targets = await loadTargets(fleet.targetsFile);
      const report = await queuedFleetAudit(fleet.control, targets, { timeoutMs: 30_000, audit: { data: false }, waitMs: 90_000 });
      expect(report.summary).toMatchObject({ targets: 10, audited: 9, unreachable: 1, timeout: 0 });
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
  it.skipIf(!process.env.PLUMB_TEST_FLEET_SLOW)('three workers apply the rollout; one killed (SIGKILL) mid-apply: its target is taken by another and migrated exactly once', async () => {
    const workers = [0, 1, 2].map(() => startWorker(fleet.targetsFile, fleet.control, 60));
    const victim = fleet.names[4]!;
    // A lock on the victim's users table (reads still pass) stalls its migration inside apply.
    const locker = new pg.Client({ connectionString: fleet.urls[victim] });
    await locker.connect();
    const control = await connect(parseDbUrl(fleet.control));
    // The killer watches on its own session (a session in a transaction must not be shared).
    const watch = await connect(parseDbUrl(fleet.control));
    let killed: string | undefined;
    const targets = selectTargets(await loadTargets(fleet.targetsFile), ['name!=down']);
    const spec = await loadSpec(fleet.specFile);
    try {
      const rollout = fleetApply(targets, spec, new DesiredCatalogs(spec), { control, rollout: 'q', specName: fleet.specFile, canary: 0, queue: { controlUrl: fleet.control, leaseSeconds: 4, maintenanceSeconds: 1 } });
      const killer = (async () => {
        for (let i = 0; i < 2400; i++) {
          const ev = await watch.query<{ n: string }>("SELECT count(*) AS n FROM plumb_fleet.events WHERE rollout_id = 'q' AND event = 'wave'").catch(() => [{ n: '0' }]);
          if (Number(ev[0]!.n) > 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        await locker.query('BEGIN; LOCK TABLE users IN SHARE MODE');
        for (let i = 0; i < 2400; i++) {
          const rows = await watch.query<{ status: string; plan_checksum: string | null; worker: string | null }>("SELECT status, plan_checksum, worker FROM plumb_fleet.targets WHERE rollout_id = 'q' AND name = $1", [victim]);
          const r = rows[0];
          if (r?.status === 'running' && r.plan_checksum && r.worker) {
            await new Promise((res) => setTimeout(res, 500));
            killed = r.worker;
            process.kill(Number(r.worker.split(':').pop()), 'SIGKILL');
            break;
          }
          await new Promise((res) => setTimeout(res, 25));
        }
        await new Promise((res) => setTimeout(res, 300));
        await locker.query('ROLLBACK');
      })();
      let report = await rollout;
      await killer;
      // On a loaded machine a target can fail to connect in time (budget 0 halts the rollout): resume until done.
      for (let i = 0; i < 2 && report.rollout.status !== 'done'; i++) {
        process.stderr.write(`resuming after: ${report.rollout.halt_reason}\n`);
        report = await fleetApply(targets, spec, new DesiredCatalogs(spec), { control, rollout: 'q', specName: fleet.specFile, resume: true, queue: { controlUrl: fleet.control, leaseSeconds: 4, maintenanceSeconds: 1 } });
      }
      process.stderr.write(`killed ${killed}; victim ${JSON.stringify(report.targets.find((t) => t.name === victim))}; events: ${report.events.filter((e) => e.target === victim).map((e) => `${e.at} ${e.event} ${e.detail ?? ''}`).join(' | ')}\n`);
      process.stderr.write(`not applied: ${JSON.stringify(report.targets.filter((t) => t.status !== 'applied').map((t) => [t.name, t.status, t.error, t.attempts]))}; halt: ${report.rollout.halt_reason}\n`);
      expect(killed).toBeDefined();
      expect(report.rollout.status).toBe('done');
      expect(report.summary).toMatchObject({ targets: 9, applied: 9, failed: 0 });
      const row = report.targets.find((t) => t.name === victim)!;
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.worker).not.toBe(killed);
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
      await control.close();
      await watch.close();
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
  });
});
