// MySQL/MariaDB zero dates: '0000-00-00' defaults, and a sql_mode that lets
// them in. Every client library and every other database chokes on them.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';
import { sqlModeFlags } from '../../dialects/mysql/mysql-catalog-facts.js';

const TEMPORAL = new Set(['date', 'timestamp', 'timestamptz']);

export default defineRule({
  meta: {
    id: 'mysql-zero-dates',
    code: 'PLB204',
    title: 'Zero dates allowed or used as defaults',
    category: 'integrity',
    severity: 'warning',
    dialects: ['mysql'],
    docs: {
      description:
        '`0000-00-00` is not a date: drivers turn it into NULL, an exception or year 1899, and it cannot be moved to any other ' +
        'database. It gets in when sql_mode lacks NO_ZERO_DATE / NO_ZERO_IN_DATE (MariaDB\'s default lacks both) or when a column ' +
        'defaults to it. Reported once for the server setting, and once per column with a zero default.',
      bad: `CREATE TABLE checkouts (id INT PRIMARY KEY, returned_at DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00');`,
      good: `CREATE TABLE checkouts (id INT PRIMARY KEY, returned_at DATETIME NULL);`,
      remediation:
        "Make the column NULLable and UPDATE … SET col = NULL WHERE col = '0000-00-00'; add NO_ZERO_DATE,NO_ZERO_IN_DATE to sql_mode in the server configuration.",
    },
  },
  check(ctx) {
    const flags = sqlModeFlags(ctx.catalog);
    if (flags && !(flags.has('NO_ZERO_DATE') && flags.has('NO_ZERO_IN_DATE')) && !flags.has('TRADITIONAL')) {
      const path = ctx.catalog.database ?? ctx.catalog.schemas[0]?.path ?? '';
      ctx.report({
        path,
        key: 'sql_mode',
        message: `sql_mode lacks ${['NO_ZERO_DATE', 'NO_ZERO_IN_DATE'].filter((f) => !flags.has(f)).join(' and ')}: zero dates are accepted`,
        evidence: { sql_mode: ctx.catalog.settings.sql_mode },
        fix: `SET GLOBAL sql_mode = '${[...flags, 'NO_ZERO_DATE', 'NO_ZERO_IN_DATE'].filter((f, i, a) => a.indexOf(f) === i).join(',')}'; -- and in my.cnf`,
      });
    }
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const c of table.columns) {
        if (!TEMPORAL.has(c.type.kind) || c.default === null || !/^'?0000-00-00/.test(c.default)) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} defaults to a zero date (${c.default})`,
          evidence: { default: c.default, nullable: c.nullable },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} MODIFY ${ctx.quoteIdent(c.name)} ${c.type.raw} NULL DEFAULT NULL;`,
        });
      }
    }
  },
});
