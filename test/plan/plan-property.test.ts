// Property: for random schemas A and B, applying plan(A → B) to a database
// holding A and inspecting it gives exactly B. 100 cases per engine (PGlite and
// one real server) by default, so ≥ 200 per CI run; PLUMB_PROPERTY_RUNS overrides.
// One database per engine, reset by dropping the schema between cases.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/drivers/connection.js';
import { wrapPglite } from '../../src/drivers/pglite-driver.js';
import { getDialect } from '../../src/dialects/index.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planChecksum } from '../../src/plan/plan-checksum.js';
import { arbSpecPair, catalogOf } from '../diff/arbitraries.js';
import { freshDatabase, sharedPgliteInstance, type FreshDb } from '../helpers/engines.js';
import { inspectSchemas, resetSchemas, pgliteAndOneServer } from './plan-helpers.js';
import type { Catalog } from '../../src/catalog/types.js';

const RUNS = Number(process.env.PLUMB_PROPERTY_RUNS ?? 100);
const S = ['prop'];

const engines = pgliteAndOneServer();

/** Plans from → to and applies it (the drift check is skipped: `from` was inspected a moment ago). */
async function planAndApply(db: Connection, from: Catalog, to: Catalog): Promise<void> {
  const plan = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: getDialect('postgres'), options: { schemas: S } });
  expect(plan.checksum).toBe(planChecksum(plan));
  await applyPlan(db, plan, { allowDestructive: true, force: true });
}

describe.each(engines)('plan(A → B) applied to A gives B, on $name', (engine) => {
  let db: FreshDb;
  let scratchDb: FreshDb | undefined;
  let scratch: Connection;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    if (engine.kind === 'pglite') scratch = wrapPglite(await sharedPgliteInstance());
    else {
      // The target catalog is normalised by the same engine it is compared with.
      scratchDb = await freshDatabase(engine);
      scratch = scratchDb.conn;
    }
  });
  afterAll(async () => {
    await db?.dispose();
    await scratchDb?.dispose();
  });

  it(`holds for ${RUNS} random pairs`, async () => {
    await resetSchemas(db.conn, S);
    const empty = await inspectSchemas(db.conn, S);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(arbSpecPair({ schema: 'prop', maxTables: 4 }), async ([a, b]) => {
        cases++;
        await resetSchemas(db.conn, S);
        const catA = await catalogOf(a, scratch);
        const catB = await catalogOf(b, scratch);
        await planAndApply(db.conn, empty, catA);
        const liveA = await inspectSchemas(db.conn, S);
        expect(diffCatalogs(liveA, catA)).toEqual([]);
        await planAndApply(db.conn, liveA, catB);
        expect(diffCatalogs(await inspectSchemas(db.conn, S), catB)).toEqual([]);
      }),
      { numRuns: RUNS, seed: Number(process.env.PLUMB_PROPERTY_SEED ?? 20261202), endOnFailure: true },
    );
    expect(cases).toBeGreaterThanOrEqual(RUNS);
    // ≈ 0.3 s a case on an idle 2-core machine; the generous limit is for shared, loaded ones.
  }, 900_000);
});

