// Every catalog field the MySQL/MariaDB introspector fills, on the machine's
// server, in a fresh database per file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { stableStringify, findTable } from '../../../src/catalog/normalize.js';
import type { Catalog, Table } from '../../../src/catalog/types.js';
import type { Connection } from '../../../src/drivers/connection.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';

const server = mysqlServer();

const DDL = `
CREATE TABLE core_users (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(255) NOT NULL COMMENT 'login',
  legacy_name VARCHAR(100) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
  is_active TINYINT(1) NOT NULL DEFAULT 1,
  tiny TINYINT NOT NULL DEFAULT 0,
  balance DECIMAL(12,2) UNSIGNED DEFAULT '0.00',
  ratio DOUBLE,
  born DATE,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  seen_at DATETIME(6) NULL,
  payload JSON,
  status ENUM('active','on''hold','gone') NOT NULL DEFAULT 'active',
  flags SET('a','b'),
  avatar BLOB,
  code BINARY(16),
  email_domain VARCHAR(255) AS (SUBSTRING_INDEX(email, '@', -1)) VIRTUAL,
  email_len INT AS (CHAR_LENGTH(email)) STORED,
  location POINT NOT NULL,
  bio TEXT,
  UNIQUE KEY uq_email (email),
  KEY idx_name_prefix (legacy_name(10)) COMMENT 'old logins',
  KEY idx_active_created (is_active, created_at DESC),
  FULLTEXT KEY ft_bio (bio),
  SPATIAL KEY sp_location (location),
  CONSTRAINT chk_balance CHECK (balance >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people';

CREATE TABLE gauges (
  id INT PRIMARY KEY, -- MariaDB refuses a CHECK that reads an AUTO_INCREMENT column (the seed's chk_no_self_companion)
  owner_id INT UNSIGNED,
  companion_gauge_id INT NULL,
  gauge_type VARCHAR(20) NOT NULL DEFAULT 'standard',
  KEY idx_owner (owner_id),
  KEY idx_companion (companion_gauge_id),
  CONSTRAINT fk_gauge_owner FOREIGN KEY (owner_id) REFERENCES core_users(id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT fk_companion FOREIGN KEY (companion_gauge_id) REFERENCES gauges(id),
  CONSTRAINT chk_no_self_companion CHECK (companion_gauge_id IS NULL OR companion_gauge_id <> id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE legacy_log (id INT PRIMARY KEY, msg VARCHAR(200)) ENGINE=MyISAM DEFAULT CHARSET=latin1;

CREATE TABLE pair (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b), CONSTRAINT uq_ba UNIQUE (b, a)) ENGINE=InnoDB;

CREATE VIEW active_users AS SELECT id, email FROM core_users WHERE is_active = 1 WITH LOCAL CHECK OPTION;
CREATE SQL SECURITY INVOKER VIEW gauge_count AS SELECT owner_id, COUNT(*) AS n FROM gauges GROUP BY owner_id;

CREATE PROCEDURE AddColumnIfNotExists(IN p_table VARCHAR(64), IN p_column VARCHAR(64), OUT p_done TINYINT)
  COMMENT 'hidden automation'
  BEGIN SET p_done = 1; END;
CREATE FUNCTION next_id(p_prefix VARCHAR(10)) RETURNS VARCHAR(40) DETERMINISTIC SQL SECURITY INVOKER
  RETURN CONCAT(p_prefix, '-', 1);

CREATE TRIGGER trg_users_lower BEFORE INSERT ON core_users FOR EACH ROW SET NEW.email = LOWER(NEW.email);
CREATE TRIGGER trg_gauge_audit AFTER UPDATE ON gauges FOR EACH ROW SET @last_gauge = NEW.id;

CREATE EVENT expire_transfer_requests ON SCHEDULE EVERY 1 HOUR COMMENT 'expires transfers' DO DELETE FROM gauges WHERE gauge_type = 'expired';
CREATE EVENT one_shot ON SCHEDULE AT '2030-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE DO DELETE FROM legacy_log;
`;

