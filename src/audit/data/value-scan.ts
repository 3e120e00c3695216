// Fetches a bounded sample of column values (with their row keys) for rules
// that classify values in TypeScript — ciphertext, hash and JSON shapes are
// not expressible in portable SQL. Many tables' columns go out in a few
// batched statements; in full data mode every value, page by page in key
// order. Values stay inside the rule: findings carry counts and keys, never
// values.
import type { Table } from '../../catalog/types.js';
import type { RuleContext } from '../rule.js';
import { armWeight, fetchLimit, isLarge, keyColumns, keySignature, orderByKey, placeholder, rowSource, runBatchedBy, runQuery, sampleKey, selectKeys, type SampleKey } from './sql.js';
import { jsonLookingSql, tableProfiles } from './table-profile.js';

export interface ValueRequest {
  column: string;
  /** `present`: every non-null value; `json-looking`: only values starting with `{` or `[` (a portable LIKE). */
  filter: 'present' | 'json-looking';
}

export interface ColumnValues {
  column: string;
  values: { key: SampleKey | null; value: string | Uint8Array }[];
  /** True when not every row was looked at (large table, or more matches than the fetch limit). */
  sampled: boolean;
  /** Values read, kept or not (fetchValuesMany's `keep`). */
  seen: number;
}

/** Which values to keep in memory (full mode reads them all): the rest are only counted in `seen`. */
export type KeepValue = (table: Table, column: string, value: string | Uint8Array) => boolean;

/** Rows per page when full mode reads every value of a column. */
const PAGE = 10_000;

export interface TableValues {
  table: Table;
  columns: ColumnValues[];
}

/** Values of the requested columns of many tables; a table whose values could not be read is left out (and recorded as skipped). */
export async function fetchValuesMany(ctx: RuleContext, wanted: readonly { table: Table; requests: readonly ValueRequest[] }[], keep?: KeepValue): Promise<TableValues[]> {
  if (ctx.dataMode === 'full') return fetchAllValues(ctx, wanted, keep);
  const limit = fetchLimit(ctx);
  const arms: { table: Table; request: ValueRequest; large: boolean; path: string; sql: string; weight: number; signature: string }[] = [];
  const sized: { t: Table; requests: readonly ValueRequest[]; large: boolean }[] = [];
  for (const { table: t, requests } of wanted) {
    const large = await isLarge(ctx, t);
    if (large !== null) sized.push({ t, requests, large });
  }
  // A small table's shared profile (same rows, same predicates) proves most columns have nothing to
  // fetch. A large table is fetched directly: its fetch stops at the limit, its profile would not.
  const profiles = await tableProfiles(ctx, sized.filter((x) => !x.large).map((x) => x.t));
  for (const { t, requests: all, large } of sized) {
    const p = profiles.get(t.path);
    if (!large && !p) continue; // unreadable: the profile recorded why
    const requests = p ? all.filter((r) => (r.filter === 'present' ? p.nonNull.get(r.column) : p.jsonLooking.get(r.column)) !== 0) : all;
    if (!requests.length) continue;
    const from = `${rowSource(ctx, t, requests.map((r) => r.column), large ? ctx.sampleThreshold : undefined)} src`;
    for (const r of requests) {
      const c = `src.${ctx.quoteIdent(r.column)}`;
      const pred = r.filter === 'present' ? `${c} IS NOT NULL` : jsonLookingSql(c);
      arms.push({
        table: t,
        request: r,
        large,
        path: t.columns.find((x) => x.name === r.column)?.path ?? t.path,
        sql: `SELECT ${[...selectKeys(ctx, t), `${c} AS v`].join(', ')} FROM ${from} WHERE ${pred}${orderByKey(ctx, t, 'src')} LIMIT ${limit + 1}`,
        weight: armWeight(ctx, t, large),
        // Binary and text values cannot share a UNION column.
        signature: `${keySignature(t)}|${['bytea', 'blob'].includes(t.columns.find((x) => x.name === r.column)?.type.kind ?? '') ? 'bin' : 'text'}`,
      });
    }
  }
  const rows = await runBatchedBy<Record<string, unknown>>(ctx, arms);
  const out = new Map<Table, TableValues>();
  arms.forEach((a, i) => {
    const got = rows[i];
    if (!got) return;
    let tv = out.get(a.table);
    if (!tv) out.set(a.table, (tv = { table: a.table, columns: [] }));
    const values: ColumnValues['values'] = [];
    let seen = 0;
    for (const row of got.slice(0, limit)) {
      const v = valueOf(row.v);
      if (v === null) continue;
      seen++;
      if (!keep || keep(a.table, a.request.column, v)) values.push({ key: sampleKey(a.table, row), value: v });
    }
    tv.columns.push({ column: a.request.column, values, sampled: a.large || got.length > limit, seen });
  });
  return [...out.values()];
}

function valueOf(v: unknown): string | Uint8Array | null {
  if (v === null || v === undefined) return null;
  return v instanceof Uint8Array ? v : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Full mode: every value of every requested column, read in pages of PAGE
 * rows after the last key (keyset paging, a bounded index range each), or
 * in one statement for a table without a key. Columns the table's profile
 * proves empty are not read.
 */
async function fetchAllValues(ctx: RuleContext, wanted: readonly { table: Table; requests: readonly ValueRequest[] }[], keep: KeepValue | undefined): Promise<TableValues[]> {
  const profiles = await tableProfiles(ctx, wanted.map((w) => w.table));
  const out: TableValues[] = [];
  for (const { table: t, requests: all } of wanted) {
    const p = profiles.get(t.path);
    if (!p) continue;
    const requests = all.filter((r) => (r.filter === 'present' ? p.nonNull.get(r.column) : p.jsonLooking.get(r.column)) !== 0);
    const keys = keyColumns(t);
    const tv: TableValues = { table: t, columns: [] };
    for (const r of requests) {
      const c = `src.${ctx.quoteIdent(r.column)}`;
      const pred = r.filter === 'present' ? `${c} IS NOT NULL` : jsonLookingSql(c);
      const head = `SELECT ${[...selectKeys(ctx, t), `${c} AS v`].join(', ')} FROM ${ctx.quoteQualified(t.schema, t.name)} src WHERE ${pred}`;
      const path = t.columns.find((x) => x.name === r.column)?.path ?? t.path;
      const cv: ColumnValues = { column: r.column, values: [], sampled: false, seen: 0 };
      let after: unknown[] | null = null;
      let failed = false;
      for (;;) {
        const range = after ? ` AND (${keys.map((k) => `src.${ctx.quoteIdent(k)}`).join(', ')}) > (${keys.map((_, i) => placeholder(ctx, i + 1)).join(', ')})` : '';
        const rows: Record<string, unknown>[] | null = await runQuery<Record<string, unknown>>(ctx, path, keys.length ? `${head}${range}${orderByKey(ctx, t, 'src')} LIMIT ${PAGE}` : head, after ?? []);
        if (!rows) {
          failed = true; // a skipped check says why; a column read in part is not reported as read
          break;
        }
        for (const row of rows) {
          const v = valueOf(row.v);
          if (v === null) continue;
          cv.seen++;
          if (!keep || keep(t, r.column, v)) cv.values.push({ key: sampleKey(t, row), value: v });
        }
        if (!keys.length || rows.length < PAGE) break;
        const last: Record<string, unknown> = rows[rows.length - 1]!;
        after = keys.map((_, i) => last[`k${i}`]);
      }
      if (!failed) tv.columns.push(cv);
    }
    if (tv.columns.length) out.push(tv);
  }
  return out;
}
