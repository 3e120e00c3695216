// SQLite DDL for each Change. What SQLite can ALTER directly (add/rename/drop
// a plain column, rename a table, indexes, views, triggers) is one statement;
// everything else is the official 12-step table rebuild
// (https://www.sqlite.org/lang_altertable.html#otheralter): create the new
// shape, copy, drop, rename, recreate indexes and triggers, then
// `PRAGMA foreign_key_check` must be empty before the transaction commits.
// A rebuild needs the table's current definition: renderSqliteChanges tracks
// it through a whole plan; renderSqliteChange takes it from options.catalog.
// Exhaustive over Change['kind']. Never executes anything.
import type { Catalog, Column, ColumnType, ForeignKey, Index, Table, Trigger, View } from '../../catalog/types.js';
import type { Change, ChangeVisitor, TableRef } from '../../diff/changes.js';
import type { RenderedChange, RenderOptions } from '../../diff/render-types.js';
import { PlumbError } from '../../errors.js';
import { quoteIdent as q } from './sqlite-dialect.js';
import { normalizeSqliteType, sqliteAffinity } from './sqlite-types.js';

export interface SqliteRenderOptions extends RenderOptions {
  /** The catalog the change applies to: a rebuild reads the table's current definition from it. */
  catalog?: Catalog;
}

const qt = (t: TableRef) => `${q(t.schema)}.${q(t.name)}`;
const key = (t: TableRef) => `${t.schema}\u0000${t.name}`;

const ACTION_SQL: Record<ForeignKey['onDelete'], string> = { 'no action': 'NO ACTION', restrict: 'RESTRICT', cascade: 'CASCADE', 'set null': 'SET NULL', 'set default': 'SET DEFAULT' };
const STRICT_TYPES: Record<ReturnType<typeof sqliteAffinity>, string> = { INTEGER: 'INTEGER', TEXT: 'TEXT', BLOB: 'BLOB', REAL: 'REAL', NUMERIC: 'ANY' };

/** Declared type text: SQLite keeps any name, so portable spellings stay readable; STRICT tables take only the five storage names. */
export function sqliteTypeSql(t: ColumnType, strict = false, where = ''): string {
  let decl: string;
  const rawOk = /^[A-Za-z][A-Za-z ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(t.raw.trim()) && normalizeSqliteType(t.raw).kind === t.kind;
  if (rawOk) decl = t.raw.trim();
  else {
    switch (t.kind) {
      case 'smallint':
      case 'tinyint':
      case 'mediumint':
        decl = 'SMALLINT';
        break;
      case 'int':
        decl = 'INTEGER';
        break;
      case 'bigint':
        decl = 'BIGINT';
        break;
      case 'numeric':
      case 'money':
        decl = t.precision !== undefined ? `NUMERIC(${t.precision},${t.scale ?? 0})` : 'NUMERIC';
        break;
      case 'real':
        decl = 'REAL';
        break;
      case 'double':
        decl = 'DOUBLE PRECISION';
        break;
      case 'bool':
        decl = 'BOOLEAN';
        break;
      case 'varchar':
        decl = t.length !== undefined ? `VARCHAR(${t.length})` : 'TEXT';
        break;
      case 'char':
        decl = `CHAR(${t.length ?? 1})`;
        break;
      case 'text':
      case 'xml':
      case 'inet':
      case 'cidr':
      case 'macaddr':
      case 'enum':
      case 'interval':
        decl = 'TEXT';
        break;
      case 'bytea':
      case 'blob':
      case 'bit':
        decl = 'BLOB';
        break;
      case 'date':
        decl = 'DATE';
        break;
      case 'time':
      case 'timetz':
        decl = 'TIME';
        break;
      case 'timestamp':
        decl = 'DATETIME';
        break;
      case 'timestamptz':
        decl = 'TIMESTAMPTZ';
        break;
      case 'year':
        decl = 'INTEGER';
        break;
      case 'json':
      case 'jsonb':
        decl = 'JSON';
        break;
      case 'uuid':
        decl = 'UUID';
        break;
      case 'other':
        decl = t.raw;
        break;
      default:
        throw new PlumbError('E_PLAN', `SQLite has no ${t.kind} type (${t.raw}${where})`, 'use a portable type for this column (see docs/type-mapping.md), e.g. json for arrays and composites');
    }
  }
  return strict ? STRICT_TYPES[sqliteAffinity(decl)] : decl;
}

/** SQLite needs parentheses around any default that is not a literal or CURRENT_TIME/DATE/TIMESTAMP. */
export function sqliteDefaultSql(def: string): string {
  const d = def.trim().replace(/::[a-z_ ]+(\(\d+(,\d+)?\))?(\[\])?$/i, '');
  if (/^'(?:[^']|'')*'$/.test(d) || /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(d) || /^(NULL|TRUE|FALSE|CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME)$/i.test(d) || /^x'[0-9a-f]*'$/i.test(d)) return d;
  if (/^(now\(\)|current_timestamp\(\))$/i.test(d)) return 'CURRENT_TIMESTAMP';
  if (d.startsWith('(') && d.endsWith(')')) return d;
  return `(${d})`;
}

