// PLB113: RBAC tables (roles, permissions, role_permissions, user_roles, with
// an optional prefix such as core_) that exist but hold no rows — access
// control defined and never seeded (seed 000: "zero security records").
import { defineRule } from '../rule.js';
import { rbacFamilies, type RbacRole } from '../data/rbac.js';
import { databaseHoldsRows, runQuery } from '../data/sql.js';

const ORDER: RbacRole[] = ['roles', 'permissions', 'rolePermissions', 'userRoles'];

export default defineRule({
  meta: {
    id: 'rbac-tables-empty',
    code: 'PLB113',
    title: 'RBAC table present but empty',
    category: 'security',
    severity: 'error',
    data: true,
    docs: {
      description:
        'The schema has a role-based access control model — a roles table with permissions, role_permissions or user_roles (optionally prefixed, e.g. `core_roles`) — but one of those tables is empty. Code that checks permissions against them either denies everything or, more often, was written to allow when nothing is configured: no access control at all (seed 000: zero security records). When no table of the database holds a row at all (a schema-only load) the finding is only info.',
      bad: `CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE permissions (id int PRIMARY KEY, code varchar(50) NOT NULL UNIQUE);
CREATE TABLE role_permissions (role_id int NOT NULL REFERENCES roles (id), permission_id int NOT NULL REFERENCES permissions (id), PRIMARY KEY (role_id, permission_id));
INSERT INTO roles VALUES (1, 'admin');`,
      good: `CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE permissions (id int PRIMARY KEY, code varchar(50) NOT NULL UNIQUE);
CREATE TABLE role_permissions (role_id int NOT NULL REFERENCES roles (id), permission_id int NOT NULL REFERENCES permissions (id), PRIMARY KEY (role_id, permission_id));
INSERT INTO roles VALUES (1, 'admin');
INSERT INTO permissions VALUES (1, 'gauge.view');
INSERT INTO role_permissions VALUES (1, 1);`,
      remediation: 'Seed the security model (roles, permissions, their mapping and at least one admin assignment) idempotently — `plumb seed` with the spec\'s reference data — and verify the counts afterwards.',
    },
  },
  async check(ctx) {
    for (const f of rbacFamilies(ctx.catalog)) {
      const present = ORDER.filter((r) => f.members[r]);
      const empty: string[] = [];
      for (const role of present) {
        const t = f.members[role]!;
        const rows = await runQuery<Record<string, unknown>>(ctx, t.path, `SELECT 1 AS one FROM ${ctx.quoteQualified(t.schema, t.name)} LIMIT 1`);
        if (rows && rows.length === 0) empty.push(t.path);
      }
      // A database with no rows anywhere is a schema-only load: empty RBAC is expected there.
      const schemaOnly = empty.length > 0 && (await databaseHoldsRows(ctx)) === false;
      for (const path of empty) {
        ctx.report({
          path,
          message: `RBAC table ${path} is empty${empty.length > 1 ? ` (${empty.length} of ${present.length} RBAC tables in this family are)` : ''}${schemaOnly ? '; no table in the database holds a row (schema only?), so seed it before going live' : ''}`,
          ...(schemaOnly ? { severity: 'info' as const } : {}),
          evidence: { rbacTables: present.map((r) => f.members[r]!.path), empty, ...(schemaOnly ? { databaseEmpty: true } : {}) },
        });
      }
    }
  },
});
