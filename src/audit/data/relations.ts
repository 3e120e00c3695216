// Relationships data rules check: declared foreign keys and *implied* ones
// (`<thing>_id` → table `<thing>s`), and the bounded anti-join that counts
// rows whose reference has no parent. Read-only, standard SQL (NOT EXISTS).
import type { Catalog, Column, Table } from '../../catalog/types.js';
import type { RuleContext } from '../rule.js';
import { isSecretColumnName, redactValue } from '../../catalog/sensitive-columns.js';
import { plurals, tablePrefix, typeFamily } from './names.js';
import { armWeight, num, orderByKey, runBatched, runQuery, SAMPLE_KEYS, sampleKey, sampleKeysOf, scanSource, selectKeys, type ScanSource } from './sql.js';
import { passCounts, type PassProbe } from './table-pass.js';

export interface Relation {
  child: Table;
  columns: string[];
  parent: { schema: string; table: string };
  parentColumns: string[];
}

export interface OrphanCount {
  orphans: number;
  sampleKeys: (string | Record<string, string>)[];
  /** Referenced values that have no parent, up to 5 distinct (redacted when the column is secret-named). */
  missingValues: string[];
  sampled: boolean;
}

function joinCondition(ctx: RuleContext, rel: Relation, outer: string): string {
  return rel.columns.map((c, i) => `par.${ctx.quoteIdent(rel.parentColumns[i]!)} = ${outer}.${ctx.quoteIdent(c)}`).join(' AND ');
}

function orphanPredicate(ctx: RuleContext, rel: Relation, outer: string): string {
  const parent = ctx.quoteQualified(rel.parent.schema, rel.parent.table);
  // MATCH SIMPLE: a reference with any NULL column is not checked by the engine either.
  const present = rel.columns.map((c) => `${outer}.${ctx.quoteIdent(c)} IS NOT NULL`).join(' AND ');
  return `${present} AND NOT EXISTS (SELECT 1 FROM ${parent} par WHERE ${joinCondition(ctx, rel, outer)})`;
}

/** True when `columns` are unique in `t` (its primary key, a unique constraint or a full unique index over exactly them). */
function uniqueIn(t: Table | undefined, columns: readonly string[]): boolean {
  if (!t) return false;
  const same = (cols: readonly (string | undefined)[]) => cols.length === columns.length && cols.every((c) => c !== undefined && columns.includes(c));
  if (t.primaryKey && same(t.primaryKey.columns)) return true;
  if (t.uniques.some((u) => same(u.columns))) return true;
  return t.indexes.some((ix) => ix.unique && !ix.predicate && same(ix.elements.map((e) => e.column)));
}

/**
 * Full mode's orphan count of `rel`, as a probe of the child's one pass: a
 * LEFT JOIN on the parent's unique key (an anti-join the planner can hash),
 * or NOT EXISTS per row when the parent's columns are not known unique (a
 * join could then repeat child rows).
 */
