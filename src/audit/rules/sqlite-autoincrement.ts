// SQLite AUTOINCREMENT: rarely needed, costs a write to sqlite_sequence on
// every insert, and is often mistaken for what INTEGER PRIMARY KEY already does.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'sqlite-autoincrement',
    code: 'PLB252',
    title: 'AUTOINCREMENT where INTEGER PRIMARY KEY would do',
    category: 'performance',
    severity: 'info',
    dialects: ['sqlite'],
    docs: {
      description:
        'In SQLite an INTEGER PRIMARY KEY already numbers rows by itself. AUTOINCREMENT only adds a guarantee that ids are never ' +
        'reused after the largest row is deleted, at the price of an extra table (sqlite_sequence) updated on every insert; the ' +
        'SQLite documentation says to avoid it unless that guarantee is needed. It is also a sign of a schema ported from MySQL.',
      bad: `CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);`,
      good: `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);`,
      remediation:
        'Keep AUTOINCREMENT only where an id must never be reused (audit logs, external references); elsewhere rebuild the table without it.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const c of table.columns) {
        if (!c.autoIncrement) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} uses AUTOINCREMENT: every insert also writes sqlite_sequence; INTEGER PRIMARY KEY alone already assigns ids`,
          evidence: { table: table.name },
        });
      }
    }
  },
});
