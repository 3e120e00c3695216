// An index whose columns are a leading prefix of another index on the same
// table: the longer index answers the same lookups.
import { defineRule } from '../rule.js';
import { isPartition, leadingColumns, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'redundant-index',
    code: 'PLB012',
    title: 'Redundant (prefix) index',
    category: 'performance',
    severity: 'warning',
    docs: {
      description:
        'A B-tree on `(a)` is redundant next to a B-tree on `(a, b)`: the second serves every lookup the first does. ' +
        'Unique indexes, constraint indexes, partial and expression indexes are never reported as the redundant one.',
      bad: `CREATE TABLE readings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sensor_code text NOT NULL, taken_at timestamptz NOT NULL);
CREATE INDEX readings_sensor_idx ON readings (sensor_code);
CREATE INDEX readings_sensor_taken_idx ON readings (sensor_code, taken_at);`,
      good: `CREATE TABLE readings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sensor_code text NOT NULL, taken_at timestamptz NOT NULL);
CREATE INDEX readings_sensor_taken_idx ON readings (sensor_code, taken_at);
CREATE INDEX readings_taken_idx ON readings (taken_at);`,
      remediation: 'Drop the shorter index after checking that no query depends on its smaller size.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const a of table.indexes) {
        if (a.unique || a.primary || a.constraint || a.predicate || a.include.length || !a.valid) continue;
        const ca = leadingColumns(a);
        if (ca.length === 0 || ca.length !== a.elements.length || a.elements.some((e) => e.descending || e.opclass || e.prefixLength)) continue;
        const cover = table.indexes.find((b) => {
          if (b === a || !b.valid || b.predicate || b.method !== a.method || b.elements.length <= ca.length) return false;
          const cb = leadingColumns(b);
          return cb.length >= ca.length && ca.every((c, i) => cb[i] === c && !b.elements[i]!.descending && !b.elements[i]!.opclass);
        });
        if (!cover) continue;
        ctx.report({
          path: a.path,
          message: `index ${a.name} on ${table.path} (${ca.join(', ')}) is a prefix of ${cover.name}`,
          evidence: { coveredBy: cover.name, columns: ca },
          fix: `DROP INDEX ${ctx.capabilities?.concurrentIndex && table.kind !== 'partitioned' ? 'CONCURRENTLY ' : ''}${ctx.quoteQualified(table.schema, a.name)};`,
        });
      }
    }
  },
});
