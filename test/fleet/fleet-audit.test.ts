// `fleet audit` over 20 real databases on the machine's Postgres (two drifted
// from the spec, two with duplicate data) plus one unreachable target: one
// report covering all, unreachable reported not fatal, no password shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetAudit, type FleetAuditReport } from '../../src/fleet/fleet-audit.js';
import { renderFleetAudit } from '../../src/fleet/fleet-audit-report.js';
import { loadTargets } from '../../src/fleet/targets.js';
import { DesiredCatalogs } from '../../src/fleet/desired-catalogs.js';
import { fleetSpec } from '../../src/fleet/fleet-spec.js';
import { renderFleetSpec } from '../../src/fleet/fleet-spec-report.js';
import { loadSpec } from '../../src/spec/load.js';
import { pgServerUrl } from '../helpers/engines.js';
import { createTestFleet, type TestFleet } from './fleet-kit.js';
import { plumb } from './plumb-cli.js';

describe('fleet audit on the machine\'s Postgres', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await createTestFleet(pgServerUrl(), { size: 20, drifted: [3, 17], broken: [5], down: true });
  });
  afterAll(async () => {
    await fleet?.dispose();
  });

  it('audits every target into one report; the unreachable one is reported, not fatal', async () => {
    const targets = await loadTargets(fleet.targetsFile);
    expect(targets).toHaveLength(21);
    const t0 = performance.now();
    const report = await fleetAudit(targets, { concurrency: 4, timeoutMs: 30_000 });
    const ms = performance.now() - t0;
    process.stderr.write(`fleet audit: ${targets.length} targets in ${(ms / 1000).toFixed(2)} s\n`);
    expect(report.summary).toMatchObject({ targets: 21, audited: 20, unreachable: 1, timeout: 0, error: 0 });
    expect(report.targets.map((t) => t.name)).toEqual([...targets.map((t) => t.name)].sort());
    const down = report.targets.find((t) => t.name === 'down')!;
    expect(down).toMatchObject({ status: 'unreachable', url: 'postgres://nobody:***@127.0.0.1:1/nowhere' });
    expect(report.targets.filter((t) => t.status === 'ok').every((t) => t.grade && t.counts)).toBe(true);
    const json = renderFleetAudit(report, 'json');
    expect(json).not.toContain('hunter2');
    const sarif = JSON.parse(renderFleetAudit(report, 'sarif')) as { runs: { automationDetails: { id: string }; invocations: { executionSuccessful: boolean }[] }[] };
    expect(sarif.runs).toHaveLength(21);
    expect(sarif.runs.filter((r) => !r.invocations[0]!.executionSuccessful).map((r) => r.automationDetails.id)).toEqual(['plumb-fleet/down']);
    for (const f of ['text', 'md', 'html']) expect(renderFleetAudit(report, f)).not.toContain('hunter2');
    // Same report, same bytes.
    expect(renderFleetAudit({ ...report }, 'json')).toBe(json);
  });

  it('stops a slow target at --timeout and still reports the rest', async () => {
    const targets = (await loadTargets(fleet.targetsFile)).filter((t) => t.name !== "down").slice(0, 3);
    // A lock held elsewhere makes the audit of one target wait past its limit.
    const report = await fleetAudit(targets, {
      concurrency: 3,
      timeoutMs: 1500,
      audit: { data: false },
      specCatalog: async (conn) => {
        if (conn.target.database === fleet.names[1]) await conn.query('SELECT pg_sleep(5)');
        return undefined;
      },
    });
    expect(report.targets.map((t) => [t.name, t.status])).toEqual([
      [fleet.names[0], 'ok'],
      [fleet.names[1], 'timeout'],
      [fleet.names[2], 'ok'],
    ]);
  });

  it('diff, plan and verify: the drift matrix groups the fleet into variants, each target planned against its own catalog', async () => {
    const targets = await loadTargets(fleet.targetsFile);
    const spec = await loadSpec(fleet.specFile);
    const desired = new DesiredCatalogs(spec);
    const diff = await fleetSpec('diff', targets, spec, desired, 'spec.sql', { concurrency: 4 });
    expect(diff.summary).toMatchObject({ targets: 21, matching: 0, drifted: 20, unreachable: 1 });
    // The healthy majority is variant 0; the two drifted tenants (an extra column) share variant 1.
    expect(diff.variants[0]!.targets).toHaveLength(18);
    expect(diff.variants[1]!.targets).toEqual([fleet.names[3], fleet.names[17]]);
    expect(diff.variants[1]!.changes.some((c) => c.includes('legacy_flag'))).toBe(true);
    expect(diff.matrix.find((m) => m.change.includes('legacy_flag'))!.targets).toEqual([fleet.names[3], fleet.names[17]]);
    const plan = await fleetSpec('plan', targets, spec, desired, 'spec.sql', { concurrency: 4 });
    const fps = new Set(plan.targets.filter((t) => t.plan).map((t) => t.plan!.fingerprint));
    expect(fps.size).toBe(2);
    const verify = await fleetSpec('verify', targets.slice(0, 4), spec, desired, 'spec.sql', { concurrency: 4 });
    expect(verify.summary.verifyFailed).toBe(3);
    for (const f of ['text', 'md', 'json', 'html']) {
      const out = renderFleetSpec(diff, f);
      expect(out).not.toContain('hunter2');
      expect(out).toContain('legacy_flag');
    }
  });

  it('CLI: --spec shows the drifted tenants, --where selects, exit 1 when a target was not audited', async () => {
    const r = await plumb(['fleet', 'audit', '--targets', fleet.targetsFile, '--spec', fleet.specFile, '--where', 'tier=gold', '-f', 'json', '-q', '--no-data']);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { summary: { targets: number }; rules: { rule: string; targets: string[] }[] };
    expect(report.summary.targets).toBe(11);
    const drift = report.rules.filter((x) => x.rule.includes('spec') || x.rule.includes('drift'));
    expect(drift.length).toBeGreaterThan(0);
    // The consolidated report: with --spec it carries the drift matrix (every gold tenant is one migration behind).
    const full = JSON.parse(r.stdout) as FleetAuditReport;
    expect(full.drift).toMatchObject({ matching: 0, drifted: 10 });
    expect(full.drift!.matrix.find((m) => m.change.includes('invoices'))!.targets).toHaveLength(10);
    const html = renderFleetAudit(full, 'html');
    for (const section of ['Grade per target', 'Findings by rule across the fleet', 'Drift matrix']) expect(html).toContain(section);
    expect(renderFleetAudit(full, 'md')).toContain('## Drift matrix');
    const bad = await plumb(['fleet', 'audit', '--targets', fleet.targetsFile, '--where', 'tier=platinum']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no targets selected');
  });
});
