// Composite indexes with a timestamp before other columns (pg-index-health):
// a timestamp is nearly unique and usually filtered by range, so the columns
// after it can only be used as a filter over the scanned range.
import type { Index, Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

const TIMESTAMPS = new Set(['timestamp', 'timestamptz']);
/** Nullable "state" timestamps (`deleted_at`, `locked_at`) are filtered with IS NULL — an equality, not a range. */
const STATE = /(deleted|archived|removed|discarded|cancell?ed|failed|locked|expired|disabled)_?at$/i;

/** Columns that make a row unique on their own (the primary key, a single-column unique). */
function uniqueColumns(t: Table): Set<string> {
  const out = new Set<string>();
  if (t.primaryKey?.columns.length === 1) out.add(t.primaryKey.columns[0]!);
  for (const u of t.uniques) if (u.columns.length === 1) out.add(u.columns[0]!);
  for (const ix of t.indexes) if (ix.unique && !ix.predicate && ix.elements.length === 1 && ix.elements[0]!.column) out.add(ix.elements[0]!.column);
  return out;
}

export default defineRule({
  meta: {
    id: 'timestamp-in-middle-of-index',
    code: 'PLB058',
    title: 'Timestamp column before other columns in an index',
    category: 'performance',
    severity: 'info',
    docs: {
      description:
        'In a composite b-tree the columns are used left to right until the first range condition. Timestamps are compared by range ' +
        '(`created_at > now() - interval \'1 day\'`) and are nearly unique, so in `(created_at, status)` the `status` part cannot narrow the ' +
        'scan: every entry in the time range is read and filtered. Put the equality columns first and the timestamp last ' +
        '(equality, sort, range). An index that ends with the timestamp followed only by a unique key column (`(created_at, id)`, the ' +
        'keyset-pagination pattern) is not reported, nor are unique indexes, nor nullable state timestamps such as `deleted_at` or ' +
        '`locked_at`, which queries test with `IS NULL` (an equality).',
      bad: `CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, status text NOT NULL);
CREATE INDEX events_created_status_idx ON events (created_at, status);`,
      good: `CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, status text NOT NULL);
CREATE INDEX events_status_created_idx ON events (status, created_at);
CREATE INDEX events_created_id_idx ON events (created_at, id);`,
      remediation: 'Recreate the index with the timestamp last (`CREATE INDEX CONCURRENTLY … (status, created_at)`), then drop the old one.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const unique = uniqueColumns(table);
      for (const ix of table.indexes as Index[]) {
        if (ix.unique || ix.primary || ix.elements.length < 2 || (ix.method && ix.method.toLowerCase() !== 'btree')) continue;
        const kinds = ix.elements.map((e) => (e.column ? column(table, e.column)?.type.kind : undefined));
        const at = kinds.findIndex((k, i) => {
          if (i === kinds.length - 1 || k === undefined || !TIMESTAMPS.has(k)) return false;
          const c = column(table, ix.elements[i]!.column!);
          return !(c?.nullable && STATE.test(c.name));
        });
        if (at < 0) continue;
        const after = ix.elements.slice(at + 1);
        // (created_at, id): keyset pagination, the tiebreaker is a unique key.
        if (after.length === 1 && after[0]!.column && unique.has(after[0]!.column)) continue;
        const ts = ix.elements[at]!.column!;
        ctx.report({
          path: ix.path,
          message: `index ${ix.name} on ${table.path} has timestamp ${ts} before ${after.map((e) => e.column ?? e.expression).join(', ')}: the columns after a range-scanned timestamp barely narrow the scan`,
          evidence: { timestamp: ts, position: at + 1, columns: ix.elements.map((e) => e.column ?? e.expression) },
        });
      }
    }
  },
});
