// The scale test on real servers: 200 tenant databases on the
// machine's Postgres and 50 on MariaDB (plus one unreachable target), some
// broken (duplicate emails: the unique key's pre-check aborts) or drifted (an
// extra column) on purpose. One `fleet audit` reports on all of them; per
// engine, `fleet apply` with a canary and waves migrates the healthy ones,
// halts when the broken ones exceed the failure budget, and `--resume`
// finishes once they are fixed. Every target's own history shows exactly one
// applied plan (none on the drifted ones).
// Minutes, not seconds: run with PLUMB_TEST_FLEET_SCALE=1 (npm run test:fleet:scale).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFleetAudit } from '../../src/fleet/fleet-audit-report.js';
import type { FleetAuditReport } from '../../src/fleet/fleet-audit.js';
import type { FleetApplyReport } from '../../src/fleet/fleet-apply.js';
import type { FleetSpecReport } from '../../src/fleet/fleet-spec.js';
import { mysqlUrl, pgServerUrl } from '../helpers/engines.js';
import { createMariaFleet, createTestFleet, V1_PORTABLE, V2_YAML, type MariaFleet, type TestFleet } from './fleet-kit.js';
import { plumb } from './plumb-cli.js';

const PG = 200;
const MARIA = 50;
const pgBroken = [40, 90, 150];
const pgDrifted = [17, 120];
const mariaBroken = [10, 30];
const mariaDrifted = [25];
const server = mysqlUrl();
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const note = (s: string) => process.stderr.write(`[fleet scale] ${s}\n`);

