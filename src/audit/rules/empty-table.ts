// Tables without a single row (SchemaCrawler "empty table", pg-index-health
// "tables with no data"). Opt-in: a schema-only or freshly installed database
// is empty by design. Reads one row per table at most (LIMIT 1).
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'empty-table',
    code: 'PLB085',
    title: 'Table without rows',
    category: 'design',
    severity: 'info',
    data: true,
    enabledByDefault: false,
    docs: {
      description:
        'On a database in use, a table that holds no row at all is often a leftover: a feature that was removed, a migration that created ' +
        'a table nobody writes, a copy made before a rename. Off by default, since a schema-only, test or newly installed database is ' +
        'empty by design; enable it on production audits. Reads at most one row of each table; partitioned tables are judged as a whole.',
      bad: `CREATE TABLE legacy_exports (id bigint PRIMARY KEY, file_name text NOT NULL);`,
      good: `CREATE TABLE legacy_exports (id bigint PRIMARY KEY, file_name text NOT NULL);
INSERT INTO legacy_exports VALUES (1, 'first-export.csv');`,
      remediation: 'Drop the table if nothing writes or reads it any more (check the code and the statistics first); otherwise document why it is empty.',
    },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads one row of each table: needs a live connection');
      return;
    }
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.kind === 'foreign') continue;
      if ((table.rowEstimate ?? 0) > 0 && !table.rowsExact) continue; // the planner has seen rows
      const rows = await ctx.query(`SELECT 1 AS x FROM ${ctx.quoteQualified(table.schema, table.name)} LIMIT 1`);
      if (rows.length) continue;
      ctx.report({ path: table.path, message: `${table.path} has no rows` });
    }
  },
});
