// A chain of 100,000 rows on every Postgres engine: bulk-inserted through the
// trigger, verified in one streaming pass, and an edit deep inside it found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/drivers/connection.js';
import { installChain } from '../../src/chain/install.js';
import { verifyChain } from '../../src/chain/verify.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { firstProblem, verifyAfter } from './chain-kit.js';

const N = Number(process.env.PLUMB_TEST_CHAIN_ROWS ?? 100_000);

describe.each(pgEngines())('a large chain on $name', (engine) => {
  let db: FreshDb;
  let conn: Connection;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    conn = db.conn;
  });
  afterAll(async () => db?.dispose());

  it(`a chain of ${N} rows verifies, and an edit deep inside it is found at its seq`, async () => {
    await installChain(conn, { schema: 'big', table: 'log' });
    // Bulk: one INSERT … SELECT per 20,000 rows (the trigger still hashes row by row).
    for (let from = 1; from <= N; from += 20_000) {
      const to = Math.min(N, from + 19_999);
      await conn.exec(`INSERT INTO big.log (actor, action, entity_id, payload) SELECT 'user' || g, 'update', g::text, jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g % 7)) FROM generate_series(${from}, ${to}) g`);
    }
    const ok = await verifyChain(conn, { schema: 'big', table: 'log' });
    expect(ok.ok).toBe(true);
    expect(ok.rows).toBe(N);
    expect(ok.lastSeq).toBe(String(N));
    expect(ok.head.seq).toBe(String(N));
    const mid = Math.floor(N / 2);
    const edited = await verifyAfter(
      conn,
      async (tx) => {
        await tx.exec(`SET LOCAL session_replication_role = replica; UPDATE big.log SET payload = '{"n": 0}' WHERE seq = ${mid}`);
      },
      { schema: 'big', table: 'log' },
    );
    expect(firstProblem(edited)).toEqual({ kind: 'edited', seq: String(mid) });
    expect(edited.problems).toHaveLength(1);
  }, 400_000); // PGlite hashes 100,000 rows through the trigger in ~80-110 s on a loaded 2-core machine

});
