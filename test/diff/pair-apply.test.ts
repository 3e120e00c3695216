// Random schema pairs from the arbitraries, on a real engine: build A from
// nothing with rendered changes, diff A → B, apply forward (inspects as B) and
// rollback (inspects as A). Guards the arbitraries (every generated schema
// applies), the diff's order and the renderer together. The plan engineer's
// property test runs the same pairs through plan/apply at CI scale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Catalog } from '../../src/catalog/types.js';
import type { Change } from '../../src/diff/changes.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { describeChange } from '../../src/diff/describe.js';
import { introspectPostgres } from '../../src/dialects/postgres/postgres-introspector.js';
import { renderPostgresChange } from '../../src/dialects/postgres/postgres-render.js';
import type { Connection } from '../../src/drivers/connection.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { arbSpecPair, catalogOf } from './arbitraries.js';

const engines = pgEngines();
// A server makes each case ~20× cheaper than PGlite; use the first one there is.
const engine = engines.find((e) => e.kind === 'server') ?? engines[0]!;
const RUNS = Number(process.env.PLUMB_FC_RUNS ?? (engine.kind === 'server' ? 15 : 4));

async function exec(tx: Connection, changes: Change[], which: 'forward' | 'rollback'): Promise<void> {
  for (const c of which === 'forward' ? changes : [...changes].reverse()) {
    for (const s of renderPostgresChange(c)[which]) {
      try {
        await tx.exec(s);
      } catch (e) {
        throw new Error(`${which} of "${describeChange(c)}": ${s}\n${(e as Error).message}`);
      }
    }
  }
}

const drift = (x: Catalog, y: Catalog) => diffCatalogs(x, y, { exactNames: true }).map(describeChange);

describe(`random schema pairs on ${engine.name}`, () => {
  let target: FreshDb;
  let scratch: FreshDb;
  beforeAll(async () => {
    [target, scratch] = [await freshDatabase(engine), await freshDatabase(engine)];
  });
  afterAll(async () => {
    await target?.dispose();
    await scratch?.dispose();
  });

  it(`A + diff(A, B) = B and back, over ${RUNS} pairs`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(arbSpecPair({ schema: 'prop' }), async ([a, b]) => {
        const A = await catalogOf(a, scratch.conn);
        const B = await catalogOf(b, scratch.conn);
        await target.conn
          .transaction(async (tx) => {
            const empty = await introspectPostgres(tx, { schemas: ['prop'] });
            await exec(tx, diffCatalogs(empty, A, { extensions: false }), 'forward');
            const built = await introspectPostgres(tx, { schemas: ['prop'] });
            expect(drift(built, A)).toEqual([]);
            const changes = diffCatalogs(built, B, { exactNames: true });
            for (const c of changes) seen.add(c.kind);
            await exec(tx, changes, 'forward');
            expect(drift(await introspectPostgres(tx, { schemas: ['prop'] }), B)).toEqual([]);
            await exec(tx, changes, 'rollback');
            expect(drift(await introspectPostgres(tx, { schemas: ['prop'] }), A)).toEqual([]);
            throw new Error('rollback');
          })
          .catch((e) => {
            if ((e as Error).message !== 'rollback') throw e;
          });
      }),
      { numRuns: RUNS, seed: Number(process.env.PLUMB_FC_SEED ?? 20261123), endOnFailure: true },
    );
    // The pairs really exercise the diff (not just empty edits).
    if (RUNS >= 30) for (const k of ['createTable', 'dropTable', 'addColumn', 'dropColumn', 'alterColumnType', 'alterColumnNullability', 'addForeignKey', 'createIndex']) expect([...seen]).toContain(k);
    else expect(seen.size).toBeGreaterThanOrEqual(Math.min(RUNS, 5));
  }, 60_000 + RUNS * 5_000);
});
