// The typed Change: one difference between two catalogs, carrying the catalog
// objects it needs (before/after) so a renderer or a planner never has to look
// anything up. NOTE: the plan/apply engineer and the MySQL/SQLite renderers code
// against these types — keep them stable: add kinds or optional fields, never
// rename or remove. Pure types and data; no SQL text lives here.
import type {
  CheckConstraint,
  Column,
  CompositeType,
  Domain,
  Enum,
  ExclusionConstraint,
  Extension,
  ForeignKey,
  Grant,
  Index,
  Policy,
  PrimaryKey,
  Routine,
  Collation,
  RewriteRule,
  ScheduledEvent,
  Schema,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  View,
} from '../catalog/types.js';

/** A table (or, for indexes/triggers on materialized views, a view) by name. */
export interface TableRef {
  schema: string;
  name: string;
}

/** What a grant, revoke or comment applies to. */
export type ObjectKind =
  | 'schema'
  | 'table'
  | 'column'
  | 'view'
  | 'materializedView'
  | 'index'
  | 'enum'
  | 'domain'
  | 'compositeType'
  | 'sequence'
  | 'routine'
  | 'constraint'
  | 'trigger'
  | 'policy'
  | 'rule'
  | 'extension'
  | 'event';

export interface ObjectRef {
  kind: ObjectKind;
  schema: string;
  /** Object name; for a column, constraint, trigger, policy: the table's name. For a schema: the schema name. */
  name: string;
  /** Column, constraint, trigger or policy name on `name`. */
  member?: string;
  /** Routine identity arguments, e.g. `integer, text`. */
  signature?: string;
  /** Routine kind, so `COMMENT ON PROCEDURE` is spelled right. */
  routineKind?: Routine['kind'];
}

interface Base<K extends string> {
  kind: K;
  /** objectPath of the object changed: `schema`, `schema.table`, `schema.table.column`, `schema.fn(args)`. */
  path: string;
}

// ── schemas, extensions ──
export interface CreateSchema extends Base<'createSchema'> { schema: Pick<Schema, 'name' | 'owner' | 'comment'> }
export interface DropSchema extends Base<'dropSchema'> { schema: Pick<Schema, 'name' | 'owner' | 'comment'> }
export interface CreateExtension extends Base<'createExtension'> { extension: Extension }
export interface DropExtension extends Base<'dropExtension'> { extension: Extension }
/** The extension updated to the target's version (`before` holds the installed one). */
export interface AlterExtension extends Base<'alterExtension'> { extension: Extension; before: Extension }

// ── tables ──
/**
 * Creates the table with its columns, primary key, uniques, checks and
 * exclusions inline. Foreign keys, indexes, triggers, policies, RLS, grants
 * and comments arrive as their own changes (so FK cycles can be split out).
 */
export interface CreateTable extends Base<'createTable'> { table: Table }
/** `table` is the whole table as it was, minus its foreign keys (dropped by their own dropForeignKey changes): enough to recreate it (without data) on rollback. */
export interface DropTable extends Base<'dropTable'> { table: Table }
export interface RenameTable extends Base<'renameTable'> { from: TableRef; to: TableRef }
/** Storage options a table states (MySQL/MariaDB): only the fields being changed appear in a change. */
export interface StorageOptions {
  engine?: string;
  charset?: string;
  collation?: string;
  rowFormat?: string;
}
/**
 * Engine, default character set or collation changed: MyISAM → InnoDB,
 * latin1 → utf8mb4 (which re-encodes every text column and may widen
 * TEXT to MEDIUMTEXT). Compared only where both catalogs state the option.
 * `columns` are the table's text columns as they were, so the rollback can
 * restate what the conversion changed.
 */
