// Pre-checks: for a change that can fail on existing rows, a predicate over
// the table (alias `t`) selecting the rows that would make it fail, with count
// and sample queries derived from it. Pure: builds SQL, runs nothing.
import type { Catalog, Column, ColumnType, Table } from '../catalog/types.js';
import { findTable } from '../catalog/normalize.js';
import type { Dialect } from '../dialects/dialect.js';
import { findApplySupport } from '../dialects/apply-support.js';
import type { AlterTableOptions, Change, TableRef } from '../diff/changes.js';
import type { PreCheck, PreCheckKind } from './types.js';

export interface PreCheckContext {
  d: Dialect;
  /** The live catalog the plan starts from. */
  from: Catalog;
  /** The catalog the plan produces. */
  to: Catalog;
  /** The live table behind a target name (follows declared renames); defaults to a lookup in `from`. */
  liveTable?: (t: TableRef) => Table | undefined;
}

function liveOf(ctx: PreCheckContext, t: TableRef): Table | undefined {
  return ctx.liveTable ? ctx.liveTable(t) : findTable(ctx.from, t.schema, t.name);
}

/** SQL telling whether the value of `expr` converts to `type`; null when no query can tell (the step itself then refuses bad values). */
function castable(ctx: PreCheckContext, expr: string, type: string, from?: ColumnType): { sql: string; setup?: string[] } | null {
  return findApplySupport(ctx.d.name)?.castable(expr, type, ctx.from.serverMajor, from) ?? null;
}

function make(ctx: PreCheckContext, id: string, kind: PreCheckKind, ref: TableRef, predicate: string, description: string, checked: string[], extra: Partial<PreCheck> = {}): PreCheck {
  const { d } = ctx;
  const live = liveOf(ctx, ref);
  const keyColumns = live?.primaryKey?.columns.length ? live.primaryKey.columns : checked;
  const keys = [...new Set([...keyColumns, ...checked])];
  const tbl = `${d.quoteQualified(ref.schema, ref.name)} AS t`;
  const sel = keys.map((c) => `t.${d.quoteIdent(c)}`).join(', ');
  return {
    id,
    kind,
    description,
    table: { schema: ref.schema, name: ref.name },
    keyColumns: keys,
    predicate,
    countSql: `SELECT count(*) AS n FROM ${tbl} WHERE ${predicate}`,
    sampleSql: `SELECT ${sel} FROM ${tbl} WHERE ${predicate} ORDER BY ${keyColumns.map((c) => `t.${d.quoteIdent(c)}`).join(', ') || '1'} LIMIT 5`,
    ...extra,
  };
}

const col = (d: Dialect, c: string, alias = 't') => `${alias}.${d.quoteIdent(c)}`;

function targetTable(ctx: PreCheckContext, ref: TableRef): Table | undefined {
  return findTable(ctx.to, ref.schema, ref.name);
}

function nullableInTarget(ctx: PreCheckContext, ref: TableRef, cols: string[]): string[] {
  const t = targetTable(ctx, ref);
  const pk = new Set(t?.primaryKey?.columns ?? []);
  return cols.filter((c) => !pk.has(c) && (t?.columns.find((x) => x.name === c)?.nullable ?? false));
}

/** Rows that have an earlier duplicate on `cols` (all but one copy of each group). */
function duplicatesPredicate(ctx: PreCheckContext, ref: TableRef, cols: string[], nullsNotDistinct: boolean): string {
  const { d } = ctx;
  const live = liveOf(ctx, ref);
  const eq = cols.map((c) => (nullsNotDistinct ? `${col(d, c, 'd')} IS NOT DISTINCT FROM ${col(d, c)}` : `${col(d, c, 'd')} = ${col(d, c)}`)).join(' AND ');
  const pk = live?.primaryKey?.columns ?? [];
  const order = pk.length
    ? `(${pk.map((c) => col(d, c, 'd')).join(', ')}) < (${pk.map((c) => col(d, c)).join(', ')})`
    : // No primary key: Postgres' physical row id tells copies apart.
      'd.ctid < t.ctid';
  return `EXISTS (SELECT 1 FROM ${d.quoteQualified(ref.schema, ref.name)} AS d WHERE ${eq} AND ${order})`;
}

