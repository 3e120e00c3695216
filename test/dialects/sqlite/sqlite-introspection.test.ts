// Every catalog field the SQLite introspector fills, plus the DDL tokenizer
// on the cases SQLite has no catalog for (checks, names, COLLATE, GENERATED).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectSqlite } from '../../../src/dialects/sqlite/sqlite-introspector.js';
import { parseCreateTable, parseCreateTrigger, parseCreateIndex, tokenize } from '../../../src/dialects/sqlite/sqlite-ddl-parser.js';
import { normalizeSqliteType } from '../../../src/dialects/sqlite/sqlite-types.js';
import { findTable, stableStringify } from '../../../src/catalog/normalize.js';
import type { Catalog, Table } from '../../../src/catalog/types.js';
import { connect } from '../../../src/drivers/connect.js';
import { freshSqlite, type FreshSqlite } from '../../helpers/sqlite.js';

const DDL = `
CREATE TABLE core_users (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL COLLATE NOCASE,
  is_active BOOLEAN NOT NULL DEFAULT 1,
  balance NUMERIC(12,2) DEFAULT 0 CHECK (balance >= 0),
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  payload JSON CHECK (payload IS NULL OR json_valid(payload)),
  status TEXT NOT NULL DEFAULT 'active' CONSTRAINT status_values CHECK (status IN ('active', 'on''hold', 'gone')),
  email_domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL,
  email_len INT AS (length(email)) STORED,
  CONSTRAINT uq_email UNIQUE (email),
  CHECK (length(email) > 3 AND (email LIKE '%@%'))
);
CREATE TABLE gauges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id INTEGER REFERENCES core_users ON DELETE SET NULL ON UPDATE CASCADE,
  companion_gauge_id INTEGER,
  gauge_type TEXT NOT NULL DEFAULT 'standard',
  CONSTRAINT fk_companion FOREIGN KEY (companion_gauge_id) REFERENCES gauges(id) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT chk_no_self_companion CHECK (companion_gauge_id IS NULL OR companion_gauge_id <> id)
);
CREATE TABLE pair (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b), UNIQUE (b, a)) STRICT;
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
CREATE TABLE loose (id INT PRIMARY KEY, anything);
CREATE INDEX idx_owner ON gauges (owner_id);
CREATE UNIQUE INDEX idx_type_lower ON gauges (lower(gauge_type), id DESC) WHERE gauge_type <> 'spare';
CREATE INDEX idx_email_nocase ON core_users (email COLLATE RTRIM);
CREATE VIEW active_users (uid, mail) AS SELECT id, email FROM core_users WHERE is_active = 1;
CREATE TRIGGER trg_users_lower AFTER INSERT ON core_users FOR EACH ROW BEGIN UPDATE core_users SET email = lower(NEW.email) WHERE id = NEW.id; END;
CREATE TRIGGER trg_gauge_type BEFORE UPDATE OF gauge_type ON gauges WHEN NEW.gauge_type = 'spare' BEGIN SELECT RAISE(ABORT, 'no; spare'); END;
CREATE TRIGGER trg_view INSTEAD OF DELETE ON active_users BEGIN DELETE FROM core_users WHERE id = OLD.uid; END;
`;