/** A rowid alias: the single-column INTEGER PRIMARY KEY SQLite numbers itself. */
function rowidAlias(t: Table): Column | undefined {
  if (t.options?.withoutRowid || t.primaryKey?.columns.length !== 1) return undefined;
  const c = t.columns.find((x) => x.name === t.primaryKey!.columns[0]);
  return c && (c.identity || c.autoIncrement) ? c : undefined;
}

function columnSql(t: Table, c: Column): string {
  const alias = rowidAlias(t) === c;
  const parts = [q(c.name), alias ? 'INTEGER' : sqliteTypeSql(c.type, !!t.options?.strict, ` in ${t.path}.${c.name}`)];
  if (alias) parts.push(`PRIMARY KEY${c.autoIncrement ? ' AUTOINCREMENT' : ''}`);
  if (!c.nullable && !alias) parts.push('NOT NULL');
  if (c.default !== null && !c.generated) parts.push(`DEFAULT ${sqliteDefaultSql(c.default)}`);
  if (c.collation) parts.push(`COLLATE ${q(c.collation)}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated}) ${c.generatedStored ? 'STORED' : 'VIRTUAL'}`);
  return parts.join(' ');
}

function fkSql(fk: ForeignKey): string {
  // SQLite cannot qualify the parent table: it must live in the same schema.
  let s = `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${q(fk.references.table)} (${fk.references.columns.map(q).join(', ')})`;
  if (fk.onDelete !== 'no action') s += ` ON DELETE ${ACTION_SQL[fk.onDelete]}`;
  if (fk.onUpdate !== 'no action') s += ` ON UPDATE ${ACTION_SQL[fk.onUpdate]}`;
  if (fk.deferrable) s += fk.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE INITIALLY IMMEDIATE';
  return s;
}

/** CREATE TABLE with everything SQLite keeps inline: primary key, uniques, checks and foreign keys. */
export function sqliteCreateTableSql(t: Table, name = t.name): string {
  if (t.exclusions.length) throw new PlumbError('E_PLAN', `SQLite has no exclusion constraints (${t.exclusions[0]!.name} on ${t.path})`, 'enforce it with a unique index or a trigger instead');
  const alias = rowidAlias(t);
  const items = [...t.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => columnSql(t, c));
  if (t.primaryKey && !alias) items.push(`CONSTRAINT ${q(t.primaryKey.name)} PRIMARY KEY (${t.primaryKey.columns.map(q).join(', ')})`);
  for (const u of t.uniques) items.push(`CONSTRAINT ${q(u.name)} UNIQUE (${u.columns.map(q).join(', ')})`);
  for (const c of t.checks) items.push(`CONSTRAINT ${q(c.name)} CHECK (${c.expression})`);
  for (const fk of t.foreignKeys) items.push(fkSql(fk));
  const opts = [t.options?.strict ? 'STRICT' : '', t.options?.withoutRowid ? 'WITHOUT ROWID' : ''].filter(Boolean).join(', ');
  return `CREATE TABLE ${q(t.schema)}.${q(name)} (\n  ${items.join(',\n  ')}\n)${opts ? ' ' + opts : ''}`;
}

export function sqliteCreateIndexSql(t: TableRef, idx: Index): string {
  if (idx.include.length) throw new PlumbError('E_PLAN', `SQLite has no INCLUDE columns (index ${idx.name})`, 'add the columns to the index key instead');
  const els = idx.elements.map((e) => {
    let s = e.column !== undefined ? q(e.column) : `(${e.expression})`;
    if (e.collation) s += ` COLLATE ${q(e.collation)}`;
    if (e.descending) s += ' DESC';
    return s;
  });
  return `CREATE ${idx.unique ? 'UNIQUE ' : ''}INDEX ${q(t.schema)}.${q(idx.name)} ON ${q(t.name)} (${els.join(', ')})${idx.predicate ? ` WHERE ${idx.predicate}` : ''}`;
}

