// fast-check arbitrary for random Postgres schemas written as DDL, over the
// object kinds plumb's catalog carries: tables (identity, defaults, enum and
// array columns), primary keys, uniques (deferrable), checks (NOT VALID,
// nested AND/OR), foreign keys (actions, deferrable, NOT VALID), indexes
// (unique, partial, expression), enums, sequences, SQL and PL/pgSQL
// functions, triggers (WHEN), views, comments, row-level security policies,
// range partitioning, rewrite rules, a collation and a column using it,
// an aggregate, and a column's statistics target. Names come from small pools, so two independent
// schemas overlap as a real before/after pair does. Every schema applies to
// an empty schema `s` of its own.
import fc from 'fast-check';

type ColKind = 'int' | 'bigint' | 'text' | 'varchar' | 'numeric' | 'bool' | 'timestamptz' | 'jsonb' | 'intarray' | 'enum';
const KINDS: ColKind[] = ['int', 'bigint', 'text', 'varchar', 'numeric', 'bool', 'timestamptz', 'jsonb', 'intarray', 'enum'];

interface Col {
  /** The kind is the column's (by table and position); a variant changes it to a castable neighbour. */
  variant: boolean;
  nullable: boolean;
  withDefault: boolean;
  n: number;
}

interface Table {
  /** Name index: t0, t1, t2. */
  name: number;
  identity: 'none' | 'always' | 'by default';
  pk: boolean;
  cols: Col[];
  unique: { col: number; deferrable: 'no' | 'deferrable' | 'deferred' } | null;
  check: { col: number; nested: boolean; notValid: boolean; k: number } | null;
  /** A `ref` bigint column referencing another table's id. */
  fk: { to: number; onDelete: 'NO ACTION' | 'CASCADE' | 'SET NULL'; deferrable: boolean; notValid: boolean } | null;
  indexes: { col: number; unique: boolean; partial: boolean; expression: boolean }[];
  comment: number | null;
  trigger: { when: boolean; events: 'INSERT' | 'UPDATE' | 'INSERT OR UPDATE' } | null;
  policy: { nested: boolean } | null;
}

export interface PgModel {
  enums: string[][];
  sequence: { increment: number; start: number } | null;
  sqlFunction: number | null;
  triggerFunction: number | null;
  tables: Table[];
  view: { table: number; filtered: boolean } | null;
  partitioned: { partitions: number } | null;
  /** A rule on the first table: DO INSTEAD NOTHING on DELETE, with a condition `id > k` when k > 0. */
  rule: { k: number } | null;
  /** A nondeterministic ICU collation, and a `label` column of the first table that uses it. */
  collation: boolean;
  /** An aggregate over int4pl with INITCOND k. */
  aggregate: number | null;
  /** A statistics target on the first table's id. */
  statistics: number | null;
}

const col: fc.Arbitrary<Col> = fc.record({ variant: fc.boolean(), nullable: fc.boolean(), withDefault: fc.boolean(), n: fc.integer({ min: 0, max: 3 }) });

const table = (name: number): fc.Arbitrary<Table> =>
  fc.record({
    name: fc.constant(name),
    identity: fc.constantFrom('none' as const, 'always' as const, 'by default' as const),
    pk: fc.boolean(),
    cols: fc.array(col, { minLength: 1, maxLength: 4 }),
    unique: fc.option(fc.record({ col: fc.nat(3), deferrable: fc.constantFrom('no' as const, 'deferrable' as const, 'deferred' as const) }), { freq: 2 }),
    check: fc.option(fc.record({ col: fc.nat(3), nested: fc.boolean(), notValid: fc.boolean(), k: fc.integer({ min: 0, max: 9 }) }), { freq: 2 }),
    fk: fc.option(fc.record({ to: fc.nat(2), onDelete: fc.constantFrom('NO ACTION' as const, 'CASCADE' as const, 'SET NULL' as const), deferrable: fc.boolean(), notValid: fc.boolean() }), { freq: 2 }),
    indexes: fc.array(fc.record({ col: fc.nat(3), unique: fc.boolean(), partial: fc.boolean(), expression: fc.boolean() }), { maxLength: 2 }),
    comment: fc.option(fc.nat(2), { freq: 2 }),
    trigger: fc.option(fc.record({ when: fc.boolean(), events: fc.constantFrom('INSERT' as const, 'UPDATE' as const, 'INSERT OR UPDATE' as const) }), { freq: 3 }),
    policy: fc.option(fc.record({ nested: fc.boolean() }), { freq: 4 }),
  });

