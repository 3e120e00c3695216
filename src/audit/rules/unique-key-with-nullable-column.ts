// Multi-column unique keys with a nullable column (SchemaCrawler "unique
// index with nullable columns"): NULL is never equal to NULL, so rows that
// differ only by a NULL are all accepted.
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'unique-key-with-nullable-column',
    code: 'PLB080',
    title: 'Multi-column unique key with a nullable column',
    category: 'integrity',
    severity: 'info',
    docs: {
      description:
        'A unique constraint or index over `(account_id, external_ref)` where `external_ref` is nullable does not stop two rows ' +
        '`(7, NULL)`: NULLs are distinct from each other, so the key enforces nothing for those rows. If "one per account without a ' +
        'reference" is intended, say so with `NULLS NOT DISTINCT` (Postgres 15+) or a partial unique index on `(account_id) WHERE ' +
        'external_ref IS NULL`; if the column is never NULL, declare it NOT NULL. Single-column unique keys on a nullable column (an ' +
        'optional unique value) and partial unique indexes are not reported.',
      bad: `CREATE TABLE imports (id bigint PRIMARY KEY, account_id bigint NOT NULL, external_ref text);
CREATE UNIQUE INDEX imports_account_ref_key ON imports (account_id, external_ref);`,
      good: `CREATE TABLE imports (id bigint PRIMARY KEY, account_id bigint NOT NULL, external_ref text);
CREATE UNIQUE INDEX imports_account_ref_key ON imports (account_id, external_ref) NULLS NOT DISTINCT;`,
      remediation: 'Declare the nullable columns NOT NULL, or make the key NULLS NOT DISTINCT / add a partial unique index for the NULL case.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const seen = new Set<string>();
      const keys = [
        ...table.uniques.filter((u) => !u.nullsNotDistinct).map((u) => ({ name: u.name, path: u.path, columns: u.columns })),
        ...table.indexes
          .filter((ix) => ix.unique && !ix.primary && !ix.predicate && !ix.nullsNotDistinct && ix.elements.every((e) => e.column))
          .map((ix) => ({ name: ix.constraint ?? ix.name, path: ix.path, columns: ix.elements.map((e) => e.column!) })),
      ];
      for (const k of keys) {
        if (k.columns.length < 2 || seen.has(k.name)) continue;
        seen.add(k.name);
        const nullable = k.columns.filter((c) => column(table, c)?.nullable);
        if (!nullable.length) continue;
        ctx.report({
          path: k.path,
          message: `unique key ${k.name} on ${table.path} (${k.columns.join(', ')}) does not apply to rows where ${nullable.join(' or ')} is NULL`,
          evidence: { columns: k.columns, nullable },
        });
      }
    }
  },
});
