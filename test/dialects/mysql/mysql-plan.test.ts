// Whole plans on MySQL/MariaDB, applied and rolled back through applyPlan on
// the machine's server: the utf8mb4 / InnoDB conversion (alterTableOptions,
// with foreign keys over converted text dropped and re-added), column comments
// (MODIFY COLUMN), and an index + foreign key whose rollback must drop the key
// before the index it uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import type { Catalog, Table } from '../../../src/catalog/types.js';
import { emptyTable } from '../../../src/catalog/normalize.js';
import { getDialect } from '../../../src/dialects/index.js';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { renderMysqlChange } from '../../../src/dialects/mysql/mysql-render.js';
import { renderMssql } from '../../../src/dialects/mssql/mssql-render.js';
import { renderPostgresChange } from '../../../src/dialects/postgres/postgres-render.js';
import { renderSqliteChange } from '../../../src/dialects/sqlite/sqlite-render.js';
import type { Change } from '../../../src/diff/changes.js';
import { describeChange } from '../../../src/diff/describe.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { planSteps, type Plan } from '../../../src/plan/types.js';
import type { Connection } from '../../../src/drivers/connection.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';

const catalogOf = (tables: Table[], dialect: Catalog['dialect'] = 'mysql'): Catalog => ({
  catalogVersion: 1,
  dialect,
  serverVersion: '10.11',
  serverMajor: 10,
  database: 'db',
  extensions: [],
  settings: {},
  schemas: [{ name: 'db', path: 'db', owner: null, comment: null, tables, views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [] }],
} as Catalog);
const tableWith = (options: Table['options']) => emptyTable('db', 't', 'db.t', options ? { options } : {});