export interface AlterTableOptions extends Base<'alterTableOptions'> { table: TableRef; before: StorageOptions; after: StorageOptions; columns: Column[] }
/** How Postgres stores a table: UNLOGGED, storage parameters (fillfactor …) and column STORAGE. */
export interface TableStorage {
  unlogged: boolean;
  parameters: string[];
  /** Column name → STORAGE, for columns not stored as their type's default. */
  columns: Record<string, string>;
  /** Column name → statistics target (-1: the default), for the columns whose target changes. */
  statistics?: Record<string, number>;
  /** Column name → compression (`default`: the server's), for the columns whose compression changes. */
  compression?: Record<string, string>;
}
export interface AlterTableStorage extends Base<'alterTableStorage'> { table: TableRef; before: TableStorage; after: TableStorage }

// ── columns ──
/**
 * `after`: where an engine that places columns (MySQL) puts it — after that
 * column, first (null), or at the end (absent: nothing that stays comes after it).
 */
export interface AddColumn extends Base<'addColumn'> { table: TableRef; column: Column; after?: string | null }
/** `after`: where a rollback puts the column back (the column before it that stays; null: first). */
export interface DropColumn extends Base<'dropColumn'> { table: TableRef; column: Column; after?: string | null }
export interface RenameColumn extends Base<'renameColumn'> { table: TableRef; from: string; to: string }
/** Type and/or collation change, in place (never drop + recreate). `using` converts existing values; rollback uses `rollbackUsing`. */
export interface AlterColumnType extends Base<'alterColumnType'> { table: TableRef; before: Column; after: Column; using: string | null; rollbackUsing: string | null }
export interface AlterColumnNullability extends Base<'alterColumnNullability'> { table: TableRef; before: Column; after: Column }
export interface AlterColumnDefault extends Base<'alterColumnDefault'> { table: TableRef; before: Column; after: Column }
/** MariaDB/MySQL: the column becomes INVISIBLE (left out of SELECT *) or visible again. */
export interface AlterColumnVisibility extends Base<'alterColumnVisibility'> { table: TableRef; before: Column; after: Column }
/** Identity added, removed, or switched between `always` and `by default`. */
export interface AlterColumnIdentity extends Base<'alterColumnIdentity'> { table: TableRef; before: Column; after: Column }
/** Generated expression changed (drop + add of the column when the engine cannot alter it: the values are computed, nothing is lost). */
export interface AlterColumnGenerated extends Base<'alterColumnGenerated'> { table: TableRef; before: Column; after: Column }

// ── constraints ──
export interface AddPrimaryKey extends Base<'addPrimaryKey'> { table: TableRef; primaryKey: PrimaryKey }
export interface DropPrimaryKey extends Base<'dropPrimaryKey'> { table: TableRef; primaryKey: PrimaryKey }
export interface AddUnique extends Base<'addUnique'> { table: TableRef; unique: UniqueConstraint }
export interface DropUnique extends Base<'dropUnique'> { table: TableRef; unique: UniqueConstraint }
export interface AddForeignKey extends Base<'addForeignKey'> { table: TableRef; foreignKey: ForeignKey }
export interface DropForeignKey extends Base<'dropForeignKey'> { table: TableRef; foreignKey: ForeignKey }
export interface AddCheck extends Base<'addCheck'> { table: TableRef; check: CheckConstraint }
export interface DropCheck extends Base<'dropCheck'> { table: TableRef; check: CheckConstraint }
export interface AddExclusion extends Base<'addExclusion'> { table: TableRef; exclusion: ExclusionConstraint }
export interface DropExclusion extends Base<'dropExclusion'> { table: TableRef; exclusion: ExclusionConstraint }
/** A NOT VALID foreign key or check that the target wants validated. Rollback is a no-op (validation cannot be undone, and need not be). */
export interface ValidateConstraint extends Base<'validateConstraint'> {
  table: TableRef;
  constraint: string;
  constraintKind: 'foreignKey' | 'check';
  /**
   * The constraint as it stands NOT VALID, when the database had it so (diff):
   * the rollback puts it back that way. Absent when the plan added it NOT VALID
   * itself: that step's rollback drops it.
   */
  notValid?: { foreignKey: ForeignKey } | { check: CheckConstraint };
}

