// The pg and PGlite adapters behave the same: values as text where precision
// matters, nested transactions as savepoints, translated errors, server version.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { PlumbError } from '../../src/errors.js';

describe.each(pgEngines())('postgres driver on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  });
  afterAll(async () => db?.dispose());

  it('reports the server version', async () => {
    expect(await db.conn.serverVersion()).toMatch(/^\d+(\.\d+)?/);
  });

  it('returns dates, timestamps, int8 and numeric as exact text', async () => {
    const [r] = await db.conn.query<Record<string, unknown>>(
      "SELECT DATE '2024-02-29' AS d, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, 9007199254740993::int8 AS big, 1.10::numeric(5,2) AS n, $1::int AS p",
      [42],
    );
    expect(r).toEqual({ d: '2024-02-29', ts: '2024-01-02 03:04:05.123456', big: '9007199254740993', n: '1.10', p: 42 });
  });

  it('commits, rolls back, and nests transactions as savepoints', async () => {
    await db.conn.exec('CREATE TABLE tx_t (v int)');
    await db.conn.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_t VALUES (1)');
      await expect(
        tx.transaction(async (inner) => {
          await inner.query('INSERT INTO tx_t VALUES (2)');
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await tx.query('INSERT INTO tx_t VALUES (3)');
    });
    await expect(
      db.conn.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_t VALUES (4)');
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    const rows = await db.conn.query<{ v: number }>('SELECT v FROM tx_t ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual([1, 3]);
  });

  it('refuses writes in a read-only transaction with a translated error', async () => {
    const err = await db.conn
      .transaction((tx) => tx.exec('CREATE TABLE ro_t (v int)'), { readOnly: true })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PlumbError);
    expect((err as PlumbError).message).toMatch(/read-only transaction/);
  });

  it('translates query errors into PlumbErrors with hints', async () => {
    const err = await db.conn.query('SELECT * FROM no_such_table').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PlumbError);
    expect((err as PlumbError).code).toBe('E_QUERY');
    expect((err as PlumbError).message).toMatch(/no_such_table/);
    expect((err as PlumbError).hint).toBeTruthy();
  });
});

describe('loading the pg driver', () => {
  it("does not load undici for pg's Cloudflare probe, and leaves no navigator behind on Node 20", () => {
    const driver = new URL('../../dist/drivers/pg-driver.js', import.meta.url).href;
    const out = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const before = typeof navigator; await import(${JSON.stringify(driver)}); console.log(JSON.stringify({ before, after: typeof navigator, undici: process.moduleLoadList.some((m) => m.includes('undici')) }))`,
    ]).toString();
    const r = JSON.parse(out) as { before: string; after: string; undici: boolean };
    expect(r.after).toBe(r.before);
    expect(r.undici).toBe(false);
  });
});
