// A portable spec on MySQL/MariaDB and SQLite: its default schema lands in the
// connection's own (the URL's database, `main`), it is normalised by the
// target engine itself (scratch databases / an in-memory SQLite), so after
// apply a second comparison finds nothing; nothing of the scratch is left
// behind; MySQL keeps a CHECK over an AUTO_INCREMENT column as triggers.
// The pure pieces (schema renaming, binding, NEW-qualification) are tested
// first, without an engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { renameSchemas } from '../../src/catalog/rename-schemas.js';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import { qualifyWithNew } from '../../src/dialects/mysql/mysql-check-triggers.js';
import type { Connection } from '../../src/drivers/connection.js';
import { parseDbUrl } from '../../src/drivers/url.js';
import { PlumbError } from '../../src/errors.js';
import { planFromSpec } from '../../src/plan/plan-spec.js';
import { bindSeedTables, specSchemaMap } from '../../src/spec/bind-target.js';
import { compareWithSpec } from '../../src/spec/compare-spec.js';
import { parseSpecText } from '../../src/spec/load.js';
import { specToDraftCatalog } from '../../src/spec/spec-draft-catalog.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import { verify } from '../../src/verify/verify.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { diffOptionsFromSpec } from '../../src/spec/spec-diff-options.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';
import { freshSqlite, type FreshSqlite } from '../helpers/sqlite.js';

const SPEC = `
version: 1
enums:
  - { name: gauge_kind, labels: [primary, spare] }
tables:
  - name: gauges
    columns:
      - { name: id, type: int, identity: by default, primaryKey: true }
      - { name: code, type: varchar(20), nullable: false, unique: true }
      - { name: kind, type: gauge_kind, nullable: false, default: { value: primary } }
      - { name: companion_id, type: int, nullable: true, references: gauges }
      - { name: settings, type: json, nullable: true }
      - { name: created_at, type: timestamptz, nullable: false, default: now() }
    checks:
      - { name: chk_no_self_companion, expression: "companion_id IS NULL OR companion_id <> id" }
      - { name: chk_spare_alone, expression: "kind <> 'spare' OR companion_id IS NULL" }
    indexes:
      - { name: idx_gauges_companion, columns: [companion_id] }
  - name: readings
    columns:
      - { name: gauge_id, type: int, nullable: false, references: { table: gauges, onDelete: cascade } }
      - { name: taken_at, type: timestamptz, nullable: false }
      - { name: "Value", type: "numeric(10,3)", nullable: false }
    primaryKey: [gauge_id, taken_at]
    checks:
      - { name: chk_value_positive, expression: '"Value" > 0' }
views:
  - { name: spare_gauges, sql: "SELECT id, code FROM gauges WHERE kind = 'spare'" }
seed:
  - table: gauges
    key: [code]
    rows:
      - { code: G-1, kind: primary }
      - { code: G-2, kind: spare }
verify:
  - name: two gauges
    sql: 'SELECT count(*) FROM gauges'
    expect: 2
  - name: a self-companion is rejected
    reject: "UPDATE gauges SET companion_id = id WHERE code = 'G-1'"
    errorClass: check_violation
  - name: a non-positive reading is rejected
    reject: 'INSERT INTO readings (gauge_id, taken_at, "Value") SELECT id, CURRENT_TIMESTAMP, 0 FROM gauges'
    errorClass: check_violation
`;
const spec = parseSpecText(SPEC, 'engines.yaml');

