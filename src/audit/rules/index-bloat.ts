// Estimated b-tree index bloat (pg-index-health "bloated indexes"): pages an
// index occupies beyond what its entries need, from the planner's statistics
// (pg_stats widths, pg_class counts) — an estimate, never a scan.
import { bloatOf, bloatThresholds } from '../bloat.js';
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

interface Row {
  s: string;
  t: string;
  i: string;
  pages: string;
  tuples: number;
  bs: number;
}

const ALIGN = 8;
const pad = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** Leaf pages the entries need: 8-byte tuple header + aligned key + 4-byte line pointer, pages filled to `fillfactor`. */
export function expectedIndexPages(tuples: number, keyWidth: number, bs: number, fillfactor = 90): number {
  const entry = 8 + pad(keyWidth) + 4;
  const usable = (bs - 24 - 16) * (fillfactor / 100);
  const leaves = Math.ceil((Math.max(tuples, 0) * entry) / usable);
  return leaves + Math.ceil(leaves / 100) + 1; // + inner pages + the meta page
}

export default defineRule({
  meta: {
    id: 'index-bloat',
    code: 'PLB083',
    title: 'Index bloat (estimated)',
    category: 'performance',
    severity: 'warning',
    dialects: ['postgres'],
    requires: ['statistics'],
    data: true,
    options: { minWasteBytes: 50 * 1024 * 1024, minWasteRatio: 0.5 },
    docs: {
      description:
        'A b-tree index never gives pages back: after mass deletes or many updates of indexed columns it keeps the pages the old entries ' +
        'filled, and every scan and cache pass reads them. The rule estimates, from the planner\'s statistics (key column widths in ' +
        '`pg_stats`, row and page counts in `pg_class`), how many pages the index needs, and reports indexes where more than ' +
        '`minWasteRatio` of the pages and at least `minWasteBytes` are beyond that. Expression and non-b-tree indexes are skipped; it is ' +
        'an estimate, and tables never analysed are skipped.',
      bad: `CREATE TABLE sort_runs (id bigint PRIMARY KEY, kind text NOT NULL);
INSERT INTO sort_runs SELECT g, 'k' || (g % 7) FROM generate_series(1, 20000) g;
DELETE FROM sort_runs WHERE id % 10 <> 0;
ANALYZE sort_runs;`,
      good: `CREATE TABLE sort_runs (id bigint PRIMARY KEY, kind text NOT NULL);
INSERT INTO sort_runs SELECT g, 'k' || (g % 7) FROM generate_series(1, 2000) g;
ANALYZE sort_runs;`,
      remediation: '`REINDEX INDEX CONCURRENTLY name;` (Postgres 12+), or build a new index concurrently and drop the old one.',
    },
    fixture: { options: { minWasteBytes: 200000 } },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads planner statistics (pg_stats): needs a live connection');
      return;
    }
    const thresholds = bloatThresholds(ctx);
    const rows = await ctx.query<Row>(
      `SELECT n.nspname AS s, t.relname AS t, i.relname AS i, i.relpages::text AS pages, i.reltuples::float8 AS tuples, current_setting('block_size')::int AS bs
         FROM pg_catalog.pg_index x
         JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
         JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_catalog.pg_am am ON am.oid = i.relam
        WHERE am.amname = 'btree' AND n.nspname = ANY($1) AND i.relpages > 0 AND i.reltuples >= 0
        ORDER BY 1, 2, 3`,
      [ctx.catalog.schemas.map((s) => s.name)],
    );
    if (!rows.length) return;
    const widths = await ctx.query<{ s: string; t: string; c: string; w: number }>(
      `SELECT schemaname AS s, tablename AS t, attname AS c, avg_width::float8 AS w FROM pg_catalog.pg_stats WHERE schemaname = ANY($1) AND NOT inherited`,
      [ctx.catalog.schemas.map((s) => s.name)],
    );
    const width = new Map(widths.map((w) => [`${w.s}\u0000${w.t}\u0000${w.c}`, w.w]));
    const indexes = new Map<string, { path: string; columns: string[]; fillfactor: number }>();
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const ix of table.indexes) {
        if (ix.elements.some((e) => !e.column)) continue;
        indexes.set(`${table.schema}\u0000${ix.name}`, { path: ix.path, columns: [...ix.elements.map((e) => e.column!), ...ix.include], fillfactor: 90 });
      }
    }
    for (const r of rows) {
      const ix = indexes.get(`${r.s}\u0000${r.i}`);
      if (!ix) continue;
      const ws = ix.columns.map((c) => width.get(`${r.s}\u0000${r.t}\u0000${c}`));
      if (ws.some((w) => w === undefined)) continue; // table not analysed
      const pages = Number(r.pages);
      const expected = expectedIndexPages(r.tuples, ws.reduce((a, b) => a! + b!, 0)!, r.bs, ix.fillfactor);
      const bloat = bloatOf(pages, expected, r.bs, r.tuples, 'entries', thresholds);
      if (!bloat) continue;
      ctx.report({
        path: ix.path,
        message: `index ${r.i} on ${r.s}.${r.t} ${bloat.sentence}`,
        evidence: { pages, expectedPages: expected, wasteBytes: bloat.waste },
        fix: `REINDEX INDEX CONCURRENTLY ${ctx.quoteQualified(r.s, r.i)};`,
      });
    }
  },
});
