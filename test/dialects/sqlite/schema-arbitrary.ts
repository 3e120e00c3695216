// fast-check generator of small random schemas (with rows that satisfy them)
// for the SQLite and MariaDB property tests: tables with an integer key,
// typed columns, NOT NULL, defaults, checks, uniques, indexes, foreign keys.
import fc from 'fast-check';

export type ColType = 'int' | 'text' | 'varchar' | 'numeric' | 'real' | 'bool' | 'date';

export interface ColModel {
  type: ColType;
  notNull: boolean;
  withDefault: boolean;
  check: boolean;
  unique: boolean;
  index: boolean;
  /** Index of an earlier table this int column references, or null. */
  ref: number | null;
}

export interface TableModel {
  cols: ColModel[];
}

export type SchemaModel = TableModel[];

const colArb = fc.record({
  type: fc.constantFrom<ColType>('int', 'text', 'varchar', 'numeric', 'real', 'bool', 'date'),
  notNull: fc.boolean(),
  withDefault: fc.boolean(),
  check: fc.boolean(),
  unique: fc.boolean(),
  index: fc.boolean(),
  ref: fc.option(fc.nat(3), { nil: null }),
});

/** 1–3 tables of 1–4 columns; references only point at earlier tables. */
export const schemaArb: fc.Arbitrary<SchemaModel> = fc.array(fc.record({ cols: fc.array(colArb, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 3 }).map((tables) =>
  tables.map((t, ti) => ({
    cols: t.cols.map((c) => ({
      ...c,
      // A reference needs an int column and an earlier table; a referencing or unique column gets no default (keeps rows valid).
      ref: c.type === 'int' && c.ref !== null && ti > 0 ? c.ref % ti : null,
      check: c.check && (c.type === 'int' || c.type === 'numeric' || c.type === 'real'),
      unique: c.unique && c.type !== 'bool',
      withDefault: c.withDefault && !c.unique,
    })),
  })),
);

export interface Dialectish {
  typeSql(t: ColType): string;
  q(name: string): string;
  /** `ENGINE=…` etc. after the closing parenthesis. */
  tableSuffix?: string;
  /** MySQL cannot index TEXT without a prefix. */
  indexable(t: ColType): boolean;
}

const DEFAULTS: Record<ColType, string> = { int: '7', text: "'dflt'", varchar: "'dv'", numeric: '1.5', real: '2.5', bool: '0', date: "'2024-01-02'" };

function value(t: ColType, row: number, col: number): string {
  switch (t) {
    case 'int':
      return String(row + col);
    case 'text':
    case 'varchar':
      return `'v${row}_${col}'`;
    case 'numeric':
      return `${row}.25`;
    case 'real':
      return `${row}.5`;
    case 'bool':
      return String(row % 2);
    case 'date':
      return `'2024-01-0${row + 1}'`;
  }
}

export const tableName = (i: number) => `t${i}`;
export const colName = (i: number) => `c${i}`;

/** DDL for a schema model, named constraints and indexes so diffs line up. */
export function schemaDdl(m: SchemaModel, d: Dialectish): string[] {
  const out: string[] = [];
  m.forEach((t, ti) => {
    const tn = tableName(ti);
    const items = [`${d.q('id')} ${d.typeSql('int')} NOT NULL PRIMARY KEY`];
    const extra: string[] = [];
    // SQLite wants every column before the first table constraint.
    const constraints: string[] = [];
    t.cols.forEach((c, ci) => {
      const cn = colName(ci);
      let s = `${d.q(cn)} ${d.typeSql(c.type)}${c.notNull ? ' NOT NULL' : ''}`;
      if (c.withDefault) s += ` DEFAULT ${DEFAULTS[c.type]}`;
      items.push(s);
      if (c.check) constraints.push(`CONSTRAINT ${d.q(`${tn}_${cn}_chk`)} CHECK (${d.q(cn)} >= 0)`);
      if (c.unique) constraints.push(`CONSTRAINT ${d.q(`${tn}_${cn}_uq`)} UNIQUE (${d.q(cn)})`);
      if (c.ref !== null) constraints.push(`CONSTRAINT ${d.q(`${tn}_${cn}_fk`)} FOREIGN KEY (${d.q(cn)}) REFERENCES ${d.q(tableName(c.ref))} (${d.q('id')})`);
      if ((c.index || c.ref !== null) && !c.unique && d.indexable(c.type)) extra.push(`CREATE INDEX ${d.q(`${tn}_${cn}_ix`)} ON ${d.q(tn)} (${d.q(cn)})`);
    });
    out.push(`CREATE TABLE ${d.q(tn)} (${[...items, ...constraints].join(', ')})${d.tableSuffix ?? ''}`, ...extra);
  });
  return out;
}

/** Three rows per table that satisfy the model's own constraints. */
export function rowsSql(m: SchemaModel, d: Dialectish): string[] {
  const out: string[] = [];
  m.forEach((t, ti) => {
    for (let r = 0; r < 3; r++) {
      const cols = [d.q('id'), ...t.cols.map((_, ci) => d.q(colName(ci)))];
      const vals = [String(r + 1), ...t.cols.map((c, ci) => (c.ref !== null ? String((r % 3) + 1) : !c.notNull && r === 2 && !c.unique ? 'NULL' : value(c.type, r, ci)))];
      out.push(`INSERT INTO ${d.q(tableName(ti))} (${cols.join(', ')}) VALUES (${vals.join(', ')})`);
    }
  });
  return out;
}

/** `after` as small edits of `before` (flags flipped, a column appended): plans with few lossy steps, so rollbacks get exercised. */
export const editedArb = (before: SchemaModel): fc.Arbitrary<SchemaModel> =>
  fc
    .tuple(
      fc.array(fc.array(fc.record({ notNull: fc.boolean(), withDefault: fc.boolean(), check: fc.boolean(), index: fc.boolean(), unique: fc.boolean() }), { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
      fc.boolean(),
    )
    .map(([flips, append]) =>
      before.map((t, ti) => ({
        cols: [
          ...t.cols.map((c, ci) => {
            const f = flips[ti]![ci]!;
            return {
              ...c,
              notNull: f.notNull ? !c.notNull : c.notNull,
              withDefault: f.withDefault && !c.unique ? !c.withDefault : c.withDefault,
              check: f.check && ['int', 'numeric', 'real'].includes(c.type) ? !c.check : c.check,
              index: f.index ? !c.index : c.index,
              unique: f.unique && c.type !== 'bool' && !c.withDefault ? !c.unique : c.unique,
            };
          }),
          ...(append && ti === 0 ? [{ type: 'text' as const, notNull: false, withDefault: true, check: false, unique: false, index: false, ref: null }] : []),
        ],
      })),
    );

/** Half independent pairs (big diffs), half edits (small, reversible ones). */
export const pairArb: fc.Arbitrary<[SchemaModel, SchemaModel]> = fc.oneof(
  fc.tuple(schemaArb, schemaArb),
  schemaArb.chain((b) => editedArb(b).map((a) => [b, a] as [SchemaModel, SchemaModel])),
);
