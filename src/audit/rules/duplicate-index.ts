// Two indexes with the same definition on one table: double the write cost and space, no read benefit.
import type { Index } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export function indexSignature(ix: Index): string {
  return JSON.stringify([ix.method, ix.elements.map((e) => [e.column ?? null, e.expression ?? null, !!e.descending, e.opclass ?? null, e.collation ?? null, e.prefixLength ?? null]), ix.predicate, [...ix.include].sort()]);
}

export default defineRule({
  meta: {
    id: 'duplicate-index',
    code: 'PLB011',
    title: 'Duplicate index',
    category: 'performance',
    severity: 'warning',
    docs: {
      description:
        'Indexes with the same columns, order, method and predicate serve the same queries. The extra one costs every INSERT/UPDATE and disk. ' +
        'When one of them backs a constraint (primary key, unique), the other is the one to drop.',
      bad: `CREATE TABLE orders_ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, placed_at timestamptz NOT NULL);
CREATE INDEX orders_ledger_placed_at_idx ON orders_ledger (placed_at);
CREATE INDEX orders_ledger_placed_idx ON orders_ledger (placed_at);`,
      good: `CREATE TABLE orders_ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, placed_at timestamptz NOT NULL);
CREATE INDEX orders_ledger_placed_at_idx ON orders_ledger (placed_at);`,
      remediation: 'Drop the duplicate (DROP INDEX CONCURRENTLY on Postgres).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const groups = new Map<string, Index[]>();
      if (table.indexes.length < 2) continue;
      for (const ix of table.indexes) {
        const sig = indexSignature(ix);
        const g = groups.get(sig);
        if (g) g.push(ix);
        else groups.set(sig, [ix]);
      }
      for (const g of groups.values()) {
        if (g.length < 2) continue;
        // Keep the one that backs a constraint, else the unique one, else the first by name.
        const keep = [...g].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1))[0]!;
        for (const ix of g) {
          if (ix === keep || ix.constraint) continue;
          ctx.report({
            path: ix.path,
            message: `index ${ix.name} on ${table.path} duplicates ${keep.name}`,
            evidence: { duplicateOf: keep.name },
            fix: `DROP INDEX ${ctx.capabilities?.concurrentIndex && table.kind !== 'partitioned' ? 'CONCURRENTLY ' : ''}${ctx.quoteQualified(table.schema, ix.name)};`,
          });
        }
      }
    }
  },
});

function rank(ix: Index): number {
  return ix.primary ? 0 : ix.constraint ? 1 : ix.unique ? 2 : 3;
}
