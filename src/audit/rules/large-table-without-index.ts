// A big table with no index at all: every lookup is a full scan.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'large-table-without-index',
    code: 'PLB016',
    title: 'Large table without any index',
    category: 'performance',
    severity: 'warning',
    requires: ['statistics'],
    options: { minRows: 10000 },
    docs: {
      description:
        'A table with at least `minRows` rows (the planner\'s estimate) and not a single index — not even a primary key — can only be read by ' +
        'scanning all of it, and every foreign key pointing at it is unenforceable by index. Tables never analysed are not judged.',
      bad: `CREATE TABLE raw_events (received_at timestamptz NOT NULL, payload jsonb NOT NULL);
INSERT INTO raw_events SELECT now(), '{}'::jsonb FROM generate_series(1, 12000);
ANALYZE raw_events;`,
      good: `CREATE TABLE raw_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, received_at timestamptz NOT NULL, payload jsonb NOT NULL);
INSERT INTO raw_events (received_at, payload) SELECT now(), '{}'::jsonb FROM generate_series(1, 12000);
ANALYZE raw_events;`,
      remediation: 'Add a primary key, and indexes for the columns queries filter on.',
    },
  },
  check(ctx) {
    const minRows = Number(ctx.options.minRows ?? 10000);
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.kind === 'foreign' || table.indexes.length || table.primaryKey) continue;
      if (table.rowEstimate === null || table.rowEstimate < minRows) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} has about ${Math.round(table.rowEstimate)} rows and no index`,
        evidence: { rowEstimate: Math.round(table.rowEstimate), totalBytes: table.totalBytes },
      });
    }
  },
});
