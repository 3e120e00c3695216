// FK columns whose type differs from the referenced column: implicit casts,
// unusable indexes, and a child that overflows before its parent does.
import { defineRule } from '../rule.js';
import { column, tablesOf, typeKey } from '../rule-helpers.js';
import { findTable } from '../../catalog/normalize.js';

export default defineRule({
  meta: {
    id: 'foreign-key-type-mismatch',
    code: 'PLB003',
    title: 'Foreign key column type differs from the referenced column',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'When a referencing column is `integer` and the key it references is `bigint` (or `varchar(50)` against `varchar(100)`), ' +
        'joins need casts, the child overflows first, and values valid in the parent cannot be stored in the child.',
      bad: `CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL);
CREATE TABLE invoices (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id)
);
CREATE INDEX invoices_account_id_idx ON invoices (account_id);`,
      good: `CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL);
CREATE TABLE invoices (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id)
);
CREATE INDEX invoices_account_id_idx ON invoices (account_id);`,
      remediation: 'Change the referencing column to the referenced column\'s exact type (this rewrites the table; plan it in a maintenance window).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const fk of table.foreignKeys) {
        const parent = findTable(ctx.catalog, fk.references.schema, fk.references.table);
        if (!parent) continue;
        fk.columns.forEach((name, i) => {
          const child = column(table, name);
          const ref = column(parent, fk.references.columns[i] ?? '');
          if (!child || !ref || typeKey(child.type) === typeKey(ref.type)) return;
          ctx.report({
            path: child.path,
            key: fk.name,
            message: `${child.path} is ${child.type.raw} but references ${ref.path} which is ${ref.type.raw}`,
            evidence: { constraint: fk.name, columnType: child.type.raw, referencedType: ref.type.raw },
            fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ALTER COLUMN ${ctx.quoteIdent(name)} TYPE ${ref.type.raw};`,
          });
        });
      }
    }
  },
});
