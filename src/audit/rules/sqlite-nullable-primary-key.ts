// SQLite lets NULL into PRIMARY KEY columns of ordinary (rowid) tables, a
// historical bug kept for compatibility: such a key identifies nothing.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'sqlite-nullable-primary-key',
    code: 'PLB253',
    title: 'PRIMARY KEY column accepts NULL',
    category: 'integrity',
    severity: 'warning',
    dialects: ['sqlite'],
    docs: {
      description:
        'Unless a column is the INTEGER PRIMARY KEY (the rowid), or the table is STRICT or WITHOUT ROWID, SQLite accepts NULL in ' +
        'PRIMARY KEY columns, and any number of rows may have a NULL key. Declare the key columns NOT NULL.',
      bad: `CREATE TABLE accounts (code TEXT PRIMARY KEY, name TEXT);`,
      good: `CREATE TABLE accounts (code TEXT NOT NULL PRIMARY KEY, name TEXT);`,
      remediation: 'Rebuild the table with the key columns NOT NULL (after deleting or fixing rows whose key is NULL).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (!table.primaryKey || table.options?.withoutRowid || table.options?.strict) continue;
      const nullable = table.primaryKey.columns.filter((n) => table.columns.find((c) => c.name === n)?.nullable);
      if (!nullable.length) continue;
      ctx.report({
        path: table.primaryKey.path,
        message: `${table.path}: primary key column(s) ${nullable.join(', ')} accept NULL`,
        evidence: { columns: nullable },
      });
    }
  },
});