describe('table options in the diff (pure)', () => {
  it('compares engine, charset and collation only where both sides state them', () => {
    // Nothing stated on one side (a Postgres catalog, a spec that says nothing): no change.
    expect(diffCatalogs(catalogOf([tableWith({ engine: 'MyISAM', charset: 'latin1', collation: 'latin1_swedish_ci' })]), catalogOf([tableWith(undefined)]))).toEqual([]);
    expect(diffCatalogs(catalogOf([tableWith({ engine: 'InnoDB' })]), catalogOf([tableWith({ charset: 'utf8mb4' })]))).toEqual([]);
    expect(diffCatalogs(catalogOf([tableWith({ engine: 'InnoDB' })]), catalogOf([tableWith({ engine: 'innodb' })]))).toEqual([]);
    const [c, ...rest] = diffCatalogs(
      catalogOf([tableWith({ engine: 'MyISAM', charset: 'latin1', collation: 'latin1_german1_ci' })]),
      catalogOf([tableWith({ engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' })]),
    );
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ kind: 'alterTableOptions', path: 'db.t', before: { engine: 'MyISAM', charset: 'latin1', collation: 'latin1_german1_ci' }, after: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } });
    expect(describeChange(c!)).toBe('change engine MyISAM → InnoDB, charset latin1 → utf8mb4, collation latin1_german1_ci → utf8mb4_unicode_ci of table db.t');
    expect(renderMysqlChange(c!)).toEqual({
      forward: ['ALTER TABLE `db`.`t` ENGINE=InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'],
      rollback: ['ALTER TABLE `db`.`t` ENGINE=MyISAM, CONVERT TO CHARACTER SET latin1 COLLATE latin1_german1_ci'],
    });
  });

  it('is a clear E_PLAN error on engines without table engines or charsets', () => {
    const c = { kind: 'alterTableOptions', path: 'db.t', table: { schema: 'db', name: 't' }, before: { engine: 'MyISAM' }, after: { engine: 'InnoDB' }, columns: [] } as Change;
    for (const render of [renderPostgresChange, renderSqliteChange, renderMssql]) expect(() => render(c)).toThrow(expect.objectContaining({ code: 'E_PLAN', hint: expect.stringMatching(/MySQL/) }));
  });
});

const server = mysqlServer();

describe.runIf(server)('MySQL plans on the machine\'s server', () => {
  let db: FreshMysql;
  const applied: string[] = [];
  beforeAll(async () => {
    db = await freshMysql();
  });
  afterAll(async () => {
    // applyPlan's journal and history are tables of the database itself: they go with it.
    await db?.dispose();
  });

  // Without plumb's journal and history, which apply keeps in the database itself.
  const inspect = () => introspectMysql(db.conn, { excludeSchemas: ['plumb'] });
  function plan(from: Catalog, to: Catalog): Plan {
    return buildPlan({ changes: diffCatalogs(from, to, { grants: false }), from, to, dialect: getDialect('mysql'), options: { schemas: [db.name] }, createdAt: '2026-01-01T00:00:00.000Z' });
  }
  async function apply(conn: Connection, p: Plan, rollback = false): Promise<void> {
    const r = await applyPlan(conn, p, { rollback });
    applied.push(p.checksum);
    expect(r.outcome).toBe(rollback ? 'rolled-back' : 'applied');
  }
  const tableOf = (c: Catalog, name: string) => c.schemas[0]!.tables.find((t) => t.name === name)!;

  it('converts latin1 MyISAM and InnoDB tables to utf8mb4 InnoDB, keeps the rows, and the rollback restores them exactly', async () => {
    await db.conn.exec(`
      CREATE TABLE country (code VARCHAR(3) PRIMARY KEY, name VARCHAR(40) NOT NULL, notes TEXT) ENGINE=InnoDB DEFAULT CHARSET=latin1;
      CREATE TABLE city (id INT PRIMARY KEY, country_code VARCHAR(3) NOT NULL, name VARCHAR(40) CHARACTER SET utf8mb3 NOT NULL,
        KEY city_country (country_code), CONSTRAINT city_country_fk FOREIGN KEY (country_code) REFERENCES country (code)) ENGINE=InnoDB DEFAULT CHARSET=latin1;
      CREATE TABLE legacy_log (id INT PRIMARY KEY, line TINYTEXT) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_german1_ci;
      INSERT INTO country VALUES ('CH', 'Schweiz', 'Zürich, Genève'), ('FR', 'France', NULL);
      INSERT INTO city VALUES (1, 'CH', 'Zürich'), (2, 'FR', 'Besançon');
      INSERT INTO legacy_log VALUES (1, 'façade')`);
    const before = await inspect();
    expect(tableOf(before, 'legacy_log').options).toMatchObject({ engine: 'MyISAM', charset: 'latin1' });
    const target = structuredClone(before);
    for (const t of target.schemas[0]!.tables) t.options = { ...t.options, engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' };
    // The target holds every column in the table's charset (the utf8mb3 column too).
    Object.assign(tableOf(target, 'city').columns.find((c) => c.name === 'name')!, { charset: null, collation: null });

    const p = plan(before, target);
    const steps = planSteps(p);
    const conv = steps.filter((s) => s.kind === 'alterTableOptions');
    expect(conv.map((s) => s.path).sort()).toEqual([`${db.name}.city`, `${db.name}.country`, `${db.name}.legacy_log`]);
    // A table rebuild blocks writes; latin1 → utf8mb4 loses no character, but a TEXT column keeps its type and
    // re-encoded text may outgrow it: data-dependent, with a pre-check per TEXT-family column.
    const byPath = (n: string) => conv.find((s) => s.path === `${db.name}.${n}`)!;
    expect([byPath('city').safety, byPath('city').hazards.map((h) => h.code), byPath('city').preChecks]).toEqual(['blocking', ['LK103'], []]);
    for (const n of ['country', 'legacy_log']) {
      expect([byPath(n).safety, byPath(n).hazards.map((h) => h.code), byPath(n).preChecks.map((c) => c.id.split('/')[1])], n).toEqual(['data-dependent', ['LK103', 'MF109'], [n === 'country' ? 'fits-notes' : 'fits-line']]);
    }
    expect(byPath('legacy_log').forward[0]!.sql).toBe(`ALTER TABLE \`${db.name}\`.\`legacy_log\` ENGINE=InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, MODIFY COLUMN \`line\` TINYTEXT NULL`);
    // MariaDB refuses to re-encode a column a foreign key uses: the key is dropped before and added back after.
    const at = (kind: string) => steps.findIndex((s) => s.kind === kind && s.path === `${db.name}.city.city_country_fk`);
    expect(at('dropForeignKey')).toBeGreaterThanOrEqual(0);
    expect(at('dropForeignKey')).toBeLessThan(steps.indexOf(conv[0]!));
    expect(at('addForeignKey')).toBeGreaterThan(steps.indexOf(conv.at(-1)!));

    await apply(db.conn, p);
    const after = await inspect();
    // Exactly the target: converted, and TEXT/TINYTEXT kept (CONVERT TO alone would have made them MEDIUMTEXT/TEXT).
    expect(diffCatalogs(after, target, { grants: false })).toEqual([]);
    for (const n of ['country', 'city', 'legacy_log']) expect(tableOf(after, n).options, n).toMatchObject({ engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' });
    expect(tableOf(after, 'city').foreignKeys.map((f) => f.name)).toEqual(['city_country_fk']);
    expect(await db.conn.query('SELECT c.name AS city, k.name AS country, k.notes FROM city c JOIN country k ON k.code = c.country_code ORDER BY c.id')).toEqual([
      { city: 'Zürich', country: 'Schweiz', notes: 'Zürich, Genève' },
      { city: 'Besançon', country: 'France', notes: null },
    ]);
    expect(await db.conn.query('SELECT line FROM legacy_log')).toEqual([{ line: 'façade' }]);

    await apply(db.conn, p, true);
    // Exactly as before: MyISAM, latin1_german1_ci, TINYTEXT/TEXT (CONVERT TO had widened them), city.name in utf8mb3, the key back.
    expect(diffCatalogs(await inspect(), before, { grants: false })).toEqual([]);
    expect(await db.conn.query('SELECT name FROM city ORDER BY id')).toEqual([{ name: 'Zürich' }, { name: 'Besançon' }]);
    expect(await db.conn.query('SELECT line FROM legacy_log')).toEqual([{ line: 'façade' }]);
  }, 120_000);

  it('counts the rows a conversion cannot carry (pre-checks): characters the target charset lacks, text that outgrows its type', async () => {
    await db.conn.exec(`CREATE TABLE msg (id INT PRIMARY KEY, body VARCHAR(40)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.conn.query('INSERT INTO msg VALUES (1, ?), (2, ?), (3, NULL)', ['café', 'ok 😀']);
    await db.conn.exec(`CREATE TABLE memo (id INT PRIMARY KEY, line TINYTEXT) ENGINE=InnoDB DEFAULT CHARSET=latin1`);
    // 200 'é' are 200 bytes in latin1 and 400 in utf8mb4: no longer a TINYTEXT (255 bytes).
    await db.conn.query('INSERT INTO memo VALUES (1, ?), (2, ?)', ['é'.repeat(100), 'é'.repeat(200)]);
    const before = await inspect();
    const target = structuredClone(before);
    tableOf(target, 'msg').options = { ...tableOf(target, 'msg').options, charset: 'latin1', collation: 'latin1_swedish_ci' };
    tableOf(target, 'memo').options = { ...tableOf(target, 'memo').options, charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' };
    const steps = planSteps(plan(before, target)).filter((s) => s.kind === 'alterTableOptions');
    for (const [name, rows] of [['msg', [{ id: 2, body: 'ok 😀' }]], ['memo', [{ id: 2, line: 'é'.repeat(200) }]]] as const) {
      const step = steps.find((s) => s.path === `${db.name}.${name}`)!;
      expect([step.safety, step.hazards.map((h) => h.code), step.preChecks.map((c) => c.kind)], name).toEqual(['data-dependent', ['LK103', 'MF109'], ['cast']]);
      const [{ n }] = (await db.conn.query<{ n: number }>(step.preChecks[0]!.countSql)) as [{ n: number }];
      expect(Number(n), name).toBe(1);
      expect(await db.conn.query(step.preChecks[0]!.sampleSql), name).toEqual(rows);
    }
    // Without the pre-check the step itself refuses (strict sql_mode), it never truncates.
    await expect(db.conn.exec(planSteps(plan(before, target)).find((s) => s.path === `${db.name}.memo`)!.forward[0]!.sql)).rejects.toThrow(/too long/i);
    expect(await db.conn.query('SELECT OCTET_LENGTH(line) AS n FROM memo ORDER BY id')).toEqual([{ n: 100 }, { n: 200 }]);
  });

  it('sets, changes and removes a column comment (MODIFY COLUMN with the whole definition), and rolls it back', async () => {
    await db.conn.exec(`CREATE TABLE account (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(80) NOT NULL DEFAULT 'x@y' COMMENT 'old', note TEXT) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    const before = await inspect();
    const target = structuredClone(before);
    const cols = tableOf(target, 'account').columns;
    cols.find((c) => c.name === 'email')!.comment = "login e-mail, it's unique";
    cols.find((c) => c.name === 'note')!.comment = 'free text';
    cols.find((c) => c.name === 'id')!.comment = null;
    const p = plan(before, target);
    expect(planSteps(p).map((s) => s.kind)).toEqual(['setComment', 'setComment']);
    await apply(db.conn, p);
    const after = await inspect();
    expect(diffCatalogs(after, target, { grants: false })).toEqual([]);
    // Only the comment changed: default, NOT NULL and AUTO_INCREMENT are restated as they were.
    expect(tableOf(after, 'account').columns.map((c) => [c.name, c.comment, c.default, c.nullable])).toEqual([
      ['id', null, null, false],
      ['email', "login e-mail, it's unique", "'x@y'", false],
      ['note', 'free text', null, true],
    ]);
    await apply(db.conn, p, true);
    expect(diffCatalogs(await inspect(), before, { grants: false })).toEqual([]);
  });

  it('creates the index a new foreign key uses before the key, so the rollback can drop both', async () => {
    await db.conn.exec(`
      CREATE TABLE team (id INT PRIMARY KEY) ENGINE=InnoDB;
      CREATE TABLE member (id INT PRIMARY KEY, team_id INT) ENGINE=InnoDB;
      INSERT INTO team VALUES (1); INSERT INTO member VALUES (1, 1)`);
    const before = await inspect();
    const target = structuredClone(before);
    const m = tableOf(target, 'member');
    m.indexes.push({ name: 'member_team_idx', path: `${db.name}.member.member_team_idx`, elements: [{ column: 'team_id' }], unique: false, primary: false, method: 'btree', predicate: null, include: [], valid: true, constraint: null });
    m.foreignKeys.push({ name: 'member_team_fk', path: `${db.name}.member.member_team_fk`, columns: ['team_id'], references: { schema: db.name, table: 'team', columns: ['id'] }, onDelete: 'no action', onUpdate: 'no action', deferrable: false, initiallyDeferred: false, validated: true });
    const p = plan(before, target);
    expect(planSteps(p).map((s) => s.kind)).toEqual(['createIndex', 'addForeignKey']);
    await apply(db.conn, p);
    const after = await inspect();
    expect(diffCatalogs(after, target, { grants: false })).toEqual([]);
    await expect(db.conn.exec('INSERT INTO member VALUES (2, 99)')).rejects.toThrow(/foreign key/i);
    await apply(db.conn, p, true);
    expect(diffCatalogs(await inspect(), before, { grants: false })).toEqual([]);
  });
});