describe.runIf(server)('mysql introspection on the machine\'s server', () => {
  let db: FreshMysql;
  let cat: Catalog;
  const t = (name: string): Table => findTable(cat, db.name, name)!;
  const col = (table: string, name: string) => t(table).columns.find((c) => c.name === name)!;
  const user = `plumb_t_reader_${process.pid}`;

  beforeAll(async () => {
    db = await freshMysql();
    await db.conn.exec(DDL);
    await db.conn.exec(`CREATE USER IF NOT EXISTS '${user}'@'localhost'; GRANT SELECT, INSERT ON \`${db.name}\`.gauges TO '${user}'@'localhost'; GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'localhost'`);
    cat = await introspectMysql(db.conn);
  });
  afterAll(async () => {
    await db?.conn.exec(`DROP USER IF EXISTS '${user}'@'localhost'`).catch(() => undefined);
    await db?.dispose();
  });

  it('reads the URL database as the one schema, with server facts and settings', () => {
    expect(cat.dialect).toBe('mysql');
    expect(cat.database).toBe(db.name);
    expect(cat.schemas.map((s) => s.name)).toEqual([db.name]);
    expect(cat.serverMajor).toBeGreaterThanOrEqual(8);
    expect(cat.settings.sql_mode).toBeTypeOf('string');
    expect(['ON', 'OFF', 'DISABLED']).toContain(cat.settings.event_scheduler);
    expect(cat.settings['plumb.flavor']).toMatch(/^(mariadb|mysql)$/);
    expect(cat.settings[`plumb.schema_collation.${db.name}`]).toBe('utf8mb4_unicode_ci');
    expect(cat.settings[`plumb.schema_grants.${db.name}`]).toContain('SELECT');
  });

  it('reads table options, comments and statistics', () => {
    expect(t('core_users')).toMatchObject({ kind: 'table', comment: 'people', options: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } });
    expect(t('legacy_log').options).toMatchObject({ engine: 'MyISAM', charset: 'latin1' });
    expect(t('core_users').rowEstimate).not.toBeNull();
    expect(t('core_users').totalBytes).toBeGreaterThan(0);
    expect(t('core_users').rls).toEqual({ enabled: false, forced: false });
  });

  it('normalises column types and keeps the raw spelling', () => {
    expect(col('core_users', 'id')).toMatchObject({ type: { kind: 'int', unsigned: true }, autoIncrement: true, nullable: false, identity: null });
    expect(col('core_users', 'email')).toMatchObject({ type: { kind: 'varchar', length: 255, raw: 'varchar(255)' }, comment: 'login', collation: null });
    expect(col('core_users', 'is_active')).toMatchObject({ type: { kind: 'bool', raw: 'tinyint(1)' }, default: '1' });
    expect(col('core_users', 'tiny').type.kind).toBe('tinyint');
    expect(col('core_users', 'balance')).toMatchObject({ type: { kind: 'numeric', precision: 12, scale: 2, unsigned: true }, default: '0.00' });
    expect(col('core_users', 'ratio').type.kind).toBe('double');
    expect(col('core_users', 'born').type.kind).toBe('date');
    expect(col('core_users', 'seen_at').type).toMatchObject({ kind: 'timestamp', precision: 6 });
    expect(col('core_users', 'created_at').type.kind).toBe('timestamptz');
    expect(col('core_users', 'created_at').default).toMatch(/^current_timestamp(\(\))?$/i);
    expect(col('core_users', 'updated_at').onUpdate).toMatch(/^current_timestamp(\(\))?$/i);
    expect(col('core_users', 'payload').type.kind).toBe('json');
    expect(col('core_users', 'status')).toMatchObject({ type: { kind: 'enum', labels: ['active', "on'hold", 'gone'] }, default: "'active'", nullable: false });
    expect(col('core_users', 'flags').type).toMatchObject({ kind: 'other', labels: ['a', 'b'] });
    expect(col('core_users', 'avatar').type.kind).toBe('blob');
    expect(col('core_users', 'code').type).toMatchObject({ kind: 'blob', length: 16 });
    expect(col('core_users', 'location').type.kind).toBe('geometry');
    expect(col('core_users', 'legacy_name')).toMatchObject({ charset: 'latin1', collation: 'latin1_swedish_ci' });
    expect(col('core_users', 'email_domain')).toMatchObject({ generatedStored: false, default: null });
    expect(col('core_users', 'email_domain').generated).toMatch(/substring_index/i);
    expect(col('core_users', 'email_len')).toMatchObject({ generatedStored: true });
    expect(col('gauges', 'gauge_type').default).toBe("'standard'");
    expect(t('core_users').columns.map((c) => c.ordinal)).toEqual(t('core_users').columns.map((_, i) => i + 1));
  });

  it('does not report the JSON_VALID check that implements MariaDB JSON as a user check', () => {
    expect(t('core_users').checks.map((c) => c.name)).toEqual(['chk_balance']);
    expect(t('core_users').checks[0]).toMatchObject({ expression: expect.stringMatching(/balance`? >= 0/), columns: ['balance'], validated: true });
  });

  it('reads keys, foreign keys with actions, checks', () => {
    expect(t('core_users').primaryKey).toMatchObject({ name: 'PRIMARY', columns: ['id'] });
    expect(t('pair').primaryKey?.columns).toEqual(['a', 'b']);
    expect(t('pair').uniques).toEqual([expect.objectContaining({ name: 'uq_ba', columns: ['b', 'a'] })]);
    const fks = t('gauges').foreignKeys;
    expect(fks.map((f) => f.name)).toEqual(['fk_companion', 'fk_gauge_owner']);
    expect(fks[1]).toMatchObject({ columns: ['owner_id'], references: { schema: db.name, table: 'core_users', columns: ['id'] }, onDelete: 'set null', onUpdate: 'cascade', deferrable: false, validated: true });
    // RESTRICT and NO ACTION are the same thing in InnoDB: one spelling.
    expect(fks[0]).toMatchObject({ onDelete: 'no action', onUpdate: 'no action', references: { table: 'gauges' } });
    expect(t('gauges').checks[0]).toMatchObject({ name: 'chk_no_self_companion', columns: ['id', 'companion_gauge_id'] });
  });

  it('reads indexes: prefix lengths, descending, fulltext, spatial, constraint-backed', () => {
    const idx = (name: string) => t('core_users').indexes.find((i) => i.name === name)!;
    expect(idx('PRIMARY')).toMatchObject({ primary: true, unique: true, constraint: 'PRIMARY' });
    expect(idx('uq_email')).toMatchObject({ unique: true, constraint: 'uq_email', elements: [{ column: 'email' }] });
    expect(idx('idx_name_prefix').elements).toEqual([{ column: 'legacy_name', prefixLength: 10 }]);
    expect(idx('ft_bio')).toMatchObject({ method: 'fulltext', unique: false });
    expect(idx('sp_location').method).toBe('spatial');
    expect(idx('idx_active_created').elements.map((e) => e.column)).toEqual(['is_active', 'created_at']);
    // An index COMMENT; none is '' in information_schema, and no key in the catalog.
    expect(idx('idx_name_prefix').comment).toBe('old logins');
    expect(idx('uq_email')).not.toHaveProperty('comment');
  });

  it('reads views with definition, check option and security', () => {
    const s = cat.schemas[0]!;
    const v = s.views.find((x) => x.name === 'active_users')!;
    expect(v).toMatchObject({ materialized: false, checkOption: 'local', securityInvoker: false });
    expect(v.definition).toMatch(/core_users/);
    expect(v.columns.map((c) => c.name)).toEqual(['id', 'email']);
    expect(v.columns[0]!.type).toMatchObject({ kind: 'int', unsigned: true });
    expect(s.views.find((x) => x.name === 'gauge_count')).toMatchObject({ securityInvoker: true, checkOption: null });
  });

  it('finds hidden procedures and functions with bodies', () => {
    const s = cat.schemas[0]!;
    const p = s.routines.find((r) => r.name === 'AddColumnIfNotExists')!;
    expect(p).toMatchObject({ kind: 'procedure', returns: null, securityDefiner: true, comment: 'hidden automation', language: 'sql' });
    expect(p.arguments).toMatch(/^IN `p_table` varchar\(64\), IN `p_column` varchar\(64\), OUT `p_done` tinyint/);
    expect(p.definition).toContain('SET p_done = 1');
    expect(p.owner).toMatch(/@/);
    const f = s.routines.find((r) => r.name === 'next_id')!;
    expect(f).toMatchObject({ kind: 'function', returns: 'varchar(40)', securityDefiner: false, volatility: 'immutable', signature: 'varchar(10)' });
    expect(f.path).toBe(`${db.name}.next_id(varchar(10))`);
  });

  it('reads triggers with inline bodies', () => {
    expect(t('core_users').triggers[0]).toMatchObject({ name: 'trg_users_lower', timing: 'before', events: ['insert'], level: 'row', function: null, enabled: true });
    expect(t('core_users').triggers[0]!.body).toBe('SET NEW.email = LOWER(NEW.email)');
    expect(t('gauges').triggers[0]).toMatchObject({ timing: 'after', events: ['update'] });
  });

  it('finds scheduled events, enabled and disabled', () => {
    const ev = cat.schemas[0]!.events;
    expect(ev.map((e) => e.name)).toEqual(['expire_transfer_requests', 'one_shot']);
    expect(ev[0]).toMatchObject({ schedule: 'EVERY 1 HOUR', enabled: true, comment: 'expires transfers' });
    expect(ev[0]!.definition).toContain('DELETE FROM gauges');
    expect(ev[1]).toMatchObject({ schedule: "AT '2030-01-01 00:00:00'", enabled: false, comment: null });
  });

  it('reads table grants', () => {
    const g = t('gauges').grants.find((x) => x.grantee.includes(user))!;
    expect(g.privileges).toEqual(['INSERT', 'SELECT']);
  });

  it('is deterministic and runs a fixed number of queries whatever the table count', async () => {
    let queries = 0;
    const counting: Connection = new Proxy(db.conn, {
      get(target, prop, recv) {
        if (prop === 'transaction') {
          return (fn: (tx: Connection) => Promise<unknown>, o: unknown) =>
            target.transaction((tx) => fn(new Proxy(tx, { get: (t2, p2) => (p2 === 'query' ? (...a: unknown[]) => (queries++, (t2.query as (...x: unknown[]) => unknown)(...a)) : Reflect.get(t2, p2)) })), o as never);
        }
        return Reflect.get(target, prop, recv);
      },
    });
    const again = await introspectMysql(counting);
    expect(stableStringify({ ...again, schemas: again.schemas.map((s) => ({ ...s, tables: s.tables.map((x) => ({ ...x, rowEstimate: 0, totalBytes: 0 })) })) })).toBe(
      stableStringify({ ...cat, schemas: cat.schemas.map((s) => ({ ...s, tables: s.tables.map((x) => ({ ...x, rowEstimate: 0, totalBytes: 0 })) })) }),
    );
    expect(queries).toBeLessThanOrEqual(16);
  });

  it('inspects other databases with --schema and refuses unknown ones with a hint', async () => {
    const other = await introspectMysql(db.conn, { schemas: [db.name, 'information_schema'] });
    expect(other.schemas.map((s) => s.name).sort()).toEqual([db.name, 'information_schema'].sort());
    await expect(introspectMysql(db.conn, { schemas: ['no_such_db_plumb'] })).rejects.toMatchObject({ code: 'E_NO_DATABASE' });
  });
});

describe.runIf(server)('mysql introspection of hostile identifiers', () => {
  let db: FreshMysql;
  beforeAll(async () => {
    db = await freshMysql();
  });
  afterAll(async () => db?.dispose());

  it('round-trips names with backticks, quotes, dots, spaces and unicode', async () => {
    const names = ['we`ird', "it's", 'dot.ted', 'sp ace', 'zoë_ünï', 'select'];
    const q = (n: string) => '`' + n.replace(/`/g, '``') + '`';
    for (const n of names) {
      await db.conn.exec(`CREATE TABLE ${q(n)} (${q(n + '_id')} INT PRIMARY KEY, ${q('v' + n)} VARCHAR(10) DEFAULT 'x''y', CONSTRAINT ${q('ck ' + n)} CHECK (${q('v' + n)} <> ''))`);
    }
    await db.conn.exec(`CREATE INDEX ${q('ix`.')} ON ${q('dot.ted')} (${q('vdot.ted')})`);
    const cat = await introspectMysql(db.conn);
    const tables = cat.schemas[0]!.tables;
    expect(tables.map((x) => x.name).sort()).toEqual([...names].sort());
    for (const n of names) {
      const tb = tables.find((x) => x.name === n)!;
      expect(tb.columns.map((c) => c.name)).toEqual([n + '_id', 'v' + n]);
      expect(tb.primaryKey?.columns).toEqual([n + '_id']);
      expect(tb.columns[1]!.default).toBe("'x''y'");
      expect(tb.checks[0]!.name).toBe('ck ' + n);
      expect(tb.checks[0]!.columns).toEqual(['v' + n]);
    }
    expect(tables.find((x) => x.name === 'dot.ted')!.indexes.find((i) => i.name === 'ix`.')).toBeDefined();
    expect(tables.find((x) => x.name === 'dot.ted')!.path).toBe(`${db.name}."dot.ted"`);
  });
});
