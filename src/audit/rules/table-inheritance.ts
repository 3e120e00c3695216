// Postgres table inheritance (pg-index-health "tables with inheritance"):
// children do not inherit the parent's keys, unique constraints or foreign
// keys, and nothing can reference the hierarchy as a whole.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'table-inheritance',
    code: 'PLB060',
    title: 'Table inheritance (INHERITS)',
    category: 'design',
    severity: 'info',
    dialects: ['postgres'],
    docs: {
      description:
        'A table created with `INHERITS (parent)` gets the parent\'s columns and CHECK constraints but not its primary key, unique ' +
        'constraints, indexes or foreign keys, and a foreign key cannot reference the parent and its children together: uniqueness across ' +
        'the hierarchy is not enforced and `SELECT … FROM parent` silently includes the children. Declarative partitioning (`PARTITION BY`) ' +
        'or separate tables replace it. Reported once per parent, listing its children; partitions are not inheritance children.',
      bad: `CREATE TABLE vehicles (id bigint PRIMARY KEY, plate text NOT NULL UNIQUE);
CREATE TABLE trucks (payload_kg integer NOT NULL) INHERITS (vehicles);`,
      good: `CREATE TABLE vehicles (id bigint PRIMARY KEY, plate text NOT NULL UNIQUE);
CREATE TABLE trucks (vehicle_id bigint PRIMARY KEY REFERENCES vehicles (id), payload_kg integer NOT NULL);`,
      remediation: 'Move the children to declarative partitions of the parent, or to their own tables with a foreign key to a shared table; until then, declare the keys and indexes on every child.',
    },
  },
  check(ctx) {
    const children = new Map<string, string[]>();
    for (const { table } of tablesOf(ctx.catalog)) {
      if (table.partitionOf) continue;
      for (const p of table.inherits ?? []) children.set(p, [...(children.get(p) ?? []), table.path]);
    }
    for (const [parent, kids] of [...children].sort(([a], [b]) => a.localeCompare(b))) {
      kids.sort();
      ctx.report({
        path: parent,
        message: `${parent} is inherited by ${kids.length} table${kids.length > 1 ? 's' : ''} (${kids.join(', ')}): keys, unique constraints, indexes and foreign keys are not shared with them`,
        evidence: { children: kids },
      });
    }
  },
});
