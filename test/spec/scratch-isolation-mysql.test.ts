// A spec's SQL reaches only its scratch space: a hostile view body that smuggles
// a second statement must not touch a sentinel table in another database
// during the read-only commands (diff, plan, audit --spec), and no scratch
// database may outlive the run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
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

  // What mysqldump and hand-written schema scripts contain: executable comments, session SETs, DROP … IF EXISTS,
  // DELIMITER with a trigger body, data, a view over a view declared later, and a column called `type`.
  const dump = (o: string) => `/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
SET GLOBAL max_connections = 7;
DROP TABLE IF EXISTS \`orders\`;
CREATE TABLE \`orders\` (
  \`id\` int(10) unsigned NOT NULL AUTO_INCREMENT,
  \`customer_id\` int(10) unsigned NOT NULL,
  type tinyint(3) unsigned NOT NULL default '0',
  \`placed\` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  PRIMARY KEY (\`id\`),
  KEY \`by_customer\` (\`customer_id\`, type),
  CONSTRAINT \`orders_customer\` FOREIGN KEY (\`customer_id\`) REFERENCES \`customers\` (\`id\`)
) ENGINE=InnoDB AUTO_INCREMENT=12 DEFAULT CHARSET=latin1 ROW_FORMAT=DYNAMIC;
LOCK TABLES \`orders\` WRITE;
INSERT INTO \`orders\` VALUES (1,1,0,'2020-01-01 00:00:00');
UNLOCK TABLES;
INSERT INTO ${o}.sentinel VALUES (42);
CREATE TABLE \`customers\` (\`id\` int(10) unsigned NOT NULL, \`name\` varchar(40) DEFAULT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE VIEW \`recent\` AS SELECT \`id\` FROM \`all_orders\`;
CREATE VIEW \`all_orders\` AS SELECT \`id\`, \`customer_id\` FROM \`orders\`;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER \`orders_bi\` BEFORE INSERT ON \`orders\` FOR EACH ROW BEGIN
  IF NEW.type > 9 THEN SET NEW.type = 9; END IF;
END */;;
DELIMITER ;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
`;

  it('a plain .sql spec applied to an empty database gives what the mysql client gives, and diff then says no drift', async () => {
    const [before] = await target.conn.query<{ v: unknown }>('SELECT @@GLOBAL.max_connections AS v');
    const spec = join(dir, 'schema.sql');
    await writeFile(spec, dump(`\`${other.name}\``));
    expect(await plumb('apply', '--db', target.url, '--spec', spec, '--yes'), out).toBe(0);
    // The reference: the same file through the client, into another empty database.
    const ref = await freshMysql(server);
    try {
      // The client stops at a view over one declared later (plumb tries it again after the rest): it goes last here.
      const recent = /^CREATE VIEW `recent`.*$/m;
      const script = `${dump(`\`${other.name}\``).replace(/^INSERT INTO `[^`]+`\.sentinel.*$/m, '').replace(/^SET GLOBAL.*$/m, '').replace(recent, '')}\n${recent.exec(dump(''))![0]}\n`;
      const u = new URL(ref.url);
      const loaded = spawnSync('mariadb', ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username), u.pathname.slice(1)], { input: script.replace(/INSERT INTO `orders`.*\n/, ''), encoding: 'utf8' });
      expect(loaded.status, loaded.stderr).toBe(0);
      const shape = async (c: FreshMysql) => {
        const out: string[] = [];
        for (const { n, k } of await c.conn.query<{ n: string; k: string }>("SELECT TABLE_NAME AS n, TABLE_TYPE AS k FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'plumb%' ORDER BY 1")) {
          const [row] = await c.conn.query<Record<string, string>>(`SHOW CREATE ${k === 'VIEW' ? 'VIEW' : 'TABLE'} \`${n}\``);
          out.push(String(Object.values(row!)[1]).replace(/ AUTO_INCREMENT=\d+/, '').replaceAll(c.name, 'DB'));
        }
        for (const { s } of await c.conn.query<{ s: string }>('SELECT ACTION_STATEMENT AS s FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()')) out.push(s);
        return out;
      };
      expect(await shape(target)).toEqual(await shape(ref));
    } finally {
      await ref.dispose();
    }
    expect(await plumb('diff', '--db', target.url, '--spec', spec), out).toBe(0);
    // Data and server-wide settings were left out: no row anywhere, the global as it was.
    expect(await sentinel()).toBe(3);
    expect(Number((await target.conn.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM orders'))[0]?.n)).toBe(0);
    const [after] = await target.conn.query<{ v: unknown }>('SELECT @@GLOBAL.max_connections AS v');
    expect(after!.v).toEqual(before!.v);
  });

  it.each([
    (o: string) => `DROP TABLE IF EXISTS ${o}.sentinel`,
    (o: string) => `CREATE TABLE t (id int);\nALTER TABLE ${o}.sentinel ADD COLUMN x int`,
    (o: string) => `DELIMITER //\nCREATE TABLE t (id int)//\nDROP TABLE ${o}.sentinel//`,
    (o: string) => `CREATE TABLE t (id int) /*!; DROP TABLE ${o}.sentinel */;`,
    () => `SET @x = (SELECT COUNT(*) FROM mysql.user);`,
  ])('a plain .sql spec: refuses what reaches outside the scratch space (%#), and the sentinel stays', async (make) => {
    const spec = join(dir, 'hostile.sql');
    await writeFile(spec, make(`\`${other.name}\``));
    const code = await plumb('diff', '--db', target.url, '--spec', spec);
    expect(code, out).toBe(2);
    expect(out).toMatch(/hostile\.sql:\d+: the spec's SQL may only create objects in its scratch space/);
    expect(await sentinel()).toBe(3);
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
