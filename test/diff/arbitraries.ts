// fast-check arbitraries for random, always-valid schemas: spec inputs (which
// map to catalogs through defineSpec + specToDraftCatalog, or through the
// scratch engine with specToCatalog), and pairs (A, B) where B is A with
// realistic edits — for property tests of diff → plan → apply.
//
//   fc.assert(fc.asyncProperty(arbSpecPair({ schema: 'p' }), async ([a, b]) => { … }))
//
// Every generated schema applies to an empty Postgres: names are unique,
// defaults fit their types, checks read columns of the right kind, foreign
// keys point at `id` primary keys (cycles and self-references included).
import fc from 'fast-check';
import type { Catalog } from '../../src/catalog/types.js';
import type { Connection } from '../../src/drivers/connection.js';
import { defineSpec } from '../../src/spec/define-spec.js';
import { specToDraftCatalog } from '../../src/spec/spec-draft-catalog.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import type { SpecColumnInput, SpecInput, SpecTableInput } from '../../src/spec/types.js';

type Kind = 'int' | 'bigint' | 'text' | 'varchar' | 'numeric' | 'bool' | 'timestamptz' | 'date' | 'jsonb' | 'uuid' | 'intarray' | 'enum';

interface ColSpec {
  name: string;
  kind: Kind;
  nullable: boolean;
  withDefault: boolean;
  /** varchar length / enum index. */
  n: number;
}

interface TableSpec {
  name: string;
  cols: ColSpec[];
  /** Foreign keys: column index (an int column is added) → target table index. */
  fks: number[];
  uniqueCol: number | null;
  checkCol: number | null;
  indexes: { col: number; partial: boolean; expression: boolean; unique: boolean }[];
}

interface Model {
  schema: string;
  enums: string[][];
  tables: TableSpec[];
  views: { table: number; col: number }[];
}

const KINDS: Kind[] = ['int', 'bigint', 'text', 'varchar', 'numeric', 'bool', 'timestamptz', 'date', 'jsonb', 'uuid', 'intarray', 'enum'];
const LABELS = ['a', 'b', 'c', 'd', 'e'];

const numeric = (k: Kind) => k === 'int' || k === 'bigint' || k === 'numeric';
const textual = (k: Kind) => k === 'text' || k === 'varchar';

function typeOf(c: ColSpec, m: Model): string {
  switch (c.kind) {
    case 'varchar':
      return `varchar(${10 + c.n * 10})`;
    case 'numeric':
      return 'numeric(12,2)';
    case 'intarray':
      return 'int[]';
    case 'enum':
      return m.enums.length ? `e${c.n % m.enums.length}` : 'text';
    default:
      return c.kind;
  }
}

function defaultOf(c: ColSpec, m: Model): string | number | boolean | undefined {
  if (!c.withDefault) return undefined;
  switch (c.kind) {
    case 'int':
    case 'bigint':
    case 'numeric':
      return c.n;
    case 'text':
    case 'varchar':
      return `'v${c.n}'`;
    case 'bool':
      return c.n % 2 === 0;
    case 'timestamptz':
      return 'now()';
    case 'date':
      return 'CURRENT_DATE';
    case 'jsonb':
      return `'{}'`;
    case 'uuid':
      return undefined;
    case 'intarray':
      return `'{}'`;
    case 'enum':
      return m.enums.length ? `'${m.enums[c.n % m.enums.length]![0]}'` : `'a'`;
  }
}

/** The model → spec input (the one place that knows the shape of the generated spec). */
export function modelToSpecInput(m: Model): SpecInput {
  const tables: SpecTableInput[] = m.tables.map((t, ti) => {
    const columns: SpecColumnInput[] = [{ name: 'id', type: 'int', primaryKey: true }];
    for (const c of t.cols) {
      const d = defaultOf(c, m);
      const type = typeOf(c, m);
      columns.push({ name: c.name, type, nullable: c.nullable, ...(d !== undefined ? { default: d } : {}) });
    }
    t.fks.forEach((_, i) => columns.push({ name: `ref${i}`, type: 'int' }));
    const col = (i: number) => t.cols[i % Math.max(t.cols.length, 1)];
    const checkCol = t.checkCol === null ? undefined : col(t.checkCol);
    const uniqueCol = t.uniqueCol === null ? undefined : col(t.uniqueCol);
    const seen = new Set<string>();
    const indexes = t.indexes
      .map((ix) => ({ ix, c: col(ix.col) }))
      .filter(({ c }) => c && c.kind !== 'jsonb' && c.kind !== 'intarray')
      .map(({ ix, c }) => {
        const expr = ix.expression && textual(c!.kind);
        const name = `t${ti}_${c!.name}_${expr ? 'x' : ix.partial ? 'p' : 'i'}${ix.unique ? 'u' : ''}`;
        return { name, ...(expr ? { expressions: [`lower(${c!.name})`] } : { columns: [c!.name] }), unique: ix.unique, ...(ix.partial ? { where: `${c!.name} IS NOT NULL` } : {}) };
      })
      .filter((i) => (seen.has(i.name) ? false : (seen.add(i.name), true)));
    return {
      name: t.name,
      columns,
      ...(uniqueCol && uniqueCol.kind !== 'jsonb' ? { uniques: [{ name: `${t.name}_${uniqueCol.name}_key`, columns: [uniqueCol.name] }] } : {}),
      ...(checkCol && (numeric(checkCol.kind) || textual(checkCol.kind))
        ? { checks: [{ name: `${t.name}_${checkCol.name}_check`, expression: numeric(checkCol.kind) ? `${checkCol.name} >= 0` : `length(${checkCol.name}) < 1000` }] }
        : {}),
      foreignKeys: t.fks.map((target, i) => ({ name: `${t.name}_ref${i}_fkey`, columns: [`ref${i}`], references: { table: m.tables[target % m.tables.length]!.name, columns: ['id'] } })),
      ...(indexes.length ? { indexes } : {}),
    };
  });
  return {
    defaultSchema: m.schema,
    schemas: [m.schema],
    enums: m.enums.map((labels, i) => ({ name: `e${i}`, labels })),
    tables,
    views: m.views
      .filter((v) => m.tables.length > 0)
      .map((v, i) => {
        const t = m.tables[v.table % m.tables.length]!;
        const c = t.cols[v.col % Math.max(t.cols.length, 1)];
        return { name: `v${i}`, sql: `SELECT id${c ? `, ${c.name}` : ''} FROM ${m.schema}.${t.name} WHERE id > 0` };
      }),
  };
}

