// The declarative Spec: the desired state of a database, written in YAML/JSON
// (validated by `specInputSchema`), TypeScript (`defineSpec`) or plain SQL DDL.
// NOTE: the plan/apply/seed/verify engineer codes against these types — keep
// them stable; add optional fields, never rename or remove one.
// Pure data: this module must never read files or touch a database.
import { z } from 'zod';
import type { DialectName, FkAction, Identity, PolicyCommand, RoutineKind, TriggerEvent, TriggerTiming } from '../catalog/types.js';

export const SPEC_VERSION = 1 as const;

// ───────────────────────────── input schema (what users write) ─────────────────────────────

const name = z.string().min(1, 'must not be empty');
const renamedFrom = z.union([name, z.array(name).min(1)]).optional();
const fkAction = z.enum(['no action', 'restrict', 'cascade', 'set null', 'set default']);
/** A default: a SQL expression string as the engine would print it (`now()`, `'pending'::text`), a number/boolean literal, or `{ value }` for a string literal. */
const defaultValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.object({ value: z.string() }).strict()]);

const columnRef = z.union([
  z.string().min(1), // `table.column`, `schema.table.column`, `table` (its primary key), or `schema.table` when no table of that first name is beside it
  z
    .object({
      schema: name.optional(),
      table: name,
      column: name.optional(),
      name: name.optional(),
      onDelete: fkAction.optional(),
      onUpdate: fkAction.optional(),
    })
    .strict(),
]);

export const specColumnSchema = z
  .object({
    name,
    /** Portable (`int`, `bigint`, `text`, `varchar(50)`, `numeric(10,2)`, `timestamptz`, `jsonb`, `uuid`, `bool`, `int[]`), an enum/domain name, or native text. */
    type: z.string().min(1, 'a column needs a type, e.g. `text` or `varchar(50)`'),
    nullable: z.boolean().optional(),
    default: defaultValue.optional(),
    identity: z.union([z.enum(['always', 'by default']), z.boolean()]).optional(),
    /** MySQL AUTO_INCREMENT / SQLite AUTOINCREMENT (its own counter, never reused). */
    autoIncrement: z.boolean().optional(),
    generated: z.union([z.string().min(1), z.object({ expression: z.string().min(1), stored: z.boolean().optional() }).strict()]).optional(),
    collation: z.string().optional(),
    /** MySQL character set of a text column, when not the table's. */
    charset: z.string().optional(),
    /** MySQL `ON UPDATE current_timestamp()`: the expression set on every update. */
    onUpdate: z.string().min(1).optional(),
    /** MariaDB/MySQL INVISIBLE column (left out of `SELECT *`). */
    invisible: z.boolean().optional(),
    /** Postgres column STORAGE, when not the type's default. */
    storage: z.enum(['plain', 'external', 'extended', 'main']).optional(),
    /** Postgres: the column's statistics target (SET STATISTICS, 0–10000). */
    statistics: z.number().int().min(0).max(10000).optional(),
    /** Postgres 14+: how long values are compressed (lz4 needs a server built with it; PGlite is not: use --dev-url). */
    compression: z.enum(['pglz', 'lz4']).optional(),
    comment: z.string().nullable().optional(),
    renamedFrom,
    /** Shorthands, expanded into table-level constraints. */
    primaryKey: z.boolean().optional(),
    unique: z.boolean().optional(),
    references: columnRef.optional(),
    check: z.string().optional(),
    /** USING expression for a type change of this column (`amount::numeric(12,2)`). */
    using: z.string().optional(),
  })
  .strict();

/** `columns:` as a list, or as a map `name: type` / `name: { type, … }`. */
const columnsSchema = z.union([
  z.array(specColumnSchema),
  z.record(z.string(), z.union([z.string().min(1), specColumnSchema.omit({ name: true }).extend({ name: name.optional() })])),
]);

