// PLB115: roles that no role_permissions row grants anything — users holding
// them can do nothing, or code falls back to something looser. Bounded
// anti-join over the roles table; role names (not secrets) are reported.
import { defineRule } from '../rule.js';
import { rbacFamilies, roleNameColumn, roleReference } from '../data/rbac.js';
import { num, runQuery, SAMPLE_KEYS, sampleNote, scanSource } from '../data/sql.js';

export default defineRule({
  meta: {
    id: 'role-without-permissions',
    code: 'PLB115',
    title: 'Role with no permissions',
    category: 'security',
    severity: 'warning',
    data: true,
    docs: {
      description:
        'A role in the roles table has no row in the role-permission mapping. Users assigned to it can do nothing — or, worse, application code treats "no permissions configured" as "no restriction". Usually a seed that created roles but not their grants.',
      bad: `CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE permissions (id int PRIMARY KEY, code varchar(50) NOT NULL UNIQUE);
CREATE TABLE role_permissions (role_id int NOT NULL REFERENCES roles (id), permission_id int NOT NULL REFERENCES permissions (id), PRIMARY KEY (role_id, permission_id));
INSERT INTO roles VALUES (1, 'admin'), (2, 'qc_operator');
INSERT INTO permissions VALUES (1, 'gauge.view'), (2, 'gauge.qc');
INSERT INTO role_permissions VALUES (1, 1), (1, 2);`,
      good: `CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
CREATE TABLE permissions (id int PRIMARY KEY, code varchar(50) NOT NULL UNIQUE);
CREATE TABLE role_permissions (role_id int NOT NULL REFERENCES roles (id), permission_id int NOT NULL REFERENCES permissions (id), PRIMARY KEY (role_id, permission_id));
INSERT INTO roles VALUES (1, 'admin'), (2, 'qc_operator');
INSERT INTO permissions VALUES (1, 'gauge.view'), (2, 'gauge.qc');
INSERT INTO role_permissions VALUES (1, 1), (1, 2), (2, 2);`,
      remediation: 'Grant each role its permissions in the mapping table (or delete roles nobody should hold).',
    },
  },
  async check(ctx) {
    for (const f of rbacFamilies(ctx.catalog)) {
      const roles = f.members.roles;
      const map = f.members.rolePermissions;
      if (!roles || !map) continue;
      const ref = roleReference(map, roles);
      if (!ref) continue;
      const nameCol = roleNameColumn(roles);
      const src = await scanSource(ctx, roles, [ref.key.name, ...(nameCol ? [nameCol.name] : [])]);
      if (!src) continue;
      const q = ctx.quoteIdent;
      const where = `NOT EXISTS (SELECT 1 FROM ${ctx.quoteQualified(map.schema, map.name)} x WHERE x.${q(ref.column.name)} = src.${q(ref.key.name)})`;
      const counted = await runQuery<{ n: unknown }>(ctx, roles.path, `SELECT COUNT(*) AS n FROM ${src.from} WHERE ${where}`);
      const n = num(counted?.[0]?.n);
      if (!counted || n === 0) continue;
      const label = nameCol ? `src.${q(nameCol.name)}` : `src.${q(ref.key.name)}`;
      const rows = await runQuery<{ name: unknown }>(ctx, roles.path, `SELECT ${label} AS name FROM ${src.from} WHERE ${where} ORDER BY src.${q(ref.key.name)} LIMIT ${SAMPLE_KEYS}`);
      const names = rows ? rows.map((r) => String(r.name)) : [];
      ctx.report({
        path: roles.path,
        message: `${n} role${n === 1 ? '' : 's'} of ${roles.path} ha${n === 1 ? 's' : 've'} no permission in ${map.path}: ${names.map((x) => `'${x}'`).join(', ')}${n > names.length ? ', …' : ''}${sampleNote(src.sampled, ctx, roles)}`,
        evidence: { roles: n, sampleRoles: names, mapping: map.path },
        ...(src.sampled ? { sampled: true } : {}),
      });
    }
  },
});
