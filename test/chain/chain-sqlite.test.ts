// plumb chain on SQLite: the triggers build the canonical payload in SQL and
// call plumb_chain_sha256(), which writers must register; a connection without
// it cannot insert. Tampering (triggers dropped, as anyone with the file can)
// is found at the right seq, and truncation only against an anchor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { installChain } from '../../src/chain/install.js';
import { verifyChain, NO_ANCHOR_NOTE } from '../../src/chain/verify.js';
import { makeAnchor } from '../../src/chain/make-anchor.js';
import { registerSqliteChainFunctions } from '../../src/chain/dialects/sqlite-chain.js';
import { verifyAfter } from './chain-kit.js';

const N = Number(process.env.PLUMB_TEST_CHAIN_ROWS ?? 100_000);
const opts = { table: 'log' };
const dropGuards = `DROP TRIGGER plumb_chain_noupd_log; DROP TRIGGER plumb_chain_nodel_log; DROP TRIGGER zz_plumb_chain_append_log; DROP TRIGGER plumb_chain_head_guard;`;

describe('plumb chain on sqlite', () => {
  let dir: string;
  let conn: Connection;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plumb-chain-'));
    conn = await connect(`sqlite:${join(dir, 'chain.db')}?mode=rwc`);
  });
  afterAll(async () => {
    await conn?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs, hashes hostile values identically in SQL and TypeScript, and guards the rows', async () => {
    const r = await installChain(conn, { table: 'hostile', columns: 't text, n numeric, i integer, f real, b blob, j text' });
    expect(r.notes.join(' ')).toMatch(/plumb_chain_sha256/);
    await conn.exec(`INSERT INTO hostile (t, n, i, f, b, j) VALUES
      (NULL, NULL, NULL, NULL, NULL, NULL),
      ('', 1.0, 9223372036854775807, 0.1, x'00ff5c', '{"b":1,"a":2}'),
      ('ünïcödé 😀 \\ back\\slash ''q''', '1.00', -9007199254740993, 1e308, x'', '{}'),
      ('NULL', 'abc', 0, -0.0, NULL, 'null')`);
    const v = await verifyChain(conn, { table: 'hostile' });
    expect(v.problems).toEqual([]);
    expect(v.rows).toBe(4);
    await expect(conn.exec(`UPDATE hostile SET t = 'x' WHERE seq = 1`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`DELETE FROM hostile`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`INSERT INTO hostile (t, row_hash) VALUES ('forged', 'forged')`)).rejects.toThrow(/not allowed/);
    expect((await installChain(conn, { table: 'hostile' })).alreadyInstalled).toBe(true);
  });

  it('refuses writers that have not registered plumb_chain_sha256 (no unhashed row can be written)', () => {
    const other = new Database(join(dir, 'chain.db'));
    try {
      expect(() => other.exec(`INSERT INTO hostile (t) VALUES ('bypass')`)).toThrow(/plumb_chain_sha256/);
      registerSqliteChainFunctions(other);
      other.exec(`INSERT INTO hostile (t) VALUES ('registered writer')`);
    } finally {
      other.close();
    }
  });

  it(`a chain of ${N} rows verifies`, async () => {
    await installChain(conn, { table: 'big' });
    await conn.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${N})
      INSERT INTO big (actor, action, payload) SELECT 'user' || n, 'update', json_object('n', n) FROM g`);
    const ok = await verifyChain(conn, { table: 'big' });
    expect(ok.problems).toEqual([]);
    expect(ok.rows).toBe(N);
    expect(ok.notes).toContain(NO_ANCHOR_NOTE);
  }, 400_000);

  it('edits, deletions, insertions, swaps and truncation are found at the right seq', async () => {
    const SMALL = 2000;
    await installChain(conn, opts);
    await conn.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${SMALL})
      INSERT INTO log (actor, action, payload) SELECT 'user' || n, 'update', json_object('n', n) FROM g`);
    expect((await verifyChain(conn, opts)).ok).toBe(true);
    const kinds = (r: Awaited<ReturnType<typeof verifyChain>>) => r.problems.map((p) => [p.kind, p.seq]);

    expect(kinds(await verifyAfter(conn, (tx) => tx.exec(`${dropGuards} UPDATE log SET actor = 'mallory' WHERE seq = 777`), opts))).toEqual([['edited', '777']]);
    expect(kinds(await verifyAfter(conn, (tx) => tx.exec(`${dropGuards} DELETE FROM log WHERE seq = 1234`), opts))).toEqual([['deleted', '1234']]);
    const swap = `${dropGuards} UPDATE log SET seq = -1 WHERE seq = 700; UPDATE log SET seq = 700 WHERE seq = 701; UPDATE log SET seq = 701 WHERE seq = -1;`;
    expect(kinds(await verifyAfter(conn, (tx) => tx.exec(swap), opts))).toEqual([['reordered', '700']]);
    // A foreign row claiming an existing seq (the table rebuilt without its unique seq first).
    const dup = `${dropGuards} CREATE TABLE x AS SELECT * FROM log; DROP TABLE log; ALTER TABLE x RENAME TO log;
      INSERT INTO log (actor, action, seq, previous_hash, row_hash, hash_version) VALUES ('mallory', 'grant', 500, '${'0'.repeat(64)}', '${'f'.repeat(64)}', 1);`;
    expect(kinds(await verifyAfter(conn, (tx) => tx.exec(dup), opts))[0]).toEqual(['inserted', '500']);

    const { anchor } = await makeAnchor(conn, opts);
    const k = 3;
    const truncate = async (tx: Connection) => {
      await tx.exec(`${dropGuards} DELETE FROM log WHERE seq > ${SMALL - k}; UPDATE plumb_chain SET last_seq = ${SMALL - k}, last_hash = (SELECT row_hash FROM log WHERE seq = ${SMALL - k}) WHERE table_name = 'log'`);
    };
    const blind = await verifyAfter(conn, truncate, opts);
    expect(blind.ok).toBe(true);
    expect(blind.notes).toContain(NO_ANCHOR_NOTE);
    expect(kinds(await verifyAfter(conn, truncate, { ...opts, anchor }))).toEqual([['truncated', String(SMALL - k + 1)]]);
  });
});
