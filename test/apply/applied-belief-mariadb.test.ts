// "Already applied" is believed only when the database shows it: the journal
// and history live in the target database itself (plumb_journal,
// plumb_history on MariaDB), so a dropped and recreated database gets the
// plan applied again, and a history row whose changes were undone since does
// not make apply a silent no-op (MariaDB and SQLite alike).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';
import { freshSqlite } from '../helpers/sqlite.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const SPEC = 'version: 1\ntables:\n  - name: gauges\n    columns:\n      - { name: id, type: int, primaryKey: true }\n      - { name: code, type: varchar(20), nullable: false }\n';
const server = mysqlServer();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plumb-belief-'));
  await writeFile(join(dir, 'spec.yaml'), SPEC);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function tableCount(url: string, sql: string, params: unknown[] = []): Promise<number> {
  const c = await connect(url);
  try {
    return (await c.query(sql, params)).length;
  } finally {
    await c.close();
  }
}

describe.runIf(!!server)('MariaDB: where the journal lives, and when applied is believed', () => {
  let db: FreshMysql;
  beforeAll(async () => {
    db = await freshMysql(server);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('applies the plan again to a dropped and recreated database', async () => {
    const plan = join(dir, 'mysql-plan');
    expect(await plumb('plan', '--db', db.url, '--spec', join(dir, 'spec.yaml'), '--out', plan), out).toBe(0);
    expect(await plumb('apply', '--db', db.url, '--plan', join(plan, 'plan.json'), '--yes'), out).toBe(0);
    // The journal and history are the database's own tables, so they go with it.
    expect(await tableCount(db.url, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('plumb_journal', 'plumb_history')")).toBe(2);
    const admin = await connect(server!);
    try {
      await admin.exec(`DROP DATABASE \`${db.name}\``);
      await admin.exec(`CREATE DATABASE \`${db.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.close();
    }
    const code = await plumb('apply', '--db', db.url, '--plan', join(plan, 'plan.json'), '--yes');
    expect(out).not.toMatch(/already.applied/i);
    expect(code, out).toBe(0);
    expect(await tableCount(db.url, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gauges'")).toBe(1);
    // Applying it once more is the no-op it should be: the database shows the plan's result.
    expect(await plumb('apply', '--db', db.url, '--plan', join(plan, 'plan.json'), '--yes'), out).toBe(0);
    expect(out).toMatch(/already.applied/i);
  });

  it('applies it again when its changes were undone since (the history row alone proves nothing)', async () => {
    await db.conn.exec('DROP TABLE gauges');
    const code = await plumb('apply', '--db', db.url, '--plan', join(dir, 'mysql-plan', 'plan.json'), '--yes');
    expect(out).not.toMatch(/already.applied/i);
    expect(code, out).toBe(0);
    expect(await tableCount(db.url, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gauges'")).toBe(1);
  });
});

describe('SQLite: applied is believed only when the database shows it', () => {
  it('applies it again when its changes were undone since', async () => {
    const db = await freshSqlite({ file: true });
    try {
      const plan = join(dir, 'sqlite-plan');
      expect(await plumb('plan', '--db', db.url, '--spec', join(dir, 'spec.yaml'), '--out', plan), out).toBe(0);
      expect(await plumb('apply', '--db', db.url, '--plan', join(plan, 'plan.json'), '--yes'), out).toBe(0);
      await db.conn.exec('DROP TABLE gauges');
      const code = await plumb('apply', '--db', db.url, '--plan', join(plan, 'plan.json'), '--yes');
      expect(out).not.toMatch(/already.applied/i);
      expect(code, out).toBe(0);
      expect((await db.conn.query("SELECT name FROM sqlite_schema WHERE name = 'gauges'")).length).toBe(1);
    } finally {
      await db.dispose();
    }
  });
});
