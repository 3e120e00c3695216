// MySQL/MariaDB DDL for each Change, with the rollback SQL for every step
// (MySQL commits each DDL statement itself, so the apply journal — not a
// transaction — is what makes a step undoable). Exhaustive over
// Change['kind']: kinds MySQL cannot have raise a PlumbError with a hint.
// Never executes anything.
import type { Column, ForeignKey, Grant, Index, Routine, ScheduledEvent, Table, Trigger, View } from '../../catalog/types.js';
import { splitPath } from '../../catalog/paths.js';
import type { AlterTableOptions, Change, ChangeVisitor, ObjectRef, StorageOptions, TableRef } from '../../diff/changes.js';
import type { RenderedChange, RenderOptions } from '../../diff/render-types.js';
import { PlumbError } from '../../errors.js';
import { quoteIdent as q, quoteLiteral as lit } from './mysql-dialect.js';
import { mysqlExpression as x } from './mysql-expressions.js';
import { charsetOfCollation } from './mysql-introspector.js';
import { mysqlTypeSql } from './mysql-render-types.js';

/** The conversion seed 000's phase 6 generates by hand. */
export const UTF8MB4_CHARSET = 'utf8mb4';
export const UTF8MB4_COLLATION = 'utf8mb4_unicode_ci';

const qn = (schema: string, name: string) => `${q(schema)}.${q(name)}`;
const qt = (t: TableRef) => qn(t.schema, t.name);
const alter = (t: TableRef) => `ALTER TABLE ${qt(t)}`;
/** ` AFTER col` / ` FIRST` where the column's place is given; nothing (the end) otherwise. */
const placement = (after: string | null | undefined) => (after === undefined ? '' : after === null ? ' FIRST' : ` AFTER ${q(after)}`);

const ACTION_SQL: Record<ForeignKey['onDelete'], string> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

/** Literal defaults stay bare; CURRENT_TIMESTAMP stays bare; any other expression needs parentheses (MySQL 8.0.13+, MariaDB 10.2+). */
export function mysqlDefaultSql(def: string): string {
  const d = x(def.trim()).trim().replace(/::[a-z_ ]+(\(\d+(,\d+)?\))?(\[\])?$/i, '');
  if (/^'(?:[^']|'')*'$/.test(d) || /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(d) || /^(NULL|TRUE|FALSE)$/i.test(d) || /^b'[01]*'$/i.test(d) || /^x'[0-9a-f]*'$/i.test(d)) return d;
  if (/^(current_timestamp|now|localtime|localtimestamp)(\s*\(\s*\d*\s*\))?$/i.test(d)) return d;
  if (d.startsWith('(') && d.endsWith(')')) return d;
  return `(${d})`;
}