describe.skipIf(!process.env.PLUMB_TEST_FLEET_SCALE || !server)(`fleet at scale: ${PG} Postgres + ${MARIA} MariaDB databases`, () => {
  let pg: TestFleet;
  let maria: MariaFleet;
  let targetsFile: string;
  let specFile: string;
  const pgOnly = ['--where', 'engine!=mariadb', '--where', 'name!=down'];
  const mariaOnly = ['--where', 'engine=mariadb'];

  beforeAll(async () => {
    const t0 = performance.now();
    pg = await createTestFleet(pgServerUrl(), { size: PG, schema: V1_PORTABLE, broken: pgBroken, drifted: pgDrifted, down: true, control: true });
    maria = await createMariaFleet(server!, { size: MARIA, broken: mariaBroken, drifted: mariaDrifted });
    // One targets file: the Postgres template (with its unreachable `down`) and the MariaDB list.
    targetsFile = join(pg.dir, 'mixed.yaml');
    writeFileSync(targetsFile, readFileSync(pg.targetsFile, 'utf8') + maria.targetLines.join('\n') + '\n');
    specFile = join(pg.dir, 'spec.yaml');
    writeFileSync(specFile, V2_YAML);
    note(`created ${PG} + ${MARIA} databases in ${secs(t0)}`);
  }, 900_000);
  afterAll(async () => {
    await maria?.dispose();
    await pg?.dispose();
  }, 900_000);

  /** Per target: applied plans in its own history (Postgres plumb.history, MariaDB plumb_history in the database). */
  async function appliedCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const n of pg.names) {
      const [has] = (await pg.sql(n, "SELECT to_regclass('plumb.history') IS NOT NULL AS t")) as { t: boolean }[];
      out[n] = has!.t ? Number(((await pg.sql(n, "SELECT count(*) AS n FROM plumb.history WHERE outcome = 'applied'")) as { n: string }[])[0]!.n) : 0;
    }
    for (const n of maria.names) {
      const [has] = (await maria.sql(n, "SELECT count(*) AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'plumb_history'")) as { t: number }[];
      out[n] = Number(has!.t) ? Number(((await maria.sql(n, "SELECT count(*) AS n FROM plumb_history WHERE outcome = 'applied'")) as { n: number }[])[0]!.n) : 0;
    }
    return out;
  }

  it('fleet audit: one report on all 251 targets, the drifted ones in the drift matrix', async () => {
    let t0 = performance.now();
    const r = await plumb(['fleet', 'audit', '--targets', targetsFile, '--spec', specFile, '--concurrency', '8', '--timeout', '300', '-f', 'json', '-q']);
    note(`fleet audit --spec of ${PG + MARIA + 1} targets: ${secs(t0)}`);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as FleetAuditReport;
    expect(report.summary).toMatchObject({ targets: PG + MARIA + 1, audited: PG + MARIA, unreachable: 1, timeout: 0, error: 0 });
    // Every tenant is one migration behind the spec: each has spec differences, the grade of each is known.
    expect(report.rules.find((x) => x.rule === 'spec-difference')!.targets).toHaveLength(PG + MARIA);
    expect(report.targets.filter((t) => t.status === 'ok').every((t) => t.grade)).toBe(true);
    const sarif = JSON.parse(renderFleetAudit(report, 'sarif')) as { runs: { automationDetails: { id: string } }[] };
    expect(sarif.runs).toHaveLength(PG + MARIA + 1);
    const html = renderFleetAudit(report, 'html');
    for (const n of [pg.names[0]!, maria.names[MARIA - 1]!]) expect(html).toContain(n);

    t0 = performance.now();
    const d = await plumb(['fleet', 'diff', '--targets', targetsFile, '--spec', specFile, '--concurrency', '8', '-f', 'json', '-q']);
    note(`fleet diff of ${PG + MARIA + 1} targets: ${secs(t0)}`);
    const diff = JSON.parse(d.stdout) as FleetSpecReport;
    expect(diff.summary).toMatchObject({ targets: PG + MARIA + 1, matching: 0, drifted: PG + MARIA, unreachable: 1 });
    // Four variants: the healthy majority of each engine (MariaDB tenants compare as one, their database read as {db}) and the drifted of each.
    expect(diff.variants.map((v) => v.targets.length)).toEqual([PG - pgDrifted.length, MARIA - mariaDrifted.length, pgDrifted.length, mariaDrifted.length]);
    const legacy = diff.matrix.filter((m) => m.change.includes('legacy_flag')).flatMap((m) => m.targets).sort();
    expect(legacy).toEqual([...pgDrifted.map((i) => pg.names[i]!), ...mariaDrifted.map((i) => maria.names[i]!)].sort());
  }, 1_800_000);

  for (const engine of ['Postgres', 'MariaDB'] as const) {
    it(`fleet apply on ${engine}: canary and waves migrate the healthy, the budget halts, --resume finishes; no target migrated twice`, async () => {
      const names = engine === 'Postgres' ? pg.names : maria.names;
      const broken = (engine === 'Postgres' ? pgBroken : mariaBroken).map((i) => names[i]!);
      const drifted = (engine === 'Postgres' ? pgDrifted : mariaDrifted).map((i) => names[i]!);
      const budget = broken.length - 1;
      const args = ['fleet', 'apply', '--targets', targetsFile, ...(engine === 'Postgres' ? pgOnly : mariaOnly), '--spec', specFile, '--control', pg.control, '--rollout', engine, '-f', 'json', '-q'];
      let t0 = performance.now();
      const first = await plumb([...args, '--canary', '1', '--waves', '10%,50%,100%', '--max-failures', String(budget), '--concurrency', '8']);
      note(`${engine}: first run (${names.length} targets) ${secs(t0)}`);
      expect(first.code).toBe(1);
      const halted = JSON.parse(first.stdout) as FleetApplyReport;
      expect(halted.rollout.status).toBe('halted');
      expect(halted.rollout.halt_reason).toContain(`exceed the failure budget of ${budget}`);
      expect(halted.targets.filter((t) => t.status === 'failed').map((t) => t.name).sort()).toEqual([...broken].sort());
      expect(halted.targets.filter((t) => t.wave === 0).map((t) => t.status)).toEqual(['applied']);
      expect(halted.targets.filter((t) => t.wave === 1 && !drifted.includes(t.name)).every((t) => t.status === 'applied')).toBe(true);
      // Drifted tenants reached before the halt are skipped, never applied; the rest wait for --resume.
      for (const t of halted.targets) {
        if (drifted.includes(t.name)) expect(['drifted', 'pending'], t.name).toContain(t.status);
        else if (!broken.includes(t.name)) expect(['applied', 'pending'], t.name).toContain(t.status);
      }
      let counts = await appliedCounts();
      for (const n of names) expect(counts[n], n).toBe(halted.targets.find((t) => t.name === n)!.status === 'applied' ? 1 : 0);

      // Fix the broken tenants (their duplicate rows), then resume.
      for (const n of broken) await (engine === 'Postgres' ? pg.sql(n, 'DELETE FROM users WHERE id = 3') : maria.sql(n, 'DELETE FROM users WHERE id = 3'));
      t0 = performance.now();
      const resumed = await plumb([...args, '--resume', '--concurrency', '8']);
      note(`${engine}: --resume ${secs(t0)}`);
      expect(resumed.code).toBe(0);
      const done = JSON.parse(resumed.stdout) as FleetApplyReport;
      expect(done.rollout.status).toBe('done');
      expect(done.summary).toMatchObject({ targets: names.length, applied: names.length - drifted.length, drifted: drifted.length, failed: 0, pending: 0, running: 0 });
      counts = await appliedCounts();
      for (const n of names) expect(counts[n], n).toBe(drifted.includes(n) ? 0 : 1);
      note(`${engine}: history checked on ${names.length} targets: ${names.length - drifted.length} applied once, ${drifted.length} drifted untouched`);
    }, 1_800_000);
  }
});