const dropIndexSql = (t: TableRef, idx: Index) => `DROP INDEX ${q(t.schema)}.${q(idx.name)}`;

function createTriggerSql(t: TableRef, tr: Trigger): string {
  if (/^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(tr.definition ?? '')) return tr.definition.trim().replace(/;\s*$/, '');
  if (!tr.body) throw new PlumbError('E_PLAN', `trigger ${tr.name} has no inline body`, 'SQLite triggers carry their statements inline (BEGIN … END); they cannot call a function');
  const events = tr.events.map((e) => e.toUpperCase());
  if (events.length !== 1) throw new PlumbError('E_PLAN', `SQLite triggers fire on one event (${tr.name}: ${tr.events.join(', ')})`, 'split the trigger into one per event');
  const body = tr.body.trim().endsWith(';') ? tr.body.trim() : `${tr.body.trim()};`;
  return `CREATE TRIGGER ${q(t.schema)}.${q(tr.name)} ${tr.timing.toUpperCase()} ${events[0]} ON ${q(t.name)} FOR EACH ROW${tr.when ? ` WHEN ${tr.when}` : ''} BEGIN ${body} END`;
}

const dropTriggerSql = (t: TableRef, tr: Trigger) => `DROP TRIGGER ${q(t.schema)}.${q(tr.name)}`;

function viewSql(v: View): string {
  return `CREATE VIEW ${q(v.schema)}.${q(v.name)} AS ${v.definition.trim().replace(/;\s*$/, '')}`;
}

// ── the 12-step rebuild ──

const GUARD_FK_OFF = 'plumb: PRAGMA foreign_keys must be OFF while a table is rebuilt (open the database without ?foreign_keys=on)';
const GUARD_FK_CHECK = 'plumb: PRAGMA foreign_key_check found rows violating a foreign key after the rebuild';

/** Rebuild `before` into `after`. `renamed` maps an after-column name to its before name. */
export function rebuildTableSql(before: Table, after: Table, renamed: Map<string, string> = new Map()): string[] {
  const tmp = `plumb_new_${after.name}`;
  const ref = { schema: after.schema, name: after.name };
  const beforeCols = new Set(before.columns.filter((c) => !c.generated).map((c) => c.name));
  const copy = after.columns.filter((c) => !c.generated && beforeCols.has(renamed.get(c.name) ?? c.name));
  const out = [
    // 1. (official step 1) foreign keys must be off, or DROP TABLE would fire ON DELETE actions in other tables.
    `CREATE TEMP TABLE IF NOT EXISTS "plumb_guard_fk_off" (n INTEGER, CONSTRAINT ${q(GUARD_FK_OFF)} CHECK (n = 0))`,
    `INSERT INTO temp."plumb_guard_fk_off" (n) SELECT foreign_keys FROM pragma_foreign_keys`,
    // 4-5. the new shape under a temporary name, then the rows.
    sqliteCreateTableSql(after, tmp),
    `INSERT INTO ${q(after.schema)}.${q(tmp)} (${copy.map((c) => q(c.name)).join(', ')}) SELECT ${copy.map((c) => q(renamed.get(c.name) ?? c.name)).join(', ')} FROM ${qt(before)}`,
    // 6-7. drop the old table, give the new one its name (legacy mode: views and triggers elsewhere are not re-parsed mid-rebuild).
    `DROP TABLE ${qt(before)}`,
    'PRAGMA legacy_alter_table = ON',
    `ALTER TABLE ${q(after.schema)}.${q(tmp)} RENAME TO ${q(after.name)}`,
    'PRAGMA legacy_alter_table = OFF',
  ];
  // 8. indexes and triggers went with the old table.
  for (const i of after.indexes) if (!i.constraint) out.push(sqliteCreateIndexSql(ref, i));
  for (const tr of after.triggers) out.push(createTriggerSql(ref, tr));
  // 10-11. foreign_key_check must be empty before commit.
  out.push(
    `CREATE TEMP TABLE IF NOT EXISTS "plumb_guard_fk_check" (n INTEGER, CONSTRAINT ${q(GUARD_FK_CHECK)} CHECK (n = 0))`,
    `INSERT INTO temp."plumb_guard_fk_check" (n) SELECT count(*) FROM pragma_foreign_key_check`,
    'DELETE FROM temp."plumb_guard_fk_check"',
    'DELETE FROM temp."plumb_guard_fk_off"',
  );
  return out;
}