describe('sqlite introspection', () => {
  let db: FreshSqlite;
  let cat: Catalog;
  const t = (name: string): Table => findTable(cat, 'main', name)!;
  const col = (table: string, name: string) => t(table).columns.find((c) => c.name === name)!;

  beforeAll(async () => {
    db = await freshSqlite({ file: true });
    await db.conn.exec(DDL);
    await db.conn.exec(`INSERT INTO core_users (email) VALUES ('a@b.c'), ('d@e.f'); ANALYZE;`);
    cat = await introspectSqlite(db.conn);
  });
  afterAll(async () => db?.dispose());

  it('has one schema, main, and the connection settings', () => {
    expect(cat.dialect).toBe('sqlite');
    expect(cat.schemas.map((s) => s.name)).toEqual(['main']);
    expect(cat.database).toBe('test.db');
    expect(cat.serverVersion).toMatch(/^3\.\d+/);
    expect(cat.serverMajor).toBe(3);
    // plumb opens with SQLite's own default (foreign keys off) unless the URL asks.
    expect(cat.settings.foreign_keys).toBe('0');
    expect(cat.settings.journal_mode).toBeTypeOf('string');
    expect(cat.settings.encoding).toBe('UTF-8');
  });

  it('reads STRICT, WITHOUT ROWID, and counts rows exactly (up to a bound)', () => {
    expect(t('pair').options).toEqual({ strict: true });
    expect(t('kv').options).toEqual({ withoutRowid: true });
    expect(t('core_users').options).toEqual({});
    expect(t('core_users').rowEstimate).toBe(2);
    expect(t('core_users').rowsExact).toBe(true);
    // Never analysed: counted, not left unknown (issue #22).
    expect(t('loose').rowEstimate).toBe(0);
    expect(t('loose').rowsExact).toBe(true);
  });

  it('normalises declared types and keeps the declared text', () => {
    expect(col('core_users', 'id')).toMatchObject({ type: { kind: 'int', raw: 'INTEGER' }, identity: 'by default', nullable: false });
    expect(col('core_users', 'email')).toMatchObject({ type: { kind: 'varchar', length: 255 }, collation: 'NOCASE', nullable: false });
    expect(col('core_users', 'is_active')).toMatchObject({ type: { kind: 'bool' }, default: '1' });
    expect(col('core_users', 'balance').type).toMatchObject({ kind: 'numeric', precision: 12, scale: 2 });
    expect(col('core_users', 'created_at')).toMatchObject({ type: { kind: 'timestamp' }, default: 'CURRENT_TIMESTAMP' });
    expect(col('core_users', 'payload').type.kind).toBe('json');
    expect(col('core_users', 'status').default).toBe("'active'");
    expect(col('core_users', 'email_domain')).toMatchObject({ generated: "substr(email, instr(email, '@') + 1)", generatedStored: false, default: null });
    expect(col('core_users', 'email_len')).toMatchObject({ generated: 'length(email)', generatedStored: true });
    expect(col('gauges', 'id')).toMatchObject({ autoIncrement: true, identity: null });
    expect(col('loose', 'anything').type).toEqual({ kind: 'other', raw: '' });
    expect(t('core_users').columns.map((c) => c.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads CHECK constraints from the DDL text, naming unnamed ones like Postgres', () => {
    const checks = t('core_users').checks;
    expect(checks.map((c) => c.name).sort()).toEqual(['core_users_balance_check', 'core_users_email_check', 'core_users_payload_check', 'status_values'].sort());
    expect(checks.find((c) => c.name === 'status_values')).toMatchObject({ expression: "status IN ('active', 'on''hold', 'gone')", columns: ['status'], validated: true });
    expect(checks.find((c) => c.name === 'core_users_email_check')!.expression).toBe("length(email) > 3 AND (email LIKE '%@%')");
    expect(t('gauges').checks[0]).toMatchObject({ name: 'chk_no_self_companion', columns: ['id', 'companion_gauge_id'] });
  });

  it('reads keys and foreign keys with names, actions and deferrability', () => {
    expect(t('core_users').primaryKey).toMatchObject({ name: 'core_users_pkey', columns: ['id'] });
    expect(t('pair').primaryKey?.columns).toEqual(['a', 'b']);
    expect(t('core_users').uniques).toEqual([expect.objectContaining({ name: 'uq_email', columns: ['email'] })]);
    expect(t('pair').uniques).toEqual([expect.objectContaining({ name: 'pair_b_a_key', columns: ['b', 'a'] })]);
    const fks = t('gauges').foreignKeys;
    expect(fks.map((f) => f.name)).toEqual(['fk_companion', 'gauges_owner_id_fkey']);
    expect(fks[1]).toMatchObject({ columns: ['owner_id'], references: { schema: 'main', table: 'core_users', columns: ['id'] }, onDelete: 'set null', onUpdate: 'cascade', deferrable: false });
    expect(fks[0]).toMatchObject({ deferrable: true, initiallyDeferred: true, references: { table: 'gauges', columns: ['id'] } });
  });

  it('reads indexes with expressions, predicates, collations and constraint names', () => {
    const idx = (table: string, name: string) => t(table).indexes.find((i) => i.name === name)!;
    expect(idx('gauges', 'idx_owner')).toMatchObject({ unique: false, constraint: null, elements: [{ column: 'owner_id' }], predicate: null });
    expect(idx('gauges', 'idx_type_lower')).toMatchObject({ unique: true, elements: [{ expression: 'lower(gauge_type)' }, { column: 'id', descending: true }], predicate: "gauge_type <> 'spare'" });
    expect(idx('core_users', 'idx_email_nocase').elements).toEqual([{ column: 'email', collation: 'RTRIM' }]);
    expect(idx('core_users', 'uq_email')).toMatchObject({ unique: true, constraint: 'uq_email' });
    expect(idx('kv', 'kv_pkey')).toMatchObject({ primary: true, constraint: 'kv_pkey' });
    // The rowid is the table itself: an INTEGER PRIMARY KEY has no separate index.
    expect(t('core_users').indexes.some((i) => i.primary)).toBe(false);
  });

  it('reads views and triggers', () => {
    const v = cat.schemas[0]!.views[0]!;
    expect(v).toMatchObject({ name: 'active_users', definition: 'SELECT id, email FROM core_users WHERE is_active = 1', materialized: false });
    expect(v.columns.map((c) => c.name)).toEqual(['uid', 'mail']);
    expect(v.triggers[0]).toMatchObject({ name: 'trg_view', timing: 'instead of', events: ['delete'] });
    expect(t('core_users').triggers[0]).toMatchObject({ timing: 'after', events: ['insert'], level: 'row', body: 'UPDATE core_users SET email = lower(NEW.email) WHERE id = NEW.id;' });
    expect(t('gauges').triggers[0]).toMatchObject({ timing: 'before', events: ['update'], when: "NEW.gauge_type = 'spare'", body: "SELECT RAISE(ABORT, 'no; spare');" });
  });

  it('is deterministic', async () => {
    expect(stableStringify(await introspectSqlite(db.conn))).toBe(stableStringify(cat));
  });

  it('refuses a schema other than main with a hint', async () => {
    await expect(introspectSqlite(db.conn, { schemas: ['public'] })).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('honours ?foreign_keys=on and ?mode=ro', async () => {
    const on = await connect(`${db.url}?foreign_keys=on`);
    try {
      expect((await introspectSqlite(on)).settings.foreign_keys).toBe('1');
    } finally {
      await on.close();
    }
    const ro = await connect(`${db.url}?mode=ro`);
    try {
      await expect(ro.exec('CREATE TABLE nope (a int)')).rejects.toMatchObject({ code: 'E_PERMISSION' });
    } finally {
      await ro.close();
    }
  });
});

describe('sqlite hostile identifiers', () => {
  it('round-trips names with quotes, brackets, dots, spaces, keywords and unicode', async () => {
    const db = await freshSqlite();
    try {
      const names = ['we"ird', "it's", 'dot.ted', 'sp ace', 'zoë_ünï', 'select', 'a]b'];
      const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
      for (const n of names) {
        await db.conn.exec(
          `CREATE TABLE ${q(n)} (${q(n + '_id')} INTEGER PRIMARY KEY, ${q('v' + n)} TEXT DEFAULT 'x''y' CONSTRAINT ${q('ck ' + n)} CHECK (${q('v' + n)} <> ')('), ${q('p' + n)} INT REFERENCES ${q(n)}(${q(n + '_id')}));` +
            `CREATE INDEX ${q('ix ' + n)} ON ${q(n)} (${q('v' + n)});`,
        );
      }
      const cat = await introspectSqlite(db.conn);
      const tables = cat.schemas[0]!.tables;
      expect(tables.map((x) => x.name).sort()).toEqual([...names].sort());
      for (const n of names) {
        const tb = tables.find((x) => x.name === n)!;
        expect(tb.columns.map((c) => c.name)).toEqual([n + '_id', 'v' + n, 'p' + n]);
        expect(tb.columns[1]!.default).toBe("'x''y'");
        expect(tb.checks).toEqual([expect.objectContaining({ name: 'ck ' + n, expression: `${q('v' + n)} <> ')('`, columns: ['v' + n] })]);
        expect(tb.foreignKeys[0]).toMatchObject({ columns: ['p' + n], references: { table: n, columns: [n + '_id'] } });
        expect(tb.indexes.map((i) => i.name)).toEqual(['ix ' + n]);
      }
    } finally {
      await db.dispose();
    }
  });
});

describe('sqlite DDL tokenizer and parser', () => {
  it('tokenizes quotes, comments and nested parentheses', () => {
    const toks = tokenize(`a "b""c" 'd''e' [f g] \`h\` -- x\n /* y */ (1.5e-3)`);
    expect(toks.map((t) => [t.type, t.value])).toEqual([
      ['word', 'A'],
      ['ident', 'b"c'],
      ['string', "'d''e'"],
      ['ident', 'f g'],
      ['ident', 'h'],
      ['punct', '('],
      ['number', '1.5e-3'],
      ['punct', ')'],
    ]);
  });

  it('parses table constraints, column constraints and options', () => {
    const p = parseCreateTable(`CREATE TABLE t (a INT CONSTRAINT c1 CHECK (a > (1 + 2)) COLLATE nocase, b TEXT AS (a || ',') STORED, CHECK (a <> b), CONSTRAINT u UNIQUE (a, b)) STRICT, WITHOUT ROWID`);
    expect(p.checks).toEqual([
      { name: 'c1', expression: 'a > (1 + 2)', column: 'a' },
      { name: null, expression: 'a <> b', column: null },
    ]);
    expect(p.columns.map((c) => [c.name, c.collation, c.generated, c.generatedStored])).toEqual([
      ['a', 'nocase', null, false],
      ['b', null, "a || ','", true],
    ]);
    expect(p.uniques).toEqual([{ name: 'u', columns: ['a', 'b'] }]);
    expect(p).toMatchObject({ strict: true, withoutRowid: true });
  });

  it('parses index expressions and trigger parts', () => {
    expect(parseCreateIndex(`CREATE INDEX i ON t (a COLLATE nocase DESC, (b + 1), "c")  WHERE a > 0`)).toEqual({ elements: [null, '(b + 1)', null], predicate: 'a > 0' });
    expect(parseCreateTrigger(`CREATE TRIGGER x AFTER UPDATE OF a, b ON t BEGIN SELECT 'end'; END`)).toMatchObject({ timing: 'after', events: ['update'], updateOf: ['a', 'b'], body: "SELECT 'end';" });
  });

  it('normalises declared types by name, then by affinity', () => {
    expect(normalizeSqliteType('VARCHAR(20)')).toEqual({ kind: 'varchar', raw: 'VARCHAR(20)', length: 20 });
    expect(normalizeSqliteType('decimal(10, 3)')).toEqual({ kind: 'numeric', raw: 'decimal(10, 3)', precision: 10, scale: 3 });
    expect(normalizeSqliteType('UNSIGNED BIG INT').kind).toBe('bigint');
    expect(normalizeSqliteType('STRINGINT').kind).toBe('int');
    expect(normalizeSqliteType('MYCHARS').kind).toBe('text');
    expect(normalizeSqliteType('FLOATY').kind).toBe('double');
    expect(normalizeSqliteType('MONEYISH').kind).toBe('numeric');
  });
});
