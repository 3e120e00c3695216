// Tables where every column is nullable: nothing about a row is required.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'all-nullable-columns',
    code: 'PLB006',
    title: 'Table whose columns are all nullable',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'If no column is NOT NULL, a row of nothing but NULLs is valid and the table has no primary key. ' +
        'Usually the NOT NULL constraints were forgotten when the table was created by an ORM or an import.',
      bad: `CREATE TABLE contacts (email text, phone text, display_name text);`,
      good: `CREATE TABLE contacts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email        text NOT NULL,
  phone        text,
  display_name text NOT NULL
);`,
      remediation: 'Add NOT NULL to the columns every row must have (after backfilling), and a primary key.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.kind === 'foreign' || table.columns.length === 0) continue;
      if (table.columns.some((c) => !c.nullable)) continue;
      ctx.report({ path: table.path, message: `every column of ${table.path} is nullable`, evidence: { columns: table.columns.map((c) => c.name) } });
    }
  },
});