// ── indexes ──
/** `table` is the table (or materialized view) the index is on. Constraint-backed indexes never appear here. */
export interface CreateIndex extends Base<'createIndex'> { table: TableRef; index: Index }
export interface DropIndex extends Base<'dropIndex'> { table: TableRef; index: Index }
/** The same constraint under the target's name (Postgres RENAME CONSTRAINT; a unique's or exclusion's index follows). */
export interface RenameConstraint extends Base<'renameConstraint'> { table: TableRef; from: string; to: string; constraintKind: 'unique' | 'check' | 'foreignKey' | 'exclusion' }
/** The same index under the target's name (`from` is its name now; `index` is the target's). */
export interface RenameIndex extends Base<'renameIndex'> { table: TableRef; from: string; index: Index }

// ── types ──
export interface CreateEnum extends Base<'createEnum'> { enum: Enum }
export interface DropEnum extends Base<'dropEnum'> { enum: Enum }
/** A column whose type is (an array of) an enum: what replacing the enum must convert. */
export interface EnumUsage {
  table: TableRef;
  column: string;
  /** The column's default (it refers to the type, so it is dropped and restored around the conversion). */
  default: string | null;
  array: boolean;
}

/**
 * `value` added to `enum` (the state after), placed before/after an existing
 * label (null = at the end). `columns` lets the rollback rebuild the type
 * without the label (Postgres cannot drop an enum label).
 */
export interface AddEnumValue extends Base<'addEnumValue'> { enum: Enum; value: string; before: string | null; after: string | null; columns: EnumUsage[] }
export interface RenameEnumValue extends Base<'renameEnumValue'> { enum: Enum; from: string; to: string }
/**
 * Labels removed or reordered: create the new type, convert every column
 * (`columns`) with a text cast, drop the old, rename. Data-dependent:
 * rows holding a removed label make it fail.
 */
export interface ReplaceEnum extends Base<'replaceEnum'> { before: Enum; after: Enum; columns: EnumUsage[] }
export interface RenameEnum extends Base<'renameEnum'> { before: Enum; after: Enum }
export interface CreateDomain extends Base<'createDomain'> { domain: Domain }
export interface DropDomain extends Base<'dropDomain'> { domain: Domain }
/** Default, NOT NULL or checks changed (a base type change is drop + create). */
export interface AlterDomain extends Base<'alterDomain'> { before: Domain; after: Domain }
export interface CreateCompositeType extends Base<'createCompositeType'> { type: CompositeType }
export interface DropCompositeType extends Base<'dropCompositeType'> { type: CompositeType }
/** Attributes added, dropped or retyped (ALTER TYPE … ADD/DROP/ALTER ATTRIBUTE). */
export interface AlterCompositeType extends Base<'alterCompositeType'> { before: CompositeType; after: CompositeType }

// ── views ──
export interface CreateView extends Base<'createView'> { view: View }
/** CREATE OR REPLACE VIEW when the column list only grows; otherwise the diff emits drop + create. */
export interface ReplaceView extends Base<'replaceView'> { before: View; after: View }
export interface DropView extends Base<'dropView'> { view: View }
export interface RenameView extends Base<'renameView'> { from: TableRef; to: TableRef; materialized: boolean }
export interface CreateMaterializedView extends Base<'createMaterializedView'> { view: View }
export interface DropMaterializedView extends Base<'dropMaterializedView'> { view: View }

// ── sequences ──
export interface CreateSequence extends Base<'createSequence'> { sequence: Sequence }
export interface AlterSequence extends Base<'alterSequence'> { before: Sequence; after: Sequence }
export interface DropSequence extends Base<'dropSequence'> { sequence: Sequence }

