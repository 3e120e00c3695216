// MySQL/MariaDB tables and columns that are not utf8mb4: 4-byte characters are
// rejected or silently mangled. The fix is seed 000's phase-6 conversion.
import { defineRule } from '../rule.js';
import type { Table } from '../../catalog/types.js';
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
        'convert on the fly and skip indexes. One finding per cause, listing the objects: the schema\'s default charset (every table ' +
        'created without its own), a table charset shared by several tables, or column charsets in utf8mb4 tables. The fix converts ' +
        'each table and, for a schema default, the default too, so new tables are born utf8mb4.',
      bad: `CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100)) DEFAULT CHARSET=latin1;`,
      good: `CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`,
      remediation:
        'ALTER TABLE … CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci (rewrites the table: run it in a maintenance window; ' +
        'index prefixes over 191 characters may need shortening on old row formats).',
    },
  },
  check(ctx) {
    // One finding per cause: the schema's default charset (every table created
    // without its own), one table charset shared by several tables, or column
    // charsets inside utf8mb4 tables. Each lists the objects it covers.
    const causes = new Map<string, { schema: string; kind: 'schema-default' | 'table-charset' | 'column-charset'; charset: string; tables: Table[]; columns: string[] }>();
    const add = (schema: string, kind: 'schema-default' | 'table-charset' | 'column-charset', charset: string, t: Table, columns: string[]) => {
      const key = `${schema}\u0000${kind}\u0000${charset}`;
      const c = causes.get(key) ?? { schema, kind, charset, tables: [], columns: [] };
      if (!c.tables.includes(t)) c.tables.push(t);
      c.columns.push(...columns);
      causes.set(key, c);
    };
    // plumb's own chain columns are ascii hex by design: not the user's text.
    for (const { table } of tablesOf(withoutPlumbObjects(ctx.catalog))) {
      const tableCharset = table.options?.charset ?? null;
      const columns = table.columns.filter((c) => isTextual(c) && !isFullUtf8(effectiveCharset(table, c)));
      if (!isFullUtf8(tableCharset)) {
        const schemaDefault = ctx.catalog.settings[`plumb.schema_charset.${table.schema}`];
        add(table.schema, schemaDefault === tableCharset ? 'schema-default' : 'table-charset', tableCharset!, table, columns.map((c) => c.path));
      } else {
        for (const c of columns) add(table.schema, 'column-charset', effectiveCharset(table, c)!, table, [c.path]);
      }
    }
    const q = (t: Table) => ctx.quoteQualified(t.schema, t.name);
    for (const c of [...causes.values()].sort((a, b) => (a.schema + a.kind + a.charset < b.schema + b.kind + b.charset ? -1 : 1))) {
      const names = c.tables.map((t) => t.name);
      const listed = names.slice(0, 10).join(', ') + (names.length > 10 ? `, … (+${names.length - 10})` : '');
      const converts = c.tables.map((t) => `${convertCharsetSql({ schema: t.schema, name: t.name })};`);
      const evidence = { cause: c.kind, charset: c.charset, tables: c.tables.map((t) => t.path), ...(c.columns.length ? { columns: c.columns } : {}) };
      if (c.kind === 'schema-default') {
        ctx.report({
          path: ctx.catalog.schemas.find((s) => s.name === c.schema)?.path ?? c.schema,
          key: `schema-default:${c.charset}`,
          message: `schema ${c.schema} defaults to ${c.charset}, not utf8mb4, and ${names.length} table${names.length === 1 ? ' was' : 's were'} created with it: ${listed}`,
          evidence,
          fix: [`ALTER DATABASE ${ctx.quoteIdent(c.schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`, ...converts].join('\n'),
        });
      } else if (c.kind === 'table-charset') {
        ctx.report({
          path: c.tables.length === 1 ? c.tables[0]!.path : (ctx.catalog.schemas.find((s) => s.name === c.schema)?.path ?? c.schema),
          key: `table-charset:${c.charset}`,
          message: c.tables.length === 1 ? `${c.tables[0]!.path} stores text as ${c.charset}, not utf8mb4` : `${names.length} tables in ${c.schema} store text as ${c.charset}, not utf8mb4: ${listed}`,
          evidence,
          fix: converts.join('\n'),
        });
      } else {
        ctx.report({
          path: c.tables.length === 1 ? c.tables[0]!.path : (ctx.catalog.schemas.find((s) => s.name === c.schema)?.path ?? c.schema),
          key: `column-charset:${c.charset}`,
          message: `${c.columns.length} column${c.columns.length === 1 ? '' : 's'} in ${c.schema} ${c.columns.length === 1 ? 'is' : 'are'} declared ${c.charset}, not utf8mb4: ${c.columns.slice(0, 10).join(', ')}${c.columns.length > 10 ? `, … (+${c.columns.length - 10})` : ''}`,
          evidence,
          fix: converts.join('\n'),
        });
      }
    }
  },
});
