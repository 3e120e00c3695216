// Indexes left INVALID by a failed concurrent build: maintained on every write, never used.
// Not reported: indexes on partitioned parents (invalid until every partition
// has one) and builds still in progress (pg_stat_progress_create_index).
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'invalid-index',
    code: 'PLB013',
    title: 'Invalid index left by a failed build',
    category: 'performance',
    severity: 'warning',
    docs: {
      description:
        'When `CREATE INDEX CONCURRENTLY` fails (a duplicate under a unique index, a cancelled session), Postgres leaves the index ' +
        'INVALID: writes still maintain it, queries never use it, and a unique one does not enforce anything. ' +
        'An index created `ON ONLY` a partitioned table is also marked invalid until every partition has its index attached — ' +
        'that is normal and is not reported; neither is a concurrent build still running.',
      bad: `CREATE TABLE visits (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, visitor_code text NOT NULL);
-- a concurrent build that failed (here: on duplicate codes) leaves the index INVALID
CREATE UNIQUE INDEX CONCURRENTLY visits_visitor_code_key ON visits (visitor_code);`,
      good: `CREATE TABLE visits (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  visited_on   date NOT NULL,
  visitor_code text NOT NULL,
  PRIMARY KEY (id, visited_on)
) PARTITION BY RANGE (visited_on);
-- invalid until a partition index is attached: expected, not reported
CREATE INDEX visits_visitor_code_idx ON ONLY visits (visitor_code);`,
      remediation: 'Drop the index and build it again (fix the duplicates first for a unique index), or `REINDEX INDEX CONCURRENTLY`.',
    },
    fixture: {
      // CONCURRENTLY cannot run in the fixture's script; mark the index invalid as a failed build would.
      bad: `CREATE TABLE visits (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, visitor_code text NOT NULL);
CREATE UNIQUE INDEX visits_visitor_code_key ON visits (visitor_code);
UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'visits_visitor_code_key'::regclass;`,
    },
  },
  async check(ctx) {
    const candidates = [...tablesOf(ctx.catalog)].flatMap(({ table }) => (table.kind === 'partitioned' ? [] : table.indexes.filter((i) => !i.valid).map((ix) => ({ table, ix }))));
    if (!candidates.length) return;
    let building = new Set<string>();
    if (ctx.query && ctx.capabilities?.concurrentIndex) {
      try {
        const rows = await ctx.query<{ s: string; n: string }>(
          `SELECT n.nspname AS s, c.relname AS n FROM pg_stat_progress_create_index p JOIN pg_class c ON c.oid = p.index_relid JOIN pg_namespace n ON n.oid = c.relnamespace`,
        );
        building = new Set(rows.map((r) => `${r.s}\u0000${r.n}`));
      } catch {
        ctx.skip('could not read pg_stat_progress_create_index: in-progress builds may be reported as invalid');
      }
    }
    for (const { table, ix } of candidates) {
      if (building.has(`${table.schema}\u0000${ix.name}`)) continue;
      const q = ctx.quoteQualified(table.schema, ix.name);
      ctx.report({
        path: ix.path,
        message: `index ${ix.name} on ${table.path} is INVALID (a failed or cancelled build): maintained on writes, never used${ix.unique ? ', enforces nothing' : ''}`,
        evidence: { unique: ix.unique },
        fix: ctx.capabilities?.concurrentIndex ? `REINDEX INDEX CONCURRENTLY ${q};` : `DROP INDEX ${q}; -- then create it again`,
      });
    }
  },
});
