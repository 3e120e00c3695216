// `fleet apply` on 14 real databases on the machine's Postgres: two broken
// (duplicate emails: the unique constraint's pre-check aborts), one drifted
// (an extra column: its plan differs). Canary and waves migrate the healthy
// ones, the failure budget halts the rollout, a coordinator crash after an
// apply is resumed without applying twice, and --resume finishes once the
// broken ones are fixed. Every target's own history is checked at the end.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { parseDbUrl } from '../../src/drivers/url.js';
import { DesiredCatalogs } from '../../src/fleet/desired-catalogs.js';
import { assignWaves, fleetApply, parseMaxFailures, parseWaves, readRollout } from '../../src/fleet/fleet-apply.js';
import { summarizeFleetAudit } from '../../src/fleet/fleet-audit.js';
import { renderFleetAudit } from '../../src/fleet/fleet-audit-report.js';
import { renderFleetApply } from '../../src/fleet/fleet-apply-report.js';
import { loadTargets } from '../../src/fleet/targets.js';
import { loadSpec } from '../../src/spec/load.js';
import { pgServerUrl } from '../helpers/engines.js';
import { createTestFleet, V2_SPEC, type TestFleet } from './fleet-kit.js';
import { plumb } from './plumb-cli.js';

describe('waves and budgets (pure)', () => {
  it('assigns the canary, then cumulative shares of the rest', () => {
    expect(assignWaves(12, 1, [10, 50, 100])).toEqual([0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    expect(assignWaves(3, 5, [100])).toEqual([0, 0, 0]);
    expect(assignWaves(4, 0, [50, 100])).toEqual([1, 1, 2, 2]);
    expect(parseWaves('10%,50%,100%')).toEqual([10, 50, 100]);
    expect(() => parseWaves('10%,50%')).toThrow(/last wave must be 100%/);
    expect(() => parseWaves('50%,10%,100%')).toThrow(/must grow/);
    expect(parseMaxFailures('3')).toEqual({ count: 3 });
    expect(parseMaxFailures('5%')).toEqual({ percent: 5 });
    expect(() => parseMaxFailures('x')).toThrow(/--max-failures/);
  });
});

describe('fleet apply on the machine\'s Postgres', () => {
  let fleet: TestFleet;
  let control: Connection;
  const broken = [5, 9];
  const drifted = 11;
  beforeAll(async () => {
    fleet = await createTestFleet(pgServerUrl(), { size: 14, broken, drifted: [drifted], control: true });
    control = await connect(parseDbUrl(fleet.control));
  });
  afterAll(async () => {
    await control?.close();
    await fleet?.dispose();
  });

  /** Per target: how many times its own history says a plan was applied. */
  async function appliedCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const n of fleet.names) {
      const has = (await fleet.sql(n, "SELECT to_regclass('plumb.history') IS NOT NULL AS t")) as { t: boolean }[];
      out[n] = has[0]!.t ? Number(((await fleet.sql(n, "SELECT count(*) AS n FROM plumb.history WHERE outcome = 'applied'")) as { n: string }[])[0]!.n) : 0;
    }
    return out;
  }

  it('canary + waves migrate the healthy, the budget halts, a crash resumes without a second apply, --resume finishes', async () => {
    // 1. CLI: canary 1, waves 25%/100%, budget 1: the two broken tenants (both in the last wave) exceed it.
    const first = await plumb(['fleet', 'apply', '--targets', fleet.targetsFile, '--spec', fleet.specFile, '--control', fleet.control, '--rollout', 'r1', '--canary', '1', '--waves', '25%,100%', '--max-failures', '1', '--concurrency', '3', '-f', 'json', '-q']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const r1 = JSON.parse(first.stdout) as { rollout: { status: string; halt_reason: string }; summary: Record<string, number>; targets: { name: string; wave: number; status: string }[] };
    expect(r1.rollout.status).toBe('halted');
    expect(r1.rollout.halt_reason).toContain('exceed the failure budget of 1');
    expect(r1.summary.failed).toBe(2);
    expect(r1.targets.filter((t) => t.wave === 0).map((t) => t.status)).toEqual(['applied']);
    expect(r1.targets.filter((t) => t.wave === 1).every((t) => t.status === 'applied')).toBe(true);
    let counts = await appliedCounts();
    expect(Object.values(counts).every((n) => n <= 1)).toBe(true);
    expect(counts[fleet.names[broken[0]!]!]).toBe(0);

    // 2. Without --resume, the existing rollout is refused.
    const again = await plumb(['fleet', 'apply', '--targets', fleet.targetsFile, '--spec', fleet.specFile, '--control', fleet.control, '--rollout', 'r1', '-q']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume');

    // 3. Fix the broken tenants; resume, and "crash" the coordinator right after the first target it applies.
    for (const i of broken) await fleet.sql(fleet.names[i]!, 'DELETE FROM users WHERE id = 3');
    const targets = await loadTargets(fleet.targetsFile);
    const spec = await loadSpec(fleet.specFile);
    const desired = new DesiredCatalogs(spec);
    let crashedOn: string | undefined;
    await expect(
      fleetApply(targets, spec, desired, {
        control,
        rollout: 'r1',
        specName: 'spec.sql',
        resume: true,
        concurrency: 1,
        afterApply: (name) => {
          crashedOn = name;
          throw new Error('coordinator killed');
        },
      }),
    ).rejects.toThrow('coordinator killed');
    expect(crashedOn).toBeDefined();
    const left = (await control.query<{ status: string; plan_checksum: string | null }>("SELECT status, plan_checksum FROM plumb_fleet.targets WHERE rollout_id = 'r1' AND name = $1", [crashedOn]))[0]!;
    // The control state still says running (the result was never recorded), yet the target holds the migration.
    expect(left.status).toBe('running');
    expect(left.plan_checksum).toMatch(/^[0-9a-f]{64}$/);
    expect((await appliedCounts())[crashedOn!]).toBe(1);

    // 4. Resume again: the crashed target is found applied in its own history; the rest finish; the drifted one is skipped.
    const done = await fleetApply(targets, spec, desired, { control, rollout: 'r1', specName: 'spec.sql', resume: true, concurrency: 3 });
    expect(done.rollout.status).toBe('done');
    expect(done.summary).toMatchObject({ targets: 14, applied: 13, drifted: 1, failed: 0, pending: 0, running: 0 });
    expect(done.targets.find((t) => t.name === fleet.names[drifted])!.error).toContain('differs from the fleet');
    expect(done.events.some((e) => e.target === crashedOn && e.detail?.includes('found applied in the target\'s history'))).toBe(true);
    counts = await appliedCounts();
    for (const [i, n] of fleet.names.entries()) expect(counts[n], n).toBe(i === drifted ? 0 : 1);
    for (const f of ['text', 'md', 'html']) expect(renderFleetApply(done, f)).toContain('r1');
    // The consolidated fleet report carries the rollout read back from the control database: its timeline included.
    const rollout = await readRollout(control, 'r1');
    expect(rollout!.summary).toEqual(done.summary);
    const dashboard = renderFleetAudit({ ...summarizeFleetAudit([], { generatedAt: done.rollout.updated_at, durationMs: 0 }), rollout }, 'html');
    expect(dashboard).toContain('Rollout timeline');
    expect(dashboard).toContain('found applied in the target&#39;s history');

    // 5. The fleet now matches the spec except the drifted tenant.
    const diff = await plumb(['fleet', 'diff', '--targets', fleet.targetsFile, '--spec', fleet.specFile, '-f', 'json', '-q']);
    const d = JSON.parse(diff.stdout) as { summary: { matching: number; drifted: number } };
    expect(d.summary).toMatchObject({ matching: 13, drifted: 1 });
  });

  // ~30–40 s on a loaded 2-core machine: run with PLUMB_TEST_FLEET_SLOW=1 (npm run test:fleet:slow).
  it.skipIf(!process.env.PLUMB_TEST_FLEET_SLOW)('a coordinator killed with SIGKILL mid-rollout resumes without migrating any target twice', async () => {
    // Version 3 on the fleet the first test left at version 2: one more column per tenant.
    const spec3 = join(fleet.dir, 'spec-v3.sql');
    writeFileSync(spec3, V2_SPEC.replace('display_name text,', 'display_name text, phone text,'));
    const before = await appliedCounts();
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const args = ['--import', 'tsx', 'scripts/plumb-dev.ts', 'fleet', 'apply', '--targets', fleet.targetsFile, '--spec', spec3, '--control', fleet.control, '--rollout', 'r3', '--concurrency', '1', '--canary', '0', '-q'];
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (_c, sig) => res(sig === 'SIGKILL' ? -9 : _c)));
    // Kill it once three targets are recorded applied: the fourth is then being planned or applied.
    const t0 = Date.now();
    for (;;) {
      const rows = await control.query<{ n: string }>("SELECT count(*) AS n FROM plumb_fleet.targets WHERE rollout_id = 'r3' AND status = 'applied'").catch(() => [{ n: '0' }]);
      if (Number(rows[0]!.n) >= 3 || Date.now() - t0 > 60_000) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe(-9);
    const mid = await control.query<{ status: string }>("SELECT status FROM plumb_fleet.targets WHERE rollout_id = 'r3'");
    expect(mid.filter((r) => r.status === 'applied').length).toBeGreaterThanOrEqual(3);
    expect(mid.some((r) => r.status === 'pending' || r.status === 'running')).toBe(true);

    const resumed = await plumb(['fleet', 'apply', '--targets', fleet.targetsFile, '--spec', spec3, '--control', fleet.control, '--rollout', 'r3', '--resume', '-f', 'json', '-q']);
    expect(resumed.code).toBe(0);
    const r = JSON.parse(resumed.stdout) as { rollout: { status: string }; summary: Record<string, number> };
    expect(r.rollout.status).toBe('done');
    expect(r.summary).toMatchObject({ applied: 13, drifted: 1, failed: 0 });
    const after = await appliedCounts();
    // Exactly one more applied plan in every healthy tenant's own history; none in the drifted one.
    for (const [i, n] of fleet.names.entries()) expect(after[n]! - before[n]!, n).toBe(i === drifted ? 0 : 1);
  });
});