const indexElementSchema = z.union([
  z.string().min(1),
  z
    .object({
      column: name.optional(),
      expression: z.string().min(1).optional(),
      descending: z.boolean().optional(),
      nullsFirst: z.boolean().optional(),
      opclass: z.string().optional(),
      collation: z.string().optional(),
      /** MySQL prefix length: index the first `length` characters (bytes for binary) of the column. */
      length: z.number().int().positive().optional(),
    })
    .strict()
    .refine((e) => !!e.column !== !!e.expression, { message: 'an index element has exactly one of `column` or `expression`' }),
]);

export const specIndexSchema = z
  .object({
    name: name.optional(),
    columns: z.array(indexElementSchema).min(1).optional(),
    expressions: z.array(z.string().min(1)).min(1).optional(),
    unique: z.boolean().optional(),
    where: z.string().optional(),
    include: z.array(name).optional(),
    method: z.string().optional(),
    /** MySQL: the USING clause the DDL states (`USING BTREE`, `USING HASH`), kept as written; it sets the method. */
    using: z.enum(['btree', 'hash']).optional(),
    nullsNotDistinct: z.boolean().optional(),
    comment: z.string().nullable().optional(),
  })
  .strict()
  .refine((i) => (i.columns?.length ?? 0) + (i.expressions?.length ?? 0) > 0, { message: 'an index needs `columns` or `expressions`' });

const uniqueSchema = z.union([
  z.array(name).min(1),
  z.object({ name: name.optional(), columns: z.array(name).min(1), nullsNotDistinct: z.boolean().optional(), deferrable: z.boolean().optional(), initiallyDeferred: z.boolean().optional() }).strict(),
]);

export const specForeignKeySchema = z
  .object({
    name: name.optional(),
    columns: z.array(name).min(1),
    references: z.object({ schema: name.optional(), table: name, columns: z.array(name).min(1).optional() }).strict(),
    onDelete: fkAction.optional(),
    onUpdate: fkAction.optional(),
    deferrable: z.boolean().optional(),
    initiallyDeferred: z.boolean().optional(),
    match: z.enum(['simple', 'full']).optional(),
    validated: z.boolean().optional(),
  })
  .strict();

const checkSchema = z.union([z.string().min(1), z.object({ name: name.optional(), expression: z.string().min(1), noInherit: z.boolean().optional(), validated: z.boolean().optional() }).strict()]);

const exclusionSchema = z
  .object({
    name: name.optional(),
    using: z.string().optional(),
    elements: z.array(z.object({ expression: z.string().min(1), operator: z.string().min(1) }).strict()).min(1),
    where: z.string().optional(),
  })
  .strict();

