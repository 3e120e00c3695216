// Primary key columns that are not the table's first columns (SchemaCrawler
// "primary key not first", pg-index-health "tables where primary key columns
// not first"). Opt-in: a readability convention, not a defect.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'primary-key-not-first',
    code: 'PLB075',
    title: 'Primary key columns are not the first columns',
    category: 'design',
    severity: 'info',
    enabledByDefault: false,
    docs: {
      description:
        'By convention the key comes first: `SELECT *`, `\\d`, ERDs and generated code then show what identifies a row before anything ' +
        'else. Off by default (it costs nothing at run time, and a column added later cannot be moved without rebuilding the table); ' +
        'enable it to hold new tables to the convention.',
      bad: `CREATE TABLE badges (label text NOT NULL, id bigint PRIMARY KEY);`,
      good: `CREATE TABLE badges (id bigint PRIMARY KEY, label text NOT NULL);`,
      remediation: 'Declare the key columns first in new tables; reorder an existing one only when it is rebuilt anyway.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || !table.primaryKey) continue;
      const first = [...table.columns].sort((a, b) => a.ordinal - b.ordinal).slice(0, table.primaryKey.columns.length).map((c) => c.name);
      if (table.primaryKey.columns.every((c) => first.includes(c))) continue;
      ctx.report({ path: table.primaryKey.path, message: `primary key of ${table.path} (${table.primaryKey.columns.join(', ')}) is not at the start of its columns`, evidence: { columns: table.primaryKey.columns } });
    }
  },
});
