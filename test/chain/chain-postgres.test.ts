// plumb chain on Postgres (PGlite and servers): install, canonical bytes agree
// with the SQL trigger, every kind of tampering is found at the right seq,
// anchors catch a truncated tail, and concurrent writers never fork the chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { installChain } from '../../src/chain/install.js';
import { verifyChain, NO_ANCHOR_NOTE } from '../../src/chain/verify.js';
import { makeAnchor } from '../../src/chain/make-anchor.js';
import { generateSignKey, checkAnchorSignature } from '../../src/chain/anchor.js';
import { PayloadEncoder, rowHash, valueField } from '../../src/chain/canonical.js';
import { postgresChain } from '../../src/chain/dialects/postgres-chain.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { firstProblem, verifyAfter } from './chain-kit.js';

const SMALL = 2000;

describe.each(pgEngines())('plumb chain on $name', (engine) => {
  let db: FreshDb;
  let conn: Connection;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    conn = db.conn;
  });
  afterAll(async () => db?.dispose());

  it('hashes hostile values identically in the trigger (SQL) and the verifier (TypeScript)', async () => {
    await installChain(conn, {
      schema: 'hostile',
      table: 'log',
      columns:
        't text, n numeric, i bigint, f double precision, ts timestamptz, tl timestamp, d date, j jsonb, js json, b bytea, flag boolean, arr text[], u uuid, iv interval',
    });
    const rows: [string, string][] = [
      ['UTC', `(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`],
      ['UTC', `('', 1.0, 9223372036854775807, 0.1, '2024-03-10 01:59:59.999999+00', '2024-01-01 00:00:00', '2024-02-29', '{"b":1,"a":{"d":[1.0,2],"c":null}}', '{"b": 1, "a": 2}', '\\x00ff5c', true, ARRAY['a,b', NULL, '"q"'], '00000000-0000-0000-0000-000000000001', '1 day 02:03:04')`],
      ['America/New_York', `('ünïcödé 😀 \\ back\\slash ''quote'' ${'x'.repeat(300)}', 1.00, -9007199254740993, 1e308, '2024-03-10 01:59:59.5-05', '1999-12-31 23:59:59.123', '0001-01-01', '{"a":2,"b":1}', '{"a": 2,  "b" : 1}', '\\x', false, '{}', NULL, '-1 mon')`],
      ['Asia/Kolkata', `(E'tab\\tnewline\\nnul-free', 0.000, 2, -0.0, '2024-03-10 12:29:59.5+05:30', 'infinity', '2024-01-01', '"just a string"', '[]', NULL, NULL, NULL, NULL, NULL)`],
      ['Pacific/Chatham', `('NULL', 'NaN', 0, 'Infinity', 'infinity', '-infinity', 'infinity', 'null', 'null', NULL, NULL, NULL, NULL, NULL)`],
    ];
    for (const [tz, values] of rows) {
      await conn.transaction(async (tx) => {
        await tx.exec(`SET LOCAL TimeZone = '${tz}'; SET LOCAL extra_float_digits = 3; SET LOCAL DateStyle = 'SQL, DMY'; SET LOCAL IntervalStyle = 'sql_standard'`);
        await tx.exec(`INSERT INTO hostile.log (t, n, i, f, ts, tl, d, j, js, b, flag, arr, u, iv) VALUES ${values}`);
      });
    }
    // The SQL payload function's bytes, row by row, beside the TypeScript encoder's bytes.
    // (under the canonical session settings the append trigger runs with)
    const sqlPayloads = await postgresChain.snapshot(conn, (tx) =>
      tx.query<{ seq: string; p: string }>(`SELECT x.seq::text AS seq, encode(hostile.plumb_chain_payload_log(x.seq, x), 'hex') AS p FROM hostile.log x ORDER BY x.seq`),
    );
    const report = await postgresChain.snapshot(conn, async (tx) => {
      const meta = (await postgresChain.readMeta(tx, { schema: 'hostile', table: 'log' }))!;
      const enc = new PayloadEncoder(meta);
      const out: string[] = [];
      for await (const batch of postgresChain.rows(tx, meta, 2)) for (const r of batch) out.push(enc.payload(r.seq!, r.values).toString('hex'));
      return out;
    });
    expect(report).toEqual(sqlPayloads.map((r) => r.p));
    const v = await verifyChain(conn, { schema: 'hostile', table: 'log' });
    expect(v.problems).toEqual([]);
    expect(v.rows).toBe(rows.length);

    // The same instant written under three time zones has one canonical text.
    const ts = Buffer.from(sqlPayloads[2]!.p, 'hex').toString('latin1');
    expect(ts).toContain('2024-03-10T06:59:59.500000Z');
    expect(Buffer.from(sqlPayloads[3]!.p, 'hex').toString('latin1')).toContain('2024-03-10T06:59:59.500000Z');
    // Integers beyond 2^53 stay exact; numeric scale is part of the value (1.0 ≠ 1.00); jsonb sorts keys.
    expect(Buffer.from(sqlPayloads[1]!.p, 'hex').toString('utf8')).toContain('9223372036854775807');
    expect(Buffer.from(sqlPayloads[2]!.p, 'hex').toString('utf8')).toContain('-9007199254740993');
    expect(sqlPayloads[1]!.p).toContain(valueField('1.0').toString('hex'));
    expect(sqlPayloads[2]!.p).toContain(valueField('1.00').toString('hex'));
    expect(Buffer.from(sqlPayloads[1]!.p, 'hex').toString('utf8')).toContain('{"a": {"c": null, "d": [1.0, 2]}, "b": 1}');
    // NULL and '' differ: 0x00 marker vs 0x01 + zero length.
    expect(sqlPayloads[0]!.p).not.toEqual(sqlPayloads[1]!.p);
  });

  it('guards reject UPDATE, DELETE and TRUNCATE, and writers cannot choose seq or hashes', async () => {
    await installChain(conn, { schema: 'guard', table: 'log' });
    await conn.exec(`INSERT INTO guard.log (action, seq, previous_hash, row_hash) VALUES ('login', 999, 'forged', 'forged')`);
    const [r] = await conn.query<{ seq: string; previous_hash: string }>(`SELECT seq::text AS seq, previous_hash FROM guard.log`);
    expect(r!.seq).toBe('1');
    expect(r!.previous_hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(conn.exec(`UPDATE guard.log SET actor = 'x'`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`DELETE FROM guard.log`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`TRUNCATE guard.log`)).rejects.toThrow(/not allowed/);
    await expect(conn.exec(`UPDATE guard.plumb_chain SET last_seq = 0`)).rejects.toThrow(/may only advance/);
    expect((await verifyChain(conn, { schema: 'guard', table: 'log' })).ok).toBe(true);
    // Installing twice changes nothing.
    expect((await installChain(conn, { schema: 'guard', table: 'log' })).alreadyInstalled).toBe(true);
  });

  describe('tampering on a chain of 2,000 rows', () => {
    const opts = { schema: 'tamper', table: 'log' };
    let hashOf: (seq: number) => Promise<string>;
    beforeAll(async () => {
      await installChain(conn, opts);
      await conn.exec(`INSERT INTO tamper.log (actor, action, payload) SELECT 'u' || g, 'act', jsonb_build_object('g', g) FROM generate_series(1, ${SMALL}) g`);
      hashOf = async (seq) => (await conn.query<{ h: string }>(`SELECT row_hash AS h FROM tamper.log WHERE seq = $1`, [seq]))[0]!.h;
    });
    const replica = 'SET LOCAL session_replication_role = replica;';

    it('is intact before the attacks', async () => {
      const r = await verifyChain(conn, opts);
      expect(r.ok).toBe(true);
      expect(r.notes).toContain(NO_ANCHOR_NOTE);
    });

    it('finds an edited row (trigger disabled with ALTER TABLE … DISABLE TRIGGER)', async () => {
      const r = await verifyAfter(conn, async (tx) => tx.exec(`ALTER TABLE tamper.log DISABLE TRIGGER USER; UPDATE tamper.log SET actor = 'mallory' WHERE seq = 777`), opts);
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['edited', '777']]);
      expect(r.problems[0]!.stored).toBe(await hashOf(777));
    });

    it('finds an edited row whose hash was recomputed (the link to the next row breaks)', async () => {
      const meta = (await postgresChain.snapshot(conn, (tx) => postgresChain.readMeta(tx, opts)))!;
      const r = await verifyAfter(
        conn,
        async (tx) => {
          const [row] = await tx.query<{ prev: string; vals: (string | null)[] }>(
            `SELECT previous_hash AS prev, ARRAY[to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'mallory', action, entity_type, entity_id, payload::text] AS vals FROM tamper.log WHERE seq = 500`,
          );
          const h = rowHash(row!.prev, new PayloadEncoder(meta).payloadCanonical('500', row!.vals));
          await tx.exec(`${replica} UPDATE tamper.log SET actor = 'mallory', row_hash = '${h}' WHERE seq = 500`);
        },
        opts,
      );
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['edited', '500']]);
      expect(r.problems[0]!.detail).toMatch(/recomputed/);
    });

    it('finds a deleted row', async () => {
      const r = await verifyAfter(conn, async (tx) => tx.exec(`${replica} DELETE FROM tamper.log WHERE seq = 1234`), opts);
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['deleted', '1234']]);
    });

    it('finds a row inserted in the middle (later rows renumbered, hashes computed by the attacker)', async () => {
      const meta = (await postgresChain.snapshot(conn, (tx) => postgresChain.readMeta(tx, opts)))!;
      const prev = await hashOf(999);
      const when = '2024-01-01T00:00:00.000000Z';
      const h = rowHash(prev, new PayloadEncoder(meta).payloadCanonical('1000', [when, 'mallory', 'grant', null, null, null]));
      const r = await verifyAfter(
        conn,
        async (tx) => {
          await tx.exec(`${replica} UPDATE tamper.log SET seq = -seq WHERE seq >= 1000; UPDATE tamper.log SET seq = -seq + 1 WHERE seq < 0`);
          await tx.query(`INSERT INTO tamper.log (seq, occurred_at, actor, action, previous_hash, row_hash, hash_version) VALUES (1000, $1, 'mallory', 'grant', $2, $3, 1)`, [when, prev, h]);
          await tx.exec(`UPDATE tamper.plumb_chain SET last_seq = last_seq + 1 WHERE table_name = 'log'`);
        },
        opts,
      );
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([
        ['inserted', '1000'],
        ['renumbered', '1002'],
      ]);
    });

    it('finds a row appended behind the trigger\'s back (rows after the head)', async () => {
      const meta = (await postgresChain.snapshot(conn, (tx) => postgresChain.readMeta(tx, opts)))!;
      const prev = await hashOf(SMALL);
      const when = '2024-01-01T00:00:00.000000Z';
      const h = rowHash(prev, new PayloadEncoder(meta).payloadCanonical(String(SMALL + 1), [when, 'mallory', 'grant', null, null, null]));
      const r = await verifyAfter(
        conn,
        (tx) => tx.exec(`${replica} INSERT INTO tamper.log (seq, occurred_at, actor, action, previous_hash, row_hash, hash_version) VALUES (${SMALL + 1}, '${when}', 'mallory', 'grant', '${prev}', '${h}', 1)`),
        opts,
      );
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['inserted', String(SMALL + 1)]]);
    });

    it('finds two adjacent rows swapped, and two distant rows swapped', async () => {
      const swap = (a: number, b: number) => `${replica} UPDATE tamper.log SET seq = -1 WHERE seq = ${a}; UPDATE tamper.log SET seq = ${a} WHERE seq = ${b}; UPDATE tamper.log SET seq = ${b} WHERE seq = -1`;
      const near = await verifyAfter(conn, (tx) => tx.exec(swap(700, 701)), opts);
      expect(near.problems.map((p) => [p.kind, p.seq])).toEqual([['reordered', '700']]);
      const far = await verifyAfter(conn, (tx) => tx.exec(swap(300, 900)), opts);
      expect(firstProblem(far)).toEqual({ kind: 'reordered', seq: '300' });
      expect(far.problems.every((p) => p.kind === 'reordered')).toBe(true);
    });

    it('detects a truncated tail only against an anchor, and says so without one', async () => {
      const keys = generateSignKey();
      const { anchor } = await makeAnchor(conn, { ...opts, privateKeyPem: keys.privateKeyPem });
      expect(anchor.seq).toBe(String(SMALL));
      expect(checkAnchorSignature(anchor, keys.publicKeyPem)).toBe('valid-pinned');
      const k = 5;
      const truncate = async (tx: Connection) => {
        const keep = await hashOf(SMALL - k);
        await tx.exec(`${replica} DELETE FROM tamper.log WHERE seq > ${SMALL - k}; UPDATE tamper.plumb_chain SET last_seq = ${SMALL - k}, last_hash = '${keep}' WHERE table_name = 'log'`);
      };
      const blind = await verifyAfter(conn, truncate, opts);
      expect(blind.ok).toBe(true);
      expect(blind.notes).toContain(NO_ANCHOR_NOTE);
      const anchored = await verifyAfter(conn, truncate, { ...opts, anchor, publicKeyPem: keys.publicKeyPem });
      expect(anchored.problems.map((p) => [p.kind, p.seq])).toEqual([['truncated', String(SMALL - k + 1)]]);
      expect(anchored.notes).not.toContain(NO_ANCHOR_NOTE);
      // An anchor whose content was edited fails its signature; another signer's key is refused.
      await expect(verifyChain(conn, { ...opts, anchor: { ...anchor, seq: String(SMALL - k) } })).rejects.toThrow(/signature/);
      await expect(verifyChain(conn, { ...opts, anchor, publicKeyPem: generateSignKey().publicKeyPem })).rejects.toThrow(/signature/);
    });

    it('detects history rewritten below the anchor (head ≠ anchor)', async () => {
      const { anchor } = await makeAnchor(conn, opts);
      // The owner rewrites row 2000 and recomputes its hash: the chain is self-consistent, the anchor is not.
      const meta = (await postgresChain.snapshot(conn, (tx) => postgresChain.readMeta(tx, opts)))!;
      const r = await verifyAfter(
        conn,
        async (tx) => {
          const [row] = await tx.query<{ prev: string; vals: (string | null)[] }>(
            `SELECT previous_hash AS prev, ARRAY[to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'mallory', action, entity_type, entity_id, payload::text] AS vals FROM tamper.log WHERE seq = ${SMALL}`,
          );
          const h = rowHash(row!.prev, new PayloadEncoder(meta).payloadCanonical(String(SMALL), row!.vals));
          await tx.exec(`${replica} UPDATE tamper.log SET actor = 'mallory', row_hash = '${h}' WHERE seq = ${SMALL}; UPDATE tamper.plumb_chain SET last_hash = '${h}' WHERE table_name = 'log'`);
        },
        { ...opts, anchor },
      );
      expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['anchor-mismatch', String(SMALL)]]);
    });

    it('reports a column added after install as outside the hash', async () => {
      const r = await verifyAfter(conn, (tx) => tx.exec(`ALTER TABLE tamper.log ADD COLUMN note text`), opts);
      expect(r.problems.map((p) => p.kind)).toEqual(['unhashed-column']);
    });
  });

  it('chains the rows an existing table already has, in primary-key order', async () => {
    await conn.exec(`CREATE SCHEMA legacy; CREATE TABLE legacy.audit (id int PRIMARY KEY, what text NOT NULL, at timestamptz NOT NULL DEFAULT now());
      INSERT INTO legacy.audit (id, what) SELECT g, 'old ' || g FROM generate_series(50, 1, -1) g;`);
    const r = await installChain(conn, { schema: 'legacy', table: 'audit' });
    expect(r.backfilled).toBe(50);
    await conn.exec(`INSERT INTO legacy.audit (id, what) VALUES (51, 'new')`);
    const [first] = await conn.query<{ id: number }>(`SELECT id FROM legacy.audit WHERE seq = 1`);
    expect(first!.id).toBe(1);
    const v = await verifyChain(conn, { schema: 'legacy', table: 'audit' });
    expect(v.problems).toEqual([]);
    expect(v.lastSeq).toBe('51');
  });

  it.skipIf(engine.kind !== 'server')('8 writers × 1,000 concurrent inserts: no fork, no gap', async () => {
    await installChain(conn, { schema: 'conc', table: 'log' });
    const writers = await Promise.all(Array.from({ length: 8 }, () => connect(db.url)));
    try {
      await Promise.all(
        writers.map(async (w, i) => {
          for (let j = 0; j < 1000; j++) await w.query(`INSERT INTO conc.log (actor, action) VALUES ($1, 'write')`, [`writer${i}-${j}`]);
        }),
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const v = await verifyChain(conn, { schema: 'conc', table: 'log' });
    expect(v.problems).toEqual([]);
    expect(v.rows).toBe(8000);
    expect(v.lastSeq).toBe('8000');
    expect(v.head.seq).toBe('8000');
  });
});
