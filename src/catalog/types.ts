// The dialect-neutral catalog IR: plain JSON-serialisable data describing a
// database. Every dialect's introspector produces it; diff, audit, plan and the
// reports read it. It must never hold a live handle, a class or a function.

export const CATALOG_VERSION = 1 as const;

export type DialectName = 'postgres' | 'mysql' | 'sqlite' | 'mssql';

/**
 * Normalised type kinds. `raw` on ColumnType keeps the engine's own spelling;
 * `kind` plus length/precision/scale is what rules and diffs compare.
 */
export type TypeKind =
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'tinyint'
  | 'mediumint'
  | 'numeric'
  | 'real'
  | 'double'
  | 'money'
  | 'bool'
  | 'text'
  | 'varchar'
  | 'char'
  | 'bytea'
  | 'blob'
  | 'date'
  | 'time'
  | 'timetz'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'year'
  | 'json'
  | 'jsonb'
  | 'uuid'
  | 'enum'
  | 'array'
  | 'inet'
  | 'cidr'
  | 'macaddr'
  | 'bit'
  | 'xml'
  | 'tsvector'
  | 'geometry'
  | 'domain'
  | 'composite'
  | 'range'
  | 'other';

export interface ColumnType {
  kind: TypeKind;
  /** The engine's own spelling, e.g. `character varying(50)`, `int(10) unsigned`. */
  raw: string;
  /** varchar(n) / char(n) / bit(n) length. */
  length?: number;
  /** numeric(p,s) precision and scale; time precision for temporal types. */
  precision?: number;
  scale?: number;
  /** Element type for arrays. */
  element?: ColumnType;
  /** Qualified name (`schema.name`) of the enum, domain, composite or range type. */
  ref?: string;
  /** Inline enum labels (MySQL `ENUM('a','b')`). */
  labels?: string[];
  unsigned?: boolean;
  /** MySQL ZEROFILL (shown padded with zeros; implies unsigned). */
  zerofill?: boolean;
}

export type Identity = 'always' | 'by default';

