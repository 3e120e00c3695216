// Tables without a primary key: rows cannot be addressed, replicated or deduplicated reliably.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'table-without-primary-key',
    code: 'PLB001',
    title: 'Table without a primary key',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'A table without a primary key lets identical rows pile up, cannot be updated row-by-row by most tools, ' +
        'and breaks logical replication of UPDATE/DELETE. Every base table should have one. Partitions and Postgres inheritance ' +
        'children (`INHERITS`) are not reported: their parent is.',
      bad: `CREATE TABLE event_entries (
  happened_at timestamptz NOT NULL,
  message     text NOT NULL
);`,
      good: `CREATE TABLE event_entries (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  happened_at timestamptz NOT NULL,
  message     text NOT NULL
);`,
      remediation: 'Add a surrogate key (an identity column) or promote an existing unique, non-null column set to the primary key.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      // Inheritance children cannot share their parent's key (a PRIMARY KEY is
      // not inherited and would be per-child): the parent is judged instead.
      if (table.primaryKey || isPartition(table) || table.inherits?.length || table.kind === 'foreign') continue;
      const uniqueNotNull = table.uniques.find((u) => u.columns.every((c) => table.columns.find((x) => x.name === c)?.nullable === false));
      const q = ctx.quoteQualified(table.schema, table.name);
      ctx.report({
        path: table.path,
        message: `${table.path} has no primary key`,
        evidence: { columns: table.columns.length, ...(uniqueNotNull ? { candidateKey: uniqueNotNull.columns } : {}) },
        fix: uniqueNotNull
          ? `ALTER TABLE ${q} ADD PRIMARY KEY (${uniqueNotNull.columns.map((c) => ctx.quoteIdent(c)).join(', ')});`
          : ctx.capabilities?.identityColumns
            ? `ALTER TABLE ${q} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`
            : undefined,
      });
    }
  },
});
