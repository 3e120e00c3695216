// A spec's SQL reaches only its scratch space: a hostile view body that smuggles
// a second statement must not touch a sentinel table in another database
// during the read-only commands (diff, plan, audit --spec), and no scratch
// database may outlive the run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect } from '../../src/drivers/connect.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const server = mysqlServer();

describe.runIf(!!server)('MySQL scratch space: a spec cannot reach other databases', () => {
  let target: FreshMysql;
  let other: FreshMysql;
  let dir: string;
  beforeAll(async () => {
    target = await freshMysql(server);
    other = await freshMysql(server);
    dir = await mkdtemp(join(tmpdir(), 'plumb-hostile-'));
  });
  afterAll(async () => {
    await target?.dispose();
    await other?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const hostile = (body: string) => `
version: 1
tables:
  - name: t
    columns:
      - { name: id, type: int, primaryKey: true }
views:
  - { name: v, sql: ${JSON.stringify(body)} }
`;

  const bodies = (db: string) => [
    `SELECT 1 AS one; DROP TABLE \`${db}\`.sentinel`,
    `SELECT 1 AS one; DELETE FROM \`${db}\`.sentinel`,
    `SELECT 1 AS one /* x */ ; INSERT INTO \`${db}\`.sentinel VALUES (99)`,
    // A bare \`begin\` fools the splitter into one statement: the server, with multiple statements off, refuses it.
    `SELECT b.begin FROM (SELECT 1 AS begin) b; DROP TABLE \`${db}\`.sentinel`,
    `SELECT 1 AS one /*!; DROP TABLE \`${db}\`.sentinel */`,
  ];

  /** Rows in the sentinel table, or -1 once it is gone. */
  async function sentinel(): Promise<number> {
    const rows = await other.conn.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sentinel'");
    if (Number(rows[0]?.n) === 0) return -1;
    return Number((await other.conn.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM sentinel'))[0]?.n);
  }
  beforeEach(async () => {
    await other.conn.exec('DROP TABLE IF EXISTS sentinel');
    await other.conn.exec('CREATE TABLE sentinel (id int PRIMARY KEY)');
    await other.conn.exec('INSERT INTO sentinel VALUES (1), (2), (3)');
  });

  /** Scratch databases no live session owns (other tests' may come and go meanwhile). */
  async function orphanScratch(): Promise<string[]> {
    const rows = await target.conn.query<{ n: string }>("SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'plumb\\_scratch\\_l%'");
    const out: string[] = [];
    for (const { n } of rows) {
      const tag = /^plumb_scratch_(l[0-9a-f]{8})_/.exec(n)?.[1];
      const [f] = await target.conn.query<{ f: unknown }>('SELECT IS_FREE_LOCK(?) AS f', [`plumb_scratch_${tag}`]);
      if (Number(f?.f) === 1) out.push(n);
    }
    return out;
  }

  it.each([
    ['diff', []],
    ['plan', ['--out', 'PLANDIR']],
    ['audit', []],
  ] as const)('%s leaves the sentinel intact and refuses the spec', async (cmd, extra) => {
    for (const [i, body] of bodies(other.name).entries()) {
      const spec = join(dir, `hostile-${cmd}-${i}.yaml`);
      await writeFile(spec, hostile(body));
      const args = extra.map((a) => (a === 'PLANDIR' ? join(dir, `plan-${cmd}-${i}`) : a));
      const code = await plumb(cmd, '--db', target.url, '--spec', spec, ...args);
      expect(await sentinel(), `${cmd} with body ${body}:\n${out}`).toBe(3);
      expect(code, out).not.toBe(0);
      expect(out).toMatch(/spec/i);
      // Refused by the scratch space (its hint), or by the server as a syntax error (the engine's hint).
      expect(out).toMatch(/hint: (a view, routine, trigger or event body is one statement|check the types)/);
    }
    expect(await orphanScratch()).toEqual([]);
  });
});

describe.runIf(!!server)('MySQL scratch databases do not outlive their run', () => {
  async function exists(db: string): Promise<boolean> {
    const c = await connect(server!);
    try {
      return (await c.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db])).length > 0;
    } finally {
      await c.close();
    }
  }

  it.each(['SIGINT', 'SIGTERM'] as const)('are dropped when the process gets %s, which still ends it', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/spec/fixtures/hold-mysql-scratch.ts', server!], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const names = await new Promise<string[]>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]!) as string[]);
      });
      child.on('exit', () => reject(new Error(`child exited early: ${err}`)));
    });
    expect(names).toHaveLength(1);
    expect(await exists(names[0]!)).toBe(true);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    child.kill(signal);
    expect(await ended).toBe(signal);
    expect(await exists(names[0]!)).toBe(false);
  }, 30_000);

  it("are dropped by the next run once the run that made them is gone (its lock is free), and a live run's are kept", async () => {
    const stale = 'plumb_scratch_l0badf00d_0';
    const admin = await connect(server!);
    const holder = await connect(server!);
    try {
      await admin.exec(`CREATE DATABASE IF NOT EXISTS \`${stale}\``);
      await admin.exec('CREATE DATABASE IF NOT EXISTS `plumb_scratch_l0badf00e_0`');
      await holder.query('SELECT GET_LOCK(?, 0)', ['plumb_scratch_l0badf00e']);
      const fresh = await freshMysql(server);
      try {
        const spec = join(tmpdir(), `plumb-stale-${process.pid}.yaml`);
        await writeFile(spec, 'version: 1\ntables:\n  - name: t\n    columns:\n      - { name: id, type: int, primaryKey: true }\n');
        // 1: the table is missing (drift), not an error.
        expect(await plumb('diff', '--db', fresh.url, '--spec', spec), out).toBe(1);
        await rm(spec, { force: true });
      } finally {
        await fresh.dispose();
      }
      expect(await exists(stale)).toBe(false);
      expect(await exists('plumb_scratch_l0badf00e_0')).toBe(true);
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS \`${stale}\``);
      await admin.exec('DROP DATABASE IF EXISTS `plumb_scratch_l0badf00e_0`');
      await holder.close();
      await admin.close();
    }
  });
});

