// Indexes the statistics say were never scanned on a table that is queried:
// write cost and disk for nothing. Reads pg_stat_user_indexes (a query, so a
// data-ish rule), reports how old the statistics are, and skips when
// track_counts is off.
import { defineRule } from '../rule.js';
import { indexCovers, tableHasCoveringIndex, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'unused-index',
    code: 'PLB014',
    title: 'Index never used since statistics were reset',
    category: 'performance',
    severity: 'info',
    dialects: ['postgres'],
    requires: ['statistics'],
    data: true,
    options: { minTableScans: 1000 },
    docs: {
      description:
        'An index with zero scans on a table that has been read at least `minTableScans` times (sequential + index scans) ' +
        'is probably not needed. Unique, primary-key and constraint indexes are never reported (they enforce rules), nor is the ' +
        'only index covering a foreign key (parent deletes and updates need it even when no query does). ' +
        'Statistics are per server and reset by `pg_stat_reset()` or a crash, and replicas keep their own: check the ' +
        '`statsSince` evidence and every replica before dropping.',
      bad: `CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, queue_code text NOT NULL);
CREATE INDEX tickets_queue_code_idx ON tickets (queue_code);
INSERT INTO tickets (queue_code) SELECT 'q' || (g % 10) FROM generate_series(1, 200) g;
-- the application only ever looks tickets up by id
DO $$ BEGIN FOR i IN 1..1100 LOOP PERFORM 1 FROM tickets WHERE id = i; END LOOP; END $$;
SELECT pg_stat_force_next_flush();`,
      good: `CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, queue_code text NOT NULL);
CREATE INDEX tickets_queue_code_idx ON tickets (queue_code);
INSERT INTO tickets (queue_code) SELECT 'q' || (g % 10) FROM generate_series(1, 200) g;
DO $$ BEGIN
  PERFORM set_config('enable_seqscan', 'off', true);
  FOR i IN 1..1100 LOOP PERFORM 1 FROM tickets WHERE queue_code = 'q' || (i % 10); END LOOP;
END $$;
SELECT pg_stat_force_next_flush();`,
      remediation: 'Confirm on every replica that the index is unused, then `DROP INDEX CONCURRENTLY`.',
    },
  },
  async check(ctx) {
    if (!ctx.query) return;
    if ((ctx.catalog.settings.track_counts ?? 'on') === 'off') {
      ctx.skip('track_counts is off: the server keeps no index usage statistics');
      return;
    }
    const schemas = ctx.catalog.schemas.map((s) => s.name);
    const keptIndexes = new Set<string>();
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const ix of table.indexes) {
        if (ix.unique || ix.primary || ix.constraint) keptIndexes.add(`${table.schema}\u0000${ix.name}`);
        // The only index covering a foreign key: dropping it would make
        // foreign-key-without-index ask for it back (parent deletes scan the table).
        else if (table.foreignKeys.some((fk) => indexCovers(ix, fk.columns) && !tableHasCoveringIndex({ ...table, indexes: table.indexes.filter((x) => x !== ix) }, fk.columns))) keptIndexes.add(`${table.schema}\u0000${ix.name}`);
      }
    }
    const [since] = await ctx.query<{ reset: string | null }>(`SELECT stats_reset::text AS reset FROM pg_stat_database WHERE datname = current_database()`);
    const rows = await ctx.query<{ s: string; t: string; i: string; scans: string; bytes: string }>(
      `SELECT s.schemaname AS s, s.relname AS t, s.indexrelname AS i,
              (coalesce(t.seq_scan, 0) + coalesce(t.idx_scan, 0))::text AS scans, pg_relation_size(s.indexrelid)::text AS bytes
         FROM pg_stat_user_indexes s JOIN pg_stat_user_tables t ON t.relid = s.relid
        WHERE s.idx_scan = 0 AND s.schemaname = ANY($1) AND coalesce(t.seq_scan, 0) + coalesce(t.idx_scan, 0) >= $2
        ORDER BY 1, 2, 3`,
      [schemas, Number(ctx.options.minTableScans ?? 1000)],
    );
    const statsSince = since?.reset ?? 'server start or earlier (never reset)';
    for (const r of rows) {
      if (keptIndexes.has(`${r.s}\u0000${r.i}`)) continue;
      const path = ctx.catalog.schemas.find((s) => s.name === r.s)?.tables.find((t) => t.name === r.t)?.indexes.find((i) => i.name === r.i)?.path;
      if (!path) continue;
      ctx.report({
        path,
        message: `index ${r.i} on ${r.s}.${r.t} has not been scanned since ${statsSince}, while the table was read ${r.scans} times`,
        evidence: { indexBytes: Number(r.bytes), tableScans: Number(r.scans), statsSince },
        fix: `DROP INDEX CONCURRENTLY ${ctx.quoteQualified(r.s, r.i)};`,
      });
    }
  },
});
