// Views that run with their owner's rights (no security_invoker) and are
// reachable by API roles: they bypass the row-level security of the tables they read.
import { defineRule } from '../rule.js';
import { API_ROLE_SETUP, exposureOptions, isExposed } from '../exposure.js';

export default defineRule({
  meta: {
    id: 'security-definer-view',
    code: 'PLB025',
    title: 'View bypasses row-level security (security definer view)',
    category: 'security',
    severity: 'error',
    requires: ['rowLevelSecurity'],
    options: exposureOptions,
    docs: {
      description:
        'A view reads its tables with the privileges of the view\'s owner — usually a superuser-ish role that RLS does not restrict. ' +
        'Granted to an API role in an exposed schema, it serves every row the policies were meant to hide. On Postgres 15+ ' +
        'create it `WITH (security_invoker = on)`; before 15, move it out of the exposed schema or revoke the grant.',
      bad: `${API_ROLE_SETUP}
CREATE TABLE wallets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL, balance_cents bigint NOT NULL);
ALTER TABLE wallets ENABLE ROW LEVEL SECURITY;
CREATE POLICY wallets_own ON wallets FOR SELECT TO anon USING (owner_name = current_user);
GRANT SELECT ON wallets TO anon;
CREATE VIEW wallet_totals AS SELECT owner_name, sum(balance_cents) AS total_cents FROM wallets GROUP BY owner_name;
GRANT SELECT ON wallet_totals TO anon;`,
      good: `${API_ROLE_SETUP}
CREATE TABLE wallets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL, balance_cents bigint NOT NULL);
ALTER TABLE wallets ENABLE ROW LEVEL SECURITY;
CREATE POLICY wallets_own ON wallets FOR SELECT TO anon USING (owner_name = current_user);
GRANT SELECT ON wallets TO anon;
CREATE VIEW wallet_totals WITH (security_invoker = on) AS SELECT owner_name, sum(balance_cents) AS total_cents FROM wallets GROUP BY owner_name;
GRANT SELECT ON wallet_totals TO anon;`,
      remediation: 'ALTER VIEW … SET (security_invoker = on) (Postgres 15+), or revoke the API roles\' access to the view.',
    },
    fixture: { options: { exposedSchemas: ['$schema'] } },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      for (const v of s.views) {
        if (v.securityInvoker || !isExposed(s.name, v.grants, ctx.options)) continue;
        ctx.report({
          path: v.path,
          message: `${v.materialized ? 'materialized view' : 'view'} ${v.path} is reachable by API roles and runs with its owner's privileges (${v.owner ?? 'unknown owner'}), bypassing row-level security`,
          evidence: { owner: v.owner, grants: v.grants },
          ...(!v.materialized && ctx.catalog.serverMajor >= 15 ? { fix: `ALTER VIEW ${ctx.quoteQualified(s.name, v.name)} SET (security_invoker = on);` } : {}),
        });
      }
    }
  },
});