const WIDENING: Record<string, string[]> = {
  smallint: ['int', 'bigint', 'numeric', 'real', 'double'],
  int: ['bigint', 'numeric', 'double'],
  bigint: ['numeric'],
  real: ['double'],
  varchar: ['text'],
  char: ['text', 'varchar'],
  json: ['jsonb', 'text'],
  date: ['timestamp', 'timestamptz'],
  timestamp: ['timestamptz'],
};

/** A type change every existing value survives (no pre-check needed). */
export function isWidening(before: ColumnType, after: ColumnType): boolean {
  if (after.kind === 'text') return true;
  if (before.kind === after.kind) {
    if (before.kind === 'varchar' || before.kind === 'char' || before.kind === 'bit') return after.length === undefined || (before.length !== undefined && after.length >= before.length);
    if (before.kind === 'numeric') {
      if (after.precision === undefined) return true;
      if (before.precision === undefined) return false;
      return after.precision - (after.scale ?? 0) >= before.precision - (before.scale ?? 0) && (after.scale ?? 0) >= (before.scale ?? 0);
    }
    return before.raw === after.raw;
  }
  return WIDENING[before.kind]?.includes(after.kind) ?? false;
}

function castPreChecks(ctx: PreCheckContext, id: string, ref: TableRef, before: Column, after: Column): PreCheck[] {
  const { d } = ctx;
  if (isWidening(before.type, after.type)) return [];
  const c = col(d, after.name);
  const nullify = after.nullable ? { nullifyColumns: [after.name] } : {};
  if ((after.type.kind === 'varchar' || after.type.kind === 'char') && after.type.length !== undefined && ['varchar', 'char', 'text'].includes(before.type.kind)) {
    // An engine that never enforces a declared length (SQLite) has nothing to count.
    if (!(findApplySupport(d.name)?.enforcesLength ?? true)) return [];
    return [make(ctx, id, 'cast', ref, `char_length(${c}) > ${after.type.length}`, `are longer than ${after.type.length} characters for ${after.type.raw}`, [after.name], nullify)];
  }
  const cast = castable(ctx, c, after.type.raw, before.type);
  if (!cast) return [];
  const kind: PreCheckKind = after.type.kind === 'json' || after.type.kind === 'jsonb' ? 'json' : after.type.kind === 'enum' ? 'enum' : 'cast';
  const what = kind === 'json' ? 'hold text that is not valid JSON' : kind === 'enum' ? `hold values outside the labels of ${after.type.raw}` : `hold values that do not cast to ${after.type.raw}`;
  return [make(ctx, id, kind, ref, `${c} IS NOT NULL AND NOT ${cast.sql}`, what, [after.name], { ...nullify, ...(cast.setup ? { setup: cast.setup } : {}) })];
}

/** Columns of `t` a check expression mentions (engines do not always report them). */
function columnsIn(expr: string, t: Table | undefined): string[] {
  if (!t) return [];
  return t.columns.filter((c) => new RegExp(`(^|[^A-Za-z0-9_$])"?${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^A-Za-z0-9_$])`).test(expr)).map((c) => c.name);
}

const charsetOf = (o: { charset?: string; collation?: string }) => o.charset ?? (o.collation ? o.collation.split('_')[0] : undefined);

/** A character-set conversion every text survives only when the target holds all of Unicode (utf8mb4). */
function charsetMayLoseText(c: AlterTableOptions): boolean {
  const target = charsetOf(c.after)?.toLowerCase();
  return target !== undefined && target !== 'utf8mb4' && target !== charsetOf(c.before)?.toLowerCase();
}

/** Bytes a TEXT-family type holds: the conversion keeps each column's type, so re-encoded text can outgrow it. */
const TEXT_BYTES: Record<string, number> = { tinytext: 255, text: 65_535, mediumtext: 16_777_215 };

/** TEXT-family columns whose re-encoded values may no longer fit their type (none when the charset stays). */
function boundedTextColumns(c: AlterTableOptions, tableCharset: string | undefined): Column[] {
  const target = charsetOf(c.after)?.toLowerCase();
  if (target === undefined) return [];
  return c.columns.filter((col) => col.type.kind === 'text' && TEXT_BYTES[col.type.raw.trim().toLowerCase()] !== undefined && (col.charset ?? tableCharset)?.toLowerCase() !== target);
}

