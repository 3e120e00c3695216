// Tables read mostly by sequential scans (pg-index-health "tables with missing
// indexes"): the statistics say queries filter them without an index.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'sequential-scans-dominate',
    code: 'PLB084',
    title: 'Table read mostly by sequential scans',
    category: 'performance',
    severity: 'info',
    dialects: ['postgres'],
    requires: ['statistics'],
    data: true,
    options: { minRows: 10000, minSeqScans: 1000 },
    docs: {
      description:
        'A table of at least `minRows` rows that the statistics (`pg_stat_user_tables`) show scanned sequentially at least `minSeqScans` ' +
        'times, and more often than through any index, is being filtered by queries no index serves: each of those scans reads the whole ' +
        'table. `large-table-without-index` catches tables with no index at all; this one catches the queries the existing indexes miss. ' +
        'Statistics are per server and reset by `pg_stat_reset()`: the `statsSince` evidence says how long they cover. Find the queries in ' +
        '`pg_stat_statements`.',
      bad: `CREATE TABLE parcels (id bigint PRIMARY KEY, tracking_code text NOT NULL);
INSERT INTO parcels SELECT g, 'T' || g FROM generate_series(1, 2000) g;
ANALYZE parcels;
DO $$ BEGIN FOR i IN 1..60 LOOP PERFORM 1 FROM parcels WHERE tracking_code = 'T' || i; END LOOP; END $$;
SELECT pg_stat_force_next_flush();`,
      good: `CREATE TABLE parcels (id bigint PRIMARY KEY, tracking_code text NOT NULL);
CREATE INDEX parcels_tracking_code_idx ON parcels (tracking_code);
INSERT INTO parcels SELECT g, 'T' || g FROM generate_series(1, 2000) g;
ANALYZE parcels;
DO $$ BEGIN FOR i IN 1..60 LOOP PERFORM 1 FROM parcels WHERE tracking_code = 'T' || i; END LOOP; END $$;
SELECT pg_stat_force_next_flush();`,
      remediation: 'Find the filtering queries (`pg_stat_statements`, `auto_explain`) and create the index they need (`CREATE INDEX CONCURRENTLY`).',
    },
    fixture: { options: { minRows: 1000, minSeqScans: 50 } },
  },
  async check(ctx) {
    if (!ctx.query) return;
    if ((ctx.catalog.settings.track_counts ?? 'on') === 'off') {
      ctx.skip('track_counts is off: the server keeps no scan statistics');
      return;
    }
    const minRows = Number(ctx.options.minRows ?? 10000);
    const minSeq = Number(ctx.options.minSeqScans ?? 1000);
    const rows = await ctx.query<{ s: string; t: string; seq: string; idx: string | null; since: string | null }>(
      `SELECT schemaname AS s, relname AS t, seq_scan::text AS seq, idx_scan::text AS idx,
              (SELECT stats_reset::text FROM pg_catalog.pg_stat_database WHERE datname = current_database()) AS since
         FROM pg_catalog.pg_stat_user_tables WHERE schemaname = ANY($1) AND seq_scan >= $2 ORDER BY 1, 2`,
      [ctx.catalog.schemas.map((s) => s.name), minSeq],
    );
    const tables = new Map([...tablesOf(ctx.catalog)].map(({ table }) => [table.path, table]));
    for (const r of rows) {
      const t = tables.get(`${r.s}.${r.t}`);
      if (!t || isPartition(t) || (t.rowEstimate ?? 0) < minRows) continue;
      const seq = Number(r.seq);
      const idx = Number(r.idx ?? 0);
      if (seq <= idx) continue;
      ctx.report({
        path: t.path,
        message: `${t.path} (about ${Math.round(t.rowEstimate!)} rows) was scanned sequentially ${seq} times and through an index ${idx} times${r.since ? ` since ${r.since.slice(0, 10)}` : ''}: queries filter it without an index`,
        evidence: { seqScans: seq, indexScans: idx, rowEstimate: t.rowEstimate, statsSince: r.since },
      });
    }
  },
});
