// RLS on with no policy: the table denies every row to everyone but its owner — usually a forgotten policy.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'rls-enabled-no-policy',
    code: 'PLB021',
    title: 'Row-level security enabled without any policy',
    category: 'security',
    severity: 'info',
    requires: ['rowLevelSecurity'],
    docs: {
      description:
        'With RLS enabled and no policy, non-owner roles see no rows and can write none. Sometimes intended (a table only ' +
        'service code touches), usually a policy that was never created.',
      bad: `CREATE TABLE payouts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount_cents bigint NOT NULL);
ALTER TABLE payouts ENABLE ROW LEVEL SECURITY;`,
      good: `CREATE TABLE payouts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount_cents bigint NOT NULL, payee_name text NOT NULL);
ALTER TABLE payouts ENABLE ROW LEVEL SECURITY;
CREATE POLICY payouts_own ON payouts FOR SELECT USING (payee_name = current_user);`,
      remediation: 'Create the policies the table needs, or disable RLS if access is controlled by grants alone.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || !table.rls.enabled || table.policies.length) continue;
      ctx.report({ path: table.path, message: `${table.path} has row-level security enabled but no policy: only its owner can read or write rows` });
    }
  },
});