export interface Column {
  name: string;
  path: string;
  ordinal: number;
  type: ColumnType;
  nullable: boolean;
  /** Default expression as the engine prints it; null when none. */
  default: string | null;
  identity: Identity | null;
  /** MySQL AUTO_INCREMENT / SQLite INTEGER PRIMARY KEY AUTOINCREMENT. */
  autoIncrement?: boolean;
  /** Expression of a generated (computed) column; null when not generated. */
  generated: string | null;
  generatedStored?: boolean;
  collation: string | null;
  /** MySQL character set of a text column. */
  charset?: string | null;
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`. */
  onUpdate?: string | null;
  /** Postgres per-column statistics target (SET STATISTICS), present only when set. */
  statistics?: number;
  /** Postgres column compression (`pglz`, `lz4`), present only when set. */
  compression?: string;
  /** MariaDB/MySQL INVISIBLE column (left out of `SELECT *`); present only when true. */
  invisible?: boolean;
  /** Postgres STORAGE, present only when it is not the type's default. */
  storage?: ColumnStorage;
  comment: string | null;
}

export type ColumnStorage = 'plain' | 'external' | 'extended' | 'main';

export interface PrimaryKey {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  columns: string[];
}

export interface UniqueConstraint {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  /** Present (true) when the spec left the name to plumb: any name will do. */
  implicitName?: boolean;
  columns: string[];
  nullsNotDistinct?: boolean;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  /** Present (true) when the spec left the name to plumb: any name will do. */
  implicitName?: boolean;
  columns: string[];
  references: { schema: string; table: string; columns: string[] };
  onDelete: FkAction;
  onUpdate: FkAction;
  deferrable: boolean;
  initiallyDeferred: boolean;
  /** false for a NOT VALID constraint that was never validated. */
  validated: boolean;
  match?: 'simple' | 'full' | 'partial';
}

export interface CheckConstraint {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  /** Present (true) when the spec left the name to plumb: any name will do. */
  implicitName?: boolean;
  /** The boolean expression, without the CHECK keyword or outer parentheses. */
  expression: string;
  /** Columns the expression reads, when the engine reports them. */
  columns: string[];
  validated: boolean;
  noInherit?: boolean;
}

export interface ExclusionConstraint {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  /** Present (true) when the spec left the name to plumb: any name will do. */
  implicitName?: boolean;
  method: string;
  /** Full definition as the engine prints it, e.g. `EXCLUDE USING gist (room WITH =, during WITH &&)`. */
  definition: string;
  elements: { expression: string; operator: string }[];
  predicate: string | null;
}

export interface IndexElement {
  /** Set when the element is a plain column. */
  column?: string;
  /** Set when the element is an expression. */
  expression?: string;
  descending?: boolean;
  nullsFirst?: boolean;
  opclass?: string;
  collation?: string;
  /** MySQL prefix length `col(10)`. */
  prefixLength?: number;
}

export interface Index {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres, MySQL). */
  comment?: string;
  elements: IndexElement[];
  unique: boolean;
  primary: boolean;
  /** `btree`, `hash`, `gin`, `gist`, `brin`, `fulltext`, `spatial` … */
  method: string;
  predicate: string | null;
  include: string[];
  /** false for an index left invalid by a failed CREATE INDEX CONCURRENTLY. */
  valid: boolean;
  /** Name of the constraint this index implements (primary key, unique, exclusion), or null. */
  constraint: string | null;
  nullsNotDistinct?: boolean;
  /**
   * Present (true) when the spec left the name to plumb: diff then accepts the
   * same index under any name instead of renaming it.
   */
  implicitName?: boolean;
  /**
   * MySQL: the DDL names the method (`USING BTREE`), which SHOW CREATE TABLE
   * repeats; present only when true. Spelling only: diff never compares it.
   */
  explicitMethod?: boolean;
  /**
   * MySQL: the key's place among the table's keys (1-based), the order it was
   * created in, which SHOW CREATE TABLE keeps within each kind of key.
   * Spelling only: diff never compares it.
   */
  position?: number;
}

export type TriggerTiming = 'before' | 'after' | 'instead of';
export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

export interface Trigger {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  timing: TriggerTiming;
  events: TriggerEvent[];
  level: 'row' | 'statement';
  /** Qualified routine the trigger calls (Postgres), or null when the body is inline. */
  function: string | null;
  /** Inline body (MySQL, SQLite); null when the trigger calls a function. */
  body: string | null;
  when: string | null;
  /** false when disabled (ALTER TABLE … DISABLE TRIGGER). */
  enabled: boolean;
  /** Postgres firing mode when not the default: `replica` or `always`. */
  firing?: 'origin' | 'replica' | 'always';
  definition: string;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface Policy {
  name: string;
  path: string;
  /** Its COMMENT, present only when it has one (Postgres). */
  comment?: string;
  command: PolicyCommand;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export interface Grant {
  grantee: string;
  privileges: string[];
  grantable?: boolean;
}

export type TableKind = 'table' | 'partitioned' | 'partition' | 'foreign';

export interface Table {
  name: string;
  schema: string;
  path: string;
  kind: TableKind;
  comment: string | null;
  /** Planner's row estimate (pg_class.reltuples); null when never analysed. */
  rowEstimate: number | null;
  /** rowEstimate is an exact count, not an estimate (SQLite counts tables up to a bound). */
  rowsExact?: boolean;
  /** Total bytes including indexes and TOAST. */
  totalBytes: number | null;
  columns: Column[];
  primaryKey: PrimaryKey | null;
  uniques: UniqueConstraint[];
  foreignKeys: ForeignKey[];
  checks: CheckConstraint[];
  exclusions: ExclusionConstraint[];
  indexes: Index[];
  triggers: Trigger[];
  policies: Policy[];
  rls: { enabled: boolean; forced: boolean };
  grants: Grant[];
  owner: string | null;
  /** For a partition: qualified parent and bound expression. */
  partitionOf?: string | null;
  partitionBound?: string | null;
  /**
   * Postgres table inheritance (`INHERITS (parent)`), qualified parents in
   * order; absent when the table inherits nothing. Partitions use partitionOf.
   */
  inherits?: string[];
  /** Postgres UNLOGGED table (present only when true). */
  unlogged?: boolean;
  /** Postgres storage parameters (`WITH (fillfactor=90)`) as `name=value`, present only when set. */
  storageParameters?: string[];
  /** For a partitioned table: `RANGE (col)` etc. */
  partitionKey?: string | null;
  /** Engine options: MySQL engine/charset/collation, SQLite strict/withoutRowid. */
  options?: TableOptions;
}

export interface TableOptions {
  engine?: string;
  charset?: string;
  collation?: string;
  strict?: boolean;
  withoutRowid?: boolean;
  autoIncrement?: number;
  /** MySQL ROW_FORMAT stated in the table's DDL (`DYNAMIC`, `COMPRESSED` …). */
  rowFormat?: string;
}

export interface ViewColumn {
  name: string;
  type: ColumnType;
}

export interface View {
  name: string;
  schema: string;
  path: string;
  materialized: boolean;
  definition: string;
  columns: ViewColumn[];
  comment: string | null;
  /** Postgres 15+ `security_invoker`; false means the view runs with its owner's rights. */
  securityInvoker: boolean;
  checkOption: 'local' | 'cascaded' | null;
  owner: string | null;
  grants: Grant[];
  indexes: Index[];
  /** INSTEAD OF triggers that make the view writable. */
  triggers: Trigger[];
}

export interface Enum {
  name: string;
  path: string;
  labels: string[];
  comment: string | null;
}

export interface Domain {
  name: string;
  path: string;
  type: ColumnType;
  notNull: boolean;
  default: string | null;
  checks: { name: string; expression: string }[];
  comment: string | null;
}

export interface CompositeType {
  name: string;
  path: string;
  attributes: { name: string; type: ColumnType }[];
  /** A range type instead (no attributes): its options as CREATE TYPE … AS RANGE takes them, `subtype = uuid, …`. */
  range?: string;
  comment: string | null;
}

export interface Sequence {
  name: string;
  path: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** Column path that owns the sequence (serial / identity), or null. */
  ownedBy: string | null;
  /** Last value handed out, as a string (may exceed 2^53); null if never used or unreadable. Not compared by diff. */
  lastValue: string | null;
  comment: string | null;
}

export type RoutineKind = 'function' | 'procedure' | 'aggregate' | 'window';

export interface Routine {
  name: string;
  /** `schema.name(argtypes)`: unique even for overloads. */
  path: string;
  kind: RoutineKind;
  /** Argument list as declared, e.g. `a integer, b text DEFAULT 'x'`. */
  arguments: string;
  /** Identity argument types, e.g. `integer, text`. */
  signature: string;
  returns: string | null;
  language: string;
  /** Postgres: the whole CREATE statement (pg_get_functiondef); other engines: the body. A spec may give either. */
  definition: string;
  securityDefiner: boolean;
  volatility: 'immutable' | 'stable' | 'volatile' | null;
  /** `search_path=…` and other SET clauses attached to the routine. */
  config: string[];
  owner: string | null;
  comment: string | null;
}

/** A collation created in a schema (Postgres CREATE COLLATION). */
export interface Collation {
  name: string;
  /** `schema.name`. */
  path: string;
  provider: 'icu' | 'libc' | 'builtin';
  /** ICU/builtin locale, or libc's LC_COLLATE. */
  locale: string;
  /** libc's LC_CTYPE, when it differs from LC_COLLATE. */
  lcCtype?: string;
  deterministic: boolean;
  /** ICU tailoring rules (Postgres 16+), when given. */
  rules?: string;
}

/** A rewrite rule on a table or view (Postgres CREATE RULE; a view's own `_RETURN` rule is the view). */
export interface RewriteRule {
  name: string;
  /** The table or view it is on (same schema). */
  table: string;
  /** `schema.table.name`. */
  path: string;
  /** The whole CREATE RULE statement, as pg_get_ruledef prints it (without the closing semicolon). */
  definition: string;
  comment: string | null;
}

/** A scheduled job inside the database (MySQL events, pg_cron jobs). */
export interface ScheduledEvent {
  name: string;
  path: string;
  schedule: string;
  definition: string;
  enabled: boolean;
  comment: string | null;
}

export interface Schema {
  name: string;
  path: string;
  owner: string | null;
  comment: string | null;
  tables: Table[];
  views: View[];
  enums: Enum[];
  domains: Domain[];
  compositeTypes: CompositeType[];
  sequences: Sequence[];
  routines: Routine[];
  events: ScheduledEvent[];
  /** Postgres rewrite rules (absent: the engine has none). */
  rules?: RewriteRule[];
  /** Postgres collations created in the schema (absent: the engine has none). */
  collations?: Collation[];
}

export interface Extension {
  name: string;
  schema: string;
  version: string;
  /** A comment set on it other than its own (present only then). */
  comment?: string;
}

export interface Catalog {
  catalogVersion: typeof CATALOG_VERSION;
  dialect: DialectName;
  serverVersion: string;
  /** Major version number, e.g. 15, for rules whose truth depends on it. */
  serverMajor: number;
  database: string | null;
  extensions: Extension[];
  schemas: Schema[];
  /** Engine-wide settings that rules read (sql_mode, foreign_keys, …). */
  settings: Record<string, string>;
}
