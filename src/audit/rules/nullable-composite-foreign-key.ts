// Multi-column foreign keys with a nullable column and MATCH SIMPLE
// (pg-index-health "foreign keys with null values"): one NULL column switches
// the whole check off, so half-filled references are never verified.
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'nullable-composite-foreign-key',
    code: 'PLB064',
    title: 'Multi-column foreign key with a nullable column (MATCH SIMPLE)',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'Under the default `MATCH SIMPLE`, a multi-column foreign key is not checked at all for a row in which *any* of its columns is NULL: ' +
        '`(tenant_id, customer_id) = (7, NULL)` passes, and so does `(999, NULL)` for a tenant that does not exist. If the reference is ' +
        'optional as a whole, `MATCH FULL` requires all columns NULL or none; if it is required, the columns should be NOT NULL. Single-' +
        'column keys are not affected.',
      bad: `CREATE TABLE customers (tenant_id bigint NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id bigint,
  customer_id bigint,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX orders_tenant_customer_idx ON orders (tenant_id, customer_id);`,
      good: `CREATE TABLE customers (tenant_id bigint NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id bigint,
  customer_id bigint,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) MATCH FULL
);
CREATE INDEX orders_tenant_customer_idx ON orders (tenant_id, customer_id);`,
      remediation: 'Make the columns NOT NULL if the reference is required, or recreate the constraint with `MATCH FULL` (Postgres) if it is optional as a whole.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const fk of table.foreignKeys) {
        if (fk.columns.length < 2 || fk.match === 'full') continue;
        const nullable = fk.columns.filter((c) => column(table, c)?.nullable);
        if (!nullable.length) continue;
        ctx.report({
          path: fk.path,
          message: `foreign key ${fk.name} on ${table.path} (${fk.columns.join(', ')}) is not checked for rows where ${nullable.join(' or ')} is NULL (MATCH SIMPLE)`,
          evidence: { columns: fk.columns, nullable },
        });
      }
    }
  },
});
