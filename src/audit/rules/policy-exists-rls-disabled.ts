// Policies written but RLS never enabled: the policies do nothing and everyone with a grant sees every row.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'policy-exists-rls-disabled',
    code: 'PLB022',
    title: 'Policies exist but row-level security is disabled',
    category: 'security',
    severity: 'error',
    requires: ['rowLevelSecurity'],
    docs: {
      description: 'Policies are only enforced once `ENABLE ROW LEVEL SECURITY` has run on the table. Until then they give a false sense of protection.',
      bad: `CREATE TABLE documents (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL);
CREATE POLICY documents_own ON documents FOR SELECT USING (owner_name = current_user);`,
      good: `CREATE TABLE documents (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL);
CREATE POLICY documents_own ON documents FOR SELECT USING (owner_name = current_user);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;`,
      remediation: 'Enable row-level security on the table (check the policies cover every command first).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.rls.enabled || !table.policies.length) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} has ${table.policies.length} polic${table.policies.length === 1 ? 'y' : 'ies'} (${table.policies.map((p) => p.name).join(', ')}) but row-level security is disabled, so none is enforced`,
        evidence: { policies: table.policies.map((p) => p.name) },
        fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ENABLE ROW LEVEL SECURITY;`,
      });
    }
  },
});