/** True when a table's charset conversion can fail on the text it holds (hazard MF109; the pre-checks count the rows). */
export function conversionMayLoseText(c: AlterTableOptions): boolean {
  return charsetMayLoseText(c) || boundedTextColumns(c, charsetOf(c.before)).length > 0;
}

/** Pre-checks of one change; `created` holds `schema.table` of tables this plan creates (empty: nothing to check). */
export function preChecksFor(ctx: PreCheckContext, change: Change, stepId: string, created: ReadonlySet<string>): PreCheck[] {
  const { d } = ctx;
  const isNew = (ref: TableRef) => created.has(`${ref.schema}.${ref.name}`) || !liveOf(ctx, ref);
  const id = (suffix: string) => `${stepId}/${suffix}`;
  switch (change.kind) {
    case 'addForeignKey': {
      const fk = change.foreignKey;
      if (isNew(change.table)) return [];
      const notNull = fk.columns.map((c) => `${col(d, c)} IS NOT NULL`).join(' AND ');
      const match = fk.columns.map((c, i) => `${col(d, fk.references.columns[i]!, 'p')} = ${col(d, c)}`).join(' AND ');
      const parent = d.quoteQualified(fk.references.schema, fk.references.table);
      const nullify = nullableInTarget(ctx, change.table, fk.columns);
      return [
        make(ctx, id('orphans'), 'orphans', change.table, `${notNull} AND NOT EXISTS (SELECT 1 FROM ${parent} AS p WHERE ${match})`, `reference no row of ${fk.references.schema}.${fk.references.table} (orphans)`, fk.columns, nullify.length === fk.columns.length ? { nullifyColumns: nullify } : {}),
      ];
    }
    case 'addUnique': {
      if (isNew(change.table)) return [];
      const u = change.unique;
      return [make(ctx, id('duplicates'), 'duplicates', change.table, duplicatesPredicate(ctx, change.table, u.columns, !!u.nullsNotDistinct), `duplicate (${u.columns.join(', ')}) of an earlier row`, u.columns, nullableInTarget(ctx, change.table, u.columns).length === u.columns.length ? { nullifyColumns: u.columns } : {})];
    }
    case 'addPrimaryKey': {
      if (isNew(change.table)) return [];
      const cols = change.primaryKey.columns;
      return [
        make(ctx, id('nulls'), 'nulls', change.table, cols.map((c) => `${col(d, c)} IS NULL`).join(' OR '), `have NULL in primary key column(s) ${cols.join(', ')}`, cols),
        make(ctx, id('duplicates'), 'duplicates', change.table, duplicatesPredicate(ctx, change.table, cols, false), `duplicate primary key (${cols.join(', ')}) of an earlier row`, cols),
      ];
    }
    case 'alterColumnNullability': {
      if (change.after.nullable || isNew(change.table)) return [];
      return [make(ctx, id('nulls'), 'nulls', change.table, `${col(d, change.after.name)} IS NULL`, `have NULL in ${change.after.name}`, [change.after.name])];
    }
    case 'addColumn': {
      const c = change.column;
      if (isNew(change.table) || c.nullable || c.default !== null || c.identity || c.generated) return [];
      return [make(ctx, id('rows'), 'nulls', change.table, 'true', `exist, and a NOT NULL column ${c.name} without a default cannot be added to them`, [])];
    }
    case 'addCheck': {
      if (isNew(change.table)) return [];
      const live = liveOf(ctx, change.table);
      const cols = change.check.columns.length ? change.check.columns : columnsIn(change.check.expression, targetTable(ctx, change.table));
      const out: PreCheck[] = [];
      if (/json/i.test(change.check.expression)) {
        for (const c of cols) {
          const lc = live?.columns.find((x) => x.name === c);
          if (!lc || !['text', 'varchar', 'char'].includes(lc.type.kind)) continue;
          const cast = castable(ctx, col(d, c), 'jsonb');
          if (!cast) continue;
          out.push(make(ctx, id(`json-${c}`), 'json', change.table, `${col(d, c)} IS NOT NULL AND NOT ${cast.sql}`, `hold text in ${c} that is not valid JSON`, [c], { ...(lc.nullable ? { nullifyColumns: [c] } : {}), ...(cast.setup ? { setup: cast.setup } : {}) }));
        }
      }
      const nullify = nullableInTarget(ctx, change.table, cols);
      out.push(make(ctx, id('violations'), 'check', change.table, `NOT COALESCE((${change.check.expression}), true)`, `violate CHECK (${change.check.expression})`, cols, nullify.length ? { nullifyColumns: nullify } : {}));
      return out;
    }
    case 'createTrigger': {
      // A trigger standing in for a CHECK (MySQL cannot check an AUTO_INCREMENT column) leaves existing violations alone.
      const expression = isNew(change.table) ? null : (findApplySupport(d.name)?.checkEnforcedBy?.(change.trigger, 't') ?? null);
      if (!expression) return [];
      const cols = columnsIn(expression, targetTable(ctx, change.table));
      const nullify = nullableInTarget(ctx, change.table, cols);
      return [make(ctx, id('violations'), 'check', change.table, `NOT COALESCE((${expression}), true)`, `violate the check trigger ${change.trigger.name} enforces (${expression})`, cols, nullify.length ? { nullifyColumns: nullify } : {})];
    }
    case 'alterTableOptions': {
      // Only engines with per-table character sets (MySQL/MariaDB) state them, so CONVERT … USING is their syntax.
      if (!conversionMayLoseText(change) || isNew(change.table)) return [];
      const target = charsetOf(change.after)!;
      const tableCharset = charsetOf(change.before) ?? charsetOf(liveOf(ctx, change.table)?.options ?? {});
      const word = (s: string | undefined) => s === undefined || /^\w+$/.test(s);
      if (!word(target) || !word(tableCharset) || change.columns.some((x) => !word(x.charset ?? undefined))) return [];
      const out: PreCheck[] = [];
      // A row fails when its text does not come back byte for byte from the target charset…
      if (charsetMayLoseText(change)) {
        for (const column of change.columns) {
          const c = col(d, column.name);
          const source = column.charset ?? tableCharset ?? target;
          const predicate = `${c} IS NOT NULL AND CAST(CONVERT(CONVERT(${c} USING ${target}) USING ${source}) AS BINARY) <> CAST(${c} AS BINARY)`;
          out.push(make(ctx, id(`charset-${column.name}`), 'cast', change.table, predicate, `hold text in ${column.name} that ${target} cannot represent`, [column.name]));
        }
      }
      // …or when, re-encoded, it outgrows the TEXT type the column keeps.
      for (const column of boundedTextColumns(change, tableCharset)) {
        const c = col(d, column.name);
        const max = TEXT_BYTES[column.type.raw.trim().toLowerCase()]!;
        out.push(make(ctx, id(`fits-${column.name}`), 'cast', change.table, `OCTET_LENGTH(CONVERT(${c} USING ${target})) > ${max}`, `hold text in ${column.name} longer than ${column.type.raw.toUpperCase()} allows (${max} bytes) once in ${target}`, [column.name]));
      }
      return out;
    }
    case 'alterColumnType': {
      if (isNew(change.table) || change.using) return [];
      return castPreChecks(ctx, id('cast'), change.table, change.before, change.after);
    }
    case 'replaceEnum': {
      const out: PreCheck[] = [];
      const removed = change.before.labels.filter((l) => !change.after.labels.includes(l));
      if (!removed.length) return [];
      for (const u of change.columns) {
        const ref = u.table;
        const column = u.column;
        if (!liveOf(ctx, ref)) continue;
        const list = change.after.labels.map((l) => d.quoteLiteral(l)).join(', ') || 'NULL';
        const c = col(d, column);
        const predicate = u.array ? `EXISTS (SELECT 1 FROM unnest(${c}) AS x(v) WHERE x.v IS NOT NULL AND x.v::text NOT IN (${list}))` : `${c} IS NOT NULL AND ${c}::text NOT IN (${list})`;
        const nullify = nullableInTarget(ctx, ref, [column]);
        out.push(make(ctx, id(`enum-${ref.name}-${column}`), 'enum', ref, predicate, `hold labels removed from ${change.after.name} (${removed.join(', ')})`, [column], nullify.length ? { nullifyColumns: nullify } : {}));
      }
      return out;
    }
    default:
      return [];
  }
}
