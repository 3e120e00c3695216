// MySQL/MariaDB servers whose sql_mode is not strict: out-of-range numbers are
// clipped and too-long strings truncated, with a warning nobody reads.
import { defineRule } from '../rule.js';
import { sqlModeFlags } from '../../dialects/mysql/mysql-catalog-facts.js';

export default defineRule({
  meta: {
    id: 'mysql-sql-mode-not-strict',
    code: 'PLB205',
    title: 'sql_mode without STRICT_TRANS_TABLES',
    category: 'integrity',
    severity: 'error',
    dialects: ['mysql'],
    docs: {
      description:
        'Without STRICT_TRANS_TABLES (or STRICT_ALL_TABLES) MySQL and MariaDB accept invalid data with a warning instead of an ' +
        'error: 300 becomes 127 in a TINYINT, a 300-character string is cut to VARCHAR(255), an unknown ENUM value becomes the empty ' +
        'string. Every constraint the schema declares is only as good as this setting.',
      bad: `SET GLOBAL sql_mode = 'NO_ENGINE_SUBSTITUTION';`,
      good: `SET GLOBAL sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';`,
      remediation: 'Add STRICT_TRANS_TABLES to sql_mode in the server configuration (my.cnf) and SET GLOBAL it; test the application against it first.',
    },
  },
  check(ctx) {
    const flags = sqlModeFlags(ctx.catalog);
    if (!flags) {
      ctx.skip('sql_mode is not in the catalog settings');
      return;
    }
    if (flags.has('STRICT_TRANS_TABLES') || flags.has('STRICT_ALL_TABLES') || flags.has('TRADITIONAL')) return;
    ctx.report({
      path: ctx.catalog.database ?? ctx.catalog.schemas[0]?.path ?? '',
      key: 'sql_mode',
      message: `sql_mode is not strict (${ctx.catalog.settings.sql_mode || 'empty'}): invalid values are silently changed`,
      evidence: { sql_mode: ctx.catalog.settings.sql_mode },
      fix: `SET GLOBAL sql_mode = '${['STRICT_TRANS_TABLES', ...flags].filter((f, i, a) => a.indexOf(f) === i).join(',')}'; -- and in my.cnf`,
    });
  },
});
