// MySQL/MariaDB tables and columns that are not utf8mb4: 4-byte characters are
// rejected or silently mangled. The fix is seed 000's phase-6 conversion.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';
import { withoutPlumbObjects } from '../../catalog/plumb-schemas.js';
import { effectiveCharset, isFullUtf8, isTextual } from '../../dialects/mysql/mysql-catalog-facts.js';
import { convertCharsetSql } from '../../dialects/mysql/mysql-render.js';

export default defineRule({
  meta: {
    id: 'mysql-non-utf8mb4',
    code: 'PLB200',
    title: 'Table or column not in utf8mb4',
    category: 'integrity',
    severity: 'warning',
    dialects: ['mysql'],
    docs: {
      description:
        'MySQL\'s `utf8` (utf8mb3) and single-byte character sets such as latin1 cannot store 4-byte characters (emoji, many CJK ' +
        'characters): strict mode rejects the row, non-strict mode stores `?`. Mixed charsets also make joins between columns ' +
        'convert on the fly and skip indexes. One finding per table, listing the columns; the fix converts the whole table.',
      bad: `CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100)) DEFAULT CHARSET=latin1;`,
      good: `CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`,
      remediation:
        'ALTER TABLE … CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci (rewrites the table: run it in a maintenance window; ' +
        'index prefixes over 191 characters may need shortening on old row formats).',
    },
  },
  check(ctx) {
    // plumb's own chain columns are ascii hex by design: not the user's text.
    for (const { table } of tablesOf(withoutPlumbObjects(ctx.catalog))) {
      const tableCharset = table.options?.charset ?? null;
      const columns = table.columns.filter((c) => isTextual(c) && !isFullUtf8(effectiveCharset(table, c)));
      if (isFullUtf8(tableCharset) && !columns.length) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} stores text as ${[...new Set([...(isFullUtf8(tableCharset) ? [] : [tableCharset]), ...columns.map((c) => effectiveCharset(table, c))])].join(', ')}, not utf8mb4`,
        evidence: { tableCharset, tableCollation: table.options?.collation ?? null, columns: columns.map((c) => ({ column: c.name, charset: effectiveCharset(table, c) })) },
        fix: `${convertCharsetSql({ schema: table.schema, name: table.name })};`,
      });
    }
  },
});