function rebuild(before: Table, after: Table, renamed: Map<string, string> = new Map()): RenderedChange {
  const back = new Map([...renamed].map(([a, b]) => [b, a]));
  const lostColumns = before.columns.some((c) => !c.generated && !after.columns.some((a) => (renamed.get(a.name) ?? a.name) === c.name));
  const retyped = after.columns.some((a) => {
    const b = before.columns.find((c) => c.name === (renamed.get(a.name) ?? a.name));
    return b && b.type.kind !== a.type.kind;
  });
  return { forward: rebuildTableSql(before, after, renamed), rollback: rebuildTableSql(after, before, back), lossy: lostColumns || retyped };
}

// ── table state: a rebuild needs the table as it is just before the change ──

type TableState = Map<string, Table>;

function stateFrom(catalog: Catalog | undefined): TableState {
  const m: TableState = new Map();
  for (const s of catalog?.schemas ?? []) for (const t of s.tables) m.set(key({ schema: s.name, name: t.name }), t);
  return m;
}

function need(state: TableState, t: TableRef, what: string): Table {
  const cur = state.get(key(t));
  if (!cur) {
    throw new PlumbError('E_PLAN', `SQLite must rebuild ${t.schema}.${t.name} to ${what}, and the renderer was not given its current definition`, 'render SQLite plans with renderSqliteChanges(changes, fromCatalog), or pass { catalog } to render()');
  }
  return cur;
}

const withCols = (t: Table, columns: Column[]): Table => ({ ...t, columns: columns.map((c, i) => ({ ...c, ordinal: i + 1 })) });
const replaceCol = (t: Table, name: string, col: Column): Table => ({ ...t, columns: t.columns.map((c) => (c.name === name ? { ...col, ordinal: c.ordinal } : c)) });
/** The column as the table has it now, with `patch` applied (a column the state lacks is left alone). */
const patchCol = (t: Table, name: string, patch: (c: Column) => Column): Table => ({ ...t, columns: t.columns.map((c) => (c.name === name ? { ...patch(c), ordinal: c.ordinal } : c)) });

/** Can SQLite add this column with ALTER TABLE ADD COLUMN (https://www.sqlite.org/lang_altertable.html#altertabaddcol)? */
function simpleAdd(c: Column): boolean {
  if (c.generated && c.generatedStored) return false;
  if (!c.nullable && c.default === null && !c.generated) return false;
  if (c.default !== null && sqliteDefaultSql(c.default).startsWith('(')) return false;
  if (c.default !== null && /^CURRENT_/i.test(sqliteDefaultSql(c.default))) return false;
  return !c.identity && !c.autoIncrement;
}

/** Is the column used by a key, index, check or foreign key (then DROP COLUMN refuses it)? */
function columnInUse(t: Table, col: string): boolean {
  const mentions = (e: string) => new RegExp(`(^|[^\\w"])("?)${col.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\2($|[^\\w"])`, 'i').test(e);
  return (
    !!t.primaryKey?.columns.includes(col) ||
    t.uniques.some((u) => u.columns.includes(col)) ||
    t.foreignKeys.some((f) => f.columns.includes(col)) ||
    t.indexes.some((i) => i.elements.some((e) => e.column === col || (e.expression && mentions(e.expression))) || (i.predicate && mentions(i.predicate))) ||
    t.checks.some((c) => c.columns.includes(col) || mentions(c.expression)) ||
    t.columns.some((c) => c.generated && mentions(c.generated))
  );
}

function unsupported(what: string, hint: string): never {
  throw new PlumbError('E_PLAN', `SQLite has no ${what}`, hint);
}

const r = (forward: string[], rollback: string[], extra: Partial<RenderedChange> = {}): RenderedChange => ({ forward, rollback, ...extra });