export const pgModel: fc.Arbitrary<PgModel> = fc.record({
  enums: fc.array(fc.subarray(['a', 'b', 'c', 'd'], { minLength: 1 }), { maxLength: 2 }),
  sequence: fc.option(fc.record({ increment: fc.constantFrom(1, 2, 5), start: fc.constantFrom(1, 10) }), { freq: 2 }),
  sqlFunction: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
  triggerFunction: fc.option(fc.integer({ min: 1, max: 2 }), { freq: 2 }),
  tables: fc.subarray([0, 1, 2], { minLength: 1 }).chain((names) => fc.tuple(...names.map(table))),
  view: fc.option(fc.record({ table: fc.nat(2), filtered: fc.boolean() }), { freq: 2 }),
  partitioned: fc.option(fc.record({ partitions: fc.integer({ min: 0, max: 2 }) }), { freq: 3 }),
  rule: fc.option(fc.record({ k: fc.integer({ min: 0, max: 2 }) }), { freq: 3 }),
  collation: fc.boolean(),
  aggregate: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
  statistics: fc.option(fc.constantFrom(0, 200, 1000), { freq: 2 }),
});

/** The model with one small edit to its first table: a flipped nullability, a check's nesting or validity, a key's deferrability. */
const nearby = (m: PgModel): fc.Arbitrary<PgModel> =>
  fc.nat(4).map((k) => {
    const [t, ...rest] = m.tables;
    const e = structuredClone(t!);
    if (k === 0) e.cols[0]!.nullable = !e.cols[0]!.nullable;
    else if (k === 1) e.check = e.check ? { ...e.check, nested: !e.check.nested } : { col: 0, nested: true, notValid: false, k: 1 };
    else if (k === 2) e.check = e.check ? { ...e.check, notValid: !e.check.notValid } : null;
    else if (k === 3) e.unique = e.unique ? { ...e.unique, deferrable: e.unique.deferrable === 'no' ? 'deferred' : 'no' } : { col: 0, deferrable: 'deferrable' };
    else e.policy = e.policy ? { nested: !e.policy.nested } : { nested: true };
    return { ...m, tables: [e, ...rest] };
  });

/**
 * Before/after pairs: two independent schemas over the same name pools (most),
 * one schema twice (diff must be empty), or a schema and a small edit of it.
 */
export const pgModelPair: fc.Arbitrary<[PgModel, PgModel]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(pgModel, pgModel) },
  { weight: 1, arbitrary: pgModel.map((m): [PgModel, PgModel] => [m, m]) },
  { weight: 1, arbitrary: pgModel.chain((m) => nearby(m).map((n): [PgModel, PgModel] => [m, n])) },
);

const numeric = (k: ColKind) => k === 'int' || k === 'bigint' || k === 'numeric';

/** Type changes a migration makes without a USING of its own: each kind and the one it may become. */
const VARIANT: Record<ColKind, ColKind> = { int: 'bigint', bigint: 'numeric', numeric: 'int', text: 'varchar', varchar: 'text', bool: 'bool', timestamptz: 'timestamptz', jsonb: 'jsonb', intarray: 'intarray', enum: 'text' };

/** Column `i` of table `t`: the same kind in every schema, up to its variant. */
function kindOf(t: number, i: number, c: Col): ColKind {
  const base = KINDS[(t * 3 + i * 7) % KINDS.length]!;
  return c.variant ? VARIANT[base] : base;
}

