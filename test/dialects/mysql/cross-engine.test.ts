// One portable spec (17 tables, 2 views) rendered by each dialect and applied
// to Postgres (PGlite), MariaDB and SQLite: the three inspected catalogs must
// agree field by field, except for the differences docs/type-mapping.md lists
// (ALLOWED below cites each by its number there); and every audit rule that is
// not about one engine gives the same findings on the three (issue #20): a
// finding one engine gives and another not is an engine leaking into a rule
// that claims to be neutral.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, Column, ColumnType, Table } from '../../../src/catalog/types.js';
import { tokenize } from '../../../src/dialects/sqlite/sqlite-ddl-parser.js';
import { getDialect } from '../../../src/dialects/index.js';
import { runRules } from '../../../src/audit/audit.js';
import { allRules } from '../../../src/audit/rules/index.js';
import type { Finding } from '../../../src/audit/types.js';
import { mysqlServer } from '../../helpers/mysql.js';
import { portableOnThreeEngines, type PortableEngines } from './portable-schema.js';

const server = mysqlServer();
const ENGINES = ['postgres', 'mysql', 'sqlite'] as const;

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

// ── audit findings (issue #20) ──

/**
 * Rules for every engine that judge the schema from the catalog alone (data rules need rows the spec does
 * not have), and need no capability one of the engines lacks (SQLite keeps no comments, MariaDB no RLS).
 */
const neutralRules = allRules.filter((r) => !r.meta.dialects && !r.meta.data && (r.meta.requires ?? []).every((c) => ENGINES.every((d) => getDialect(d).capabilities[c])));

/** A finding without the engine's schema name (`public`, the MariaDB database, `main`), with its column discriminator. */
const findingKey = (f: Finding, schema: string) =>
  `${f.rule} ${f.path.startsWith(`${schema}.`) ? f.path.slice(schema.length + 1) : f.path === schema ? '<schema>' : f.path}${typeof f.evidence?.column === 'string' ? ` ${f.evidence.column}` : ''}`;

/**
 * §2: SQLite has one INTEGER type, so `id` — int in some portable tables, bigint in others — has one type
 * there and two on Postgres and MariaDB. The only allowed difference.
 */
const SQLITE_HAS_ONE_INTEGER = 'inconsistent-column-types <schema> id';

describe.runIf(server)('one portable spec on Postgres, MariaDB and SQLite', () => {
  let engines: PortableEngines;
  let cats: PortableEngines['cats'];

  beforeAll(async () => {
    engines = await portableOnThreeEngines();
    cats = engines.cats;
  });
  afterAll(async () => engines?.dispose());

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

  describe('engine-neutral audit findings (issue #20)', () => {
    const found = {} as Record<(typeof ENGINES)[number], string[]>;

    beforeAll(async () => {
      const schema = { postgres: 'public', mysql: engines.my.name, sqlite: 'main' } as const;
      const everyRuleOn = Object.fromEntries(neutralRules.map((r) => [r.meta.id, { enabled: true }]));
      for (const d of ENGINES) {
        const res = await runRules(engines.cats[d], undefined, { rules: neutralRules, ruleSettings: everyRuleOn });
        found[d] = [...new Set(res.findings.map((f) => findingKey(f, schema[d])))].sort();
      }
    });

    it('has findings to compare, from most of the rules', () => {
      expect(neutralRules.length).toBeGreaterThan(30);
      expect(found.postgres).toContain(SQLITE_HAS_ONE_INTEGER);
      expect(found.postgres.length).toBeGreaterThanOrEqual(5);
    });

    it('MariaDB gives the findings Postgres gives', () => {
      expect(found.mysql).toEqual(found.postgres);
    });

    it('SQLite gives the findings Postgres gives, but for its single integer type', () => {
      expect(found.sqlite).toEqual(found.postgres.filter((k) => k !== SQLITE_HAS_ONE_INTEGER));
    });
  });
});