describe.runIf(!!server)('MySQL scratch space: events', () => {
  it('are created disabled there (their bodies never run) yet compare as the spec wrote them', async () => {
    const db = await freshMysql(server);
    const dir = await mkdtemp(join(tmpdir(), 'plumb-event-'));
    try {
      await db.conn.exec('CREATE TABLE t (id int PRIMARY KEY)');
      await db.conn.exec('CREATE EVENT `purge` ON SCHEDULE EVERY 1 DAY STARTS \'2030-01-01 00:00:00\' ON COMPLETION PRESERVE ENABLE DO DELETE FROM t');
      const [ev] = await db.conn.query<{ s: string; d: string }>("SELECT EVENT_DEFINITION AS d, CONCAT('EVERY ', INTERVAL_VALUE, ' ', INTERVAL_FIELD, ' STARTS ''', STARTS, '''') AS s FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()");
      const spec = join(dir, 'spec.yaml');
      await writeFile(
        spec,
        `version: 1\ntables:\n  - name: t\n    columns:\n      - { name: id, type: int, primaryKey: true }\nevents:\n  - { name: purge, schedule: ${JSON.stringify(ev!.s)}, definition: ${JSON.stringify(ev!.d)}, enabled: true }\n`,
      );
      const code = await plumb('diff', '--db', db.url, '--spec', spec);
      expect(out).not.toMatch(/purge/);
      expect(code, out).toBe(0);
    } finally {
      await db.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(!!server)('MySQL verify: a spec check runs as one statement that cannot escape its transaction', () => {
  it('refuses a smuggled second statement or DDL (which commits on its own) and leaves other databases alone', async () => {
    const db = await freshMysql(server);
    const other = await freshMysql(server);
    const dir = await mkdtemp(join(tmpdir(), 'plumb-verify-'));
    try {
      await other.conn.exec('CREATE TABLE sentinel (id int PRIMARY KEY)');
      await other.conn.exec('INSERT INTO sentinel VALUES (1)');
      await db.conn.exec('CREATE TABLE t (id int NOT NULL PRIMARY KEY)');
      const spec = join(dir, 'spec.yaml');
      const o = `\`${other.name}\``;
      await writeFile(
        spec,
        [
          'version: 1',
          'tables:',
          '  - name: t',
          '    columns:',
          '      - { name: id, type: int, primaryKey: true }',
          'verify:',
          '  - name: smuggled',
          `    sql: ${JSON.stringify(`SELECT count(*) FROM t; DROP TABLE ${o}.sentinel`)}`,
          '    expect: 0',
          '  - name: ddl in a reject',
          `    reject: ${JSON.stringify(`DROP TABLE ${o}.sentinel`)}`,
          '  - name: smuggled reject',
          `    reject: ${JSON.stringify(`INSERT INTO t VALUES (NULL); DELETE FROM ${o}.sentinel`)}`,
          '  - name: a plain check still runs',
          '    sql: SELECT count(*) FROM t',
          '    expect: 0',
          '',
        ].join('\n'),
      );
      const code = await plumb('verify', '--db', db.url, '--spec', spec);
      const rows = await other.conn.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sentinel'");
      expect(Number(rows[0]?.n), out).toBe(1);
      expect(Number((await other.conn.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM sentinel'))[0]?.n), out).toBe(1);
      expect(code, out).toBe(1);
      expect(out).toMatch(/one statement/);
    } finally {
      await db.dispose();
      await other.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
