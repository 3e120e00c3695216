// Tables an API role can reach with row-level security off: every row is readable (and maybe writable) by anyone with the API key.
import { defineRule } from '../rule.js';
import { API_ROLE_SETUP, exposureOptions, isExposed } from '../exposure.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'rls-disabled-in-exposed-schema',
    code: 'PLB020',
    title: 'Row-level security disabled on a table exposed to API roles',
    category: 'security',
    severity: 'error',
    requires: ['rowLevelSecurity'],
    options: exposureOptions,
    docs: {
      description:
        'Schemas served by an HTTP API (PostgREST, Supabase: `exposedSchemas`, default `public`) rely on row-level security to ' +
        'limit what the API roles (`apiRoles`: `anon`, `authenticated`, `PUBLIC`) see. A table in such a schema that grants ' +
        'privileges to an API role but has RLS disabled is fully readable — and writable, if granted — by anyone holding the public key. ' +
        'Tables not granted to any API role are not reported, so ordinary application databases get no noise.',
      bad: `${API_ROLE_SETUP}
CREATE TABLE profiles (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL);
GRANT SELECT ON profiles TO anon;`,
      good: `${API_ROLE_SETUP}
CREATE TABLE profiles (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL);
GRANT SELECT ON profiles TO anon;
ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY profiles_own ON profiles FOR SELECT TO anon USING (owner_name = current_user);`,
      remediation: 'Enable row-level security and add policies for each API role, or revoke the API roles\' privileges on the table.',
    },
    fixture: { options: { exposedSchemas: ['$schema'] } },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.rls.enabled || !isExposed(table.schema, table.grants, ctx.options)) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} is granted to API roles (${table.grants.map((g) => g.grantee).join(', ')}) but row-level security is disabled`,
        evidence: { grants: table.grants },
        fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ENABLE ROW LEVEL SECURITY; -- then CREATE POLICY … for each API role`,
      });
    }
  },
});