export function orphanProbe(ctx: RuleContext, rel: Relation): PassProbe {
  const id = `orphans:${rel.columns.join(',')}>${rel.parent.schema}.${rel.parent.table}(${rel.parentColumns.join(',')})`;
  const present = rel.columns.map((c) => `src.${ctx.quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const parent = ctx.catalog.schemas.find((s) => s.name === rel.parent.schema)?.tables.find((t) => t.name === rel.parent.table);
  if (!uniqueIn(parent, rel.parentColumns)) return { table: rel.child, id, sql: () => `COUNT(CASE WHEN ${orphanPredicate(ctx, rel, 'src')} THEN 1 END)` };
  return {
    table: rel.child,
    id,
    join: { schema: rel.parent.schema, table: rel.parent.table, on: rel.columns.map((c, i) => [c, rel.parentColumns[i]!] as const) },
    sql: (j) => `COUNT(CASE WHEN ${present} AND ${j}.${ctx.quoteIdent(rel.parentColumns[0]!)} IS NULL THEN 1 END)`,
  };
}

export interface OrphanCheck<T> {
  rel: Relation;
  path: string;
  /** Whatever the rule needs back with the result (the FK, the implied parent…). */
  about: T;
}

/**
 * Counts orphans for many relations (each bounded to the first
 * sampleThreshold rows of a large child) in a few batched statements, then
 * samples keys and missing values for the ones that have orphans.
 */
export async function countOrphansMany<T>(ctx: RuleContext, checks: readonly OrphanCheck<T>[]): Promise<{ check: OrphanCheck<T>; result: OrphanCount }[]> {
  const planned: { check: OrphanCheck<T>; src: ScanSource }[] = [];
  for (const check of checks) {
    const src = await scanSource(ctx, check.rel.child, check.rel.columns);
    if (src) planned.push({ check, src });
  }
  let counts: ({ n: unknown }[] | null)[];
  if (ctx.dataMode === 'full') {
    // Every row: the counts come from each child's one pass (the probes the rule declared).
    counts = [];
    for (const { check } of planned) {
      const probe = orphanProbe(ctx, check.rel);
      const got = await passCounts(ctx, check.rel.child, [probe]);
      counts.push(got ? [{ n: got.values.get(probe.id) }] : null);
    }
  } else {
    counts = await runBatched<{ n: unknown }>(
      ctx,
      planned.map(({ check, src }) => ({ path: check.path, sql: `SELECT COUNT(*) AS n FROM ${src.from} WHERE ${orphanPredicate(ctx, check.rel, 'src')}`, weight: armWeight(ctx, check.rel.child, src.sampled) })),
    );
  }
  const out: { check: OrphanCheck<T>; result: OrphanCount }[] = [];
  for (const [i, { check, src }] of planned.entries()) {
    const orphans = num(counts[i]?.[0]?.n);
    if (!counts[i] || orphans === 0) continue;
    const { rel, path } = check;
    const result: OrphanCount = { orphans, sampleKeys: [], missingValues: [], sampled: src.sampled };
    const fk = rel.columns.map((c, j) => `src.${ctx.quoteIdent(c)} AS f${j}`);
    const rows = await runQuery<Record<string, unknown>>(
      ctx,
      path,
      `SELECT ${[...selectKeys(ctx, rel.child), ...fk].join(', ')} FROM ${src.from} WHERE ${orphanPredicate(ctx, rel, 'src')}${orderByKey(ctx, rel.child, 'src')} LIMIT ${SAMPLE_KEYS}`,
    );
    if (rows) {
      result.sampleKeys = sampleKeysOf(rows.map((r) => ({ key: sampleKey(rel.child, r) })));
      result.missingValues = [...new Set(rows.map((r) => rel.columns.map((c, j) => (isSecretColumnName(c) ? redactValue(r[`f${j}`]) : String(r[`f${j}`]))).join(',')))];
    }
    out.push({ check, result });
  }
  return out;
}

/**
 * SQL that clears the orphans: NULL the reference when every column is
 * nullable, otherwise delete the rows. Portable UPDATE/DELETE with a
 * correlated NOT EXISTS; a human must still choose between them.
 */
export function orphanCleanupSql(ctx: RuleContext, rel: Relation): string {
  const table = ctx.quoteQualified(rel.child.schema, rel.child.name);
  const outer = ctx.quoteIdent(rel.child.name);
  const where = orphanPredicate(ctx, rel, outer);
  const nullable = rel.columns.every((c) => rel.child.columns.find((x) => x.name === c)?.nullable);
  if (nullable) return `UPDATE ${table} SET ${rel.columns.map((c) => `${ctx.quoteIdent(c)} = NULL`).join(', ')} WHERE ${where};`;
  return `DELETE FROM ${table} WHERE ${where};`;
}

/** Columns already covered by a declared foreign key. */
export function hasDeclaredForeignKey(t: Table, column: string): boolean {
  return t.foreignKeys.some((fk) => fk.columns.includes(column));
}

/** The single-column primary key of a table, or undefined. */
export function singleKey(t: Table): Column | undefined {
  const pk = t.primaryKey?.columns;
  if (pk?.length !== 1) return undefined;
  return t.columns.find((c) => c.name === pk[0]);
}

function tableNamed(c: Catalog, schema: string, names: readonly string[]): Table | undefined {
  const s = c.schemas.find((x) => x.name === schema);
  if (!s) return undefined;
  for (const n of names) {
    const t = s.tables.find((x) => x.name.toLowerCase() === n);
    if (t) return t;
  }
  return undefined;
}

/** Every table `t` inherits from (INHERITS, transitively); empty for most tables. */
export function ancestorsOf(c: Catalog, t: Table): Set<Table> {
  const out = new Set<Table>();
  const walk = (x: Table) => {
    for (const q of x.inherits ?? []) {
      const dot = q.indexOf('.');
      const p = c.schemas.find((s) => s.name === q.slice(0, dot))?.tables.find((y) => y.name === q.slice(dot + 1));
      if (p && !out.has(p)) {
        out.add(p);
        walk(p);
      }
    }
  };
  walk(t);
  return out;
}

/**
 * The table a `<thing>_id` column points at by convention: `<thing>s`,
 * `<thing>`, the same with the child's prefix (`core_users` for
 * `core_audit_logs.user_id`), then the last word of a role-qualified name
 * (`created_by_user_id` → users). Only when the parent has a one-column
 * primary key of a comparable type. May return the child itself for a
 * role-qualified name (a self-reference), never for the table's own name or an ancestor.
 */
export function impliedParent(c: Catalog, t: Table, column: Column): { table: Table; key: Column } | undefined {
  const named = impliedParentByName(c, t, column);
  if (!named) return undefined;
  const fam = typeFamily(column);
  if (fam === 'other' || fam !== typeFamily(named.key)) return undefined;
  return named;
}

/** impliedParent before the type check: the table and key the column's name points at, whatever its type. */
export function impliedParentByName(c: Catalog, t: Table, column: Column): { table: Table; key: Column } | undefined {
  const m = /^(.+)_id$/i.exec(column.name) ?? /^(.*[a-z0-9])Id$/.exec(column.name);
  if (!m) return undefined;
  if (t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === column.name) return undefined;
  const base = m[1]!.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const words = [base];
  const last = base.split('_').pop()!;
  if (last !== base) words.push(last);
  const prefix = tablePrefix(t.name).toLowerCase();
  for (const w of words) {
    const names = [...plurals(w), w];
    const withPrefix = prefix && !w.startsWith(prefix) ? names.map((n) => prefix + n) : [];
    const parent = tableNamed(c, t.schema, [...names, ...withPrefix]);
    if (!parent) continue;
    // `gauges.gauge_id` names the row itself (an external or legacy id), not a
    // reference; only a role-qualified name (`companion_gauge_id`) points back.
    if (parent === t && w === base) return undefined;
    // An inheritance child carries its ancestor's key as its own: a FOREIGN KEY
    // to the ancestor would check ONLY the ancestor's rows and reject the child's.
    if (ancestorsOf(c, t).has(parent)) return undefined;
    const key = singleKey(parent);
    if (!key) return undefined;
    return { table: parent, key };
  }
  return undefined;
}