const arbCol = (name: string): fc.Arbitrary<ColSpec> =>
  fc.record({ name: fc.constant(name), kind: fc.constantFrom(...KINDS), nullable: fc.boolean(), withDefault: fc.boolean(), n: fc.nat(4) });

const arbTable = (name: string, tableCount: number): fc.Arbitrary<TableSpec> =>
  fc.record({
    name: fc.constant(name),
    cols: fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbCol(`c${i}`)))),
    fks: fc.array(fc.nat(tableCount - 1), { maxLength: 2 }),
    uniqueCol: fc.option(fc.nat(5), { nil: null }),
    checkCol: fc.option(fc.nat(5), { nil: null }),
    indexes: fc.array(fc.record({ col: fc.nat(5), partial: fc.boolean(), expression: fc.boolean(), unique: fc.boolean() }), { maxLength: 2 }),
  });

function arbModel(schema: string, maxTables: number): fc.Arbitrary<Model> {
  return fc.integer({ min: 1, max: maxTables }).chain((n) =>
    fc.record({
      schema: fc.constant(schema),
      enums: fc.array(fc.subarray(LABELS, { minLength: 1 }), { maxLength: 2 }),
      tables: fc.tuple(...Array.from({ length: n }, (_, i) => arbTable(`t${i}`, n))),
      views: fc.array(fc.record({ table: fc.nat(9), col: fc.nat(5) }), { maxLength: 2 }),
    }),
  );
}

/** A random, valid spec input in `schema`. */
export function arbSpecInput(options: { schema?: string; maxTables?: number } = {}): fc.Arbitrary<SpecInput> {
  return arbModel(options.schema ?? 'prop', options.maxTables ?? 5).map(modelToSpecInput);
}

/** A random catalog (draft mapping, no engine): fast, for pure diff properties. */
export function arbCatalog(options: { schema?: string; maxTables?: number } = {}): fc.Arbitrary<Catalog> {
  return arbSpecInput(options).map((i) => specToDraftCatalog(defineSpec(i)));
}

type Edit =
  | { op: 'addTable'; table: TableSpec }
  | { op: 'dropTable'; t: number }
  | { op: 'addColumn'; t: number; col: ColSpec }
  | { op: 'dropColumn'; t: number; c: number }
  | { op: 'widen'; t: number; c: number }
  | { op: 'toggleNull'; t: number; c: number }
  | { op: 'toggleDefault'; t: number; c: number }
  | { op: 'fk'; t: number; target: number }
  | { op: 'dropFks'; t: number }
  | { op: 'unique'; t: number; c: number | null }
  | { op: 'check'; t: number; c: number | null }
  | { op: 'index'; t: number; ix: TableSpec['indexes'][number] | null }
  | { op: 'enumLabel'; e: number; label: string }
  | { op: 'view'; v: number; col: number };