function renderers(state: TableState): ChangeVisitor<RenderedChange> {
  const set = (t: Table) => state.set(key(t), t);
  const alterRebuild = (ref: TableRef, what: string, change: (t: Table) => Table, renamed?: Map<string, string>) => {
    const before = need(state, ref, what);
    const after = change(before);
    set(after);
    return rebuild(before, after, renamed);
  };
  return {
    createSchema: (c) => unsupported(`schemas (${c.schema.name})`, 'SQLite has one schema, main; ATTACH another file for a second one'),
    dropSchema: (c) => unsupported(`schemas (${c.schema.name})`, 'SQLite has one schema, main'),
    createExtension: (c) => unsupported(`extensions (${c.extension.name})`, 'load SQLite extensions in the application instead'),
    alterExtension: (c) => unsupported(`extensions (${c.extension.name})`, 'load SQLite extensions in the application instead'),
    dropExtension: (c) => unsupported(`extensions (${c.extension.name})`, 'load SQLite extensions in the application instead'),
    alterTableOptions: (c) => unsupported(`table engines or table character sets (${c.path})`, 'state engine/charset/collation only for MySQL targets; SQLite text is always Unicode'),
    alterTableStorage: (c) => unsupported(`UNLOGGED, storage parameters or column STORAGE (${c.path})`, 'these are Postgres table settings; leave them out of specs for SQLite targets'),
    createTable: (c) => {
      set(c.table);
      return r([sqliteCreateTableSql(c.table)], [`DROP TABLE ${qt(c.table)}`]);
    },
    dropTable: (c) => {
      const t = state.get(key(c.table)) ?? c.table;
      state.delete(key(c.table));
      const ref = { schema: t.schema, name: t.name };
      const back = [sqliteCreateTableSql(t), ...t.indexes.filter((i) => !i.constraint).map((i) => sqliteCreateIndexSql(ref, i)), ...t.triggers.map((tr) => createTriggerSql(ref, tr))];
      return r([`DROP TABLE ${qt(c.table)}`], back, { lossy: true });
    },
    renameTable: (c) => {
      const t = state.get(key(c.from));
      if (t) {
        state.delete(key(c.from));
        set({ ...t, name: c.to.name, schema: c.to.schema });
      }
      return r([`ALTER TABLE ${qt(c.from)} RENAME TO ${q(c.to.name)}`], [`ALTER TABLE ${qt(c.to)} RENAME TO ${q(c.from.name)}`]);
    },
    addColumn: (c) => {
      const cur = state.get(key(c.table));
      if (simpleAdd(c.column) || !cur) {
        if (cur) set(withCols(cur, [...cur.columns, c.column]));
        const stub = cur ?? ({ path: `${c.table.schema}.${c.table.name}`, options: {}, primaryKey: null } as unknown as Table);
        return r([`ALTER TABLE ${qt(c.table)} ADD COLUMN ${columnSql(stub, c.column)}`], [`ALTER TABLE ${qt(c.table)} DROP COLUMN ${q(c.column.name)}`]);
      }
      return alterRebuild(c.table, `add column ${c.column.name}`, (t) => withCols(t, [...t.columns, c.column]));
    },
    dropColumn: (c) => {
      const cur = need(state, c.table, `drop column ${c.column.name}`);
      if (!columnInUse(cur, c.column.name) && rowidAlias(cur)?.name !== c.column.name) {
        set(withCols(cur, cur.columns.filter((x) => x.name !== c.column.name)));
        return r([`ALTER TABLE ${qt(c.table)} DROP COLUMN ${q(c.column.name)}`], [`ALTER TABLE ${qt(c.table)} ADD COLUMN ${columnSql(cur, c.column)}`], { lossy: true });
      }
      return alterRebuild(c.table, `drop column ${c.column.name}`, (t) => withCols(t, t.columns.filter((x) => x.name !== c.column.name)));
    },
    renameColumn: (c) => {
      const cur = state.get(key(c.table));
      if (cur) {
        const ren = (n: string) => (n === c.from ? c.to : n);
        set({
          ...cur,
          columns: cur.columns.map((x) => (x.name === c.from ? { ...x, name: c.to } : x)),
          primaryKey: cur.primaryKey ? { ...cur.primaryKey, columns: cur.primaryKey.columns.map(ren) } : null,
          uniques: cur.uniques.map((u) => ({ ...u, columns: u.columns.map(ren) })),
          foreignKeys: cur.foreignKeys.map((f) => ({ ...f, columns: f.columns.map(ren) })),
          indexes: cur.indexes.map((i) => ({ ...i, elements: i.elements.map((e) => (e.column === c.from ? { ...e, column: c.to } : e)) })),
        });
      }
      return r([`ALTER TABLE ${qt(c.table)} RENAME COLUMN ${q(c.from)} TO ${q(c.to)}`], [`ALTER TABLE ${qt(c.table)} RENAME COLUMN ${q(c.to)} TO ${q(c.from)}`]);
    },
    // Each step changes only its own aspect of the column: a plan sets NOT NULL in a later phase, after its
    // pre-check (and remediation) ran, so a type change must not make the copy refuse NULLs first.
    alterColumnType: (c) => alterRebuild(c.table, `change the type of ${c.after.name}`, (t) => patchCol(t, c.before.name, (x) => ({ ...x, type: c.after.type, collation: c.after.collation, default: c.after.default }))),
    alterColumnNullability: (c) => alterRebuild(c.table, `change NOT NULL on ${c.after.name}`, (t) => patchCol(t, c.before.name, (x) => ({ ...x, nullable: c.after.nullable }))),
    alterColumnVisibility: (c) => unsupported(`invisible columns (${c.path})`, 'remove `invisible` from the column for SQLite targets'),
    alterColumnDefault: (c) => alterRebuild(c.table, `change the default of ${c.after.name}`, (t) => patchCol(t, c.before.name, (x) => ({ ...x, default: c.after.default }))),
    alterColumnIdentity: (c) => alterRebuild(c.table, `change the identity of ${c.after.name}`, (t) => patchCol(t, c.before.name, (x) => ({ ...x, identity: c.after.identity, autoIncrement: c.after.autoIncrement }))),
    alterColumnGenerated: (c) => alterRebuild(c.table, `change the expression of ${c.after.name}`, (t) => replaceCol(t, c.before.name, c.after)),
    addPrimaryKey: (c) => alterRebuild(c.table, `add primary key ${c.primaryKey.name}`, (t) => ({ ...t, primaryKey: c.primaryKey })),
    dropPrimaryKey: (c) => alterRebuild(c.table, `drop primary key ${c.primaryKey.name}`, (t) => ({ ...t, primaryKey: null, columns: t.columns.map((x) => (c.primaryKey.columns.includes(x.name) ? { ...x, identity: null, autoIncrement: undefined } : x)) })),
    addUnique: (c) => alterRebuild(c.table, `add unique ${c.unique.name}`, (t) => ({ ...t, uniques: [...t.uniques.filter((u) => u.name !== c.unique.name), c.unique] })),
    dropUnique: (c) => alterRebuild(c.table, `drop unique ${c.unique.name}`, (t) => ({ ...t, uniques: t.uniques.filter((u) => u.name !== c.unique.name) })),
    addForeignKey: (c) => {
      const cur = state.get(key(c.table));
      // createTable already wrote the table's foreign keys inline.
      if (cur?.foreignKeys.some((f) => f.name === c.foreignKey.name && JSON.stringify(f) === JSON.stringify(c.foreignKey))) return r([], []);
      return alterRebuild(c.table, `add foreign key ${c.foreignKey.name}`, (t) => ({ ...t, foreignKeys: [...t.foreignKeys.filter((f) => f.name !== c.foreignKey.name), c.foreignKey] }));
    },
    dropForeignKey: (c) => alterRebuild(c.table, `drop foreign key ${c.foreignKey.name}`, (t) => ({ ...t, foreignKeys: t.foreignKeys.filter((f) => f.name !== c.foreignKey.name) })),
    addCheck: (c) => alterRebuild(c.table, `add check ${c.check.name}`, (t) => ({ ...t, checks: [...t.checks.filter((x) => x.name !== c.check.name), c.check] })),
    dropCheck: (c) => alterRebuild(c.table, `drop check ${c.check.name}`, (t) => ({ ...t, checks: t.checks.filter((x) => x.name !== c.check.name) })),
    addExclusion: (c) => unsupported(`exclusion constraints (${c.exclusion.name})`, 'enforce it with a unique index or a trigger instead'),
    dropExclusion: (c) => unsupported(`exclusion constraints (${c.exclusion.name})`, 'remove it from the catalog you compare against'),
    validateConstraint: () => r([], []),
    createIndex: (c) => {
      const cur = state.get(key(c.table));
      if (cur) set({ ...cur, indexes: [...cur.indexes.filter((i) => i.name !== c.index.name), c.index] });
      return r([sqliteCreateIndexSql(c.table, c.index)], [dropIndexSql(c.table, c.index)]);
    },
    dropIndex: (c) => {
      const cur = state.get(key(c.table));
      if (cur) set({ ...cur, indexes: cur.indexes.filter((i) => i.name !== c.index.name) });
      return r([dropIndexSql(c.table, c.index)], [sqliteCreateIndexSql(c.table, c.index)]);
    },
    // SQLite cannot rename an index: it is built again under the new name.
    renameConstraint: (c) => { throw new PlumbError('E_INTERNAL', `constraints are renamed on Postgres only (${c.path})`, 'report this: the diff plans it for Postgres catalogs only'); },
    renameIndex: (c) => {
      const cur = state.get(key(c.table));
      if (cur) set({ ...cur, indexes: [...cur.indexes.filter((i) => i.name !== c.from), c.index] });
      const old = { ...c.index, name: c.from };
      return r([dropIndexSql(c.table, old), sqliteCreateIndexSql(c.table, c.index)], [dropIndexSql(c.table, c.index), sqliteCreateIndexSql(c.table, old)]);
    },
    createEnum: (c) => unsupported(`enum types (${c.enum.name})`, "declare the column TEXT with CHECK (col IN ('a', 'b'))"),
    dropEnum: (c) => unsupported(`enum types (${c.enum.name})`, "declare the column TEXT with CHECK (col IN ('a', 'b'))"),
    addEnumValue: (c) => unsupported(`enum types (${c.enum.name})`, 'change the CHECK constraint that lists the values'),
    renameEnumValue: (c) => unsupported(`enum types (${c.enum.name})`, 'change the CHECK constraint that lists the values'),
    replaceEnum: (c) => unsupported(`enum types (${c.after.name})`, 'change the CHECK constraint that lists the values'),
    renameEnum: (c) => unsupported(`enum types (${c.after.name})`, 'SQLite enums are CHECK constraints: nothing to rename'),
    createDomain: (c) => unsupported(`domains (${c.domain.name})`, 'use the base type with a CHECK constraint on each column'),
    dropDomain: (c) => unsupported(`domains (${c.domain.name})`, 'use the base type with a CHECK constraint on each column'),
    alterDomain: (c) => unsupported(`domains (${c.after.name})`, 'use the base type with a CHECK constraint on each column'),
    createCompositeType: (c) => unsupported(`composite types (${c.type.name})`, 'use a JSON column or a table'),
    dropCompositeType: (c) => unsupported(`composite types (${c.type.name})`, 'use a JSON column or a table'),
    alterCompositeType: (c) => unsupported(`composite types (${c.after.name})`, 'use a JSON column or a table'),
    createView: (c) => r([viewSql(c.view)], [`DROP VIEW ${q(c.view.schema)}.${q(c.view.name)}`]),
    // SQLite has no CREATE OR REPLACE VIEW: drop, then create.
    replaceView: (c) => r([`DROP VIEW ${q(c.before.schema)}.${q(c.before.name)}`, viewSql(c.after)], [`DROP VIEW ${q(c.after.schema)}.${q(c.after.name)}`, viewSql(c.before)]),
    dropView: (c) => r([`DROP VIEW ${q(c.view.schema)}.${q(c.view.name)}`], [viewSql(c.view), ...c.view.triggers.map((tr) => createTriggerSql({ schema: c.view.schema, name: c.view.name }, tr))]),
    renameView: (c) => unsupported(`ALTER VIEW … RENAME (${c.from.name})`, 'drop the view and create it under the new name'),
    createMaterializedView: (c) => unsupported(`materialized views (${c.view.name})`, 'use a plain view, or a table refreshed by the application'),
    dropMaterializedView: (c) => unsupported(`materialized views (${c.view.name})`, 'use a plain view, or a table refreshed by the application'),
    createSequence: (c) => unsupported(`sequences (${c.sequence.name})`, 'use INTEGER PRIMARY KEY (the rowid)'),
    alterSequence: (c) => unsupported(`sequences (${c.after.name})`, 'use INTEGER PRIMARY KEY (the rowid)'),
    dropSequence: (c) => unsupported(`sequences (${c.sequence.name})`, 'use INTEGER PRIMARY KEY (the rowid)'),
    createRoutine: (c) => unsupported(`stored routines (${c.routine.name})`, 'register functions in the application (sqlite3_create_function)'),
    replaceRoutine: (c) => unsupported(`stored routines (${c.after.name})`, 'register functions in the application (sqlite3_create_function)'),
    dropRoutine: (c) => unsupported(`stored routines (${c.routine.name})`, 'register functions in the application (sqlite3_create_function)'),
    createTrigger: (c) => {
      const cur = state.get(key(c.table));
      if (cur) set({ ...cur, triggers: [...cur.triggers.filter((t) => t.name !== c.trigger.name), c.trigger] });
      return r([createTriggerSql(c.table, c.trigger)], [dropTriggerSql(c.table, c.trigger)]);
    },
    dropTrigger: (c) => {
      const cur = state.get(key(c.table));
      if (cur) set({ ...cur, triggers: cur.triggers.filter((t) => t.name !== c.trigger.name) });
      return r([dropTriggerSql(c.table, c.trigger)], [createTriggerSql(c.table, c.trigger)]);
    },
    enableTrigger: (c) => unsupported(`disabled triggers (${c.trigger.name})`, 'SQLite triggers are always enabled: drop the trigger instead'),
    disableTrigger: (c) => unsupported(`disabled triggers (${c.trigger.name})`, 'SQLite triggers are always enabled: drop the trigger instead'),
    createCollation: (c) => unsupported(`collations (${c.collation.path})`, 'SQLite collations are registered by the application'),
    dropCollation: (c) => unsupported(`collations (${c.collation.path})`, 'SQLite collations are registered by the application'),
    createRule: (c) => unsupported(`rewrite rules (${c.rule.path})`, 'use a trigger'),
    dropRule: (c) => unsupported(`rewrite rules (${c.rule.path})`, 'use a trigger'),
    createEvent: (c) => unsupported(`scheduled events (${c.event.name})`, 'schedule the job outside the database (cron)'),
    dropEvent: (c) => unsupported(`scheduled events (${c.event.name})`, 'schedule the job outside the database (cron)'),
    enableRls: (c) => unsupported(`row-level security (${c.path})`, 'enforce access in the application'),
    disableRls: (c) => unsupported(`row-level security (${c.path})`, 'enforce access in the application'),
    forceRls: (c) => unsupported(`row-level security (${c.path})`, 'enforce access in the application'),
    createPolicy: (c) => unsupported(`row-level security policies (${c.policy.name})`, 'enforce access in the application'),
    dropPolicy: (c) => unsupported(`row-level security policies (${c.policy.name})`, 'enforce access in the application'),
    alterPolicy: (c) => unsupported(`row-level security policies (${c.after.name})`, 'enforce access in the application'),
    grant: (c) => unsupported(`privileges (GRANT on ${c.path})`, 'protect the database file with file-system permissions'),
    revoke: (c) => unsupported(`privileges (REVOKE on ${c.path})`, 'protect the database file with file-system permissions'),
    setComment: (c) => unsupported(`comments (${c.path})`, 'keep the comment in the spec; SQLite stores none (a -- comment inside CREATE TABLE is kept only as text)'),
  };
}

