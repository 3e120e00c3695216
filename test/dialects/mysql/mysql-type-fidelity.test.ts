// The exact MySQL type model on a real MariaDB/MySQL: a fixture exercising
// each type feature (display widths, tinyint(1), zerofill, fractional seconds,
// charsets and collations per table and column, ENGINE, ROW_FORMAT, prefix
// keys, stated USING, key order, generated and invisible columns, checks,
// ON UPDATE) is pulled; `diff` of the same database against the pulled spec
// says no drift, and the spec applied to an empty database gives the same
// SHOW CREATE TABLE for every table. The spec names no database: it lands in
// the one it is applied to.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/drivers/connection.js';
import { runCli } from '../../helpers/cli.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';

const FIXTURE = [
  `CREATE TABLE kinds (
    id int(10) unsigned zerofill NOT NULL AUTO_INCREMENT,
    flag tinyint(1) NOT NULL DEFAULT 0,
    small smallint(5) unsigned DEFAULT NULL,
    medium mediumint(8) NOT NULL DEFAULT 0,
    big bigint(20) unsigned DEFAULT NULL,
    f float DEFAULT NULL,
    d double(8,2) DEFAULT NULL,
    money decimal(10,2) NOT NULL DEFAULT 0.00,
    born date DEFAULT NULL,
    seen datetime DEFAULT NULL,
    seen3 datetime(3) DEFAULT NULL,
    at time(2) DEFAULT NULL,
    made timestamp NOT NULL DEFAULT current_timestamp(),
    changed timestamp(6) NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),
    yr year(4) DEFAULT NULL,
    b blob,
    mt mediumtext,
    tt tinytext,
    bin binary(16) DEFAULT NULL,
    vb varbinary(20) DEFAULT NULL,
    bits bit(3) DEFAULT b'101',
    mood enum('sad','ok','glad') NOT NULL DEFAULT 'ok',
    tags set('a','b','c') DEFAULT NULL,
    doc json DEFAULT NULL,
    latin varchar(40) CHARACTER SET latin1 COLLATE latin1_german1_ci DEFAULT NULL,
    exact varchar(40) COLLATE utf8mb4_bin DEFAULT NULL,
    twice int(11) GENERATED ALWAYS AS (medium * 2) VIRTUAL,
    kept varchar(20) GENERATED ALWAYS AS (upper(latin)) STORED,
    secret int(11) INVISIBLE DEFAULT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY z_exact (exact(10)) USING BTREE,
    UNIQUE KEY a_bin (bin),
    KEY z_medium (medium),
    KEY a_seen (seen, seen3) USING BTREE COMMENT 'when',
    KEY m_latin (latin(8)),
    FULLTEXT KEY ft (mt),
    CONSTRAINT small_positive CHECK (small > 0)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=COMPACT COMMENT='every type'`,
  `CREATE TABLE legacy (
    url varchar(255) NOT NULL,
    n int(11) NOT NULL AUTO_INCREMENT,
    PRIMARY KEY (url(100)) USING BTREE,
    UNIQUE KEY n (n)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci`,
  `CREATE TABLE lanes (
    pid int(10) unsigned NOT NULL,
    tag varchar(20) NOT NULL DEFAULT '',
    KEY pid (pid),
    KEY tag (tag) USING BTREE
  ) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
  `CREATE TRIGGER kinds_touch BEFORE UPDATE ON kinds FOR EACH ROW BEGIN
    IF NEW.medium < 0 THEN SET NEW.medium = 0; END IF;
  END`,
  `CREATE EVENT sweep ON SCHEDULE EVERY 1 DAY DISABLE COMMENT 'nightly' DO DELETE FROM lanes WHERE pid = 0`,
];

async function showCreateTables(conn: Connection): Promise<Record<string, string>> {
  const tables = await conn.query<{ n: string }>("SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'plumb\\_%' ORDER BY TABLE_NAME");
  const out: Record<string, string> = {};
  for (const { n } of tables) {
    const [row] = await conn.query<Record<string, unknown>>(`SHOW CREATE TABLE \`${n}\``);
    out[String(n)] = String(row?.['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
  }
  return out;
}

