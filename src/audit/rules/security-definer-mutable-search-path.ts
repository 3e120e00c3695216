// SECURITY DEFINER routines without a pinned search_path: a caller can put
// their own objects first on the path and run them with the owner's rights.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'security-definer-mutable-search-path',
    code: 'PLB024',
    title: 'SECURITY DEFINER function with a mutable search_path',
    category: 'security',
    severity: 'error',
    // search_path is Postgres name resolution: a MySQL routine resolves names in its own database whoever calls it.
    dialects: ['postgres'],
    requires: ['routines'],
    docs: {
      description:
        'A SECURITY DEFINER function runs with its owner\'s privileges but resolves unqualified names through the caller\'s ' +
        '`search_path`. A caller who can create objects in any schema on that path can shadow a table or operator and run code as the owner. ' +
        'Pin the path on the function with `SET search_path`.',
      bad: `CREATE FUNCTION grant_bonus(p_amount integer) RETURNS integer
  LANGUAGE sql SECURITY DEFINER
  AS $$ SELECT p_amount * 2 $$;
COMMENT ON FUNCTION grant_bonus(integer) IS 'Doubles a bonus; called by the payroll job.';`,
      good: `CREATE FUNCTION grant_bonus(p_amount integer) RETURNS integer
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT p_amount * 2 $$;
REVOKE EXECUTE ON FUNCTION grant_bonus(integer) FROM PUBLIC;
COMMENT ON FUNCTION grant_bonus(integer) IS 'Doubles a bonus; called by the payroll job.';`,
      remediation: 'ALTER FUNCTION … SET search_path = pg_catalog, pg_temp (and schema-qualify every name in the body).',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      for (const r of s.routines) {
        if (!r.securityDefiner || r.config.some((c) => /^search_path\s*=/i.test(c))) continue;
        ctx.report({
          path: r.path,
          message: `${r.kind} ${r.path} is SECURITY DEFINER and does not set search_path`,
          evidence: { owner: r.owner, language: r.language },
          fix: `ALTER ${r.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${ctx.quoteQualified(s.name, r.name)}(${r.signature}) SET search_path = pg_catalog, pg_temp;`,
        });
      }
    }
  },
});
