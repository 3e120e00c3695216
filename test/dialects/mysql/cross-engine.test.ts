// One portable spec (17 tables, 2 views) rendered by each dialect and applied
// to Postgres (PGlite), MariaDB and SQLite: the three inspected catalogs must
// agree field by field, except for the differences docs/type-mapping.md lists
// (ALLOWED below cites each by its number there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, Column, ColumnType, Table } from '../../../src/catalog/types.js';
import { specToDraftCatalog } from '../../../src/spec/spec-draft-catalog.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import { renderPostgresChange } from '../../../src/dialects/postgres/postgres-render.js';
import { introspectPostgres } from '../../../src/dialects/postgres/postgres-introspector.js';
import { renderMysqlChange } from '../../../src/dialects/mysql/mysql-render.js';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { renderSqliteChanges } from '../../../src/dialects/sqlite/sqlite-render.js';
import { introspectSqlite } from '../../../src/dialects/sqlite/sqlite-introspector.js';
import { tokenize } from '../../../src/dialects/sqlite/sqlite-ddl-parser.js';
import { freshDatabase, pgEngines, type FreshDb } from '../../helpers/engines.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';
import { freshSqlite, type FreshSqlite } from '../../helpers/sqlite.js';
import { portableSpec } from './portable-schema.js';

const server = mysqlServer();

