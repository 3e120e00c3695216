// A held metadata lock on MariaDB: apply gives up within the plan's lock
// timeout (exit 4, a clear message), and a reader queued behind the waiting
// ALTER is not blocked past it. Without session lock timeouts the ALTER
// waits lock_wait_timeout's default: a day.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const server = mysqlServer();

describe.runIf(!!server)('apply on MariaDB under a held metadata lock', () => {
  let db: FreshMysql;
  let dir: string;
  beforeAll(async () => {
    db = await freshMysql(server);
    dir = await mkdtemp(join(tmpdir(), 'plumb-mdl-'));
    await db.conn.exec('CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB');
    await db.conn.exec('INSERT INTO t VALUES (1), (2)');
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails within the lock timeout with exit 4, and a reader queued behind it is not blocked past it', async () => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(spec, 'version: 1\ntables:\n  - name: t\n    columns:\n      - { name: id, type: int, primaryKey: true }\n      - { name: note, type: varchar(20), nullable: true }\n');
    expect(await plumb('plan', '--db', db.url, '--spec', spec, '--lock-timeout', '1000', '--out', join(dir, 'plan')), out).toBe(0);

    const holder = await connect(db.url);
    const reader = await connect(db.url);
    try {
      // An open transaction that read the table holds its metadata lock until it ends.
      await holder.exec('START TRANSACTION');
      await holder.query('SELECT COUNT(*) AS n FROM t');
      const t0 = Date.now();
      // No retries: one wait, bounded by the lock timeout (retries repeat it with growing pauses between).
      const applying = plumb('apply', '--db', db.url, '--plan', join(dir, 'plan', 'plan.json'), '--yes', '--retries', '0');
      // Let the ALTER queue for its exclusive lock; a reader arriving now waits behind it.
      await new Promise((r) => setTimeout(r, 300));
      const r0 = Date.now();
      const read = reader.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM t').then((rows) => ({ n: Number(rows[0]?.n), ms: Date.now() - r0 }));
      const code = await applying;
      const applyMs = Date.now() - t0;
      const r = await read;
      expect(code, out).toBe(4);
      expect(out).toMatch(/lock timeout/i);
      expect(out).toMatch(/waiting for a lock after 1000 ms/);
      expect(out).toMatch(/--resume/);
      expect(applyMs).toBeLessThan(5_000);
      expect(r.n).toBe(2);
      expect(r.ms).toBeLessThan(3_000);
      // Nothing changed: the column is not there.
      const cols = await db.conn.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'");
      expect(cols).toHaveLength(1);
    } finally {
      await holder.exec('ROLLBACK').catch(() => undefined);
      await holder.close();
      await reader.close();
    }
    // Once the lock is free, the interrupted apply continues where it stopped.
    expect(await plumb('apply', '--db', db.url, '--plan', join(dir, 'plan', 'plan.json'), '--resume', '--yes'), out).toBe(0);
    const cols = await db.conn.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'");
    expect(cols).toHaveLength(2);
  }, 60_000);

  it('every session starts with plumb\'s lock timeout, and a transaction with its own gives it back afterwards', async () => {
    const c = await connect(db.url);
    try {
      const read = async () => (await c.query<{ l: unknown; i: unknown }>('SELECT @@SESSION.lock_wait_timeout AS l, @@SESSION.innodb_lock_wait_timeout AS i'))[0];
      expect(await read()).toEqual({ l: '5', i: '5' });
      await c.transaction(async (tx) => {
        expect((await tx.query<{ l: unknown }>('SELECT @@SESSION.lock_wait_timeout AS l'))[0]?.l).toBe('2');
      }, { lockTimeoutMs: 1500 });
      expect(await read()).toEqual({ l: '5', i: '5' });
    } finally {
      await c.close();
    }
  });
});
