// MariaDB online DDL: a plan asks for ALGORITHM=INSTANT or INPLACE with
// LOCK=NONE in the statement itself, so the server refuses a form it cannot do
// online instead of silently copying the table under a write lock; apply then
// tries the next weaker form and says so. Changes only the copy algorithm can
// make carry no clause, and their step says writers wait.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const server = mysqlServer();

describe.runIf(!!server)('online DDL clauses on MariaDB', () => {
  let db: FreshMysql;
  let dir: string;
  beforeAll(async () => {
    db = await freshMysql(server);
    dir = await mkdtemp(join(tmpdir(), 'plumb-online-ddl-'));
    await db.conn.exec('CREATE TABLE doc (id int NOT NULL, title varchar(40) NOT NULL, body text NOT NULL, n int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB');
    await db.conn.exec("INSERT INTO doc VALUES (1, 'a', 'first body', 1), (2, 'b', 'second body', 2)");
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('asks for the online algorithm, falls back aloud where the server refuses it, and ends at the spec', async () => {
    const spec = join(dir, 'spec.yaml');
    await writeFile(
      spec,
      [
        'version: 1',
        'tables:',
        '  - name: doc',
        '    columns:',
        '      - { name: id, type: int, primaryKey: true }',
        '      - { name: title, type: varchar(40) }',
        '      - { name: body, type: text }',
        '      - { name: n, type: bigint }',
        '      - { name: note, type: varchar(20), nullable: true }',
        '    indexes:',
        '      - { name: doc_title_idx, columns: [title] }',
        '      - { name: doc_body_ft, columns: [body], method: fulltext }',
        '',
      ].join('\n'),
    );
    expect(await plumb('plan', '--db', db.url, '--spec', spec, '--out', join(dir, 'plan')), out).toBe(0);
    const plan = JSON.parse(await readFile(join(dir, 'plan', 'plan.json'), 'utf8')) as Plan;
    const steps = plan.phases.flatMap((p) => p.steps);
    const sqlOf = (kind: string, path?: string) => steps.find((s) => s.kind === kind && (!path || s.path.endsWith(path)))!.forward[0]!;

    const add = sqlOf('addColumn');
    expect(add.sql).toMatch(/ADD COLUMN .*note.*, ALGORITHM=INSTANT$/);
    expect(add.fallbacks).toEqual([expect.stringMatching(/, ALGORITHM=INPLACE, LOCK=NONE$/), expect.not.stringMatching(/ALGORITHM/)]);
    const index = sqlOf('createIndex', 'doc_title_idx');
    expect(index.sql).toMatch(/^CREATE INDEX .*doc_title_idx.* ALGORITHM=INPLACE LOCK=NONE$/);
    expect(index.fallbacks).toEqual([expect.not.stringMatching(/ALGORITHM/)]);
    // int → bigint can only copy the table: no clause, and the step says writers wait.
    const widen = steps.find((s) => s.kind === 'alterColumnType')!;
    expect(widen.forward[0]!.sql).not.toMatch(/ALGORITHM/);
    expect(widen.forward[0]!.fallbacks).toBeUndefined();
    expect(widen.impact).toMatchObject({ lock: 'ALGORITHM=COPY, LOCK=SHARED', blocks: 'writes' });

    expect(await plumb('apply', '--db', db.url, '--plan', join(dir, 'plan', 'plan.json'), '--yes'), out).toBe(0);
    // A FULLTEXT index cannot be built with LOCK=NONE: the server says so, apply runs the plain form and says that.
    expect(out).toMatch(/cannot run it in that form \(.*LOCK=NONE.*\); trying: CREATE FULLTEXT INDEX .*doc_body_ft.*\)$/m);
    expect(await plumb('diff', '--db', db.url, '--spec', spec), out).toBe(0);
    const rows = await db.conn.query<{ id: number; n: unknown }>('SELECT id, n FROM doc ORDER BY id');
    expect(rows.map((r) => [r.id, Number(r.n)])).toEqual([[1, 1], [2, 2]]);
  }, 60_000);

  it('counts the values a change to a date type would refuse before it runs, and remediates them', async () => {
    const ev = await freshMysql(server);
    try {
      await dateChange(ev);
    } finally {
      await ev.dispose();
    }
  }, 60_000);

  it('counts the values a change to a number type would refuse (not a number, out of range) before it runs', async () => {
    const db = await freshMysql(server);
    try {
      await db.conn.exec('CREATE TABLE qty (id int NOT NULL, n varchar(20), big bigint, price varchar(20), PRIMARY KEY (id)) ENGINE=InnoDB');
      await db.conn.exec("INSERT INTO qty VALUES (1, ' 12 ', 5, '9.99'), (2, '12.5', 5000000000, '12345.678'), (3, 'abc', -7, 'n/a'), (4, NULL, NULL, '-0.5')");
      const spec = join(dir, 'qty.yaml');
      await writeFile(spec, 'version: 1\ntables:\n  - name: qty\n    columns:\n      - { name: id, type: int, primaryKey: true }\n      - { name: n, type: int, nullable: true }\n      - { name: big, type: int, nullable: true }\n      - { name: price, type: "decimal(5,2)", nullable: true }\n');
      expect(await plumb('plan', '--db', db.url, '--spec', spec, '--out', join(dir, 'qty')), out).toBe(0);
      const plan = JSON.parse(await readFile(join(dir, 'qty', 'plan.json'), 'utf8')) as Plan;
      const checks = plan.phases.flatMap((p) => p.steps).filter((s) => s.kind === 'alterColumnType').flatMap((s) => s.preChecks);
      const counted = new Map<string, number>();
      for (const c of checks) counted.set(c.keyColumns.at(-1)!, Number((await db.conn.query<{ n: unknown }>(c.countSql))[0]?.n));
      // ' 12 ' casts (MariaDB trims it); '12.5' and 'abc' do not; 5,000,000,000 is past int; 12345.678 past decimal(5,2), 'n/a' no number.
      expect(Object.fromEntries(counted)).toEqual({ n: 2, big: 1, price: 2 });
      expect(await plumb('apply', '--db', db.url, '--plan', join(dir, 'qty', 'plan.json'), '--yes', '--allow-destructive'), out).toBe(5);
      expect(out).toMatch(/hold values that do not cast to int/);
      expect(await db.conn.query('SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?', ['qty', 'n'])).toEqual([{ t: 'varchar' }]);
    } finally {
      await db.dispose();
    }
  }, 60_000);

  async function dateChange(db: FreshMysql): Promise<void> {
    await db.conn.exec('CREATE TABLE ev (id int NOT NULL, d varchar(20), PRIMARY KEY (id)) ENGINE=InnoDB');
    await db.conn.exec("INSERT INTO ev VALUES (1, '2024-01-05'), (2, '2024-02-30'), (3, NULL)");
    const spec = join(dir, 'ev.yaml');
    await writeFile(spec, 'version: 1\ntables:\n  - name: ev\n    columns:\n      - { name: id, type: int, primaryKey: true }\n      - { name: d, type: date, nullable: true }\n');
    expect(await plumb('plan', '--db', db.url, '--spec', spec, '--out', join(dir, 'ev')), out).toBe(0);
    expect(out).toMatch(/1 pre-check\(s\) found rows that would make a step fail/);
    const plan = JSON.parse(await readFile(join(dir, 'ev', 'plan.json'), 'utf8')) as Plan;
    const step = plan.phases.flatMap((p) => p.steps).find((s) => s.kind === 'alterColumnType')!;
    expect(step.preChecks.map((c) => c.kind)).toEqual(['cast']);
    // Refused before MODIFY runs: the column is still text, every value in place.
    // (Text to a date is lossy, PH109: its rollback cannot give the text back as it was written.)
    expect(await plumb('apply', '--db', db.url, '--plan', join(dir, 'ev', 'plan.json'), '--yes', '--allow-destructive'), out).toBe(5);
    expect(out).toMatch(/1 row\(s\) hold values that do not cast to date; e\.g\. \(id=2, d=2024-02-30\)/);
    expect(await db.conn.query('SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?', ['ev', 'd'])).toEqual([{ t: 'varchar' }]);
    expect(await plumb('apply', '--db', db.url, '--plan', join(dir, 'ev', 'plan.json'), '--yes', '--allow-destructive', '--remediate', `${step.id}=delete`), out).toBe(0);
    const rows = await db.conn.query<{ id: number; d: unknown }>('SELECT id, CAST(d AS CHAR) AS d FROM ev ORDER BY id');
    expect(rows).toEqual([{ id: 1, d: '2024-01-05' }, { id: 3, d: null }]);
  }
});