export function mysqlColumnSql(c: Column, where = ''): string {
  const type = mysqlTypeSql(c.type, ` in column ${c.name}${where}`);
  const parts = [q(c.name), type];
  // TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP is refused: the function's precision must match the column's.
  const fsp = /^(?:DATETIME|TIMESTAMP)\((\d)\)/i.exec(type)?.[1];
  const now = (e: string) => (fsp && fsp !== '0' && /^(current_timestamp|now|localtimestamp)(\s*\(\s*\))?$/i.test(e.trim()) ? `CURRENT_TIMESTAMP(${fsp})` : e);
  if (c.charset) parts.push(`CHARACTER SET ${c.charset}`);
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${x(c.generated)}) ${c.generatedStored ? 'STORED' : 'VIRTUAL'}`);
  else {
    parts.push(c.nullable ? 'NULL' : 'NOT NULL');
    if (c.default !== null) parts.push(`DEFAULT ${now(mysqlDefaultSql(c.default))}`);
    if (c.onUpdate) parts.push(`ON UPDATE ${now(c.onUpdate)}`);
    if (c.autoIncrement || c.identity) parts.push('AUTO_INCREMENT');
  }
  if (c.invisible) parts.push('INVISIBLE');
  if (c.comment !== null) parts.push(`COMMENT ${lit(c.comment)}`);
  return parts.join(' ');
}

function fkSql(fk: ForeignKey): string {
  let s = `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${qn(fk.references.schema, fk.references.table)} (${fk.references.columns.map(q).join(', ')})`;
  if (fk.onDelete !== 'no action') s += ` ON DELETE ${ACTION_SQL[fk.onDelete]}`;
  if (fk.onUpdate !== 'no action') s += ` ON UPDATE ${ACTION_SQL[fk.onUpdate]}`;
  return s;
}

const checkSql = (c: { name: string; expression: string }) => `CONSTRAINT ${q(c.name)} CHECK (${x(c.expression)})`;
const uniqueSql = (u: { name: string; columns: string[] }) => `CONSTRAINT ${q(u.name)} UNIQUE (${u.columns.map(q).join(', ')})`;

function indexElements(idx: Index): string {
  return idx.elements
    .map((e) => {
      let s = e.column !== undefined ? q(e.column) : `(${x(e.expression ?? '')})`;
      if (e.prefixLength !== undefined) s += `(${e.prefixLength})`;
      if (e.descending) s += ' DESC';
      return s;
    })
    .join(', ');
}

/** `FULLTEXT `, `SPATIAL `, `UNIQUE ` or nothing; the (elements) with USING and COMMENT as SHOW CREATE TABLE has them. */
function indexParts(idx: Index): { kind: string; body: string } {
  if (idx.predicate) throw new PlumbError('E_PLAN', `MySQL has no partial indexes (${idx.name} WHERE ${idx.predicate})`, 'drop the WHERE clause, or index a generated column that is NULL outside the predicate');
  if (idx.include.length) throw new PlumbError('E_PLAN', `MySQL has no INCLUDE columns (index ${idx.name})`, 'add the columns to the index key instead');
  const kind = idx.method === 'fulltext' ? 'FULLTEXT ' : idx.method === 'spatial' ? 'SPATIAL ' : idx.unique ? 'UNIQUE ' : '';
  // Only a stated method is spelled out: unstated, each engine picks its own (MEMORY: HASH, InnoDB: BTREE).
  const using = idx.explicitMethod && (idx.method === 'btree' || idx.method === 'hash') ? ` USING ${idx.method.toUpperCase()}` : '';
  return { kind, body: `(${indexElements(idx)})${using}${idx.comment ? ` COMMENT ${lit(idx.comment)}` : ''}` };
}

export function mysqlCreateIndexSql(t: TableRef, idx: Index): string {
  const { kind, body } = indexParts(idx);
  return `CREATE ${kind}INDEX ${q(idx.name)} ON ${qt(t)} ${body}`;
}

/** Keys in the order they were created (MySQL keeps it within each kind of key), then by name. */
const byPosition = (a: Index, b: Index) => (a.position ?? Infinity) - (b.position ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const dropIndexSql = (t: TableRef, idx: Index) => `DROP INDEX ${q(idx.name)} ON ${qt(t)}`;

function tableOptionsSql(t: Table): string {
  const o = t.options ?? {};
  const parts = [`ENGINE=${o.engine ?? 'InnoDB'}`, `DEFAULT CHARSET=${o.charset ?? UTF8MB4_CHARSET}`, `COLLATE=${o.collation ?? (o.charset && o.charset !== UTF8MB4_CHARSET ? `${o.charset}_general_ci` : UTF8MB4_COLLATION)}`];
  if (o.rowFormat) parts.push(`ROW_FORMAT=${o.rowFormat}`);
  if (t.comment !== null) parts.push(`COMMENT=${lit(t.comment)}`);
  return parts.join(' ');
}

/**
 * CREATE TABLE with its primary key and unique keys inline (AUTO_INCREMENT
 * needs its key in the same statement) and, with `withIndexes`, every other
 * index too, in the order the keys were created: one statement builds the
 * table as SHOW CREATE TABLE shows it.
 */
export function mysqlCreateTableSql(t: Table, withIndexes = false): string {
  const ref = { schema: t.schema, name: t.name };
  const items = [...t.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => mysqlColumnSql(c, ` of ${t.path}`));
  // Keys take their elements from the index behind them when there is one: prefix lengths and a stated USING.
  const keyIndex = (name: string) => t.indexes.find((i) => i.constraint === name && i.name === name);
  const keySql = (name: string, columns: string[]) => {
    const idx = keyIndex(name);
    return idx ? indexParts(idx).body : `(${columns.map(q).join(', ')})`;
  };
  if (t.primaryKey) items.push(`PRIMARY KEY ${keySql(t.primaryKey.name, t.primaryKey.columns)}`);
  const position = (name: string) => keyIndex(name)?.position ?? Infinity;
  for (const u of [...t.uniques].sort((a, b) => position(a.name) - position(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) items.push(`CONSTRAINT ${q(u.name)} UNIQUE ${keySql(u.name, u.columns)}`);
  if (withIndexes) {
    for (const idx of t.indexes.filter((i) => !i.constraint).sort(byPosition)) {
      const { kind, body } = indexParts(idx);
      items.push(`${kind}KEY ${q(idx.name)} ${body}`);
    }
  }
  for (const c of t.checks) items.push(checkSql(c));
  if (t.exclusions.length) throw new PlumbError('E_PLAN', `MySQL has no exclusion constraints (${t.exclusions[0]!.name} on ${t.path})`, 'enforce it with a unique key or a trigger instead');
  return `CREATE TABLE ${qt(ref)} (\n  ${items.join(',\n  ')}\n) ${tableOptionsSql(t)}`;
}

function recreateTableSql(t: Table): string[] {
  const ref = { schema: t.schema, name: t.name };
  const out = [mysqlCreateTableSql(t)];
  for (const i of t.indexes.filter((x) => !x.constraint).sort(byPosition)) out.push(mysqlCreateIndexSql(ref, i));
  for (const fk of t.foreignKeys) out.push(`${alter(ref)} ADD ${fkSql(fk)}`);
  for (const tr of t.triggers) out.push(createTriggerSql(ref, tr));
  for (const g of t.grants) out.push(grantSql({ kind: 'table', schema: t.schema, name: t.name }, g));
  return out;
}

function createTriggerSql(t: TableRef, tr: Trigger): string {
  if (!tr.body) throw new PlumbError('E_PLAN', `trigger ${tr.name} has no inline body`, 'MySQL triggers carry their statements inline (FOR EACH ROW …); they cannot call a function');
  if (tr.events.length !== 1) throw new PlumbError('E_PLAN', `MySQL triggers fire on one event (${tr.name}: ${tr.events.join(', ')})`, 'split the trigger into one per event');
  if (tr.timing === 'instead of') throw new PlumbError('E_PLAN', `MySQL has no INSTEAD OF triggers (${tr.name})`, 'make the view updatable, or write through the base table');
  return `CREATE TRIGGER ${qn(t.schema, tr.name)} ${tr.timing.toUpperCase()} ${tr.events[0]!.toUpperCase()} ON ${qt(t)} FOR EACH ROW ${tr.body}`;
}

const dropTriggerSql = (t: TableRef, tr: Trigger) => `DROP TRIGGER ${qn(t.schema, tr.name)}`;

function viewSql(v: View, replace: boolean): string {
  const body = x(v.definition.trim().replace(/;\s*$/, ''));
  const security = v.securityInvoker ? ' SQL SECURITY INVOKER' : '';
  const check = v.checkOption ? ` WITH ${v.checkOption.toUpperCase()} CHECK OPTION` : '';
  return `CREATE ${replace ? 'OR REPLACE ' : ''}${security ? `${security.trim()} ` : ''}VIEW ${qn(v.schema, v.name)} AS ${body}${check}`;
}

const schemaOfPath = (path: string) => splitPath(path.slice(0, path.includes('(') ? path.lastIndexOf('(') : path.length))[0]!;

export function mysqlRoutineSql(r: Routine): string {
  const schema = schemaOfPath(r.path);
  const def = r.definition.trim();
  if (/^CREATE\b/i.test(def)) return def;
  const kind = r.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
  if (r.kind !== 'procedure' && r.kind !== 'function') throw new PlumbError('E_PLAN', `MySQL has no ${r.kind} routines (${r.path})`, 'write it as a function');
  const parts = [`CREATE ${kind} ${qn(schema, r.name)}(${r.arguments})`];
  if (r.kind === 'function') parts.push(`RETURNS ${r.returns ?? 'TEXT'}`);
  if (r.comment !== null) parts.push(`COMMENT ${lit(r.comment)}`);
  if (r.kind === 'function' || r.volatility) parts.push(r.volatility === 'immutable' ? 'DETERMINISTIC' : 'NOT DETERMINISTIC');
  parts.push(`SQL SECURITY ${r.securityDefiner ? 'DEFINER' : 'INVOKER'}`);
  parts.push(def);
  return parts.join('\n');
}

const dropRoutineSql = (r: Routine) => `DROP ${r.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qn(schemaOfPath(r.path), r.name)}`;

export function mysqlEventSql(schema: string, e: ScheduledEvent): string {
  const parts = [`CREATE EVENT ${qn(schema, e.name)} ON SCHEDULE ${e.schedule}`, 'ON COMPLETION PRESERVE', e.enabled ? 'ENABLE' : 'DISABLE'];
  if (e.comment !== null) parts.push(`COMMENT ${lit(e.comment)}`);
  parts.push(`DO ${e.definition}`);
  return parts.join(' ');
}

/** `'user'@'host'` grantees pass through; a bare name becomes `'name'@'%'`. */
function granteeSql(g: string): string {
  if (/^'.*'@'.*'$/.test(g)) return g;
  const at = g.lastIndexOf('@');
  return at > 0 ? `${lit(g.slice(0, at))}@${lit(g.slice(at + 1))}` : `${lit(g)}@'%'`;
}

function grantTarget(o: ObjectRef): string {
  switch (o.kind) {
    case 'table':
    case 'view':
      return qn(o.schema, o.name);
    case 'schema':
      return `${q(o.name)}.*`;
    case 'routine':
      return `${o.routineKind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qn(o.schema, o.name)}`;
    default:
      throw new PlumbError('E_PLAN', `MySQL cannot grant on a ${o.kind}`, 'grant on the table, view, database or routine instead');
  }
}

const grantSql = (o: ObjectRef, g: Grant) => `GRANT ${g.privileges.join(', ')} ON ${grantTarget(o)} TO ${granteeSql(g.grantee)}${g.grantable ? ' WITH GRANT OPTION' : ''}`;
const revokeSql = (o: ObjectRef, g: Grant) => `REVOKE ${g.privileges.join(', ')} ON ${grantTarget(o)} FROM ${granteeSql(g.grantee)}`;

/** ALTER TABLE … CONVERT TO CHARACTER SET: the utf8mb4 conversion (re-encodes every text column). */
export function convertCharsetSql(t: TableRef, charset = UTF8MB4_CHARSET, collation = UTF8MB4_COLLATION): string {
  return `${alter(t)} CONVERT TO CHARACTER SET ${charset} COLLATE ${collation}`;
}

/** `ENGINE=…` and/or `CONVERT TO CHARACTER SET … COLLATE …` for the options being changed. */
function storageOptionsSql(o: StorageOptions): string[] {
  for (const v of [o.engine, o.charset, o.collation, o.rowFormat]) if (v !== undefined && !/^\w+$/.test(v)) throw new PlumbError('E_PLAN', `not a MySQL engine, charset or collation name: ${v}`, 'use a name such as InnoDB, utf8mb4 or utf8mb4_unicode_ci');
  const parts: string[] = [];
  if (o.engine) parts.push(`ENGINE=${o.engine}`);
  if (o.rowFormat) parts.push(`ROW_FORMAT=${o.rowFormat}`);
  const charset = o.charset ?? charsetOfCollation(o.collation);
  if (charset) parts.push(`CONVERT TO CHARACTER SET ${charset}${o.collation ? ` COLLATE ${o.collation}` : ''}`);
  return parts;
}

/**
 * MyISAM → InnoDB and latin1 → utf8mb4 as one table rebuild. CONVERT TO
 * widens TEXT to MEDIUMTEXT (to keep as many characters) and overrides a
 * column's own charset. The change is about encoding, not types: the same
 * statement restates TEXT-family columns with their own type (strict
 * sql_mode refuses, never truncates, a value that no longer fits; the plan's
 * pre-check counts those rows first), and the rollback converts back, then
 * restates every column the conversion touched as it was.
 */
function alterTableOptionsSql(c: AlterTableOptions): RenderedChange {
  const converts = c.after.charset !== undefined || c.after.collation !== undefined;
  const textFamily = converts ? c.columns.filter((col) => col.type.kind === 'text') : [];
  const keepType = textFamily.map((col) => `MODIFY COLUMN ${mysqlColumnSql({ ...col, charset: null, collation: null })}`);
  const forward = [`${alter(c.table)} ${[...storageOptionsSql(c.after), ...keepType].join(', ')}`];
  const rollback = [`${alter(c.table)} ${storageOptionsSql(c.before).join(', ')}`];
  const restate = converts ? c.columns.filter((col) => col.charset || col.collation || col.type.kind === 'text') : [];
  if (restate.length) rollback.push(`${alter(c.table)} ${restate.map((col) => `MODIFY COLUMN ${mysqlColumnSql(col)}`).join(', ')}`);
  return r(forward, rollback);
}

function unsupported(what: string, hint: string): never {
  throw new PlumbError('E_PLAN', `MySQL/MariaDB has no ${what}`, hint);
}

const r = (forward: string[], rollback: string[], extra: Partial<RenderedChange> = {}): RenderedChange => ({ forward, rollback, ...extra });

/** A type change the way back cannot undo: another kind (values are converted and rounded), or a shorter length / smaller precision. */
/** Integer kinds by width, and floating ones: a change up this order keeps every value. */
const INTEGER_WIDTH: Record<string, number> = { bool: 0, tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 5 };
const FLOAT_WIDTH: Record<string, number> = { real: 1, double: 2 };

function narrows(from: Column, to: Column): boolean {
  const a = from.type;
  const b = to.type;
  const ia = INTEGER_WIDTH[a.kind];
  const ib = INTEGER_WIDTH[b.kind];
  // int(11) → bigint(20): display widths hold no values. Signed → unsigned loses negatives; unsigned → signed needs a wider type.
  if (ia !== undefined && ib !== undefined) return !!a.unsigned === !!b.unsigned ? ib < ia : a.unsigned ? ib <= ia : true;
  if (FLOAT_WIDTH[a.kind] !== undefined && FLOAT_WIDTH[b.kind] !== undefined) return FLOAT_WIDTH[b.kind]! < FLOAT_WIDTH[a.kind]!;
  if (a.kind !== b.kind) return true;
  const less = (x?: number, y?: number) => x !== undefined && (y === undefined ? false : y < x);
  return less(a.length, b.length) || less(a.precision, b.precision) || less(a.scale, b.scale) || (!!b.labels && !!a.labels && a.labels.some((l) => !b.labels!.includes(l)));
}
const modify = (t: TableRef, c: Column) => `${alter(t)} MODIFY COLUMN ${mysqlColumnSql(c)}`;
/**
 * MODIFY has no USING: a declared conversion (`using`, Postgres `::type` casts
 * dropped) rewrites the values first, while the old type still holds them —
 * seed 000's Phase 3.1 UPDATE before its MODIFY of the status ENUM.
 */
const convertWith = (t: TableRef, column: string, using: string | null) => (using ? [`UPDATE ${qt(t)} SET ${q(column)} = ${x(using)}`] : []);

/**
 * Comments in MySQL are part of an object's definition; tables, databases,
 * routines and events can change theirs alone, a column restates its whole
 * definition (MODIFY COLUMN: no COMMENT clause removes the comment).
 */
function commentSql(o: ObjectRef, text: string | null, column?: Column): string[] {
  const body = lit(text ?? '');
  switch (o.kind) {
    case 'column':
      if (column) return [modify({ schema: o.schema, name: o.name }, { ...column, comment: text })];
      break;
    case 'table':
      return [`${alter({ schema: o.schema, name: o.name })} COMMENT = ${body}`];
    case 'schema':
      return [`ALTER DATABASE ${q(o.name)} COMMENT = ${body}`];
    case 'routine':
      return [`ALTER ${o.routineKind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qn(o.schema, o.name)} COMMENT ${body}`];
    case 'event':
      return [`ALTER EVENT ${qn(o.schema, o.name)} COMMENT ${body}`];
    default:
      break;
  }
  throw new PlumbError(
    'E_PLAN',
    `MySQL cannot change the comment of a ${o.kind} on its own (${o.schema}.${o.name}${o.member ? '.' + o.member : ''})`,
    o.kind === 'column' ? 'a column comment is restated with the whole column: diff the catalogs again so the change carries the column' : 'MySQL keeps comments only on databases, tables, columns, routines and events: drop this comment from the spec',
  );
}

const renderers: ChangeVisitor<RenderedChange> = {
  createSchema: (c) => r([`CREATE DATABASE ${q(c.schema.name)} CHARACTER SET ${UTF8MB4_CHARSET} COLLATE ${UTF8MB4_COLLATION}`], [`DROP DATABASE ${q(c.schema.name)}`]),
  dropSchema: (c) => r([`DROP DATABASE ${q(c.schema.name)}`], [`CREATE DATABASE ${q(c.schema.name)} CHARACTER SET ${UTF8MB4_CHARSET} COLLATE ${UTF8MB4_COLLATION}`], { lossy: true }),
  createExtension: (c) => unsupported(`extensions (${c.extension.name})`, 'remove the extension from the spec for MySQL targets'),
  alterExtension: (c) => unsupported(`extensions (${c.extension.name})`, 'remove the extension from the spec for MySQL targets'),
  dropExtension: (c) => unsupported(`extensions (${c.extension.name})`, 'remove the extension from the spec for MySQL targets'),
  createTable: (c) => r([mysqlCreateTableSql(c.table)], [`DROP TABLE ${qt(c.table)}`]),
  dropTable: (c) => r([`DROP TABLE ${qt(c.table)}`], recreateTableSql(c.table), { lossy: true }),
  renameTable: (c) => r([`RENAME TABLE ${qt(c.from)} TO ${qt(c.to)}`], [`RENAME TABLE ${qt(c.to)} TO ${qt(c.from)}`]),
  alterTableOptions: (c) => alterTableOptionsSql(c),
  alterTableStorage: (c) => unsupported(`UNLOGGED, storage parameters or column STORAGE (${c.path})`, 'these are Postgres table settings; leave them out of specs for MySQL targets'),
  addColumn: (c) => r([`${alter(c.table)} ADD COLUMN ${mysqlColumnSql(c.column)}${placement(c.after)}`], [`${alter(c.table)} DROP COLUMN ${q(c.column.name)}`]),
  dropColumn: (c) => r([`${alter(c.table)} DROP COLUMN ${q(c.column.name)}`], [`${alter(c.table)} ADD COLUMN ${mysqlColumnSql(c.column)}${placement(c.after)}`], { lossy: true }),
  renameColumn: (c) => r([`${alter(c.table)} RENAME COLUMN ${q(c.from)} TO ${q(c.to)}`], [`${alter(c.table)} RENAME COLUMN ${q(c.to)} TO ${q(c.from)}`]),
  // MODIFY converts in place with MySQL's own casts (strict sql_mode refuses values that do not fit).
  alterColumnType: (c) => r([...convertWith(c.table, c.before.name, c.using), modify(c.table, c.after)], [...convertWith(c.table, c.after.name, c.rollbackUsing), modify(c.table, c.before)], { lossy: narrows(c.before, c.after) }),
  alterColumnNullability: (c) => r([modify(c.table, c.after)], [modify(c.table, c.before)]),
  alterColumnDefault: (c) => r([modify(c.table, c.after)], [modify(c.table, c.before)]),
  alterColumnVisibility: (c) => r([modify(c.table, c.after)], [modify(c.table, c.before)]),
  alterColumnIdentity: (c) => r([modify(c.table, c.after)], [modify(c.table, c.before)]),
  alterColumnGenerated: (c) => {
    // MySQL cannot turn a stored column into a generated one in place: drop and add (generated values are recomputed).
    const swap = (from: Column, to: Column) => (!!from.generated !== !!to.generated || from.generatedStored !== to.generatedStored ? [`${alter(c.table)} DROP COLUMN ${q(from.name)}, ADD COLUMN ${mysqlColumnSql(to)}`] : [modify(c.table, to)]);
    return r(swap(c.before, c.after), swap(c.after, c.before), { lossy: !c.before.generated || !c.after.generated });
  },
  addPrimaryKey: (c) => r([`${alter(c.table)} ADD PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`], [`${alter(c.table)} DROP PRIMARY KEY`]),
  dropPrimaryKey: (c) => r([`${alter(c.table)} DROP PRIMARY KEY`], [`${alter(c.table)} ADD PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`]),
  addUnique: (c) => r([`${alter(c.table)} ADD ${uniqueSql(c.unique)}`], [`${alter(c.table)} DROP INDEX ${q(c.unique.name)}`]),
  dropUnique: (c) => r([`${alter(c.table)} DROP INDEX ${q(c.unique.name)}`], [`${alter(c.table)} ADD ${uniqueSql(c.unique)}`]),
  addForeignKey: (c) => r([`${alter(c.table)} ADD ${fkSql(c.foreignKey)}`], [`${alter(c.table)} DROP FOREIGN KEY ${q(c.foreignKey.name)}`]),
  dropForeignKey: (c) => r([`${alter(c.table)} DROP FOREIGN KEY ${q(c.foreignKey.name)}`], [`${alter(c.table)} ADD ${fkSql(c.foreignKey)}`]),
  addCheck: (c) => r([`${alter(c.table)} ADD ${checkSql(c.check)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.check.name)}`]),
  dropCheck: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.check.name)}`], [`${alter(c.table)} ADD ${checkSql(c.check)}`]),
  addExclusion: (c) => unsupported(`exclusion constraints (${c.exclusion.name})`, 'enforce it with a unique key or a trigger instead'),
  dropExclusion: (c) => unsupported(`exclusion constraints (${c.exclusion.name})`, 'remove it from the catalog you compare against'),
  // MySQL validates every constraint when it is added: nothing left to do.
  validateConstraint: () => r([], []),
  createIndex: (c) => r([mysqlCreateIndexSql(c.table, c.index)], [dropIndexSql(c.table, c.index)]),
  dropIndex: (c) => r([dropIndexSql(c.table, c.index)], [mysqlCreateIndexSql(c.table, c.index)]),
  renameConstraint: (c) => { throw new PlumbError('E_INTERNAL', `constraints are renamed on Postgres only (${c.path})`, 'report this: the diff plans it for Postgres catalogs only'); },
  renameIndex: (c) => r([`${alter(c.table)} RENAME INDEX ${q(c.from)} TO ${q(c.index.name)}`], [`${alter(c.table)} RENAME INDEX ${q(c.index.name)} TO ${q(c.from)}`]),
  // MySQL enums are column types, not schema objects: creating or dropping the named type is a no-op; columns carry the labels.
  createEnum: () => r([], []),
  dropEnum: () => r([], []),
  renameEnum: () => r([], []),
  addEnumValue: (c) => unsupported(`named enum types (${c.enum.name})`, 'MySQL enums are column types: change the column (ENUM(…) labels) and plumb emits MODIFY COLUMN'),
  renameEnumValue: (c) => unsupported(`named enum types (${c.enum.name})`, 'MySQL enums are column types: change the column (ENUM(…) labels) and plumb emits MODIFY COLUMN'),
  replaceEnum: (c) => unsupported(`named enum types (${c.after.name})`, 'MySQL enums are column types: change the column (ENUM(…) labels) and plumb emits MODIFY COLUMN'),
  createDomain: (c) => unsupported(`domains (${c.domain.name})`, 'use the base type with a CHECK constraint on each column'),
  dropDomain: (c) => unsupported(`domains (${c.domain.name})`, 'use the base type with a CHECK constraint on each column'),
  alterDomain: (c) => unsupported(`domains (${c.after.name})`, 'use the base type with a CHECK constraint on each column'),
  createCompositeType: (c) => unsupported(`composite types (${c.type.name})`, 'use a JSON column or a table'),
  dropCompositeType: (c) => unsupported(`composite types (${c.type.name})`, 'use a JSON column or a table'),
  alterCompositeType: (c) => unsupported(`composite types (${c.after.name})`, 'use a JSON column or a table'),
  createView: (c) => r([viewSql(c.view, false)], [`DROP VIEW ${qn(c.view.schema, c.view.name)}`]),
  replaceView: (c) => r([viewSql(c.after, true)], [viewSql(c.before, true)]),
  dropView: (c) => r([`DROP VIEW ${qn(c.view.schema, c.view.name)}`], [viewSql(c.view, false)]),
  renameView: (c) => r([`RENAME TABLE ${qt(c.from)} TO ${qt(c.to)}`], [`RENAME TABLE ${qt(c.to)} TO ${qt(c.from)}`]),
  createMaterializedView: (c) => unsupported(`materialized views (${c.view.name})`, 'use a plain view, or a table refreshed by the application'),
  dropMaterializedView: (c) => unsupported(`materialized views (${c.view.name})`, 'use a plain view, or a table refreshed by the application'),
  createSequence: (c) => unsupported(`sequences plumb manages (${c.sequence.name})`, 'use AUTO_INCREMENT columns'),
  alterSequence: (c) => unsupported(`sequences plumb manages (${c.after.name})`, 'use AUTO_INCREMENT columns'),
  dropSequence: (c) => unsupported(`sequences plumb manages (${c.sequence.name})`, 'use AUTO_INCREMENT columns'),
  createRoutine: (c) => r([mysqlRoutineSql(c.routine)], [dropRoutineSql(c.routine)]),
  // MySQL has no CREATE OR REPLACE PROCEDURE before MariaDB 10.1.3 / never on MySQL: drop and create.
  replaceRoutine: (c) => r([dropRoutineSql(c.before), mysqlRoutineSql(c.after)], [dropRoutineSql(c.after), mysqlRoutineSql(c.before)]),
  dropRoutine: (c) => r([dropRoutineSql(c.routine)], [mysqlRoutineSql(c.routine)]),
  createTrigger: (c) => r([createTriggerSql(c.table, c.trigger)], [dropTriggerSql(c.table, c.trigger)]),
  dropTrigger: (c) => r([dropTriggerSql(c.table, c.trigger)], [createTriggerSql(c.table, c.trigger)]),
  enableTrigger: (c) => unsupported(`disabled triggers (${c.trigger.name})`, 'MySQL triggers are always enabled: drop the trigger instead'),
  disableTrigger: (c) => unsupported(`disabled triggers (${c.trigger.name})`, 'MySQL triggers are always enabled: drop the trigger instead'),
  createCollation: (c) => unsupported(`collations (${c.collation.path})`, 'MySQL collations come with the server: name one on the column or table'),
  dropCollation: (c) => unsupported(`collations (${c.collation.path})`, 'MySQL collations come with the server'),
  createRule: (c) => unsupported(`rewrite rules (${c.rule.path})`, 'use a trigger'),
  dropRule: (c) => unsupported(`rewrite rules (${c.rule.path})`, 'use a trigger'),
  createEvent: (c) => r([mysqlEventSql(c.schema, c.event)], [`DROP EVENT ${qn(c.schema, c.event.name)}`]),
  // The seeds' "hidden automations": disable first in the journal so an interrupted drop never leaves it running.
  dropEvent: (c) => r([`ALTER EVENT ${qn(c.schema, c.event.name)} DISABLE`, `DROP EVENT ${qn(c.schema, c.event.name)}`], [mysqlEventSql(c.schema, c.event)]),
  enableRls: (c) => unsupported(`row-level security (${c.path})`, 'use views with SQL SECURITY DEFINER and grants, or enforce access in the application'),
  disableRls: (c) => unsupported(`row-level security (${c.path})`, 'use views with SQL SECURITY DEFINER and grants, or enforce access in the application'),
  forceRls: (c) => unsupported(`row-level security (${c.path})`, 'use views with SQL SECURITY DEFINER and grants, or enforce access in the application'),
  createPolicy: (c) => unsupported(`row-level security policies (${c.policy.name})`, 'use views with SQL SECURITY DEFINER and grants'),
  dropPolicy: (c) => unsupported(`row-level security policies (${c.policy.name})`, 'use views with SQL SECURITY DEFINER and grants'),
  alterPolicy: (c) => unsupported(`row-level security policies (${c.after.name})`, 'use views with SQL SECURITY DEFINER and grants'),
  grant: (c) => r([grantSql(c.target, c.grant)], [revokeSql(c.target, c.grant)]),
  revoke: (c) => r([revokeSql(c.target, c.grant)], [grantSql(c.target, c.grant)]),
  setComment: (c) => r(commentSql(c.target, c.after, c.column), commentSql(c.target, c.before, c.columnBefore ?? c.column)),
};

/** Forward and rollback SQL for one change (options: MySQL has no NOT VALID and no CONCURRENTLY; both are ignored). */
export function renderMysqlChange(change: Change, _options: RenderOptions = {}): RenderedChange {
  return (renderers[change.kind] as (c: Change) => RenderedChange)(change);
}

export const mysqlRenderedKinds = Object.keys(renderers);