const arbEdit: fc.Arbitrary<Edit> = fc.oneof(
  arbTable('tn', 3).map((table) => ({ op: 'addTable' as const, table })),
  fc.nat(9).map((t) => ({ op: 'dropTable' as const, t })),
  fc.tuple(fc.nat(9), arbCol('cn')).map(([t, col]) => ({ op: 'addColumn' as const, t, col })),
  fc.tuple(fc.nat(9), fc.nat(5)).map(([t, c]) => ({ op: 'dropColumn' as const, t, c })),
  fc.tuple(fc.nat(9), fc.nat(5)).map(([t, c]) => ({ op: 'widen' as const, t, c })),
  fc.tuple(fc.nat(9), fc.nat(5)).map(([t, c]) => ({ op: 'toggleNull' as const, t, c })),
  fc.tuple(fc.nat(9), fc.nat(5)).map(([t, c]) => ({ op: 'toggleDefault' as const, t, c })),
  fc.tuple(fc.nat(9), fc.nat(9)).map(([t, target]) => ({ op: 'fk' as const, t, target })),
  fc.nat(9).map((t) => ({ op: 'dropFks' as const, t })),
  fc.tuple(fc.nat(9), fc.option(fc.nat(5), { nil: null })).map(([t, c]) => ({ op: 'unique' as const, t, c })),
  fc.tuple(fc.nat(9), fc.option(fc.nat(5), { nil: null })).map(([t, c]) => ({ op: 'check' as const, t, c })),
  fc.tuple(fc.nat(9), fc.option(fc.record({ col: fc.nat(5), partial: fc.boolean(), expression: fc.boolean(), unique: fc.boolean() }), { nil: null })).map(([t, ix]) => ({ op: 'index' as const, t, ix })),
  fc.tuple(fc.nat(3), fc.constantFrom(...LABELS, 'f', 'g')).map(([e, label]) => ({ op: 'enumLabel' as const, e, label })),
  fc.tuple(fc.nat(3), fc.nat(5)).map(([v, col]) => ({ op: 'view' as const, v, col })),
);

/** In-place type changes Postgres can make without losing values. */
const WIDEN: Partial<Record<Kind, Kind>> = { int: 'bigint', varchar: 'text', bigint: 'numeric', text: 'varchar' };

function applyEdits(a: Model, edits: Edit[]): Model {
  const m: Model = structuredClone(a);
  let fresh = 0;
  for (const e of edits) {
    const t = 't' in e && m.tables.length ? m.tables[e.t % m.tables.length]! : undefined;
    switch (e.op) {
      case 'addTable':
        m.tables.push({ ...e.table, name: `tn${fresh++}`, fks: e.table.fks.map((x) => x % (m.tables.length + 1)) });
        break;
      case 'dropTable':
        if (m.tables.length > 1) {
          const i = e.t % m.tables.length;
          m.tables.splice(i, 1);
          // Remaining foreign keys and views re-target the tables that are left (by index).
          for (const x of m.tables) x.fks = x.fks.map((f) => (f > i ? f - 1 : f === i ? 0 : f));
        }
        break;
      case 'addColumn':
        if (t && t.cols.length < 8) t.cols.push({ ...e.col, name: `cn${fresh++}`, nullable: true });
        break;
      case 'dropColumn':
        if (t && t.cols.length > 1) t.cols.splice(e.c % t.cols.length, 1);
        break;
      case 'widen': {
        const c = t?.cols[e.c % t.cols.length];
        const to = c && WIDEN[c.kind];
        if (c && to) {
          c.kind = to;
          if (to === 'varchar') c.n = 4; // text → the widest varchar we generate
        }
        break;
      }
      case 'toggleNull': {
        const c = t?.cols[e.c % t.cols.length];
        if (c) c.nullable = !c.nullable;
        break;
      }
      case 'toggleDefault': {
        const c = t?.cols[e.c % t.cols.length];
        if (c) c.withDefault = !c.withDefault;
        break;
      }
      case 'fk':
        if (t && t.fks.length < 3) t.fks.push(e.target % m.tables.length);
        break;
      case 'dropFks':
        if (t) t.fks = [];
        break;
      case 'unique':
        if (t) t.uniqueCol = e.c;
        break;
      case 'check':
        if (t) t.checkCol = e.c;
        break;
      case 'index':
        if (t) t.indexes = e.ix ? [...t.indexes.slice(0, 1), e.ix] : t.indexes.slice(1);
        break;
      case 'enumLabel': {
        const en = m.enums[e.e % Math.max(m.enums.length, 1)];
        if (en && !en.includes(e.label)) en.push(e.label);
        break;
      }
      case 'view':
        if (m.views.length) m.views[e.v % m.views.length]!.col = e.col;
        else m.views.push({ table: e.v, col: e.col });
        break;
    }
  }
  return m;
}

/** A pair (A, B): B is A after 1–6 random edits (tables, columns, types, keys, indexes, enums, views). */
export function arbSpecPair(options: { schema?: string; maxTables?: number } = {}): fc.Arbitrary<[SpecInput, SpecInput]> {
  return arbModel(options.schema ?? 'prop', options.maxTables ?? 4).chain((a) =>
    fc.array(arbEdit, { minLength: 1, maxLength: 6 }).map((edits) => [modelToSpecInput(a), modelToSpecInput(applyEdits(a, edits))] as [SpecInput, SpecInput]),
  );
}

/** Engine-normalised catalog of a generated spec (what introspecting it after apply gives). */
export function catalogOf(input: SpecInput, scratch?: Connection): Promise<Catalog> {
  return specToCatalog(defineSpec(input), scratch ? { scratch } : {});
}
