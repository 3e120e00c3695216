// Two foreign keys from one table to the same parent sharing columns
// (pg-index-health "intersected foreign keys"): usually a single-column key
// left beside the composite one that replaced it.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'overlapping-foreign-keys',
    code: 'PLB082',
    title: 'Foreign keys to the same table that share columns',
    category: 'integrity',
    severity: 'info',
    docs: {
      description:
        'When a table has `FOREIGN KEY (customer_id) REFERENCES customers (id)` and also `FOREIGN KEY (tenant_id, customer_id) REFERENCES ' +
        'customers (tenant_id, id)`, every write checks the parent twice, and the two can disagree on actions (`ON DELETE CASCADE` on one, ' +
        '`RESTRICT` on the other). Usually the narrower key was left behind when the composite one was added. Reported once per pair; ' +
        'exact duplicates are `duplicate-foreign-key`\'s.',
      bad: `CREATE TABLE customers (tenant_id bigint NOT NULL, id bigint PRIMARY KEY, UNIQUE (tenant_id, id));
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  customer_id bigint NOT NULL REFERENCES customers (id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_tenant_customer_idx ON orders (tenant_id, customer_id);`,
      good: `CREATE TABLE customers (tenant_id bigint NOT NULL, id bigint PRIMARY KEY, UNIQUE (tenant_id, id));
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX orders_tenant_customer_idx ON orders (tenant_id, customer_id);`,
      remediation: 'Keep the key that states the real rule (usually the composite one) and drop the other.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      const fks = table.foreignKeys;
      for (let i = 0; i < fks.length; i++) {
        for (let j = i + 1; j < fks.length; j++) {
          const a = fks[i]!;
          const b = fks[j]!;
          if (a.references.schema !== b.references.schema || a.references.table !== b.references.table) continue;
          const same = a.columns.length === b.columns.length && a.columns.every((c, k) => b.columns[k] === c) && a.references.columns.every((c, k) => b.references.columns[k] === c);
          if (same) continue;
          // The same child column pointing at the same parent column in both: one check implies the other.
          const shared = a.columns.filter((c, k) => b.columns.some((d, l) => d === c && b.references.columns[l] === a.references.columns[k]));
          if (!shared.length) continue;
          const [first, second] = [a, b].sort((x, y) => x.name.localeCompare(y.name));
          ctx.report({
            path: second!.path,
            key: first!.name,
            message: `foreign keys ${first!.name} (${first!.columns.join(', ')}) and ${second!.name} (${second!.columns.join(', ')}) on ${table.path} both check ${shared.join(', ')} against ${a.references.schema}.${a.references.table}`,
            evidence: { other: first!.name, shared },
          });
        }
      }
    }
  },
});
