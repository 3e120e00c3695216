// PLB114: an RBAC model in which no user holds an admin role — either no role
// named admin/administrator/superadmin exists, or none is assigned. Reads the
// roles table (bounded) with a correlated count of assignments; read-only.
import type { Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { ADMIN_ROLE, rbacFamilies, roleNameColumn, roleReference } from '../data/rbac.js';
import { databaseHoldsRows, num, runQuery } from '../data/sql.js';

const MAX_ROLES = 1000;

export default defineRule({
  meta: {
    id: 'no-admin-user',
    code: 'PLB114',
    title: 'No user holds an admin role',
    category: 'security',
    severity: 'error',
    data: true,
    docs: {
      description:
        'The RBAC tables exist, but no user is assigned a role named `admin`, `administrator`, `superadmin`, `super_admin`, `system_admin`, `platform_admin` or `root` (any case) — either because no such role exists or because nobody holds it. Nobody can administer the system through the application, which is how "temporary" bypasses and shared database logins start (seed 000 §1.3: ensure at least one admin exists). Roles stored as text in the assignment table (`user_roles.role_type = \'PLATFORM_ADMIN\'`) count too. When the roles are missing because no table of the database holds a row at all (a schema-only load), the finding is only info.',
      bad: `CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE user_roles (user_id int NOT NULL, role_id int NOT NULL REFERENCES roles (id), PRIMARY KEY (user_id, role_id));
INSERT INTO roles VALUES (1, 'admin'), (2, 'viewer');
INSERT INTO user_roles VALUES (10, 2), (11, 2);`,
      good: `CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE user_roles (user_id int NOT NULL, role_id int NOT NULL REFERENCES roles (id), PRIMARY KEY (user_id, role_id));
INSERT INTO roles VALUES (1, 'admin'), (2, 'viewer');
INSERT INTO user_roles VALUES (10, 1), (11, 2);`,
      remediation: 'Assign the admin role to a named, accountable user (idempotently: insert only where the assignment is missing), and create the role first if it does not exist.',
    },
  },
  async check(ctx) {
    for (const f of rbacFamilies(ctx.catalog)) {
      const roles = f.members.roles;
      let link: Table | undefined = f.members.userRoles;
      let held: { name: string; holders: number }[] | null = null;
      if (roles) {
        // No assignment table: users.role_id is the assignment.
        link ??= ctx.catalog.schemas.find((s) => s.name === f.schema)?.tables.find((t) => t.name.toLowerCase() === `${f.prefix}users` && t.columns.some((c) => c.name === 'role_id'));
        const nameCol = roleNameColumn(roles);
        const ref = link ? roleReference(link, roles) : undefined;
        if (!link || !nameCol || !ref) continue;
        const q = ctx.quoteIdent;
        const rows = await runQuery<{ name: unknown; holders: unknown }>(
          ctx,
          roles.path,
          `SELECT r.${q(nameCol.name)} AS name, (SELECT COUNT(*) FROM ${ctx.quoteQualified(link.schema, link.name)} x WHERE x.${q(ref.column.name)} = r.${q(ref.key.name)}) AS holders FROM ${ctx.quoteQualified(roles.schema, roles.name)} r ORDER BY r.${q(ref.key.name)} LIMIT ${MAX_ROLES}`,
        );
        held = rows && rows.map((r) => ({ name: String(r.name), holders: num(r.holders) }));
      } else if (link) {
        const nameCol = roleNameColumn(link);
        if (!nameCol) continue;
        const c = ctx.quoteIdent(nameCol.name);
        const rows = await runQuery<{ name: unknown; holders: unknown }>(ctx, link.path, `SELECT x.${c} AS name, COUNT(*) AS holders FROM ${ctx.quoteQualified(link.schema, link.name)} x WHERE x.${c} IS NOT NULL GROUP BY x.${c} ORDER BY 1 LIMIT ${MAX_ROLES}`);
        held = rows && rows.map((r) => ({ name: String(r.name), holders: num(r.holders) }));
      }
      if (!held || !link) continue;
      const admins = held.filter((r) => ADMIN_ROLE.test(r.name.trim()));
      if (admins.some((a) => a.holders > 0)) continue;
      const path = roles?.path ?? link.path;
      // A database with no rows anywhere is a schema-only load: no admin yet is expected there.
      const schemaOnly = held.length === 0 && (await databaseHoldsRows(ctx)) === false;
      ctx.report({
        path,
        ...(schemaOnly ? { severity: 'info' as const } : {}),
        message: admins.length
          ? `no user holds an admin role: ${admins.map((a) => `'${a.name}'`).join(', ')} ${admins.length === 1 ? 'is' : 'are'} assigned to nobody in ${link.path}`
          : `no user holds an admin role: no role named admin, administrator or superadmin exists${roles ? ` in ${roles.path}` : ` in ${link.path}`}`,
        evidence: { adminRoles: admins.map((a) => a.name), assignments: link.path, roles: held.length, ...(schemaOnly ? { databaseEmpty: true } : {}) },
      });
    }
  },
});
