// MariaDB/MySQL keep columns where they are placed, and SHOW CREATE TABLE
// (mysqldump) shows that order: a column added in the middle goes where the
// target has it (AFTER/FIRST), and a rollback puts dropped columns back where
// they were, so forward gives the target's SHOW CREATE TABLE and rollback the
// original's, byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { getDialect } from '../../../src/dialects/index.js';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { planSteps } from '../../../src/plan/types.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';
import { renameSchemas } from '../../../src/catalog/rename-schemas.js';

const A = 'CREATE TABLE people (id int NOT NULL, gone_first int, name varchar(40), gone_mid int, gone_mid2 int, email varchar(80), tail int, PRIMARY KEY (id)) ENGINE=InnoDB';
const B = 'CREATE TABLE people (added_first int, id int NOT NULL, name varchar(40), zz_nick varchar(20), aa_alias varchar(20), email varchar(80), tail int, added_last int, PRIMARY KEY (id)) ENGINE=InnoDB';

describe.skipIf(!mysqlServer())('MySQL column order: added where the target has them, put back where they were', () => {
  let live: FreshMysql;
  let target: FreshMysql;
  beforeAll(async () => {
    live = await freshMysql();
    target = await freshMysql();
    await target.conn.exec(B);
  }, 60_000);
  afterAll(async () => {
    await live?.dispose();
    await target?.dispose();
  });

  const showCreate = async (db: FreshMysql) => String(Object.values((await db.conn.query<Record<string, unknown>>('SHOW CREATE TABLE people'))[0]!)[1]);

  it('forward gives the target\'s SHOW CREATE TABLE; rollback the original\'s', async () => {
    await live.conn.exec(A);
    await live.conn.exec('INSERT INTO people VALUES (1, 10, \'ann\', 20, 21, \'a@x\', 30)');
    const original = await showCreate(live);
    const from = await introspectMysql(live.conn, { schemas: [live.name] });
    const to = renameSchemas(await introspectMysql(target.conn, { schemas: [target.name] }), { [target.name]: live.name });
    const plan = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: getDialect('mysql'), options: { schemas: [live.name] } });
    const sql = planSteps(plan).flatMap((s) => s.forward.map((f) => f.sql)).join('\n');
    expect(sql).toMatch(/ADD COLUMN `added_first` INT\(11\) NULL FIRST/);
    // zz_nick goes after name, then aa_alias after it: in the target's order, not by name.
    expect(sql).toMatch(/ADD COLUMN `zz_nick` VARCHAR\(20\) NULL AFTER `name`[^\n]*\n[^\n]*ADD COLUMN `aa_alias` VARCHAR\(20\) NULL AFTER `zz_nick`/);
    expect(sql).not.toMatch(/`added_last`[^\n]*(AFTER|FIRST)/);
    expect((await applyPlan(live.conn, plan, { allowDestructive: true })).outcome).toBe('applied');
    expect(await showCreate(live)).toBe(await showCreate(target));
    expect((await applyPlan(live.conn, plan, { rollback: true })).outcome).toBe('rolled-back');
    expect(await showCreate(live)).toBe(original);
  }, 60_000);
});
