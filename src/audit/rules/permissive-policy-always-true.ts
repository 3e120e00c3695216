// A permissive write policy whose condition is `true`: RLS is on, but it allows every row.
import { defineRule } from '../rule.js';
import { isAlwaysTrue, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'permissive-policy-always-true',
    code: 'PLB023',
    title: 'Permissive policy that always allows writes',
    category: 'security',
    severity: 'warning',
    requires: ['rowLevelSecurity'],
    docs: {
      description:
        'A permissive policy for INSERT, UPDATE, DELETE or ALL whose `USING` or `WITH CHECK` is just `true` lets the role change ' +
        'any row, which defeats row-level security for that command. Read-only `FOR SELECT … USING (true)` policies (public data) are not reported.',
      bad: `CREATE TABLE comments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_name text NOT NULL, body text NOT NULL);
ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
CREATE POLICY comments_edit ON comments FOR UPDATE USING (true) WITH CHECK (true);`,
      good: `CREATE TABLE comments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_name text NOT NULL, body text NOT NULL);
ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
CREATE POLICY comments_edit ON comments FOR UPDATE USING (author_name = current_user) WITH CHECK (author_name = current_user);`,
      remediation: 'Give the policy a real condition (usually ownership: `owner_id = auth.uid()`), or drop it.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const p of table.policies) {
        if (!p.permissive || p.command === 'select') continue;
        const parts = [isAlwaysTrue(p.using) ? 'USING (true)' : '', isAlwaysTrue(p.withCheck) ? 'WITH CHECK (true)' : ''].filter(Boolean);
        if (!parts.length) continue;
        ctx.report({
          path: p.path,
          message: `policy ${p.name} on ${table.path} allows ${p.command.toUpperCase()} on every row for ${p.roles.join(', ')} (${parts.join(', ')})`,
          evidence: { command: p.command, roles: p.roles, using: p.using, withCheck: p.withCheck },
        });
      }
    }
  },
});