// ── routines, triggers, events ──
export interface CreateRoutine extends Base<'createRoutine'> { routine: Routine }
/** CREATE OR REPLACE when the signature and return type are unchanged (else drop + create). */
export interface ReplaceRoutine extends Base<'replaceRoutine'> { before: Routine; after: Routine }
export interface DropRoutine extends Base<'dropRoutine'> { routine: Routine }
export interface CreateTrigger extends Base<'createTrigger'> { table: TableRef; trigger: Trigger }
export interface DropTrigger extends Base<'dropTrigger'> { table: TableRef; trigger: Trigger }
export interface EnableTrigger extends Base<'enableTrigger'> { table: TableRef; trigger: Trigger }
export interface DisableTrigger extends Base<'disableTrigger'> { table: TableRef; trigger: Trigger }
export interface CreateEvent extends Base<'createEvent'> { event: ScheduledEvent; schema: string }
export interface CreateCollation extends Base<'createCollation'> { collation: Collation; schema: string }
export interface DropCollation extends Base<'dropCollation'> { collation: Collation; schema: string }
export interface CreateRule extends Base<'createRule'> { rule: RewriteRule; schema: string }
export interface DropRule extends Base<'dropRule'> { rule: RewriteRule; schema: string }
/** MySQL scheduled events (the seeds' "hidden automations"). */
export interface DropEvent extends Base<'dropEvent'> { event: ScheduledEvent; schema: string }

// ── row-level security ──
export interface EnableRls extends Base<'enableRls'> { table: TableRef }
export interface DisableRls extends Base<'disableRls'> { table: TableRef }
/** `force: true` → FORCE ROW LEVEL SECURITY; false → NO FORCE. */
export interface ForceRls extends Base<'forceRls'> { table: TableRef; force: boolean }
export interface CreatePolicy extends Base<'createPolicy'> { table: TableRef; policy: Policy }
export interface DropPolicy extends Base<'dropPolicy'> { table: TableRef; policy: Policy }
/** Roles, USING or WITH CHECK changed (command/permissive changes are drop + create). */
export interface AlterPolicy extends Base<'alterPolicy'> { table: TableRef; before: Policy; after: Policy }

// ── privileges, comments ──
/** `grant.privileges` are the privileges being granted (not the full set). */
export interface GrantChange extends Base<'grant'> { target: ObjectRef; grant: Grant }
export interface RevokeChange extends Base<'revoke'> { target: ObjectRef; grant: Grant }
/**
 * `column`: for a column comment, the column as the target has it, and
 * `columnBefore` as the live database has it (MySQL restates the whole
 * definition to change a comment; the rollback restates the live one).
 */
export interface SetComment extends Base<'setComment'> { target: ObjectRef; before: string | null; after: string | null; column?: Column; columnBefore?: Column }

export type Change =
  | CreateSchema
  | DropSchema
  | CreateExtension
  | DropExtension
  | AlterExtension
  | CreateTable
  | DropTable
  | RenameTable
  | AlterTableOptions
  | AlterTableStorage
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumnType
  | AlterColumnNullability
  | AlterColumnDefault
  | AlterColumnVisibility
  | AlterColumnIdentity
  | AlterColumnGenerated
  | AddPrimaryKey
  | DropPrimaryKey
  | AddUnique
  | DropUnique
  | AddForeignKey
  | DropForeignKey
  | AddCheck
  | DropCheck
  | AddExclusion
  | DropExclusion
  | ValidateConstraint
  | CreateIndex
  | DropIndex
  | RenameIndex
  | RenameConstraint
  | CreateEnum
  | DropEnum
  | AddEnumValue
  | RenameEnumValue
  | ReplaceEnum
  | RenameEnum
  | CreateDomain
  | DropDomain
  | AlterDomain
  | CreateCompositeType
  | DropCompositeType
  | AlterCompositeType
  | CreateView
  | ReplaceView
  | DropView
  | RenameView
  | CreateMaterializedView
  | DropMaterializedView
  | CreateSequence
  | AlterSequence
  | DropSequence
  | CreateRoutine
  | ReplaceRoutine
  | DropRoutine
  | CreateTrigger
  | DropTrigger
  | EnableTrigger
  | DisableTrigger
  | CreateEvent
  | CreateCollation
  | DropCollation
  | CreateRule
  | DropRule
  | DropEvent
  | EnableRls
  | DisableRls
  | ForceRls
  | CreatePolicy
  | DropPolicy
  | AlterPolicy
  | GrantChange
  | RevokeChange
  | SetComment;

