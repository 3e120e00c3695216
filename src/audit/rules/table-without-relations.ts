// Tables that no foreign key joins to any other (pg-index-health "tables not
// linked to others"). Opt-in: queues, settings and logs stand alone by design.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'table-without-relations',
    code: 'PLB077',
    title: 'Table not linked to any other table',
    category: 'design',
    severity: 'info',
    enabledByDefault: false,
    docs: {
      description:
        'A table that neither references another table nor is referenced by one is either standalone by design (a settings table, a queue, ' +
        'a log) or holds references nobody declared — which `missing-foreign-key` looks for by name. Off by default; enable it to review ' +
        'the islands of a schema, e.g. before a rebuild.',
      bad: `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);`,
      good: `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE notes (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), body text NOT NULL);
CREATE INDEX notes_customer_id_idx ON notes (customer_id);`,
      remediation: 'Declare the references the table really has, or document (COMMENT ON TABLE) why it stands alone.',
    },
  },
  check(ctx) {
    const linked = new Set<string>();
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const fk of table.foreignKeys) {
        const parent = `${fk.references.schema}.${fk.references.table}`;
        if (parent === table.path) continue; // a self-reference links a table only to itself
        linked.add(table.path);
        linked.add(parent);
      }
    }
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || linked.has(table.path) || linked.has(table.partitionOf ?? '')) continue;
      ctx.report({ path: table.path, message: `${table.path} has no foreign key to or from another table` });
    }
  },
});
