// Scale-out on the pg-boss queue: two `plumb fleet worker` processes take the
// audit jobs of a 10-target fleet (one target unreachable) from a control
// database on the machine's Postgres; the coordinator folds their results
// into one report. No password is put on the queue or in the results.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedFleetAudit } from '../../src/fleet/fleet-queue.js';
import { loadTargets } from '../../src/fleet/targets.js';
import { pgServerUrl } from '../helpers/engines.js';
import { createTestFleet, type TestFleet } from './fleet-kit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function startWorker(targetsFile: string, control: string): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', 'fleet', 'worker', '--targets', targetsFile, '--control', control, '--idle-exit', '4', '--concurrency', '3'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
});
