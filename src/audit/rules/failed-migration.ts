// Migrations recorded as failed or dirty by the tool that ran them: the schema
// is somewhere between two versions.
import type { Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { tablesNamed } from '../migration-tables.js';

interface Probe {
  tool: string;
  table: string;
  columns: string[];
  /** SELECT listing the failed/dirty migrations' names, given the quoted table. */
  sql(q: string): string;
}

const PROBES: Probe[] = [
  { tool: 'Prisma', table: '_prisma_migrations', columns: ['migration_name', 'finished_at', 'rolled_back_at'], sql: (q) => `SELECT migration_name::text AS name FROM ${q} WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY 1 LIMIT 20` },
  { tool: 'Flyway', table: 'flyway_schema_history', columns: ['version', 'success'], sql: (q) => `SELECT coalesce(version::text, description::text) AS name FROM ${q} WHERE NOT success ORDER BY 1 LIMIT 20` },
  { tool: 'golang-migrate', table: 'schema_migrations', columns: ['version', 'dirty'], sql: (q) => `SELECT version::text AS name FROM ${q} WHERE dirty ORDER BY 1 LIMIT 20` },
  { tool: 'knex', table: 'knex_migrations_lock', columns: ['is_locked'], sql: (q) => `SELECT 'lock'::text AS name FROM ${q} WHERE is_locked::int <> 0 LIMIT 1` },
];

export default defineRule({
  meta: {
    id: 'failed-migration',
    code: 'PLB301',
    title: 'Failed or dirty migration recorded',
    category: 'drift',
    severity: 'error',
    data: true,
    docs: {
      description:
        'Migration tools record a migration that failed half-way: Prisma (`_prisma_migrations.finished_at` null and not rolled back), ' +
        'Flyway (`flyway_schema_history.success = false`), golang-migrate (`schema_migrations.dirty`), knex (a stuck `knex_migrations_lock`). ' +
        'Until someone resolves it, the schema is between versions and the tool refuses to continue. Rails records only applied versions, so it is not checked.',
      bad: `CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (20240611093000, true);`,
      good: `CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (20240611093000, false);`,
      remediation: 'Find out how far the failed migration got, finish or undo it by hand, then mark it resolved (`prisma migrate resolve`, `flyway repair`, `migrate force V`).',
    },
  },
  async check(ctx: RuleContext) {
    if (!ctx.query) return;
    for (const p of PROBES) {
      for (const t of tablesNamed(ctx.catalog, p.table, p.columns)) await probe(ctx, p, t);
    }
  },
});

async function probe(ctx: RuleContext, p: Probe, t: Table): Promise<void> {
  const rows = await ctx.query!<{ name: string }>(p.sql(ctx.quoteQualified(t.schema, t.name)));
  if (!rows.length) return;
  ctx.report({
    path: t.path,
    message: `${p.tool} records ${rows.length === 1 ? 'a failed or dirty migration' : `${rows.length} failed or dirty migrations`} in ${t.path}: ${rows.map((r) => r.name).join(', ')}`,
    evidence: { tool: p.tool, migrations: rows.map((r) => r.name) },
  });
}
