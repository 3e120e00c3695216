// Estimated table bloat (splinter 0020, pg-index-health "bloated tables"):
// pages the table occupies beyond what its live rows need, from the
// planner's statistics (pg_stats, pg_class) — an estimate, never a scan.
import { bloatOf, bloatThresholds } from '../bloat.js';
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

interface Row {
  s: string;
  t: string;
  pages: string;
  tuples: number;
  bs: number;
  width: number;
  maxnull: number;
  nullcols: string;
}

const HEADER = 23;
const ALIGN = 8;
const pad = (n: number) => n + ALIGN - (n % ALIGN === 0 ? ALIGN : n % ALIGN);

/** Pages the live rows would need when packed (the ioguix/check_postgres estimate splinter uses). */
export function expectedPages(r: Pick<Row, 'tuples' | 'bs' | 'width' | 'maxnull'> & { nullcols: number }, fillfactor = 100): number {
  const data = pad(r.width + pad(HEADER) - HEADER + HEADER);
  const nullhdr = r.maxnull * pad(HEADER + 1 + Math.floor(r.nullcols / 8));
  const row = data + nullhdr + 4; // + line pointer
  return Math.ceil((Math.max(r.tuples, 0) * row * (100 / fillfactor)) / (r.bs - 20));
}

export default defineRule({
  meta: {
    id: 'table-bloat',
    code: 'PLB062',
    title: 'Table bloat (estimated)',
    category: 'performance',
    severity: 'warning',
    dialects: ['postgres'],
    requires: ['statistics'],
    data: true,
    options: { minWasteBytes: 50 * 1024 * 1024, minWasteRatio: 0.5 },
    docs: {
      description:
        'Updates and deletes leave dead rows; VACUUM makes their space reusable but does not give it back, so a table that once held far ' +
        'more rows (or whose autovacuum fell behind) keeps reading and caching empty pages. The rule estimates, from the planner\'s ' +
        'statistics (`pg_stats` average widths and `pg_class` row and page counts, the estimate Supabase\'s splinter and pg-index-health ' +
        'use), how many pages the live rows need, and reports tables where more than `minWasteRatio` of the pages and at least ' +
        '`minWasteBytes` are beyond that. It is an estimate: tables never analysed are skipped, and a table with `fillfactor` below 100 ' +
        'is allowed that much free space.',
      bad: `CREATE TABLE page_views (id bigint PRIMARY KEY, url text NOT NULL, referrer text NOT NULL);
INSERT INTO page_views SELECT g, md5(g::text), repeat('x', 200) FROM generate_series(1, 20000) g;
DELETE FROM page_views WHERE id % 10 <> 0;
ANALYZE page_views;`,
      good: `CREATE TABLE page_views (id bigint PRIMARY KEY, url text NOT NULL, referrer text NOT NULL);
INSERT INTO page_views SELECT g, md5(g::text), repeat('x', 200) FROM generate_series(1, 2000) g;
ANALYZE page_views;`,
      remediation:
        'Rewrite the table without locking it for long (`pg_repack`, or `VACUUM FULL` / `CLUSTER` in a maintenance window), then make autovacuum keep up (lower `autovacuum_vacuum_scale_factor` on the table).',
    },
    fixture: { options: { minWasteBytes: 1000000 } },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads planner statistics (pg_stats): needs a live connection');
      return;
    }
    const thresholds = bloatThresholds(ctx);
    const fillfactor = new Map<string, number>();
    for (const { table } of tablesOf(ctx.catalog)) {
      const ff = table.storageParameters?.find((p) => p.startsWith('fillfactor='));
      if (ff) fillfactor.set(table.path, Number(ff.slice('fillfactor='.length)) || 100);
    }
    const rows = await ctx.query<Row>(
      `WITH s AS (
         SELECT schemaname, tablename, sum((1 - null_frac) * avg_width)::float8 AS width, max(null_frac)::float8 AS maxnull,
                count(*) FILTER (WHERE null_frac <> 0) AS nullcols
           FROM pg_catalog.pg_stats WHERE schemaname = ANY($1) AND NOT inherited GROUP BY 1, 2)
       SELECT n.nspname AS s, c.relname AS t, c.relpages::text AS pages, c.reltuples::float8 AS tuples,
              current_setting('block_size')::int AS bs, s.width, s.maxnull, s.nullcols::text AS nullcols
         FROM s JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname
         JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
        WHERE c.relkind = 'r' AND c.reltuples >= 0 AND c.relpages > 0
        ORDER BY 1, 2`,
      [ctx.catalog.schemas.map((s) => s.name)],
    );
    for (const r of rows) {
      const path = `${r.s}.${r.t}`;
      const pages = Number(r.pages);
      const expected = expectedPages({ ...r, nullcols: Number(r.nullcols) }, fillfactor.get(path) ?? 100);
      const bloat = bloatOf(pages, expected, r.bs, r.tuples, 'rows', thresholds);
      if (!bloat) continue;
      ctx.report({
        path,
        message: `${path} ${bloat.sentence}`,
        evidence: { pages, expectedPages: expected, wasteBytes: bloat.waste, rowEstimate: Math.round(r.tuples) },
      });
    }
  },
});
