// The discovery-platform worked example (seed 002), the README's story through
// the library on PGlite and a real Postgres server: apply creates the 32
// tables, seed writes the admin / demo client / engagement and changes nothing
// the second time, and every verify check (the report's validation queries and
// the enforcement probes) passes. The spec is normalised once per file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { inspectLive } from '../../src/plan/plan-spec.js';
import { seed } from '../../src/seed/seed.js';
import { loadSpec } from '../../src/spec/load.js';
import { diffOptionsFromSpec, specSchemaNames } from '../../src/spec/spec-diff-options.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { verify } from '../../src/verify/verify.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const ENV = { PLUMB_ADMIN_PASSWORD: 'choose-one' };

let spec: Spec;
let desired: Catalog;
beforeAll(async () => {
  spec = await loadSpec('examples/discovery-platform/spec.yaml');
  // The scratch engine that normalises the spec: a clone of this file's one PGlite (cheaper than a second cold start).
  const scratch = await freshDatabase(pgEngines()[0]!);
  try {
    desired = await specToCatalog(spec, { scratch: scratch.conn });
  } finally {
    await scratch.dispose();
  }
}, 300_000);

const engines = pgEngines().filter((e, i) => i === 0 || e.kind === 'server').slice(0, 2);

describe.each(engines)('discovery-platform on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  }, 60_000);
  afterAll(async () => db?.dispose());

  it('apply creates the 32 tables, seed is idempotent, every verify check passes', async () => {
    const { conn } = db;
    const schemas = specSchemaNames(spec, desired);
    const from = await inspectLive(conn, schemas);
    const changes = diffCatalogs(from, desired, diffOptionsFromSpec(spec));
    const plan = buildPlan({ changes, from, to: desired, dialect: getDialect(conn.dialect), createdAt: new Date().toISOString(), options: { schemas } });
    expect((await applyPlan(conn, plan)).outcome).toBe('applied');
    const [t] = await conn.query<{ n: string }>("SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    expect(t!.n).toBe('32');

    const live = await inspectLive(conn, schemas);
    const first = await seed(conn, spec.seed, live, { env: ENV });
    expect(first.tables.reduce((n, x) => n + x.inserted, 0)).toBe(6);
    const second = await seed(conn, spec.seed, live, { env: ENV });
    expect(second.tables.map((x) => [x.table, x.inserted, x.updated])).toEqual(second.tables.map((x) => [x.table, 0, 0]));

    const [admin] = await conn.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'admin@aiforce.com'");
    expect(admin!.password_hash).toMatch(/scrypt\$/);
    expect(admin!.password_hash).not.toContain(ENV.PLUMB_ADMIN_PASSWORD);

    const report = await verify(conn, { checks: spec.verify, target: desired, live: await inspectLive(conn, schemas), diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });
    // Nothing fails; the spec's own checks all pass (probes plumb cannot build a row for are skipped, as the CLI reports).
    const failed = report.results.filter((x) => x.status === 'fail');
    expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
    const own = report.results.filter((x) => x.kind !== 'probe' && x.kind !== 'drift');
    expect(own.filter((x) => x.status !== 'pass'), JSON.stringify(own, null, 1)).toEqual([]);
    expect(own.length).toBe(spec.verify.length);
    expect(report.results.find((x) => x.kind === 'drift')?.status).toBe('pass');
    // The report's own validation queries are among them.
    const names = report.results.map((x) => x.name);
    for (const c of spec.verify) expect(names).toContain(c.name);
  }, 300_000);
});
