// Partial indexes whose predicate only says `col IS NOT NULL` for a column
// that is NOT NULL (pg-index-health "indexes with unnecessary where-clause"):
// the predicate filters nothing but makes the planner prove it for each query.
import { defineRule } from '../rule.js';
import { isPartition, onlyNotNull, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'partial-index-on-not-null-column',
    code: 'PLB069',
    title: 'Partial index excludes NULLs of a NOT NULL column',
    category: 'performance',
    severity: 'info',
    requires: ['partialIndexes'],
    docs: {
      description:
        'A partial index `WHERE col IS NOT NULL` on a column declared NOT NULL leaves out nothing: it is the full index, but the planner ' +
        'can only use it for queries whose conditions imply the predicate, so a query the plain index would serve may not get it. Usually ' +
        'the column was made NOT NULL after the index was created. Drop the WHERE clause.',
      bad: `CREATE TABLE shipments (id bigint PRIMARY KEY, tracking_code text NOT NULL);
CREATE INDEX shipments_tracking_code_idx ON shipments (tracking_code) WHERE tracking_code IS NOT NULL;`,
      good: `CREATE TABLE shipments (id bigint PRIMARY KEY, tracking_code text);
CREATE INDEX shipments_tracking_code_idx ON shipments (tracking_code) WHERE tracking_code IS NOT NULL;`,
      remediation: 'Recreate the index without its WHERE clause (`CREATE INDEX CONCURRENTLY`, then drop the partial one).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const ix of table.indexes) {
        if (!ix.predicate) continue;
        const notNull = table.columns.filter((c) => !c.nullable).map((c) => c.name);
        if (!notNull.length || !onlyNotNull(ix.predicate, notNull)) continue;
        const cols = [...ix.predicate.matchAll(/[`"]?([^`"\s()]+)[`"]?\s+IS\s+NOT\s+NULL/gi)].map((m) => m[1]!);
        ctx.report({
          path: ix.path,
          message: `index ${ix.name} on ${table.path} is partial on ${ix.predicate}, but ${cols.join(', ')} ${cols.length > 1 ? 'are' : 'is'} NOT NULL: the predicate excludes nothing`,
          evidence: { predicate: ix.predicate, columns: cols },
        });
      }
    }
  },
});
