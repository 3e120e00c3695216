// Standard-SQL expressions rendered for MySQL/MariaDB: "quoted" identifiers
// become `backticks` (MySQL would read them as strings), literals are left
// alone. On the machine's server: a CHECK over a quoted mixed-case column
// really rejects a bad row and accepts a good one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTable } from '../../../src/catalog/normalize.js';
import type { Column, Table } from '../../../src/catalog/types.js';
import { mysqlExpression } from '../../../src/dialects/mysql/mysql-expressions.js';
import { mysqlCreateTableSql, renderMysqlChange } from '../../../src/dialects/mysql/mysql-render.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';

describe('mysqlExpression (pure)', () => {
  it('turns double-quoted identifiers into backticks and leaves literals alone', () => {
    expect(mysqlExpression('"TaxRate" >= 0 AND "TaxRate" < 1')).toBe('`TaxRate` >= 0 AND `TaxRate` < 1');
    expect(mysqlExpression(`"Status" IN ('queued', 'it''s "sent"')`)).toBe("`Status` IN ('queued', 'it''s \"sent\"')");
    // "" inside an identifier is one "; a backtick inside is doubled.
    expect(mysqlExpression('"a""b" > 0 AND "c`d" > 0')).toBe('`a"b` > 0 AND `c``d` > 0');
    // MySQL's own spelling passes through: backticks and backslash escapes inside literals.
    expect(mysqlExpression("`s` <> 'x\\'\"y' AND json_valid(`p`)")).toBe("`s` <> 'x\\'\"y' AND json_valid(`p`)");
    // Postgres casts have no MySQL syntax: dropped.
    expect(mysqlExpression(`("total" >= (0)::numeric(10,2)) AND (kind)::text = 'a'::character varying`)).toBe("(`total` >= (0)) AND (kind) = 'a'");
  });
});

const server = mysqlServer();
const column = (name: string, ordinal: number, type: Column['type'], extra: Partial<Column> = {}): Column => ({
  name,
  path: `db.t.${name}`,
  ordinal,
  type,
  nullable: false,
  default: null,
  identity: null,
  generated: null,
  collation: null,
  comment: null,
  ...extra,
});

describe.runIf(server)('standard-SQL expressions on the machine\'s server', () => {
  let db: FreshMysql;
  beforeAll(async () => {
    db = await freshMysql();
  });
  afterAll(async () => db?.dispose());

  it('a CHECK over a quoted mixed-case column rejects a bad row and accepts a good one; defaults, generated columns and index expressions too', async () => {
    const t: Table = emptyTable(db.name, 'Country', `${db.name}.Country`);
    t.columns = [
      column('Code', 1, { kind: 'char', raw: 'char(2)', length: 2 }),
      column('TaxRate', 2, { kind: 'numeric', raw: 'numeric(5,4)', precision: 5, scale: 4 }),
      column('Label', 3, { kind: 'varchar', raw: 'varchar(20)', length: 20 }, { default: `'it''s'::character varying` }),
      column('Percent', 4, { kind: 'numeric', raw: 'numeric(8,4)', precision: 8, scale: 4 }, { nullable: true, generated: '"TaxRate" * 100', generatedStored: true }),
    ];
    t.primaryKey = { name: 'PRIMARY', path: `${db.name}.Country.PRIMARY`, columns: ['Code'] };
    t.checks = [{ name: 'CK_Country_TaxRate', path: `${db.name}.Country.CK_Country_TaxRate`, expression: '"TaxRate" >= 0 AND "TaxRate" < 1', columns: ['TaxRate'], validated: true }];
    await db.conn.exec(mysqlCreateTableSql(t));
    const idx = renderMysqlChange({
      kind: 'createIndex',
      path: `${db.name}.Country.ix_label_lower`,
      table: { schema: db.name, name: 'Country' },
      index: { name: 'ix_label_lower', path: `${db.name}.Country.ix_label_lower`, elements: [{ expression: 'lower("Label")' }], unique: false, primary: false, method: 'btree', predicate: null, include: [], valid: true, constraint: null },
    });
    // MariaDB indexes expressions only through generated columns: the statement must at least name the column, not a string.
    expect(idx.forward[0]).toContain('(lower(`Label`))');

    await db.conn.exec("INSERT INTO `Country` (`Code`, `TaxRate`) VALUES ('AU', 0.1)");
    await expect(db.conn.exec("INSERT INTO `Country` (`Code`, `TaxRate`) VALUES ('XX', 1.5)")).rejects.toThrow(/CK_Country_TaxRate/);
    expect(await db.conn.query('SELECT `Code`, `Label`, `Percent` FROM `Country`')).toEqual([{ Code: 'AU', Label: "it's", Percent: '10.0000' }]);
  });
});
