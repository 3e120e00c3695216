// SECURITY DEFINER routines that every role may call: Postgres grants EXECUTE
// to PUBLIC by default, so a function written to run with its owner's rights
// "for the admin job" runs them for anyone who can connect. Reads the
// routines' ACLs (pg_proc), excluding extension members, like splinter.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'security-definer-executable-by-public',
    code: 'PLB031',
    title: 'SECURITY DEFINER function executable by PUBLIC',
    category: 'security',
    severity: 'error',
    dialects: ['postgres'],
    requires: ['routines'],
    data: true,
    docs: {
      description:
        'A SECURITY DEFINER function runs with its owner\'s privileges — often a superuser or the schema owner. Postgres grants EXECUTE on every new ' +
        'function to PUBLIC unless it is revoked (or default privileges say otherwise), so any role that can connect can call it and do whatever the ' +
        'owner can through it. Revoke EXECUTE from PUBLIC and grant it to the roles that need it. Functions that belong to an extension are not reported.',
      bad: `CREATE FUNCTION reset_user_password(p_user_id bigint) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT $$;
COMMENT ON FUNCTION reset_user_password(bigint) IS 'Support tool: resets a password.';`,
      good: `CREATE FUNCTION reset_user_password(p_user_id bigint) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT $$;
REVOKE EXECUTE ON FUNCTION reset_user_password(bigint) FROM PUBLIC;
COMMENT ON FUNCTION reset_user_password(bigint) IS 'Support tool: resets a password.';`,
      remediation:
        '`REVOKE EXECUTE ON FUNCTION … FROM PUBLIC;` then `GRANT EXECUTE … TO` the roles that need it; and `ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC` so new functions start closed.',
    },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads routine privileges (pg_proc.proacl): needs a live connection');
      return;
    }
    const schemas = ctx.catalog.schemas.map((s) => s.name);
    // aclexplode over the default ACL when proacl is NULL: grantee 0 is PUBLIC.
    const rows = await ctx.query<{ s: string; name: string; args: string; kind: string }>(
      `SELECT n.nspname AS s, p.proname AS name, pg_catalog.pg_get_function_identity_arguments(p.oid) AS args, p.prokind::text AS kind
         FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND n.nspname = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
          AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
        ORDER BY 1, 2, 3`,
      [schemas],
    );
    for (const r of rows) {
      const routine = ctx.catalog.schemas.find((s) => s.name === r.s)?.routines.find((x) => x.name === r.name && x.signature.replace(/\s+/g, '') === r.args.replace(/\s+/g, ''));
      const path = routine?.path ?? `${r.s}.${r.name}(${r.args})`;
      const what = r.kind === 'p' ? 'PROCEDURE' : 'FUNCTION';
      ctx.report({
        path,
        message: `${what.toLowerCase()} ${path} is SECURITY DEFINER and PUBLIC may execute it (it runs with ${routine?.owner ?? 'its owner'}'s rights for any role)`,
        evidence: { owner: routine?.owner ?? null },
        fix: `REVOKE EXECUTE ON ${what} ${ctx.quoteQualified(r.s, r.name)}(${r.args}) FROM PUBLIC;`,
      });
    }
  },
});
