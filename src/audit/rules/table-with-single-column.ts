// Tables with no column or one (SchemaCrawler "single column", pg-index-health
// "tables with zero or one column"). Opt-in: a set of codes is sometimes right.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'table-with-single-column',
    code: 'PLB076',
    title: 'Table with zero or one column',
    category: 'design',
    severity: 'info',
    enabledByDefault: false,
    docs: {
      description:
        'A table with one column holds a set of values and nothing about them (no label, no date, no owner); with none, nothing at all — ' +
        'usually a leftover of a migration that dropped its columns, or a lookup table that will soon need a second column. Off by default: ' +
        'a one-column table of allowed codes referenced by foreign keys is a legitimate pattern.',
      bad: `CREATE TABLE tags (name text PRIMARY KEY);`,
      good: `CREATE TABLE tags (name text PRIMARY KEY, label text NOT NULL);`,
      remediation: 'Add the attributes the values need (label, active flag, …), or drop the table if nothing reads it.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.columns.length > 1) continue;
      ctx.report({ path: table.path, message: `${table.path} has ${table.columns.length ? 'a single column' : 'no columns'}`, evidence: { columns: table.columns.map((c) => c.name) } });
    }
  },
});
