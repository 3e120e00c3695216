// plumb chain on MariaDB/MySQL: SHA2 in a BEFORE INSERT trigger under a locked
// head row. DDL commits implicitly here, so each attack (which drops the guard
// triggers, as an attacker with TRIGGER privilege would) gets its own chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { installChain } from '../../src/chain/install.js';
import { verifyChain, NO_ANCHOR_NOTE, type VerifyReport } from '../../src/chain/verify.js';
import { makeAnchor } from '../../src/chain/make-anchor.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';

const N = Number(process.env.PLUMB_TEST_CHAIN_ROWS ?? 100_000);
const SMALL = 2000;
const server = mysqlServer();
const digits = '(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
/** 1..10^k as a derived table `g(n)`. */
const numbers = (k: number) =>
  `(SELECT ${Array.from({ length: k }, (_, i) => `d${i}.d * ${10 ** i}`).join(' + ')} + 1 AS n FROM ${Array.from({ length: k }, (_, i) => `${digits} d${i}`).join(', ')}) g`;
const kinds = (r: VerifyReport) => r.problems.map((p) => [p.kind, p.seq]);

describe.skipIf(!server)('plumb chain on mysql/mariadb', () => {
  let db: FreshMysql;
  let conn: Connection;
  beforeAll(async () => {
    db = await freshMysql(server);
    conn = db.conn;
  });
  afterAll(async () => db?.dispose());

  /** A chained table of SMALL rows; the guards dropped when `attack` is true. */
  async function chainOf(table: string, rows = SMALL): Promise<void> {
    await installChain(conn, { table });
    await conn.exec(`INSERT INTO \`${table}\` (actor, action, payload) SELECT CONCAT('u', n), 'act', JSON_OBJECT('n', n) FROM ${numbers(Math.ceil(Math.log10(rows)))} WHERE n <= ${rows} ORDER BY n`);
  }
  const dropGuards = (t: string) =>
    conn.exec(`DROP TRIGGER plumb_chain_noupd_${t}; DROP TRIGGER plumb_chain_nodel_${t}; DROP TRIGGER plumb_chain_append_${t}; DROP TRIGGER plumb_chain_head_noupd; DROP TRIGGER plumb_chain_head_nodel`);

  it('hashes hostile values identically in SQL and TypeScript, whatever the session time_zone', async () => {
    await installChain(conn, { table: 'hostile', columns: 't text, n decimal(20,2), m decimal(30,10), i bigint, f double, ts timestamp(6) null, dt datetime(3), d date, j json, b varbinary(10), flag boolean, e enum(\'a\',\'b\')' });
    const rows: [string, string][] = [
      ['+00:00', `(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`],
      ['+00:00', `('', 1.0, 1.00, 9223372036854775807, 0.1, '2024-03-10 06:59:59.5', '2024-01-01 00:00:00.123', '2024-02-29', '{"b":1,"a":{"d":[1.0,2]}}', 0x00ff5c, true, 'a')`],
      ['-05:00', `('ünïcödé 😀 \\\\ back\\\\slash ''q''', -0.5, 123456789.0123456789, -9007199254740993, 1e308, '2024-03-10 01:59:59.5', '1999-12-31 23:59:59', '1000-01-01', '{"a":2, "b" : 1}', X'', false, 'b')`],
      ['+05:30', `('NULL', 0, 0, 0, -0.0, '2024-03-10 12:29:59.5', '9999-12-31 23:59:59.999', '9999-12-31', 'null', NULL, NULL, NULL)`],
    ];
    for (const [tz, values] of rows) await conn.exec(`SET time_zone = '${tz}'; INSERT INTO hostile (t, n, m, i, f, ts, dt, d, j, b, flag, e) VALUES ${values}`);
    await conn.exec(`SET time_zone = '+00:00'`);
    const v = await verifyChain(conn, { table: 'hostile' });
    expect(v.problems).toEqual([]);
    expect(v.rows).toBe(rows.length);
    // The same instant written under three zones is stored once: 06:59:59.5 UTC.
    const ts = await conn.query<{ ts: string }>(`SELECT CAST(ts AS CHAR) AS ts FROM hostile WHERE seq IN (2, 3, 4) ORDER BY seq`);
    expect(new Set(ts.map((r) => r.ts)).size).toBe(1);
    await expect(conn.exec(`UPDATE hostile SET t = 'x'`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`DELETE FROM hostile`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`UPDATE plumb_chain SET last_seq = 0`)).rejects.toThrow(/only advance/);
    expect((await installChain(conn, { table: 'hostile' })).alreadyInstalled).toBe(true);
  });

  it(`a chain of ${N} rows verifies`, async () => {
    await chainOf('big', N);
    const r = await verifyChain(conn, { table: 'big' });
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(N);
    expect(r.head.seq).toBe(String(N));
  }, 400_000); // 100,000 trigger-hashed inserts: ~75 s on an idle 2-core machine, more under load

  it('finds an edited, a deleted, an inserted and a swapped row at the right seq', async () => {
    await chainOf('ed');
    await dropGuards('ed');
    await conn.exec(`UPDATE ed SET actor = 'mallory' WHERE seq = 777`);
    expect(kinds(await verifyChain(conn, { table: 'ed' }))).toEqual([['edited', '777']]);

    await chainOf('del');
    await dropGuards('del');
    await conn.exec(`DELETE FROM del WHERE seq = 1234`);
    expect(kinds(await verifyChain(conn, { table: 'del' }))).toEqual([['deleted', '1234']]);

    await chainOf('ins');
    await dropGuards('ins');
    await conn.exec(`ALTER TABLE ins DROP PRIMARY KEY`);
    await conn.exec(`INSERT INTO ins (seq, actor, action, previous_hash, row_hash, hash_version) VALUES (500, 'mallory', 'grant', REPEAT('0', 64), REPEAT('f', 64), 1)`);
    expect(kinds(await verifyChain(conn, { table: 'ins' }))[0]).toEqual(['inserted', '500']);

    await chainOf('swp');
    await dropGuards('swp');
    await conn.exec(`UPDATE swp SET seq = 0 WHERE seq = 700; UPDATE swp SET seq = 700 WHERE seq = 701; UPDATE swp SET seq = 701 WHERE seq = 0`);
    expect(kinds(await verifyChain(conn, { table: 'swp' }))).toEqual([['reordered', '700']]);
  });

  it('detects a truncated tail only against an anchor, and says so without one', async () => {
    await chainOf('trunc');
    const { anchor } = await makeAnchor(conn, { table: 'trunc' });
    await dropGuards('trunc');
    const k = 4;
    await conn.exec(`DELETE FROM trunc WHERE seq > ${SMALL - k}`);
    await conn.exec(`UPDATE plumb_chain SET last_seq = ${SMALL - k}, last_hash = (SELECT row_hash FROM trunc WHERE seq = ${SMALL - k}) WHERE table_name = 'trunc'`);
    const blind = await verifyChain(conn, { table: 'trunc' });
    expect(blind.ok).toBe(true);
    expect(blind.notes).toContain(NO_ANCHOR_NOTE);
    expect(kinds(await verifyChain(conn, { table: 'trunc', anchor }))).toEqual([['truncated', String(SMALL - k + 1)]]);
  });

  it('8 writers × 1,000 concurrent inserts: no fork, no gap', async () => {
    await installChain(conn, { table: 'conc' });
    const writers = await Promise.all(Array.from({ length: 8 }, () => connect(db.url)));
    try {
      await Promise.all(
        writers.map(async (w, i) => {
          for (let j = 0; j < 1000; j++) await w.query(`INSERT INTO conc (actor, action) VALUES (?, 'write')`, [`writer${i}-${j}`]);
        }),
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const v = await verifyChain(conn, { table: 'conc' });
    expect(v.problems).toEqual([]);
    expect(v.rows).toBe(8000);
    expect(v.lastSeq).toBe('8000');
  });
});