type KCol = Col & { kind: ColKind };

function typeOf(c: KCol, m: PgModel): string {
  switch (c.kind) {
    case 'varchar':
      return `varchar(${10 + c.n * 10})`;
    case 'numeric':
      return 'numeric(10,2)';
    case 'intarray':
      return 'integer[]';
    case 'enum':
      return m.enums.length ? 's.e0' : 'text';
    default:
      return c.kind;
  }
}

function defaultOf(c: KCol, m: PgModel): string | null {
  if (!c.withDefault) return null;
  switch (c.kind) {
    case 'int':
    case 'bigint':
    case 'numeric':
      return String(c.n);
    case 'text':
    case 'varchar':
      return `'v${c.n}'`;
    case 'bool':
      return c.n % 2 ? 'true' : 'false';
    case 'timestamptz':
      return c.n % 2 ? 'now()' : `'2024-01-0${c.n + 1} 00:00:00+00'`;
    case 'jsonb':
      return `'{}'::jsonb`;
    case 'intarray':
      return `'{}'::integer[]`;
    case 'enum':
      return m.enums.length ? `'${m.enums[0]![0]}'::s.e0` : `'v'`;
  }
}

const colName = (i: number) => `c${i}`;

/** The DDL for schema `s` (created by the caller). */
export function pgModelDdl(m: PgModel): string[] {
  const out: string[] = [];
  m.enums.forEach((labels, i) => out.push(`CREATE TYPE s.e${i} AS ENUM (${labels.map((l) => `'${l}'`).join(', ')})`));
  if (m.sequence) out.push(`CREATE SEQUENCE s.seq0 INCREMENT BY ${m.sequence.increment} START WITH ${m.sequence.start}`);
  if (m.sqlFunction) out.push(`CREATE FUNCTION s.bump(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + ${m.sqlFunction} $$`);
  if (m.triggerFunction) out.push(`CREATE FUNCTION s.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${m.triggerFunction === 1 ? 'RETURN NEW;' : 'NEW := NEW; RETURN NEW;'} END $$`);
  if (m.collation) out.push(`CREATE COLLATION s.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`);
  if (m.aggregate !== null) out.push(`CREATE AGGREGATE s.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '${m.aggregate}')`);
  const names = new Set(m.tables.map((t) => t.name));
  const withPk = new Set(m.tables.filter((t) => t.pk).map((t) => t.name));
  // Foreign keys once every table exists (cycles included).
  const late: string[] = [];
  for (const t0 of m.tables) {
    const t = { ...t0, cols: t0.cols.map((c, i): KCol => ({ ...c, kind: kindOf(t0.name, i, c) })) };
    const tn = `s.t${t.name}`;
    const lines = [`id bigint${t.identity === 'none' ? '' : ` GENERATED ${t.identity.toUpperCase()} AS IDENTITY`} NOT NULL`];
    t.cols.forEach((c, i) => {
      const def = defaultOf(c, m);
      lines.push(`${colName(i)} ${typeOf(c, m)}${c.nullable ? '' : ' NOT NULL'}${def ? ` DEFAULT ${def}` : ''}`);
    });
    const fk = t.fk && names.has(t.fk.to) && withPk.has(t.fk.to) ? t.fk : null;
    if (fk) lines.push('ref bigint');
    const first = t0 === m.tables[0];
    if (first && m.collation) lines.push('label text COLLATE s.ci');
    if (t.pk) lines.push(`CONSTRAINT t${t.name}_pkey PRIMARY KEY (id)`);
    const uc = t.unique && t.cols[t.unique.col] && t.cols[t.unique.col]!.kind !== 'jsonb' ? t.unique : null;
    if (uc) lines.push(`CONSTRAINT t${t.name}_uq UNIQUE (${colName(uc.col)})${uc.deferrable === 'no' ? '' : uc.deferrable === 'deferred' ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE'}`);
    out.push(`CREATE TABLE ${tn} (${lines.join(', ')})`);
    const ck = t.check && t.cols[t.check.col] && numeric(t.cols[t.check.col]!.kind) ? t.check : null;
    if (ck) {
      const c = colName(ck.col);
      const expr = ck.nested ? `(${c} >= 0 AND (${c} < ${100 + ck.k} AND ${c} <> ${ck.k + 50})) OR ${c} IS NULL` : `${c} >= ${ck.k > 5 ? 0 : -ck.k}`;
      out.push(`ALTER TABLE ${tn} ADD CONSTRAINT t${t.name}_ck CHECK (${expr})${ck.notValid ? ' NOT VALID' : ''}`);
    }
    if (fk) late.push(`ALTER TABLE ${tn} ADD CONSTRAINT t${t.name}_ref_fk FOREIGN KEY (ref) REFERENCES s.t${fk.to}(id) ON DELETE ${fk.onDelete}${fk.deferrable ? ' DEFERRABLE INITIALLY DEFERRED' : ''}${fk.notValid ? ' NOT VALID' : ''}`);
    t.indexes.forEach((ix, k) => {
      const c = t.cols[ix.col];
      if (!c || c.kind === 'jsonb' || c.kind === 'intarray') return;
      const key = ix.expression ? (c.kind === 'text' || c.kind === 'varchar' ? `lower(${colName(ix.col)})` : numeric(c.kind) ? `(${colName(ix.col)} + 1)` : colName(ix.col)) : colName(ix.col);
      out.push(`CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX t${t.name}_ix${k} ON ${tn} (${key})${ix.partial ? ` WHERE ${colName(ix.col)} IS NOT NULL` : ''}`);
    });
    if (t.comment !== null) out.push(`COMMENT ON TABLE ${tn} IS 'table ${t.comment}'`, `COMMENT ON COLUMN ${tn}.id IS 'id ${t.comment}'`);
    if (first && m.rule) out.push(`CREATE RULE t${t.name}_keep AS ON DELETE TO ${tn}${m.rule.k ? ` WHERE old.id > ${m.rule.k}` : ''} DO INSTEAD NOTHING`);
    if (first && m.statistics !== null) out.push(`ALTER TABLE ${tn} ALTER COLUMN id SET STATISTICS ${m.statistics}`);
    if (t.trigger && m.triggerFunction) {
      const when = t.trigger.when && t.trigger.events === 'UPDATE' ? ' WHEN (OLD.id IS DISTINCT FROM NEW.id)' : '';
      out.push(`CREATE TRIGGER t${t.name}_touch BEFORE ${t.trigger.events} ON ${tn} FOR EACH ROW${when} EXECUTE FUNCTION s.touch()`);
    }
    if (t.policy) {
      out.push(`ALTER TABLE ${tn} ENABLE ROW LEVEL SECURITY`);
      out.push(`CREATE POLICY t${t.name}_own ON ${tn} USING (${t.policy.nested ? `id > 0 AND (id < 1000 AND id <> 7)` : 'id > 0'})`);
    }
  }
  out.push(...late);
  if (m.view && names.has(m.view.table)) {
    const t = m.tables.find((x) => x.name === m.view!.table)!;
    out.push(`CREATE VIEW s.v0 AS SELECT id, ${colName(0)} FROM s.t${t.name}${m.view.filtered ? ' WHERE id > 0 AND (id < 100 AND id <> 3)' : ''}`);
  }
  if (m.partitioned) {
    out.push(`CREATE TABLE s.events (id bigint NOT NULL, at date NOT NULL, CONSTRAINT events_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at)`);
    for (let y = 0; y < m.partitioned.partitions; y++) out.push(`CREATE TABLE s.events_${2024 + y} PARTITION OF s.events FOR VALUES FROM ('${2024 + y}-01-01') TO ('${2025 + y}-01-01')`);
  }
  return out;
}
