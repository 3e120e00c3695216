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
        'customers (tenant_id, id)`, the composite key already checks `customer_id`: every write checks the parent twice, and the two ' +
        'can disagree on actions (`ON DELETE CASCADE` on one, `RESTRICT` on the other). Usually the narrower key was left behind when the ' +
        'composite one was added. Reported on the narrower key when each of its column pairs is in the wider one; keys that only share ' +
        'a column (`(tenant_id, project_id)` and `(tenant_id, parent_project_id)`) check different things and are not reported, and exact ' +
        'duplicates are `duplicate-foreign-key`\'s.',
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
      remediation: 'Drop the narrower key (after checking its ON DELETE / ON UPDATE actions are not the ones the application relies on).',
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
          // The narrower key's every (child column → parent column) pair is in the wider one: the wider check implies it.
          // Keys that only share a column (two composite keys through tenant_id) check different things.
          const pairs = (fk: typeof a) => fk.columns.map((c, k) => `${c}>${fk.references.columns[k]}`);
          const [narrow, wide] = a.columns.length <= b.columns.length ? [a, b] : [b, a];
          const widePairs = new Set(pairs(wide));
          if (narrow.columns.length === wide.columns.length || !pairs(narrow).every((p) => widePairs.has(p))) continue;
          ctx.report({
            path: narrow.path,
            key: wide.name,
            message: `foreign key ${narrow.name} (${narrow.columns.join(', ')}) on ${table.path} is implied by ${wide.name} (${wide.columns.join(', ')}): both check ${narrow.columns.join(', ')} against ${a.references.schema}.${a.references.table}`,
            evidence: { impliedBy: wide.name, columns: narrow.columns },
            fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} DROP CONSTRAINT ${ctx.quoteIdent(narrow.name)};`,
          });
        }
      }
    }
  },
});
