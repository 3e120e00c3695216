// MySQL/MariaDB rendering on the machine's server: diff two databases, render
// every change, apply statement by statement (DDL is not transactional here),
// re-inspect: nothing left to change; the per-step rollbacks return the original.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { renderMysqlChange, mysqlRenderedKinds, convertCharsetSql, mysqlDefaultSql } from '../../../src/dialects/mysql/mysql-render.js';
import { mysqlTypeSql } from '../../../src/dialects/mysql/mysql-render-types.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import { changeKinds, type Change } from '../../../src/diff/changes.js';
import type { Catalog } from '../../../src/catalog/types.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';

const server = mysqlServer();

/** The other database's catalog, as if it were the same database (so paths match). */
function as(cat: Catalog, from: string, to: string): Catalog {
  return JSON.parse(JSON.stringify(cat).split(from).join(to)) as Catalog;
}

describe('mysql renderer (pure)', () => {
  it('covers every change kind', () => {
    expect([...mysqlRenderedKinds].sort()).toEqual([...changeKinds].sort());
  });

  it('spells portable and Postgres-shaped types for MySQL, and refuses what MySQL cannot hold', () => {
    expect(mysqlTypeSql({ kind: 'varchar', raw: 'character varying(50)', length: 50 })).toBe('VARCHAR(50)');
    expect(mysqlTypeSql({ kind: 'timestamptz', raw: 'timestamp with time zone' })).toBe('TIMESTAMP(6)');
    expect(mysqlTypeSql({ kind: 'timestamp', raw: 'datetime' })).toBe('DATETIME');
    expect(mysqlTypeSql({ kind: 'int', raw: 'int(10) unsigned', unsigned: true })).toBe('INT(10) UNSIGNED');
    expect(mysqlTypeSql({ kind: 'json', raw: 'longtext' })).toBe('JSON');
    expect(mysqlTypeSql({ kind: 'bool', raw: 'boolean' })).toBe('BOOLEAN');
    expect(mysqlTypeSql({ kind: 'bool', raw: 'bool not null' })).toBe('TINYINT(1)');
    expect(mysqlTypeSql({ kind: 'uuid', raw: 'uuid' })).toBe('CHAR(36)');
    expect(mysqlTypeSql({ kind: 'enum', raw: 'x', labels: ["a'b", 'c'] })).toBe("ENUM('a''b', 'c')");
    expect(() => mysqlTypeSql({ kind: 'array', raw: 'text[]' })).toThrow(expect.objectContaining({ code: 'E_PLAN' }));
    expect(mysqlDefaultSql("'x'")).toBe("'x'");
    expect(mysqlDefaultSql('uuid()')).toBe('(uuid())');
    expect(mysqlDefaultSql("'a'::character varying")).toBe("'a'");
    expect(mysqlDefaultSql('CURRENT_TIMESTAMP')).toBe('CURRENT_TIMESTAMP');
    expect(convertCharsetSql({ schema: 'db', name: 't`x' })).toBe('ALTER TABLE `db`.`t``x` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  });

  it('raises a PlumbError with a hint for what MySQL cannot have', () => {
    const c = { kind: 'enableRls', path: 'db.t', table: { schema: 'db', name: 't' } } as Change;
    expect(() => renderMysqlChange(c)).toThrow(expect.objectContaining({ code: 'E_PLAN', hint: expect.stringMatching(/views|application/) }));
  });
});

describe.runIf(server)('mysql renderer on the machine\'s server', () => {
  let a: FreshMysql;
  let b: FreshMysql;
  beforeAll(async () => {
    a = await freshMysql();
    b = await freshMysql();
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
  });

  it('evolves a database (columns, keys, checks, views, events, routines) and rolls every step back', async () => {
    await a.conn.exec(`
      CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
      CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, qty INT DEFAULT 1, note VARCHAR(20), KEY child_parent (parent_id),
        CONSTRAINT fk_p FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
      CREATE EVENT expire_transfer_requests ON SCHEDULE EVERY 1 DAY DO DELETE FROM child WHERE qty = 0;
      CREATE PROCEDURE add_col_if_missing() BEGIN SELECT 1; END;
      INSERT INTO parent VALUES (1, 'a'), (2, 'b'); INSERT INTO child VALUES (1, 1, 5, 'n'), (2, 2, 3, 'm');`);
    await b.conn.exec(`
      CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, code VARCHAR(5) NOT NULL DEFAULT 'x', payload JSON,
        CONSTRAINT name_uq UNIQUE (name)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
      CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, qty INT DEFAULT 2, memo VARCHAR(40), status ENUM('a','b') NOT NULL DEFAULT 'a',
        KEY child_parent (parent_id), CONSTRAINT fk_p FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE,
        CONSTRAINT child_qty_check CHECK (qty > 0)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
      CREATE TABLE extra (id INT PRIMARY KEY, child_id INT, KEY extra_child (child_id), CONSTRAINT extra_fk FOREIGN KEY (child_id) REFERENCES child (id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
      CREATE VIEW v AS SELECT id, name FROM parent;
      CREATE TRIGGER child_lower BEFORE INSERT ON child FOR EACH ROW SET NEW.memo = LOWER(NEW.memo);`);
    const from = await introspectMysql(a.conn);
    const to = as(await introspectMysql(b.conn), b.name, a.name);
    const changes = diffCatalogs(from, to, { grants: false });
    expect(changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['addColumn', 'alterColumnNullability', 'alterColumnDefault', 'dropColumn', 'addCheck', 'addUnique', 'createTable', 'addForeignKey', 'createView', 'createTrigger', 'dropEvent', 'dropRoutine']));
    const rendered = changes.map((c) => renderMysqlChange(c));
    expect(rendered.find((r, i) => changes[i]!.kind === 'dropEvent')!.forward[0]).toMatch(/^ALTER EVENT .* DISABLE$/);
    for (const r of rendered) for (const s of r.forward) await a.conn.exec(s);
    expect(diffCatalogs(await introspectMysql(a.conn), to, { grants: false })).toEqual([]);
    expect(await a.conn.query('SELECT id, parent_id, qty FROM child ORDER BY id')).toEqual([
      { id: 1, parent_id: 1, qty: 5 },
      { id: 2, parent_id: 2, qty: 3 },
    ]);
    for (const r of [...rendered].reverse()) for (const s of r.rollback) await a.conn.exec(s);
    expect(diffCatalogs(await introspectMysql(a.conn), from, { grants: false })).toEqual([]);
  });

  it('converts a latin1 table to utf8mb4 with the generated statement', async () => {
    await a.conn.exec(`CREATE TABLE legacy (id INT PRIMARY KEY, name VARCHAR(20)) DEFAULT CHARSET=latin1; INSERT INTO legacy VALUES (1, 'café')`);
    await a.conn.exec(convertCharsetSql({ schema: a.name, name: 'legacy' }));
    const t = (await introspectMysql(a.conn)).schemas[0]!.tables.find((x) => x.name === 'legacy')!;
    expect(t.options).toMatchObject({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' });
    expect(await a.conn.query('SELECT name FROM legacy')).toEqual([{ name: 'café' }]);
  });
});