export const specTriggerSchema = z
  .object({
    name,
    table: name.optional(),
    schema: name.optional(),
    timing: z.enum(['before', 'after', 'instead of']),
    events: z.array(z.enum(['insert', 'update', 'delete', 'truncate'])).min(1),
    level: z.enum(['row', 'statement']).optional(),
    /** Routine to execute: `fn`, `schema.fn` or `schema.fn()`; arguments go in `arguments`. */
    function: z.string().min(1).optional(),
    /**
     * The statements themselves, where the engine has no trigger functions
     * (MySQL: one statement or BEGIN … END; SQLite: what goes between BEGIN
     * and END). Exactly one of `function` and `body`.
     */
    body: z.string().min(1).optional(),
    arguments: z.array(z.string()).optional(),
    /** `UPDATE OF` these columns (only with the `update` event). */
    updateOf: z.array(name).optional(),
    /** Transition tables: `OLD TABLE AS deleted_rows NEW TABLE AS new_rows`. */
    referencing: z.string().min(1).optional(),
    when: z.string().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const specPolicySchema = z
  .object({
    name,
    table: name.optional(),
    schema: name.optional(),
    command: z.enum(['all', 'select', 'insert', 'update', 'delete']).optional(),
    permissive: z.boolean().optional(),
    roles: z.array(name).optional(),
    using: z.string().optional(),
    withCheck: z.string().optional(),
  })
  .strict();

const grantSchema = z
  .object({
    grantee: name,
    privileges: z.array(z.string().min(1)).min(1),
    grantable: z.boolean().optional(),
  })
  .strict();

export const specTableSchema = z
  .object({
    name,
    schema: name.optional(),
    comment: z.string().nullable().optional(),
    renamedFrom,
    columns: columnsSchema,
    primaryKey: z
      .union([
        z.array(name).min(1),
        z
          .object({
            name: name.optional(),
            columns: z.array(name).min(1),
            /** MySQL prefix lengths of key columns: `{ url: 191 }` indexes the first 191 characters. */
            lengths: z.record(z.string(), z.number().int().positive()).optional(),
            /** MySQL: the USING clause the DDL states (`USING BTREE`), kept as written. */
            using: z.enum(['btree', 'hash']).optional(),
          })
          .strict(),
      ])
      .optional(),
    uniques: z.array(uniqueSchema).optional(),
    foreignKeys: z.array(specForeignKeySchema).optional(),
    checks: z.array(checkSchema).optional(),
    exclusions: z.array(exclusionSchema).optional(),
    indexes: z.array(specIndexSchema).optional(),
    triggers: z.array(specTriggerSchema.omit({ table: true, schema: true })).optional(),
    policies: z.array(specPolicySchema.omit({ table: true, schema: true })).optional(),
    rls: z.union([z.boolean(), z.object({ enabled: z.boolean(), forced: z.boolean().optional() }).strict()]).optional(),
    grants: z.array(grantSchema).optional(),
    /** Postgres UNLOGGED table. */
    unlogged: z.boolean().optional(),
    /** Postgres declarative partitioning: this table is partitioned `RANGE ("timestamp")` / `HASH (id)` / `LIST (kind)`. */
    partitionBy: z.string().min(1).optional(),
    /** This table is a partition of `schema.parent`, with `partitionBound` (`FOR VALUES FROM (…) TO (…)`, `DEFAULT`). */
    partitionOf: z.string().min(1).optional(),
    partitionBound: z.string().min(1).optional(),
    /** Postgres storage parameters, `fillfactor=90`. */
    storageParameters: z.array(z.string().regex(/^[\w.]+=.*$/, 'a storage parameter is name=value')).optional(),
    /** MySQL storage engine (`InnoDB`, `MEMORY`, `MyISAM`); InnoDB unless stated. */
    engine: z.string().regex(/^\w+$/, 'an engine is a name such as InnoDB').optional(),
    /** MySQL default character set and collation of the table's text columns. */
    charset: z.string().regex(/^\w+$/, 'a character set is a name such as utf8mb4').optional(),
    collation: z.string().regex(/^\w+$/, 'a collation is a name such as utf8mb4_unicode_ci').optional(),
    /** MySQL ROW_FORMAT (`DYNAMIC`, `COMPACT`, `COMPRESSED`, `REDUNDANT`), when the DDL states one. */
    rowFormat: z.string().regex(/^\w+$/, 'a row format is a name such as DYNAMIC').optional(),
  })
  .strict();

export const specEnumSchema = z
  .object({
    name,
    schema: name.optional(),
    labels: z.array(z.string()).min(1),
    /** `{ newLabel: oldLabel }` — declared label renames. */
    renamedLabels: z.record(z.string(), z.string()).optional(),
    comment: z.string().nullable().optional(),
    renamedFrom,
  })
  .strict();

export const specDomainSchema = z
  .object({
    name,
    schema: name.optional(),
    type: z.string().min(1),
    notNull: z.boolean().optional(),
    default: defaultValue.optional(),
    checks: z.array(checkSchema).optional(),
    comment: z.string().nullable().optional(),
  })
  .strict();

export const specCompositeTypeSchema = z
  .object({
    name,
    schema: name.optional(),
    attributes: z.union([z.array(z.object({ name, type: z.string().min(1) }).strict()).min(1), z.record(z.string(), z.string().min(1))]).optional(),
    /** A range type instead: `subtype = uuid` (the options of CREATE TYPE … AS RANGE). */
    range: z.string().min(1).optional(),
    comment: z.string().nullable().optional(),
  })
  .strict()
  .refine((c) => !!c.attributes !== !!c.range, { message: 'a composite type has `attributes`, a range type has `range` (exactly one of them)' });

export const specSequenceSchema = z
  .object({
    name,
    schema: name.optional(),
    type: z.enum(['smallint', 'integer', 'bigint', 'int', 'int2', 'int4', 'int8']).optional(),
    start: z.union([z.number().int(), z.string()]).optional(),
    increment: z.union([z.number().int(), z.string()]).optional(),
    min: z.union([z.number().int(), z.string()]).optional(),
    max: z.union([z.number().int(), z.string()]).optional(),
    cache: z.union([z.number().int(), z.string()]).optional(),
    cycle: z.boolean().optional(),
    /** `table.column` or `schema.table.column`. */
    ownedBy: z.string().optional(),
    comment: z.string().nullable().optional(),
  })
  .strict();

export const specViewSchema = z
  .object({
    name,
    schema: name.optional(),
    /** The SELECT (no `CREATE VIEW`). */
    sql: z.string().min(1, 'a view needs its SELECT in `sql`'),
    materialized: z.boolean().optional(),
    securityInvoker: z.boolean().optional(),
    checkOption: z.enum(['local', 'cascaded']).optional(),
    comment: z.string().nullable().optional(),
    renamedFrom,
    indexes: z.array(specIndexSchema).optional(),
    grants: z.array(grantSchema).optional(),
  })
  .strict();

export const specRoutineSchema = z
  .object({
    name,
    schema: name.optional(),
    /** `aggregate`: body is the whole CREATE AGGREGATE statement (Postgres). */
    kind: z.enum(['function', 'procedure', 'aggregate']).optional(),
    /** Argument list as declared: `a integer, b text DEFAULT 'x'`. */
    arguments: z.string().optional(),
    /** Return type for functions: `trigger`, `integer`, `SETOF text`, `TABLE(a int)`. */
    returns: z.string().optional(),
    language: z.string().optional(),
    /** The body (what goes between the dollar quotes). */
    body: z.string().min(1),
    securityDefiner: z.boolean().optional(),
    volatility: z.enum(['immutable', 'stable', 'volatile']).optional(),
    /** `search_path=public` etc. */
    config: z.array(z.string()).optional(),
    comment: z.string().nullable().optional(),
  })
  .strict();

/** A Postgres collation: ICU (`locale: und-u-ks-level2`, `deterministic: false` for case-insensitive text) or libc. */
export const specCollationSchema = z
  .object({
    name,
    schema: name.optional(),
    provider: z.enum(['icu', 'libc', 'builtin']).optional(),
    locale: z.string().min(1),
    /** libc only, when it differs from `locale` (LC_COLLATE). */
    lcCtype: z.string().optional(),
    deterministic: z.boolean().optional(),
    /** ICU tailoring rules (Postgres 16+). */
    rules: z.string().optional(),
  })
  .strict();

/** A Postgres rewrite rule: `definition` is the whole CREATE RULE statement. */
export const specRuleSchema = z
  .object({ name, schema: name.optional(), table: name, definition: z.string().min(1), comment: z.string().nullable().optional() })
  .strict();

export const specEventSchema = z
  .object({ name, schema: name.optional(), schedule: z.string().min(1), definition: z.string().min(1), enabled: z.boolean().optional(), comment: z.string().nullable().optional() })
  .strict();

const seedScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A value resolved by natural key at seed time: `{ $ref: 'core_roles', key: { name: 'admin' } }` → that row's `column` (default: its primary key). */
export const seedRefSchema = z
  .object({ $ref: name, key: z.record(z.string(), seedScalar), column: name.optional() })
  .strict();

export const specSeedTableSchema = z
  .object({
    table: name,
    schema: name.optional(),
    /** Natural key columns: how a row is found again (role name, permission code, user email). */
    key: z.array(name).min(1),
    rows: z.array(z.record(z.string(), z.unknown())),
    /** Columns stored encrypted (never printed). */
    encrypt: z.array(name).optional(),
    /** Columns hashed with a named scheme; the plain value comes from the row, or `env`, or is generated and shown once. */
    hash: z.record(z.string(), z.object({ scheme: z.enum(['scrypt', 'argon2id']), env: z.string().optional() }).strict()).optional(),
    /** Remove rows not in the spec (destructive; asks). */
    prune: z.boolean().optional(),
  })
  .strict();

const expectOp = z.enum(['=', '!=', '<', '<=', '>', '>=']);
// A check written for some engines only (catalog queries differ: information_schema.routines is per database on Postgres, server-wide on MySQL).
const verifyDialects = z.array(z.enum(['postgres', 'mysql', 'sqlite', 'mssql'])).min(1).optional();
export const specVerifySchema = z.union([
  z.object({ name, sql: z.string().min(1), expect: z.union([z.number(), z.literal('empty'), z.literal('nonEmpty'), z.object({ op: expectOp, value: z.number() }).strict()]), dialects: verifyDialects }).strict(),
  z.object({ name, reject: z.string().min(1), errorClass: z.string().optional(), dialects: verifyDialects }).strict(),
]);

const schemaBody = {
  comment: z.string().nullable().optional(),
  tables: z.array(specTableSchema).optional(),
  views: z.array(specViewSchema).optional(),
  enums: z.array(specEnumSchema).optional(),
  domains: z.array(specDomainSchema).optional(),
  compositeTypes: z.array(specCompositeTypeSchema).optional(),
  sequences: z.array(specSequenceSchema).optional(),
  routines: z.array(specRoutineSchema).optional(),
  events: z.array(specEventSchema).optional(),
  rules: z.array(specRuleSchema).optional(),
  collations: z.array(specCollationSchema).optional(),
};

export const specSchemaSchema = z.object({ name, ...schemaBody }).strict();

/** The one zod schema for YAML/JSON specs (and what `defineSpec` accepts). */
export const specInputSchema = z
  .object({
    version: z.literal(1).optional(),
    dialect: z.enum(['postgres', 'mysql', 'sqlite', 'mssql']).optional(),
    /** Schema for objects that do not name one; `public` unless set. */
    defaultSchema: name.optional(),
    include: z.array(z.string().min(1)).optional(),
    extensions: z.array(z.union([name, z.object({ name, schema: name.optional(), version: z.string().optional(), comment: z.string().optional() }).strict()])).optional(),
    schemas: z.array(z.union([name, specSchemaSchema])).optional(),
    ...schemaBody,
    triggers: z.array(specTriggerSchema.extend({ table: name })).optional(),
    policies: z.array(specPolicySchema.extend({ table: name })).optional(),
    /** `{ 'schema.table.column': 'text' }` — comments kept apart from the objects. */
    comments: z.record(z.string(), z.string().nullable()).optional(),
    /** Grants kept apart from the objects: `on` is `table`, `schema.table` or a view. */
    grants: z.array(grantSchema.extend({ on: name })).optional(),
    seed: z.union([z.array(specSeedTableSchema), z.record(z.string(), specSeedTableSchema.omit({ table: true }).extend({ table: name.optional() }))]).optional(),
    verify: z.array(specVerifySchema).optional(),
    /** What the diff manages beyond structure. Grants default to "managed when the spec declares any". */
    manage: z.object({ grants: z.boolean().optional(), comments: z.boolean().optional(), rls: z.boolean().optional() }).strict().optional(),
  })
  .strict();

/** What a user writes (YAML/JSON/`defineSpec`). */
export type SpecInput = z.input<typeof specInputSchema>;
export type SpecColumnInput = z.input<typeof specColumnSchema>;
export type SpecTableInput = z.input<typeof specTableSchema>;

// ───────────────────────────── normalised Spec (what code reads) ─────────────────────────────
// Every shorthand expanded, every object placed in its schema, constraint
// names filled in. Produced by normalizeSpec (src/spec/normalize-spec.ts).

export type SpecDefault = string | number | boolean | { value: string } | null;

export interface SpecColumn {
  name: string;
  type: string;
  nullable: boolean;
  default: SpecDefault;
  identity: Identity | null;
  generated: { expression: string; stored: boolean } | null;
  collation: string | null;
  comment: string | null;
  renamedFrom: string[];
  /** USING expression for a type change. */
  using: string | null;
  storage?: 'plain' | 'external' | 'extended' | 'main';
  statistics?: number;
  compression?: 'pglz' | 'lz4';
  charset?: string;
  onUpdate?: string;
  invisible?: boolean;
  autoIncrement?: boolean;
}

export interface SpecIndexElement {
  column?: string;
  expression?: string;
  descending?: boolean;
  nullsFirst?: boolean;
  opclass?: string;
  collation?: string;
  /** MySQL prefix length. */
  length?: number;
}

export interface SpecIndex {
  name: string;
  elements: SpecIndexElement[];
  unique: boolean;
  where: string | null;
  include: string[];
  method: string;
  nullsNotDistinct: boolean;
  comment: string | null;
  /** MySQL: the DDL states `USING <method>`. */
  using?: 'btree' | 'hash';
  /** The spec gave no name: plumb chose it, and any name will do. */
  implicitName?: boolean;
}

export interface SpecForeignKey {
  name: string;
  columns: string[];
  references: { schema: string; table: string; columns: string[] | null /* null: the referenced primary key */ };
  onDelete: FkAction;
  onUpdate: FkAction;
  deferrable: boolean;
  initiallyDeferred: boolean;
  match: 'simple' | 'full';
  validated: boolean;
  /** The spec gave no name: plumb chose it, and any name will do. */
  implicitName?: boolean;
}

export interface SpecTrigger {
  name: string;
  timing: TriggerTiming;
  events: TriggerEvent[];
  level: 'row' | 'statement';
  /** Qualified `schema.fn`, no parentheses; empty when the trigger has an inline `body`. */
  function: string;
  /** Inline statements (MySQL, SQLite) instead of a function. */
  body?: string;
  arguments: string[];
  /** `UPDATE OF` columns; empty for any update. */
  updateOf: string[];
  referencing?: string;
  when: string | null;
  enabled: boolean;
}

export interface SpecPolicy {
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export interface SpecGrant {
  grantee: string;
  privileges: string[];
  grantable: boolean;
}

export interface SpecTable {
  name: string;
  schema: string;
  comment: string | null;
  renamedFrom: string[];
  columns: SpecColumn[];
  primaryKey: { name: string; columns: string[]; lengths?: Record<string, number>; using?: 'btree' | 'hash' } | null;
  uniques: { name: string; columns: string[]; nullsNotDistinct: boolean; deferrable: boolean; initiallyDeferred?: boolean; implicitName?: boolean }[];
  foreignKeys: SpecForeignKey[];
  checks: { name: string; expression: string; noInherit: boolean; validated: boolean; implicitName?: boolean }[];
  exclusions: { name: string; using: string; elements: { expression: string; operator: string }[]; where: string | null; implicitName?: boolean }[];
  indexes: SpecIndex[];
  triggers: SpecTrigger[];
  policies: SpecPolicy[];
  rls: { enabled: boolean; forced: boolean };
  grants: SpecGrant[];
  unlogged?: boolean;
  storageParameters?: string[];
  partitionBy?: string;
  partitionOf?: string;
  partitionBound?: string;
  /** MySQL table options, present only when stated. */
  engine?: string;
  charset?: string;
  collation?: string;
  rowFormat?: string;
}

export interface SpecEnum {
  name: string;
  schema: string;
  labels: string[];
  renamedLabels: Record<string, string>;
  comment: string | null;
  renamedFrom: string[];
}

export interface SpecDomain {
  name: string;
  schema: string;
  type: string;
  notNull: boolean;
  default: SpecDefault;
  checks: { name: string; expression: string }[];
  comment: string | null;
}

export interface SpecCompositeType {
  name: string;
  schema: string;
  attributes: { name: string; type: string }[];
  range?: string;
  comment: string | null;
}

export interface SpecSequence {
  name: string;
  schema: string;
  type: 'smallint' | 'integer' | 'bigint';
  start: string | null;
  increment: string;
  min: string | null;
  max: string | null;
  cache: string;
  cycle: boolean;
  ownedBy: string | null;
  comment: string | null;
}

export interface SpecView {
  name: string;
  schema: string;
  sql: string;
  materialized: boolean;
  securityInvoker: boolean;
  checkOption: 'local' | 'cascaded' | null;
  comment: string | null;
  renamedFrom: string[];
  indexes: SpecIndex[];
  grants: SpecGrant[];
}

export interface SpecRoutine {
  name: string;
  schema: string;
  kind: Extract<RoutineKind, 'function' | 'procedure' | 'aggregate'>;
  arguments: string;
  returns: string | null;
  language: string;
  body: string;
  securityDefiner: boolean;
  volatility: 'immutable' | 'stable' | 'volatile';
  config: string[];
  comment: string | null;
}

export interface SpecEvent {
  name: string;
  schema: string;
  schedule: string;
  definition: string;
  enabled: boolean;
  comment: string | null;
}

export interface SpecSchema {
  name: string;
  comment: string | null;
  tables: SpecTable[];
  views: SpecView[];
  enums: SpecEnum[];
  domains: SpecDomain[];
  compositeTypes: SpecCompositeType[];
  sequences: SpecSequence[];
  routines: SpecRoutine[];
  events: SpecEvent[];
  rules: SpecRule[];
  collations: SpecCollation[];
}

export interface SpecCollation {
  name: string;
  provider: 'icu' | 'libc' | 'builtin';
  locale: string;
  lcCtype?: string;
  deterministic: boolean;
  rules?: string;
}

export interface SpecRule {
  name: string;
  table: string;
  definition: string;
  comment: string | null;
}

export type SeedScalar = string | number | boolean | null;
export interface SeedRef {
  /** Table, `table` or `schema.table`. */
  $ref: string;
  key: Record<string, SeedScalar>;
  /** Column to take from the referenced row; its primary key when omitted. */
  column?: string;
}
/** A row value: a scalar, a SeedRef (object with `$ref`), or JSON for json/jsonb columns. */
export type SeedValue = SeedScalar | SeedRef | unknown;

export interface SpecSeedTable {
  schema: string;
  table: string;
  key: string[];
  rows: Record<string, SeedValue>[];
  encrypt: string[];
  hash: Record<string, { scheme: 'scrypt' | 'argon2id'; env?: string }>;
  prune: boolean;
}

export type VerifyExpect = number | 'empty' | 'nonEmpty' | { op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number };

/**
 * A query check. Numeric expectations compare the single value when the query
 * returns exactly one row with one column (`SELECT count(*) …`), else the row count.
 */
export interface SpecVerifyQuery {
  kind: 'query';
  name: string;
  sql: string;
  expect: VerifyExpect;
  /** Run only on these engines (skipped elsewhere); absent: everywhere. */
  dialects?: DialectName[];
}

/** An enforcement probe: the statement must be rejected (run in a savepoint that is always rolled back). */
export interface SpecVerifyReject {
  kind: 'reject';
  name: string;
  reject: string;
  /** Expected error class, e.g. `foreign_key_violation`, `unique_violation`, `check_violation`, `not_null_violation`, or a SQLSTATE. */
  errorClass: string | null;
  /** Run only on these engines (skipped elsewhere); absent: everywhere. */
  dialects?: DialectName[];
}

export type SpecVerify = SpecVerifyQuery | SpecVerifyReject;

export interface SpecExtension {
  name: string;
  schema: string | null;
  version: string | null;
  /** A comment other than the extension's own. */
  comment?: string;
}

export interface Spec {
  version: typeof SPEC_VERSION;
  dialect: DialectName | null;
  defaultSchema: string;
  extensions: SpecExtension[];
  /** Every declared object, in its schema; also the diff's scope (undeclared schemas are left alone). */
  schemas: SpecSchema[];
  seed: SpecSeedTable[];
  verify: SpecVerify[];
  /** Files this spec included (already merged in), relative to the including file as written. */
  include: string[];
  manage: { grants: boolean; comments: boolean; rls: boolean };
  /**
   * Plain SQL DDL (a `.sql` spec, a directory of them, or `.sql` files named in
   * `include`), run in order in a scratch engine after the declared objects;
   * the engine is the parser. Empty for YAML/JSON/TS-only specs.
   */
  sql: { source: string; text: string }[];
  /** Where the spec came from (file paths), for messages. */
  sources: string[];
}

export function isSeedRef(v: unknown): v is SeedRef {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as SeedRef).$ref === 'string';
}