export type ChangeKind = Change['kind'];
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;
/** An exhaustive map over change kinds: a new kind is a compile error until every map handles it. */
export type ChangeMap<T> = { [K in ChangeKind]: T };
/** An exhaustive visitor: one handler per kind, each receiving its own change type. */
export type ChangeVisitor<R> = { [K in ChangeKind]: (change: ChangeOf<K>) => R };

export function visitChange<R>(change: Change, visitor: ChangeVisitor<R>): R {
  return (visitor[change.kind] as (c: Change) => R)(change);
}

/** Coarse category of each kind: what it does to the object it names. */
export type ChangeAction = 'create' | 'drop' | 'alter' | 'rename';

export const changeActions: ChangeMap<ChangeAction> = {
  createSchema: 'create',
  dropSchema: 'drop',
  createExtension: 'create',
  dropExtension: 'drop',
  alterExtension: 'alter',
  createTable: 'create',
  dropTable: 'drop',
  renameTable: 'rename',
  alterTableOptions: 'alter',
  alterTableStorage: 'alter',
  addColumn: 'create',
  dropColumn: 'drop',
  renameColumn: 'rename',
  alterColumnType: 'alter',
  alterColumnNullability: 'alter',
  alterColumnDefault: 'alter',
  alterColumnVisibility: 'alter',
  alterColumnIdentity: 'alter',
  alterColumnGenerated: 'alter',
  addPrimaryKey: 'create',
  dropPrimaryKey: 'drop',
  addUnique: 'create',
  dropUnique: 'drop',
  addForeignKey: 'create',
  dropForeignKey: 'drop',
  addCheck: 'create',
  dropCheck: 'drop',
  addExclusion: 'create',
  dropExclusion: 'drop',
  validateConstraint: 'alter',
  createIndex: 'create',
  dropIndex: 'drop',
  renameIndex: 'rename',
  renameConstraint: 'rename',
  createEnum: 'create',
  dropEnum: 'drop',
  addEnumValue: 'alter',
  renameEnumValue: 'rename',
  replaceEnum: 'alter',
  renameEnum: 'rename',
  createDomain: 'create',
  dropDomain: 'drop',
  alterDomain: 'alter',
  createCompositeType: 'create',
  dropCompositeType: 'drop',
  alterCompositeType: 'alter',
  createView: 'create',
  replaceView: 'alter',
  dropView: 'drop',
  renameView: 'rename',
  createMaterializedView: 'create',
  dropMaterializedView: 'drop',
  createSequence: 'create',
  alterSequence: 'alter',
  dropSequence: 'drop',
  createRoutine: 'create',
  replaceRoutine: 'alter',
  dropRoutine: 'drop',
  createTrigger: 'create',
  dropTrigger: 'drop',
  enableTrigger: 'alter',
  disableTrigger: 'alter',
  createEvent: 'create',
  createCollation: 'create',
  dropCollation: 'drop',
  createRule: 'create',
  dropRule: 'drop',
  dropEvent: 'drop',
  enableRls: 'alter',
  disableRls: 'alter',
  forceRls: 'alter',
  createPolicy: 'create',
  dropPolicy: 'drop',
  alterPolicy: 'alter',
  grant: 'alter',
  revoke: 'alter',
  setComment: 'alter',
};

/** Every change kind, in the order the diff emits them (the canonical order for reports). */
export const changeKinds = Object.keys(changeActions) as ChangeKind[];

/**
 * Kinds that can lose data when applied. A planner should class them
 * `destructive` (dropColumn loses a column's values; replaceEnum can fail or
 * lose labels). Type changes are `data-dependent`, not destructive: they never
 * recreate a table.
 */
export const destructiveKinds: ReadonlySet<ChangeKind> = new Set<ChangeKind>(['dropSchema', 'dropTable', 'dropColumn', 'dropSequence', 'dropExtension']);