describe('binding a spec to a connection (pure)', () => {
  it('maps the default schema to the MySQL database in the URL and to SQLite main, and leaves Postgres alone', () => {
    expect(specSchemaMap(spec, getDialect('mysql'), parseDbUrl('mysql://root@h:3306/shop'))).toEqual({ public: 'shop' });
    expect(specSchemaMap(spec, getDialect('sqlite'), parseDbUrl('sqlite:./x.db'))).toEqual({ public: 'main' });
    expect(specSchemaMap(spec, getDialect('postgres'), parseDbUrl('postgres://h/db'))).toEqual({});
  });

  it('refuses a MySQL URL without a database when the spec uses its default schema, with a hint', () => {
    let err: unknown;
    try {
      specSchemaMap(spec, getDialect('mysql'), parseDbUrl('mysql://root@h:3306'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlumbError);
    expect((err as PlumbError).code).toBe('E_URL');
    expect((err as PlumbError).hint).toMatch(/mysql:\/\/user@host:3306\/mydb/);
  });

  it('binds seed tables and their qualified $refs, not unqualified ones', () => {
    const seed = bindSeedTables(
      [{ schema: 'public', table: 'readings', key: ['gauge_id'], rows: [{ gauge_id: { $ref: 'public.gauges', key: { code: 'G-1' } }, other: { $ref: 'gauges', key: { code: 'G-2' } } }], encrypt: [], hash: {}, prune: false }],
      { public: 'main' },
    );
    expect(seed[0]!.schema).toBe('main');
    expect(seed[0]!.rows[0]).toEqual({ gauge_id: { $ref: 'main.gauges', key: { code: 'G-1' } }, other: { $ref: 'gauges', key: { code: 'G-2' } } });
  });

  it('renames a schema in every path, reference and owned sequence, and nothing else', () => {
    const draft = specToDraftCatalog(spec);
    const renamed = renameSchemas(draft, { public: 'shop' });
    const json = JSON.stringify(renamed);
    expect(json).not.toMatch(/"public[."]/);
    const t = renamed.schemas[0]!.tables.find((x) => x.name === 'readings')!;
    expect(renamed.schemas.map((s) => s.name)).toEqual(['shop']);
    expect(t.path).toBe('shop.readings');
    expect(t.columns[0]!.path).toBe('shop.readings.gauge_id');
    expect(t.foreignKeys[0]!.references).toMatchObject({ schema: 'shop', table: 'gauges' });
    const kind = renamed.schemas[0]!.tables.find((x) => x.name === 'gauges')!.columns.find((c) => c.name === 'kind')!;
    expect(kind.type.ref).toBe('shop.gauge_kind');
    // Text is replaced only when asked (definitions an engine printed).
    const withText = renameSchemas(draft, {}, { text: { gauges: 'GAUGES' } });
    expect(withText.schemas[0]!.views[0]!.definition).toMatch(/GAUGES/);
    expect(renameSchemas(draft, {})).toBe(draft);
  });

  it('reads a check\'s columns from NEW, leaving literals, functions and qualified names alone', () => {
    const cols = ['id', 'companion_id', 'Value', 'name'];
    expect(qualifyWithNew('companion_id IS NULL OR companion_id <> id', cols)).toBe('NEW.`companion_id` IS NULL OR NEW.`companion_id` <> NEW.`id`');
    expect(qualifyWithNew(`"Value" > 0 AND name <> 'id' AND lower(name) <> t.id`, cols)).toBe("NEW.`Value` > 0 AND NEW.`name` <> 'id' AND lower(NEW.`name`) <> t.id");
  });
});

/** apply the spec, then compare again: the engine printed both sides, so nothing is left. */
async function roundTrip(conn: Connection): Promise<Catalog> {
  const first = await planFromSpec(conn, spec);
  expect(first.changes.length).toBeGreaterThan(0);
  expect((await applyPlan(conn, first.plan)).outcome).toBe('applied');
  const again = await compareWithSpec(conn, spec);
  expect(again.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([]);
  return again.desired;
}

async function verifyAll(conn: Connection, desired: Catalog): Promise<void> {
  const live = (await compareWithSpec(conn, spec)).current;
  const report = await verify(conn, { checks: spec.verify, target: desired, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });
  const failed = report.results.filter((r) => r.status === 'fail');
  expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
  expect(report.results.filter((r) => r.kind === 'reject').map((r) => r.status)).toEqual(['pass', 'pass']);
}

const server = mysqlServer();
describe.runIf(!!server)('a portable spec on MariaDB', () => {
  let db: FreshMysql;
  beforeAll(async () => {
    db = await freshMysql(server);
  }, 60_000);
  afterAll(async () => db?.dispose());

  it('lands in the URL\'s database, applies, and compares again with no change', async () => {
    const desired = await roundTrip(db.conn);
    expect(desired.schemas.map((s) => s.name)).toEqual([db.name]);
    const gauges = desired.schemas[0]!.tables.find((t) => t.name === 'gauges')!;
    // MySQL refuses a CHECK reading an AUTO_INCREMENT column: it is kept by two triggers instead.
    expect(gauges.checks.map((c) => c.name)).toEqual(['chk_spare_alone']);
    expect(gauges.triggers.map((t) => t.name)).toEqual(['chk_no_self_companion_bi', 'chk_no_self_companion_bu']);
    expect(gauges.columns.find((c) => c.name === 'kind')!.type).toMatchObject({ kind: 'enum', labels: ['primary', 'spare'] });
  }, 120_000);

  it('a scratch space is databases of its own, created with the defaults of those they stand for, and dispose() drops them', async () => {
    const space = (await getDialect('mysql').openScratch!(db.conn.target, [db.name, 'plumb_t_not_there'], db.name))!;
    const made = Object.values(space.names);
    expect(made).toHaveLength(2);
    for (const n of made) expect(n).toMatch(/^plumb_scratch_l[0-9a-f]{8}_\d$/);
    // Other test files share the server: look only at these two names.
    const present = async () => (await db.conn.query<{ n: string }>(`SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?) ORDER BY 1`, made)).map((r) => r.n);
    expect(await present()).toEqual([...made].sort());
    await space.dispose();
    expect(await present()).toEqual([]);
  }, 60_000);

  it('normalises on scratch databases with the target database\'s defaults, so an app\'s tables are not converted', async () => {
    const other = await freshMysql(server);
    try {
      await other.conn.exec(`ALTER DATABASE \`${other.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      // What an application made itself, in the database's default collation.
      await other.conn.exec('CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100) NOT NULL)');
      // Seed 000's kind of table: latin1. A portable table stores Unicode, so this one is converted.
      await other.conn.exec('CREATE TABLE legacy (id INT PRIMARY KEY, body VARCHAR(100) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=latin1');
      const cols = '    columns:\n      - { name: id, type: int, primaryKey: true }\n      - { name: body, type: varchar(100), nullable: false }\n';
      const one = parseSpecText(`version: 1\ntables:\n  - name: notes\n${cols}  - name: legacy\n${cols}`, 'notes.yaml');
      const { desired, changes } = await compareWithSpec(other.conn, one);
      // The spec states no collation: the scratch's default is not compared, and the app's table is not rebuilt.
      expect(desired.schemas[0]!.tables.find((t) => t.name === 'notes')!.options).toEqual({ engine: 'InnoDB', charset: 'utf8mb4' });
      expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual([`alterTableOptions ${other.name}.legacy`]);
    } finally {
      await other.dispose();
    }
  }, 120_000);

  it('verify passes, and the self-companion trigger rejects as a check violation', async () => {
    const desired = await specToCatalog(spec, { dialect: 'mysql', target: db.conn.target });
    await db.conn.exec("INSERT INTO gauges (code, kind) VALUES ('G-1', 'primary'), ('G-2', 'spare')");
    await verifyAll(db.conn, desired);
  }, 120_000);
});

describe('a portable spec on SQLite', () => {
  let db: FreshSqlite;
  beforeAll(async () => {
    db = await freshSqlite({ file: true, foreignKeys: true });
  });
  afterAll(async () => db?.dispose());

  it('lands in main, applies, and compares again with no change', async () => {
    const desired = await roundTrip(db.conn);
    expect(desired.schemas.map((s) => s.name)).toEqual(['main']);
    const gauges = desired.schemas[0]!.tables.find((t) => t.name === 'gauges')!;
    // No enum types: a checked text column.
    expect(gauges.checks.map((c) => c.name)).toContain('gauges_kind_check');
  }, 60_000);

  it('verify passes', async () => {
    const desired = await specToCatalog(spec, { dialect: 'sqlite', target: db.conn.target });
    await db.conn.exec("INSERT INTO gauges (code, kind) VALUES ('G-1', 'primary'), ('G-2', 'spare')");
    await verifyAll(db.conn, desired);
  }, 60_000);

  it('refuses a spec with a second schema, naming it', async () => {
    const two = parseSpecText(`${SPEC}\nschemas:\n  - name: audit\n    tables:\n      - name: log\n        columns:\n          - { name: id, type: int, primaryKey: true }\n`, 'two.yaml');
    await expect(specToCatalog(two, { dialect: 'sqlite', target: db.conn.target })).rejects.toThrow(/SQLite has one schema \(main\), and the spec declares "audit"/);
  });
});
