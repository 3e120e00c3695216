// A default of the string 'NULL' (or 'null'): the column gets four letters, not a NULL.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'default-null-string',
    code: 'PLB050',
    title: "Default value is the string 'NULL'",
    category: 'design',
    severity: 'warning',
    docs: {
      description: "`DEFAULT 'NULL'` stores the text NULL, which is not NULL: `IS NULL` filters miss it and it displays as a real value. Usually a quoting mistake in a migration.",
      bad: `CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, source text DEFAULT 'NULL');`,
      good: `CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, source text);`,
      remediation: "ALTER COLUMN … DROP DEFAULT, then UPDATE … SET col = NULL WHERE col = 'NULL'.",
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        if (!c.default || !/^'null'(::[\w\s"().]+)?$/i.test(c.default.trim())) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} defaults to the string ${c.default}, not to NULL`,
          evidence: { default: c.default },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ALTER COLUMN ${ctx.quoteIdent(c.name)} DROP DEFAULT;`,
        });
      }
    }
  },
});
