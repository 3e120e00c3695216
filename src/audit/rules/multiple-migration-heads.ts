// alembic_version with more than one row: the migration history has branched
// and nobody merged it (seed 001: "Multiple Migration Heads: manually merged").
import { defineRule } from '../rule.js';
import { tablesNamed } from '../migration-tables.js';

export default defineRule({
  meta: {
    id: 'multiple-migration-heads',
    code: 'PLB300',
    title: 'More than one migration head',
    category: 'drift',
    severity: 'error',
    data: true,
    docs: {
      description:
        'Alembic records the current revision in `alembic_version`; two rows mean two heads — branches applied without a merge revision. ' +
        'The next `alembic upgrade head` fails or applies in an order nobody tested.',
      bad: `CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
INSERT INTO alembic_version VALUES ('06fc7e9891b1'), ('3c1a2b4d5e6f');`,
      good: `CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
INSERT INTO alembic_version VALUES ('06fc7e9891b1');`,
      remediation: '`alembic merge heads -m "merge"` in the application repository, then `alembic upgrade head`.',
    },
  },
  async check(ctx) {
    if (!ctx.query) return;
    for (const t of tablesNamed(ctx.catalog, 'alembic_version', ['version_num'])) {
      const rows = await ctx.query<{ v: string }>(`SELECT version_num::text AS v FROM ${ctx.quoteQualified(t.schema, t.name)} ORDER BY 1 LIMIT 20`);
      if (rows.length <= 1) continue;
      ctx.report({
        path: t.path,
        message: `${t.path} holds ${rows.length} heads (${rows.map((r) => r.v).join(', ')}): the migration history is branched`,
        evidence: { heads: rows.map((r) => r.v) },
      });
    }
  },
});
