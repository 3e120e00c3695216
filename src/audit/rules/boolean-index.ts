// B-tree indexes over only boolean columns: two values (three with NULL) make a
// poor index — the planner rarely uses it, and every write still pays for it
// (pg-index-health's "indexes with boolean").
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'boolean-index',
    code: 'PLB018',
    title: 'B-tree index on a boolean column',
    category: 'performance',
    severity: 'warning',
    docs: {
      description:
        'A non-unique, non-partial b-tree index whose key is only boolean columns. A boolean splits the table into at most three groups, so ' +
        'the index is chosen only when one value is rare, and then a *partial* index on the rare value (`WHERE NOT processed`) is smaller and ' +
        'faster; otherwise the planner scans the table and the index is only write cost. Partial and unique indexes are not reported, nor are ' +
        'composite indexes that pair the boolean with other columns (`(user_id, seen)` serves real lookups, and is the only option on engines ' +
        'without partial indexes).',
      bad: `CREATE TABLE jobs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, processed boolean NOT NULL DEFAULT false, payload text NOT NULL);
CREATE INDEX jobs_processed_idx ON jobs (processed);`,
      good: `CREATE TABLE jobs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, processed boolean NOT NULL DEFAULT false, payload text NOT NULL);
CREATE INDEX jobs_pending_idx ON jobs (id) WHERE NOT processed;`,
      remediation: 'Replace it with a partial index on the rare value (`CREATE INDEX … (id) WHERE NOT processed`), or drop it if no query filters on the column.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const ix of table.indexes) {
        if (ix.unique || ix.primary || ix.predicate || (ix.method && ix.method.toLowerCase() !== 'btree')) continue;
        // Only indexes whose whole key is boolean: `(user_id, seen)` or `(processed, created_at)` serve real
        // lookups (and are the only option where the engine has no partial indexes).
        const bools = ix.elements.filter((e) => e.column && column(table, e.column)?.type.kind === 'bool').map((e) => e.column!);
        if (!bools.length || bools.length !== ix.elements.length) continue;
        ctx.report({
          path: ix.path,
          message: `index ${ix.name} on ${table.path} indexes only boolean ${bools.length > 1 ? 'columns' : 'column'} ${bools.join(', ')}`,
          evidence: { columns: bools },
        });
      }
    }
  },
});
