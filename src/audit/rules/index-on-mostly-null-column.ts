// Indexes led by a column that is mostly NULL (pg-index-health "indexes with
// null values"): the NULL entries are stored and maintained but a lookup by
// value never reads them; a partial index leaves them out.
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'index-on-mostly-null-column',
    code: 'PLB081',
    title: 'Index stores mostly NULL entries',
    category: 'performance',
    severity: 'info',
    dialects: ['postgres'],
    requires: ['statistics', 'partialIndexes'],
    data: true,
    options: { minNullFraction: 0.5, minRows: 1000 },
    docs: {
      description:
        'A non-unique b-tree index whose first column is NULL in most rows (by the planner\'s statistics, `pg_stats.null_frac`) stores an ' +
        'entry for every NULL although `WHERE col = $1` never reads them: the index is several times larger than it needs to be and every ' +
        'insert pays for it. A partial index `WHERE col IS NOT NULL` serves the same lookups. Reported when the NULL fraction is at least ' +
        '`minNullFraction` on a table of at least `minRows` rows; tables never analysed are skipped.',
      bad: `CREATE TABLE tickets (id bigint PRIMARY KEY, merged_into_id bigint);
INSERT INTO tickets SELECT g, CASE WHEN g % 20 = 0 THEN g - 1 END FROM generate_series(1, 2000) g;
CREATE INDEX tickets_merged_into_idx ON tickets (merged_into_id);
ANALYZE tickets;`,
      good: `CREATE TABLE tickets (id bigint PRIMARY KEY, merged_into_id bigint);
INSERT INTO tickets SELECT g, CASE WHEN g % 20 = 0 THEN g - 1 END FROM generate_series(1, 2000) g;
CREATE INDEX tickets_merged_into_idx ON tickets (merged_into_id) WHERE merged_into_id IS NOT NULL;
ANALYZE tickets;`,
      remediation: '`CREATE INDEX CONCURRENTLY … (col) WHERE col IS NOT NULL`, then drop the full index (unless a query looks for `col IS NULL`).',
    },
  },
  async check(ctx) {
    if (!ctx.query) return;
    const minFrac = Number(ctx.options.minNullFraction ?? 0.5);
    const minRows = Number(ctx.options.minRows ?? 1000);
    const candidates = new Map<string, { table: string; column: string; index: string; path: string }[]>();
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || (table.rowEstimate ?? 0) < minRows) continue;
      for (const ix of table.indexes) {
        const lead = ix.elements[0]?.column;
        if (ix.unique || ix.primary || ix.predicate || !lead || (ix.method || 'btree').toLowerCase() !== 'btree' || !column(table, lead)?.nullable) continue;
        const key = `${table.schema}\u0000${table.name}\u0000${lead}`;
        candidates.set(key, [...(candidates.get(key) ?? []), { table: table.path, column: lead, index: ix.name, path: ix.path }]);
      }
    }
    if (!candidates.size) return;
    const rows = await ctx.query<{ s: string; t: string; c: string; f: number }>(
      `SELECT schemaname AS s, tablename AS t, attname AS c, null_frac::float8 AS f FROM pg_catalog.pg_stats
        WHERE schemaname = ANY($1) AND NOT inherited AND null_frac >= $2 ORDER BY 1, 2, 3`,
      [[...new Set(ctx.catalog.schemas.map((s) => s.name))], minFrac],
    );
    for (const r of rows) {
      for (const c of candidates.get(`${r.s}\u0000${r.t}\u0000${r.c}`) ?? []) {
        ctx.report({
          path: c.path,
          message: `index ${c.index} on ${c.table} is led by ${c.column}, which is NULL in ${Math.round(r.f * 100)}% of rows: a partial index WHERE ${c.column} IS NOT NULL would leave them out`,
          evidence: { column: c.column, nullFraction: Math.round(r.f * 1000) / 1000 },
        });
      }
    }
  },
});