/** The draft catalog with its one schema renamed and the dialect set. */
function target(schema: string, dialect: Catalog['dialect']): Catalog {
  const draft = specToDraftCatalog(portableSpec);
  const json = JSON.stringify(draft).replace(/"public\./g, `"${schema}.`).replace(/"public"/g, `"${schema}"`);
  return { ...(JSON.parse(json) as Catalog), dialect };
}

// ── the allow-list (docs/type-mapping.md, "Known differences") ──

/** §1 type kinds that differ only in name, and §2 identity spellings. */
function kindOf(c: Column, t: Table): string {
  const k = c.type.kind;
  if (k === 'bytea') return 'blob';
  if (k === 'jsonb') return 'json';
  // §1: MySQL has no uuid type: CHAR(36).
  if (k === 'char' && c.type.length === 36) return 'uuid';
  // §2: SQLite's rowid is INTEGER whatever the portable integer width.
  if ((k === 'bigint' || k === 'int') && isAuto(c) && t.primaryKey?.columns.length === 1) return 'int/identity';
  return k;
}
const isAuto = (c: Column) => !!c.identity || !!c.autoIncrement;

/** §6: defaults as each engine prints them. */
export function normDefault(d: string | null, type: ColumnType): string | null {
  if (d === null) return null;
  let s = d.trim().replace(/::[a-z_ ]+(\(\d+(,\d+)?\))?/gi, '');
  while (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).trim();
  s = s.toLowerCase();
  if (/^(current_timestamp|now|localtimestamp)(\(\d*\))?$/.test(s)) return 'current_timestamp';
  if (type.kind === 'bool') return s === '1' || s === 'true' ? 'true' : s === '0' || s === 'false' ? 'false' : s;
  const num = /^'?(-?\d+(\.\d+)?)'?$/.exec(s);
  if (num) return String(Number(num[1]));
  return s;
}

/** §7: check expressions compared as their identifiers, literals and comparisons. */
export function normExpr(e: string): string {
  const NOISE = new Set(['ANY', 'ARRAY']);
  // Postgres prints casts and ARRAY[…] (which the SQLite tokenizer would read as a [bracketed] name).
  const text = e.replace(/::(character varying|character|text|varchar|numeric|integer|bigint|smallint|boolean|date|timestamp( with(out)? time zone)?|double precision|real|jsonb?|uuid|bpchar)(\(\d+(,\d+)?\))?(\[\])?/gi, '').replace(/[[\]]/g, ' ');
  const out: string[] = [];
  for (const t of tokenize(text)) {
    if (t.type === 'punct') {
      if (['=', '<>', '!=', '<', '>', '<=', '>='].includes(t.value)) out.push(t.value === '!=' ? '<>' : t.value);
      continue;
    }
    if (t.type === 'word') {
      if (NOISE.has(t.value)) continue;
      out.push(t.value === 'IN' ? '=' : t.value.toLowerCase());
      continue;
    }
    out.push(t.type === 'ident' ? t.value.toLowerCase() : t.value);
  }
  return out.join(' ');
}

/** The comparable shape of a catalog: what must be equal across engines. */
function comparable(cat: Catalog) {
  const s = cat.schemas[0]!;
  return {
    tables: s.tables.map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => ({
        name: c.name,
        kind: kindOf(c, t),
        length: ['varchar', 'char'].includes(c.type.kind) && kindOf(c, t) !== 'uuid' ? c.type.length : undefined,
        precision: c.type.kind === 'numeric' ? c.type.precision : undefined,
        scale: c.type.kind === 'numeric' ? c.type.scale : undefined,
        nullable: c.nullable,
        default: normDefault(c.default, c.type),
        auto: isAuto(c), // §2
        generated: c.generated,
      })),
      primaryKey: t.primaryKey?.columns, // §3: names differ
      uniques: t.uniques.map((u) => ({ name: u.name, columns: u.columns })),
      foreignKeys: t.foreignKeys.map((f) => ({
        name: f.name,
        columns: f.columns,
        references: { table: f.references.table, columns: f.references.columns },
        // §5: RESTRICT and NO ACTION are one thing in InnoDB
        onDelete: f.onDelete === 'restrict' ? 'no action' : f.onDelete,
        onUpdate: f.onUpdate === 'restrict' ? 'no action' : f.onUpdate,
      })),
      checks: t.checks.map((c) => ({ name: c.name, expression: normExpr(c.expression) })),
      // §9: only indexes that do not back a constraint
      indexes: t.indexes.filter((i) => !i.constraint).map((i) => ({ name: i.name, unique: i.unique, elements: i.elements.map((e) => ({ column: e.column, descending: !!e.descending })) })),
    })),
    // §11: views by their columns
    views: s.views.map((v) => ({ name: v.name, columns: v.columns.map((c) => c.name) })),
  };
}

describe.runIf(server)('one portable spec on Postgres, MariaDB and SQLite', () => {
  let pg: FreshDb;
  let my: FreshMysql;
  let lite: FreshSqlite;
  const cats: Record<'postgres' | 'mysql' | 'sqlite', Catalog> = {} as never;

  beforeAll(async () => {
    pg = await freshDatabase(pgEngines().find((e) => e.kind === 'pglite')!);
    my = await freshMysql();
    lite = await freshSqlite();

    const pgTo = target('public', 'postgres');
    for (const c of diffCatalogs(await introspectPostgres(pg.conn), pgTo, { grants: false })) for (const s of renderPostgresChange(c).forward) await pg.conn.exec(s);
    cats.postgres = await introspectPostgres(pg.conn, { schemas: ['public'] });

    const myTo = target(my.name, 'mysql');
    for (const c of diffCatalogs(await introspectMysql(my.conn), myTo, { grants: false })) for (const s of renderMysqlChange(c).forward) await my.conn.exec(s);
    cats.mysql = await introspectMysql(my.conn);

    const liteFrom = await introspectSqlite(lite.conn);
    const changes = diffCatalogs(liteFrom, target('main', 'sqlite'), { grants: false });
    await lite.conn.transaction(async (tx) => {
      for (const r of renderSqliteChanges(changes, liteFrom)) for (const s of r.forward) await tx.exec(s);
    });
    cats.sqlite = await introspectSqlite(lite.conn);
  });
  afterAll(async () => {
    await pg?.dispose();
    await my?.dispose();
    await lite?.dispose();
  });

  it('creates the same 17 tables and 2 views everywhere', () => {
    for (const c of Object.values(cats)) {
      expect(c.schemas[0]!.tables).toHaveLength(17);
      expect(c.schemas[0]!.views.map((v) => v.name)).toEqual(['active_users', 'gauges_due']);
    }
  });

  it('MariaDB agrees with Postgres except for the documented differences', () => {
    expect(comparable(cats.mysql)).toEqual(comparable(cats.postgres));
  });

  it('SQLite agrees with Postgres except for the documented differences', () => {
    expect(comparable(cats.sqlite)).toEqual(comparable(cats.postgres));
  });

  it('the documented differences are really there (the allow-list is not hiding nothing)', () => {
    const col = (d: keyof typeof cats, t: string, c: string) => cats[d].schemas[0]!.tables.find((x) => x.name === t)!.columns.find((x) => x.name === c)!;
    // §2 identity spellings
    expect(col('postgres', 'gauges', 'id').identity).toBe('by default');
    expect(col('mysql', 'gauges', 'id')).toMatchObject({ autoIncrement: true, identity: null });
    expect(col('sqlite', 'gauges', 'id')).toMatchObject({ identity: 'by default', type: { raw: 'INTEGER' } });
    // §1 uuid and bytea
    expect(col('mysql', 'core_users', 'external_ref').type).toMatchObject({ kind: 'char', length: 36 });
    expect(col('postgres', 'gauge_notes', 'attachment').type.kind).toBe('bytea');
    expect(col('mysql', 'gauge_notes', 'attachment').type.kind).toBe('blob');
    // §3 primary key names
    const pk = (d: keyof typeof cats) => cats[d].schemas[0]!.tables.find((x) => x.name === 'core_roles')!.primaryKey!.name;
    expect([pk('postgres'), pk('mysql'), pk('sqlite')]).toEqual(['core_roles_pkey', 'PRIMARY', 'core_roles_pkey']);
    // §10 table options
    expect(cats.mysql.schemas[0]!.tables[0]!.options).toMatchObject({ engine: 'InnoDB', charset: 'utf8mb4' });
  });
});