describe.skipIf(!mysqlServer())('MySQL type model: pull → diff is empty, pull → apply gives the same SHOW CREATE TABLE', () => {
  let source: FreshMysql;
  let target: FreshMysql;
  let dir: string;
  let spec: string;
  beforeAll(async () => {
    source = await freshMysql();
    target = await freshMysql();
    dir = await mkdtemp(join(tmpdir(), 'plumb-my-types-'));
    spec = join(dir, 'spec.yaml');
    for (const sql of FIXTURE) await source.conn.exec(sql);
  }, 60_000);
  afterAll(async () => {
    await source?.dispose();
    await target?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pulls a spec bound to the URL’s database, in MySQL’s own type spelling', async () => {
    const pull = await runCli(['pull', '--db', source.url, '--out', spec]);
    expect(pull.code, pull.out).toBe(0);
    const text = (await readFile(spec, 'utf8')).replace(/^#.*\n/gm, '');
    expect(text).not.toContain(source.name); // no database name: the spec lands where it is applied
    expect(text).toMatch(/^tables:/m);
    for (const t of ['int(10) unsigned zerofill', 'tinyint(1)', 'mediumint(8)', 'datetime(3)', 'timestamp(6)', 'float', 'blob', 'year(4)']) expect(text).toContain(`type: ${t}`);
    expect(text).toContain('onUpdate: current_timestamp(6)');
    expect(text).toContain('invisible: true');
    expect(text).toContain('engine: MEMORY');
    expect(text).toContain('rowFormat: COMPACT');
    expect(text).toMatch(/- name: kinds_touch\n(.*\n)*? +body: /); // an inline trigger body, not `function: ""`
    expect(text).toContain('- name: sweep');
  }, 60_000);

  it('diff of the same database against the pulled spec says no drift', async () => {
    const diff = await runCli(['diff', '--db', source.url, '--spec', spec]);
    expect(diff.code, diff.out).toBe(0);
    expect(diff.out).toContain('no drift');
  }, 60_000);

  it('the spec applied to an empty database gives the same SHOW CREATE TABLE for every table', async () => {
    const apply = await runCli(['apply', '--db', target.url, '--spec', spec, '--yes']);
    expect(apply.code, apply.out).toBe(0);
    const want = await showCreateTables(source.conn);
    expect(Object.keys(want)).toEqual(['kinds', 'lanes', 'legacy']);
    expect(await showCreateTables(target.conn)).toEqual(want);
    const routines = async (c: Connection) => [
      ...(await c.query("SELECT TRIGGER_NAME AS n, ACTION_TIMING AS t, EVENT_MANIPULATION AS e, ACTION_STATEMENT AS body FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")),
      ...(await c.query("SELECT EVENT_NAME AS n, STATUS AS t, EVENT_COMMENT AS e, EVENT_DEFINITION AS body FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()")),
    ];
    const triggers = await routines(source.conn);
    expect(triggers.length).toBe(2);
    expect(await routines(target.conn)).toEqual(triggers);
    // And the source's own tables were not touched by applying its spec elsewhere.
    expect(await showCreateTables(source.conn)).toEqual(want);
  }, 90_000);

  it('a column made visible is diffed and applied (MODIFY), and made invisible again by the spec', async () => {
    const invisibleIn = async () => (await showCreateTables(target.conn)).kinds!.match(/`(\w+)`[^\n]*INVISIBLE/)?.[1];
    const column = await invisibleIn();
    expect(column).toBeDefined();
    await target.conn.exec(`ALTER TABLE kinds MODIFY ${(await showCreateTables(target.conn)).kinds!.match(new RegExp(`\`${column}\`[^\n]*`))![0]!.replace(/ INVISIBLE/, '').replace(/,$/, '')}`);
    expect(await invisibleIn()).toBeUndefined();
    const diff = await runCli(['diff', '--db', target.url, '--spec', spec]);
    expect(diff.code, diff.out).toBe(1);
    expect(diff.out).toContain(`make ${target.name}.kinds.${column} invisible`);
    const apply = await runCli(['apply', '--db', target.url, '--spec', spec, '--yes']);
    expect(apply.code, apply.out).toBe(0);
    expect(await invisibleIn()).toBe(column);
  }, 90_000);
});
