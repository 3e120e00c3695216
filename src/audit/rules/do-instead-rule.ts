// Query rewrite rules that replace the statement a client sent (`DO INSTEAD`):
// an INSERT that inserts nowhere, or somewhere else, with no trace in the
// table's definition. Reads pg_rules (the catalog, not table data); the
// `_RETURN` rules that implement views are not listed there.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'do-instead-rule',
    code: 'PLB054',
    title: 'Rewrite rule replaces statements (DO INSTEAD)',
    category: 'integrity',
    severity: 'warning',
    dialects: ['postgres'],
    data: true,
    docs: {
      description:
        'A `CREATE RULE … DO INSTEAD` rewrites every matching INSERT, UPDATE or DELETE into other statements before it runs. The client is told ' +
        'its statement succeeded while the rows went elsewhere or nowhere (`DO INSTEAD NOTHING`); row counts and `RETURNING` lie, `COPY` ' +
        'ignores the rule, and nothing in the table\'s columns or triggers shows it. The Postgres manual recommends triggers (INSTEAD OF ' +
        'triggers on views) instead. Read from `pg_rules`, so a catalog-only audit skips it.',
      bad: `CREATE TABLE ledger_entries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric(12,2) NOT NULL);
CREATE RULE ledger_entries_no_delete AS ON DELETE TO ledger_entries DO INSTEAD NOTHING;`,
      good: `CREATE TABLE ledger_entries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric(12,2) NOT NULL);
REVOKE DELETE ON ledger_entries FROM PUBLIC;`,
      remediation:
        'Drop the rule and enforce the intent explicitly: revoke the privilege (REVOKE DELETE …), raise an error from a BEFORE trigger, or make a view writable with an INSTEAD OF trigger.',
    },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads pg_rules: needs a live connection');
      return;
    }
    const schemas = ctx.catalog.schemas.map((s) => s.name);
    const rows = await ctx.query<{ s: string; t: string; r: string; def: string }>(
      `SELECT schemaname AS s, tablename AS t, rulename AS r, definition AS def FROM pg_catalog.pg_rules WHERE schemaname = ANY($1) ORDER BY 1, 2, 3`,
      [schemas],
    );
    for (const row of rows) {
      if (!/\bDO\s+INSTEAD\b/i.test(row.def)) continue;
      const schema = ctx.catalog.schemas.find((s) => s.name === row.s);
      const rel = schema?.tables.find((t) => t.name === row.t) ?? schema?.views.find((v) => v.name === row.t);
      if (!rel) continue;
      const event = /\bON\s+(INSERT|UPDATE|DELETE|SELECT)\b/i.exec(row.def)?.[1]?.toUpperCase() ?? 'a statement';
      const nothing = /\bDO\s+INSTEAD\s+NOTHING\b/i.test(row.def);
      ctx.report({
        path: `${rel.path}.${row.r}`,
        message: `rule ${row.r} on ${rel.path} replaces every ${event} with ${nothing ? 'nothing (the statement silently does nothing)' : 'other statements'}`,
        evidence: { rule: row.r, event, nothing },
        fix: `DROP RULE ${ctx.quoteIdent(row.r)} ON ${ctx.quoteQualified(row.s, row.t)};`,
      });
    }
  },
});
