// UNLOGGED tables (pg-index-health "unlogged tables"/"unlogged sequences"):
// not written to the WAL, so a crash empties them and replicas never see
// their rows.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'unlogged-table',
    code: 'PLB067',
    title: 'UNLOGGED table',
    category: 'integrity',
    severity: 'info',
    dialects: ['postgres'],
    docs: {
      description:
        'An UNLOGGED table skips the write-ahead log: writes are faster, but after a crash or an immediate shutdown the server truncates ' +
        'it, physical replicas and point-in-time restores have it empty, and a failover loses its rows. That is right for a cache or a ' +
        'staging table and wrong for anything that must survive; the rule lists them so the choice is visible. Standalone UNLOGGED ' +
        'sequences (Postgres 15+) are listed too when the audit has a live connection.',
      bad: `CREATE UNLOGGED TABLE payments (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);`,
      good: `CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);`,
      remediation: '`ALTER TABLE … SET LOGGED;` (rewrites the table and writes it to the WAL) for data that must survive a crash.',
    },
  },
  async check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (!table.unlogged) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} is UNLOGGED: a crash empties it and replicas never receive its rows`,
        fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} SET LOGGED;`,
      });
    }
    if (!ctx.query || ctx.catalog.serverMajor < 15) return;
    // Sequences owned by an unlogged table follow it; report only the ones that stand alone.
    const rows = await ctx.query<{ s: string; name: string }>(
      `SELECT n.nspname AS s, c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND c.relpersistence = 'u' AND n.nspname = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
        ORDER BY 1, 2`,
      [ctx.catalog.schemas.map((s) => s.name)],
    );
    for (const r of rows) {
      ctx.report({ path: `${r.s}.${r.name}`, key: 'sequence', message: `sequence ${r.s}.${r.name} is UNLOGGED: after a crash it restarts from its start value`, fix: `ALTER SEQUENCE ${ctx.quoteQualified(r.s, r.name)} SET LOGGED;` });
    }
  },
});
