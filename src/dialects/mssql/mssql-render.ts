// T-SQL for each Change (SQL Server is render-only until a live server is
// testable): forward statements and their rollback. An exhaustive visitor over
// Change['kind'] makes a missing kind a compile error. Objects SQL Server does
// not have (RLS policies, Postgres routines, extensions) are refused with a
// clear error, never rendered wrong. Never executes anything.
import type { CheckConstraint, Column, ForeignKey, Index, Table, UniqueConstraint } from '../../catalog/types.js';
import type { Change, ChangeVisitor, ObjectRef, TableRef } from '../../diff/changes.js';
import { visitChange } from '../../diff/changes.js';
import type { RenderedChange, RenderOptions } from '../../diff/render-types.js';
import { PlumbError } from '../../errors.js';
import { mssqlSchema, mssqlType, needsJsonCheck, quoteIdent as q, quoteLiteral as lit, quoteQualified as qn, translateDefault, translateExpression as tx } from './mssql-sql.js';

const qt = (t: TableRef) => qn(t.schema, t.name);
const alter = (t: TableRef) => `ALTER TABLE ${qt(t)}`;
const r = (forward: string[], rollback: string[], extra: Partial<RenderedChange> = {}): RenderedChange => ({ forward, rollback, ...extra });

const ACTION: Record<ForeignKey['onDelete'], string> = {
  'no action': 'NO ACTION',
  // SQL Server has no RESTRICT; NO ACTION is checked at statement end, which is what RESTRICT means for single statements.
  restrict: 'NO ACTION',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

function unsupported(what: string, hint: string): never {
  throw new PlumbError('E_PLAN', `SQL Server has no ${what}`, hint);
}

/** Constraint names are per schema in SQL Server; derive stable ones for defaults and JSON checks. */
const defaultName = (t: TableRef, c: Column) => `DF_${t.name}_${c.name}`;
const jsonCheckName = (t: TableRef, c: Column) => `CK_${t.name}_${c.name}_json`;

export function columnSql(t: TableRef, c: Column, inline = true): string {
  if (c.generated) return `${q(c.name)} AS (${tx(c.generated)})${c.generatedStored === false ? '' : ' PERSISTED'}`;
  const parts = [q(c.name), mssqlType(c.type)];
  if (c.identity || c.autoIncrement) parts.push('IDENTITY(1,1)');
  parts.push(c.nullable ? 'NULL' : 'NOT NULL');
  const def = c.default !== null && !c.identity ? translateDefault(c.default) : null;
  if (def !== null) parts.push(`CONSTRAINT ${q(defaultName(t, c))} DEFAULT (${def})`);
  if (inline && needsJsonCheck(c.type)) parts.push(`CONSTRAINT ${q(jsonCheckName(t, c))} CHECK (ISJSON(${q(c.name)}) = 1)`);
  return parts.join(' ');
}

const uniqueSql = (u: UniqueConstraint) => `CONSTRAINT ${q(u.name)} UNIQUE (${u.columns.map(q).join(', ')})`;
const checkSql = (c: Pick<CheckConstraint, 'name' | 'expression'>) => `CONSTRAINT ${q(c.name)} CHECK (${tx(c.expression)})`;

function fkSql(fk: ForeignKey): string {
  let s = `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${qn(fk.references.schema, fk.references.table)} (${fk.references.columns.map(q).join(', ')})`;
  if (fk.onDelete !== 'no action') s += ` ON DELETE ${ACTION[fk.onDelete]}`;
  if (fk.onUpdate !== 'no action') s += ` ON UPDATE ${ACTION[fk.onUpdate]}`;
  return s;
}

export function createTableSql(t: Table): string {
  const ref = { schema: t.schema, name: t.name };
  const items = [...t.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => columnSql(ref, c));
  if (t.primaryKey) items.push(`CONSTRAINT ${q(t.primaryKey.name)} PRIMARY KEY (${t.primaryKey.columns.map(q).join(', ')})`);
  for (const u of t.uniques) items.push(uniqueSql(u));
  for (const c of t.checks) items.push(checkSql(c));
  if (t.exclusions.length) unsupported('exclusion constraints', `drop ${t.exclusions[0]!.path} from the SQL Server plan or enforce it in a trigger`);
  return `CREATE TABLE ${qt(ref)} (\n  ${items.join(',\n  ')}\n)`;
}

function createIndexSql(t: TableRef, ix: Index): string {
  if (ix.method && !['btree', 'hash'].includes(ix.method)) unsupported(`${ix.method} indexes`, `index ${ix.path} needs a B-tree equivalent in SQL Server`);
  const els = ix.elements.map((e) => {
    if (e.column === undefined) unsupported('expression indexes', `index ${ix.path}: add a computed column and index it instead`);
    return `${q(e.column)}${e.descending ? ' DESC' : ''}`;
  });
  let s = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${q(ix.name)} ON ${qt(t)} (${els.join(', ')})`;
  if (ix.include.length) s += ` INCLUDE (${ix.include.map(q).join(', ')})`;
  // A filtered index: SQL Server's partial index.
  if (ix.predicate) s += ` WHERE ${tx(ix.predicate)}`;
  return s;
}

const dropIndexSql = (t: TableRef, ix: Index) => `DROP INDEX ${q(ix.name)} ON ${qt(t)}`;

/** sp_rename takes a one-part new name and a quoted old path. */
const rename = (path: string, to: string, type?: 'COLUMN' | 'INDEX') => `EXEC sp_rename ${lit(path)}, ${lit(to)}${type ? `, ${lit(type)}` : ''}`;

function commentSql(target: ObjectRef, text: string | null, existed: boolean): string {
  const proc = text === null ? 'sp_dropextendedproperty' : existed ? 'sp_updateextendedproperty' : 'sp_addextendedproperty';
  const args = [`@name = N'MS_Description'`];
  if (text !== null) args.push(`@value = ${lit(text)}`);
  args.push(`@level0type = N'SCHEMA'`, `@level0name = ${lit(mssqlSchema(target.schema))}`);
  if (target.kind !== 'schema') {
    const level1 = target.kind === 'view' || target.kind === 'materializedView' ? 'VIEW' : target.kind === 'sequence' ? 'SEQUENCE' : 'TABLE';
    args.push(`@level1type = N'${level1}'`, `@level1name = ${lit(target.name)}`);
    if (target.member) args.push(`@level2type = N'${target.kind === 'column' ? 'COLUMN' : 'CONSTRAINT'}'`, `@level2name = ${lit(target.member)}`);
  }
  return `EXEC sys.${proc} ${args.join(', ')}`;
}

function grantTarget(t: ObjectRef): string {
  if (t.kind === 'schema') return `SCHEMA::${q(mssqlSchema(t.name))}`;
  return qn(t.schema, t.name);
}

const privileges = (p: string[]) => p.map((x) => x.toUpperCase()).filter((x) => x !== 'TRUNCATE' && x !== 'TRIGGER').join(', ');

function sequenceSql(s: { schema: string; name: string; type: string; start: string; increment: string; min: string; max: string; cache: string; cycle: boolean }): string {
  const type = /big/i.test(s.type) ? 'BIGINT' : /small/i.test(s.type) ? 'SMALLINT' : 'INT';
  return `CREATE SEQUENCE ${qn(s.schema, s.name)} AS ${type} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ' NO CYCLE'}`;
}

const viewSql = (v: { schema: string; name: string; definition: string }) => `CREATE VIEW ${qn(v.schema, v.name)} AS ${tx(v.definition.replace(/;\s*$/, ''))}`;

const NO_RLS = 'SQL Server row-level security uses security policies with predicate functions; declare them in T-SQL outside plumb for now';
const NO_ROUTINES = 'routines are written in a dialect-specific language; write the T-SQL version by hand and leave it out of the spec for this dialect';

/** Enums have been lowered to checks before rendering (see lowerEnums); seeing one here is a planner bug. */
const enumRefused = (): never => unsupported('enum types', 'plan with lowerEnums() first: enum columns become NVARCHAR with a CHECK constraint');

export function renderMssql(change: Change, _options: RenderOptions = {}): RenderedChange {
  const visitor: ChangeVisitor<RenderedChange> = {
    createSchema: (c) => (mssqlSchema(c.schema.name) === 'dbo' ? r([], []) : r([`CREATE SCHEMA ${q(c.schema.name)}`], [`DROP SCHEMA ${q(c.schema.name)}`])),
    dropSchema: (c) => (mssqlSchema(c.schema.name) === 'dbo' ? r([], []) : r([`DROP SCHEMA ${q(c.schema.name)}`], [`CREATE SCHEMA ${q(c.schema.name)}`])),
    // Postgres extensions (plpgsql, pgcrypto…) have no SQL Server counterpart; the functions they provide are mapped where used.
    createExtension: () => r([], []),
    alterTableOptions: (c) => unsupported(`table engines or table character sets (${c.path})`, 'state engine/charset/collation only for MySQL targets; use NVARCHAR columns (or a column COLLATE) for Unicode text'),
    dropExtension: () => r([], []),
    alterExtension: () => r([], []),
    alterTableStorage: (c) => unsupported(`UNLOGGED, storage parameters or column STORAGE (${c.path})`, 'these are Postgres table settings; leave them out of specs for SQL Server targets'),
    createTable: (c) => r([createTableSql(c.table)], [`DROP TABLE ${qt(c.table)}`]),
    dropTable: (c) => r([`DROP TABLE ${qt(c.table)}`], [createTableSql(c.table)], { lossy: true }),
    renameTable: (c) => {
      if (mssqlSchema(c.from.schema) !== mssqlSchema(c.to.schema)) unsupported('cross-schema rename in one step', 'use ALTER SCHEMA … TRANSFER, then rename');
      return r([rename(`${mssqlSchema(c.from.schema)}.${c.from.name}`, c.to.name)], [rename(`${mssqlSchema(c.to.schema)}.${c.to.name}`, c.from.name)]);
    },
    addColumn: (c) => r([`${alter(c.table)} ADD ${columnSql(c.table, c.column)}`], [`${alter(c.table)} DROP COLUMN ${q(c.column.name)}`]),
    dropColumn: (c) => r([`${alter(c.table)} DROP COLUMN ${q(c.column.name)}`], [`${alter(c.table)} ADD ${columnSql(c.table, c.column)}`], { lossy: true }),
    renameColumn: (c) => r([rename(`${mssqlSchema(c.table.schema)}.${c.table.name}.${c.from}`, c.to, 'COLUMN')], [rename(`${mssqlSchema(c.table.schema)}.${c.table.name}.${c.to}`, c.from, 'COLUMN')]),
    alterColumnType: (c) =>
      r(
        [`${alter(c.table)} ALTER COLUMN ${q(c.after.name)} ${mssqlType(c.after.type)} ${c.after.nullable ? 'NULL' : 'NOT NULL'}`],
        [`${alter(c.table)} ALTER COLUMN ${q(c.before.name)} ${mssqlType(c.before.type)} ${c.before.nullable ? 'NULL' : 'NOT NULL'}`],
      ),
    alterColumnNullability: (c) =>
      r(
        [`${alter(c.table)} ALTER COLUMN ${q(c.after.name)} ${mssqlType(c.after.type)} ${c.after.nullable ? 'NULL' : 'NOT NULL'}`],
        [`${alter(c.table)} ALTER COLUMN ${q(c.before.name)} ${mssqlType(c.before.type)} ${c.before.nullable ? 'NULL' : 'NOT NULL'}`],
      ),
    alterColumnVisibility: (c) => unsupported('invisible columns', `${c.path}: remove \`invisible\` for SQL Server targets`),
    alterColumnDefault: (c) => {
      const name = q(defaultName(c.table, c.after));
      const add = (col: Column) => {
        const d = col.default === null ? null : translateDefault(col.default);
        return d === null ? [] : [`${alter(c.table)} ADD CONSTRAINT ${name} DEFAULT (${d}) FOR ${q(col.name)}`];
      };
      const drop = (col: Column) => (col.default === null ? [] : [`${alter(c.table)} DROP CONSTRAINT ${name}`]);
      return r([...drop(c.before), ...add(c.after)], [...drop(c.after), ...add(c.before)]);
    },
    alterColumnIdentity: () => unsupported('ALTER COLUMN … IDENTITY', 'SQL Server cannot add or remove IDENTITY on an existing column; recreate the column'),
    alterColumnGenerated: () => unsupported('ALTER of a computed column expression', 'drop and re-add the computed column'),
    addPrimaryKey: (c) => r([`${alter(c.table)} ADD CONSTRAINT ${q(c.primaryKey.name)} PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.primaryKey.name)}`]),
    dropPrimaryKey: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.primaryKey.name)}`], [`${alter(c.table)} ADD CONSTRAINT ${q(c.primaryKey.name)} PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`]),
    addUnique: (c) => r([`${alter(c.table)} ADD ${uniqueSql(c.unique)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.unique.name)}`]),
    dropUnique: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.unique.name)}`], [`${alter(c.table)} ADD ${uniqueSql(c.unique)}`]),
    addForeignKey: (c) => r([`${alter(c.table)} ADD ${fkSql(c.foreignKey)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.foreignKey.name)}`]),
    dropForeignKey: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.foreignKey.name)}`], [`${alter(c.table)} ADD ${fkSql(c.foreignKey)}`]),
    addCheck: (c) => r([`${alter(c.table)} ADD ${checkSql(c.check)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.check.name)}`]),
    dropCheck: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.check.name)}`], [`${alter(c.table)} ADD ${checkSql(c.check)}`]),
    addExclusion: (c) => unsupported('exclusion constraints', `drop ${c.exclusion.path} from the SQL Server plan or enforce it in a trigger`),
    dropExclusion: (c) => unsupported('exclusion constraints', `${c.exclusion.path} cannot exist in SQL Server`),
    // Constraints are created trusted (WITH CHECK) in SQL Server; nothing left to validate.
    validateConstraint: (c) => r([`${alter(c.table)} WITH CHECK CHECK CONSTRAINT ${q(c.constraint)}`], []),
    createIndex: (c) => r([createIndexSql(c.table, c.index)], [dropIndexSql(c.table, c.index)]),
    dropIndex: (c) => r([dropIndexSql(c.table, c.index)], [createIndexSql(c.table, c.index)]),
    renameConstraint: (c) => { throw new PlumbError('E_INTERNAL', `constraints are renamed on Postgres only (${c.path})`, 'report this: the diff plans it for Postgres catalogs only'); },
    renameIndex: (c) => r([rename(`${mssqlSchema(c.table.schema)}.${c.table.name}.${c.from}`, c.index.name, 'INDEX')], [rename(`${mssqlSchema(c.table.schema)}.${c.table.name}.${c.index.name}`, c.from, 'INDEX')]),
    createEnum: enumRefused,
    dropEnum: enumRefused,
    addEnumValue: enumRefused,
    renameEnumValue: enumRefused,
    replaceEnum: enumRefused,
    renameEnum: enumRefused,
    createDomain: (c) => unsupported('domains', `replace ${c.domain.path} by its base type and a CHECK constraint`),
    dropDomain: (c) => unsupported('domains', `${c.domain.path} cannot exist in SQL Server`),
    alterDomain: (c) => unsupported('domains', `${c.after.path} cannot exist in SQL Server`),
    createCompositeType: (c) => unsupported('composite types', `flatten ${c.type.path} into columns`),
    dropCompositeType: (c) => unsupported('composite types', `${c.type.path} cannot exist in SQL Server`),
    alterCompositeType: (c) => unsupported('composite types', `${c.after.path} cannot exist in SQL Server`),
    createView: (c) => r([viewSql(c.view)], [`DROP VIEW ${qn(c.view.schema, c.view.name)}`]),
    replaceView: (c) => r([`DROP VIEW ${qn(c.before.schema, c.before.name)}`, viewSql(c.after)], [`DROP VIEW ${qn(c.after.schema, c.after.name)}`, viewSql(c.before)]),
    dropView: (c) => r([`DROP VIEW ${qn(c.view.schema, c.view.name)}`], [viewSql(c.view)]),
    renameView: (c) => r([rename(`${mssqlSchema(c.from.schema)}.${c.from.name}`, c.to.name)], [rename(`${mssqlSchema(c.to.schema)}.${c.to.name}`, c.from.name)]),
    createMaterializedView: (c) => unsupported('materialized views', `${c.view.path}: use an indexed view (WITH SCHEMABINDING + a unique clustered index), written by hand`),
    dropMaterializedView: (c) => unsupported('materialized views', `${c.view.path} cannot exist in SQL Server`),
    createSequence: (c) => r([sequenceSql({ ...c.sequence, schema: schemaOf(c.sequence.path) })], [`DROP SEQUENCE ${qn(schemaOf(c.sequence.path), c.sequence.name)}`]),
    alterSequence: (c) => {
      const s = qn(schemaOf(c.after.path), c.after.name);
      const spec = (x: typeof c.after) => `INCREMENT BY ${x.increment} MINVALUE ${x.min} MAXVALUE ${x.max} CACHE ${x.cache}${x.cycle ? ' CYCLE' : ' NO CYCLE'}`;
      return r([`ALTER SEQUENCE ${s} ${spec(c.after)}`], [`ALTER SEQUENCE ${s} ${spec(c.before)}`]);
    },
    dropSequence: (c) => r([`DROP SEQUENCE ${qn(schemaOf(c.sequence.path), c.sequence.name)}`], [sequenceSql({ ...c.sequence, schema: schemaOf(c.sequence.path) })]),
    createRoutine: (c) => unsupported(`${c.routine.language} routines`, `${c.routine.path}: ${NO_ROUTINES}`),
    replaceRoutine: (c) => unsupported(`${c.after.language} routines`, `${c.after.path}: ${NO_ROUTINES}`),
    dropRoutine: (c) => r([`DROP ${c.routine.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qn(schemaOf(c.routine.path), c.routine.name)}`], []),
    createTrigger: (c) => unsupported('Postgres-style triggers', `${c.trigger.path}: SQL Server triggers carry a T-SQL body; ${NO_ROUTINES}`),
    dropTrigger: (c) => r([`DROP TRIGGER ${qn(c.table.schema, c.trigger.name)}`], []),
    enableTrigger: (c) => r([`ENABLE TRIGGER ${q(c.trigger.name)} ON ${qt(c.table)}`], [`DISABLE TRIGGER ${q(c.trigger.name)} ON ${qt(c.table)}`]),
    disableTrigger: (c) => r([`DISABLE TRIGGER ${q(c.trigger.name)} ON ${qt(c.table)}`], [`ENABLE TRIGGER ${q(c.trigger.name)} ON ${qt(c.table)}`]),
    createCollation: (c) => unsupported('collations', `${c.collation.path}: SQL Server collations come with the server`),
    dropCollation: () => r([], []),
    createRule: (c) => unsupported('rewrite rules', `${c.rule.path}: use a trigger`),
    dropRule: (c) => unsupported('rewrite rules', `${c.rule.path}: use a trigger`),
    createEvent: (c) => unsupported('scheduled events', `${c.event.path}: schedule it with SQL Server Agent`),
    dropEvent: () => r([], []),
    enableRls: () => unsupported('ALTER TABLE … ENABLE ROW LEVEL SECURITY', NO_RLS),
    disableRls: () => unsupported('ALTER TABLE … DISABLE ROW LEVEL SECURITY', NO_RLS),
    forceRls: () => unsupported('FORCE ROW LEVEL SECURITY', NO_RLS),
    createPolicy: () => unsupported('CREATE POLICY', NO_RLS),
    dropPolicy: () => unsupported('DROP POLICY', NO_RLS),
    alterPolicy: () => unsupported('ALTER POLICY', NO_RLS),
    grant: (c) => r([`GRANT ${privileges(c.grant.privileges)} ON ${grantTarget(c.target)} TO ${q(c.grant.grantee)}`], [`REVOKE ${privileges(c.grant.privileges)} ON ${grantTarget(c.target)} FROM ${q(c.grant.grantee)}`]),
    revoke: (c) => r([`REVOKE ${privileges(c.grant.privileges)} ON ${grantTarget(c.target)} FROM ${q(c.grant.grantee)}`], [`GRANT ${privileges(c.grant.privileges)} ON ${grantTarget(c.target)} TO ${q(c.grant.grantee)}`]),
    setComment: (c) => r([commentSql(c.target, c.after, c.before !== null)], [commentSql(c.target, c.before, c.after !== null)]),
  };
  return visitChange(change, visitor);
}

function schemaOf(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot).replace(/^"(.*)"$/, '$1');
}