/** Forward and rollback SQL for one change; a rebuild reads the table from options.catalog. */
export function renderSqliteChange(change: Change, options: SqliteRenderOptions = {}): RenderedChange {
  const table = renderers(stateFrom(options.catalog));
  return (table[change.kind] as (c: Change) => RenderedChange)(change);
}

/**
 * Every change of a plan, in the order it will run: each rebuild starts from
 * the table as the earlier changes left it (so two changes to one table compose).
 */
export function renderSqliteChanges(changes: readonly Change[], from?: Catalog): RenderedChange[] {
  const table = renderers(stateFrom(from));
  return changes.map((c) => (table[c.kind] as (x: Change) => RenderedChange)(c));
}

/**
 * A renderer for buildPlan's `render` option: it sees the plan's changes one by
 * one in execution order and keeps each table's state between them, so a
 * rebuild always starts from what the earlier steps left.
 */
export function sqliteSessionRenderer(from: Catalog): (change: Change, options?: RenderOptions) => RenderedChange {
  const table = renderers(stateFrom(from));
  return (change) => (table[change.kind] as (c: Change) => RenderedChange)(change);
}

/** The kinds this renderer handles: all of them (the map is exhaustive). */
export const sqliteRenderedKinds = Object.keys(renderers(new Map()));

