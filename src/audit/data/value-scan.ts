// Fetches a bounded sample of column values (with their row keys) for rules
// that classify values in TypeScript — ciphertext, hash and JSON shapes are
// not expressible in portable SQL. Many tables' columns go out in a few
// batched statements. Values stay inside the rule: findings carry counts and
// keys, never values.
import type { Table } from '../../catalog/types.js';
import type { RuleContext } from '../rule.js';
import { armWeight, fetchLimit, isLarge, keySignature, orderByKey, rowSource, runBatchedBy, sampleKey, selectKeys, type SampleKey } from './sql.js';
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
}

export interface TableValues {
  table: Table;
  columns: ColumnValues[];
}

/** Values of the requested columns of many tables; a table whose values could not be read is left out (and recorded as skipped). */
export async function fetchValuesMany(ctx: RuleContext, wanted: readonly { table: Table; requests: readonly ValueRequest[] }[]): Promise<TableValues[]> {
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
    for (const row of got.slice(0, limit)) {
      const v = row.v;
      if (v === null || v === undefined) continue;
      values.push({ key: sampleKey(a.table, row), value: v instanceof Uint8Array ? v : typeof v === 'string' ? v : JSON.stringify(v) });
    }
    tv.columns.push({ column: a.request.column, values, sampled: a.large || got.length > limit });
  });
  return [...out.values()];
}
