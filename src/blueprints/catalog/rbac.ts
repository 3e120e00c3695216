// rbac: users, roles, permissions `resource:action`, role_permissions,
// user_roles; four default roles with a permission matrix (seed 003), lockout
// columns, and a TOTP secret that is only ever stored encrypted.
import { kit, type Blueprint } from '../blueprint.js';

export const RBAC_ROLES = ['ADMIN', 'MANAGER', 'OPERATOR', 'VIEWER'] as const;
export const RBAC_RESOURCES = ['settings', 'users', 'audit', 'roles'] as const;
export const RBAC_ACTIONS = ['read', 'write', 'delete', 'admin'] as const;

/** Which actions each role holds on which resources (ADMIN: all). */
const MATRIX: Record<(typeof RBAC_ROLES)[number], [string, string[]][]> = {
  ADMIN: RBAC_RESOURCES.map((r) => [r, [...RBAC_ACTIONS]]),
  MANAGER: [
    ['settings', ['read', 'write', 'delete']],
    ['users', ['read', 'write', 'delete']],
    ['audit', ['read']],
  ],
  OPERATOR: [['settings', ['read', 'write']]],
  VIEWER: [
    ['settings', ['read']],
    ['audit', ['read']],
  ],
};

export const rbac: Blueprint = {
  name: 'rbac',
  summary: 'users, roles, permissions (resource:action), role/user mappings; ADMIN/MANAGER/OPERATOR/VIEWER seeded',
  build(p) {
    const k = kit(p);
    const [users, roles, permissions, rolePermissions, userRoles] = ['users', 'roles', 'permissions', 'role_permissions', 'user_roles'].map(k.t) as [string, string, string, string, string];
    const refTo = (table: string) => (p.schema === 'public' ? table : `${p.schema}.${table}`);
    const perms = RBAC_RESOURCES.flatMap((resource) => RBAC_ACTIONS.map((action) => ({ resource, action, description: `${action} ${resource}` })));
    const grants = RBAC_ROLES.flatMap((role) =>
      MATRIX[role].flatMap(([resource, actions]) =>
        actions.map((action) => ({ role_id: { $ref: refTo(roles), key: { name: role } }, permission_id: { $ref: refTo(permissions), key: { resource, action } } })),
      ),
    );
    return {
      spec: {
        tables: [
          {
            name: users,
            schema: p.schema,
            comment: 'People who sign in. Passwords are hashed; the TOTP secret is stored encrypted with its key id.',
            columns: [
              k.idCol(),
              { name: 'username', type: 'varchar(100)', nullable: false, unique: true },
              { name: 'email', type: 'varchar(255)', nullable: false, unique: true },
              { name: 'password_hash', type: 'text', nullable: false },
              { name: 'totp_secret_encrypted', type: 'text', nullable: true, comment: 'AES-256-GCM ciphertext (base64 nonce‖ciphertext‖tag)' },
              { name: 'totp_key_id', type: 'varchar(64)', nullable: true },
              { name: 'is_active', type: 'bool', nullable: false, default: true },
              { name: 'is_locked', type: 'bool', nullable: false, default: false },
              { name: 'failed_login_attempts', type: 'int', nullable: false, default: 0, check: 'failed_login_attempts >= 0' },
              { name: 'locked_until', type: 'timestamptz', nullable: true },
              { name: 'last_login_at', type: 'timestamptz', nullable: true },
              k.created(),
              k.updated(),
            ],
            checks: [{ name: `${users}_totp_key_id_with_secret`, expression: '(totp_secret_encrypted IS NULL) = (totp_key_id IS NULL)' }],
          },
          {
            name: roles,
            schema: p.schema,
            columns: [k.idCol(), { name: 'name', type: 'varchar(50)', nullable: false, unique: true }, { name: 'description', type: 'text', nullable: true }, { name: 'is_system_role', type: 'bool', nullable: false, default: false }, k.created()],
          },
          {
            name: permissions,
            schema: p.schema,
            comment: 'resource:action pairs',
            columns: [k.idCol(), { name: 'resource', type: 'varchar(50)', nullable: false }, { name: 'action', type: 'varchar(20)', nullable: false }, { name: 'description', type: 'text', nullable: true }],
            uniques: [{ name: `${permissions}_resource_action_key`, columns: ['resource', 'action'] }],
            checks: [{ name: `${permissions}_action_check`, expression: k.inList('action', [...RBAC_ACTIONS]) }],
          },
          {
            name: rolePermissions,
            schema: p.schema,
            columns: [k.ref('role_id', roles, { onDelete: 'cascade' }), k.ref('permission_id', permissions, { onDelete: 'cascade' })],
            primaryKey: ['role_id', 'permission_id'],
            indexes: [{ columns: ['permission_id'] }],
          },
          {
            name: userRoles,
            schema: p.schema,
            columns: [k.ref('user_id', users, { onDelete: 'cascade' }), k.ref('role_id', roles, { onDelete: 'cascade' }), { name: 'assigned_at', type: 'timestamptz', nullable: false, default: 'now()' }, k.ref('assigned_by', users, { nullable: true, onDelete: 'set null' })],
            primaryKey: ['user_id', 'role_id'],
            indexes: [{ columns: ['role_id'] }, { columns: ['assigned_by'] }],
          },
        ],
        seed: [
          { table: roles, schema: p.schema, key: ['name'], rows: RBAC_ROLES.map((name) => ({ name, description: `${name.toLowerCase()} (system role)`, is_system_role: true })) },
          { table: permissions, schema: p.schema, key: ['resource', 'action'], rows: perms },
          { table: rolePermissions, schema: p.schema, key: ['role_id', 'permission_id'], rows: grants },
        ],
        verify: [
          { name: `${roles}: the four system roles exist`, sql: `SELECT count(*) FROM ${k.q(roles)} WHERE ${k.inList('name', [...RBAC_ROLES])}`, expect: 4 },
          { name: `${permissions}: every resource:action exists`, sql: `SELECT count(*) FROM ${k.q(permissions)}`, expect: { op: '>=', value: perms.length } },
          {
            name: 'ADMIN holds every permission',
            sql: `SELECT count(*) FROM ${k.q(permissions)} p WHERE NOT EXISTS (SELECT 1 FROM ${k.q(rolePermissions)} rp JOIN ${k.q(roles)} r ON r.id = rp.role_id WHERE r.name = 'ADMIN' AND rp.permission_id = p.id)`,
            expect: 0,
          },
          { name: 'every role holds a permission', sql: `SELECT count(*) FROM ${k.q(roles)} r WHERE NOT EXISTS (SELECT 1 FROM ${k.q(rolePermissions)} rp WHERE rp.role_id = r.id)`, expect: 0 },
          // Each reject names the error it expects: a statement refused for another reason (a typo, a missing column) is no proof.
          { name: `${permissions}: unknown actions are rejected`, reject: `INSERT INTO ${k.q(permissions)} (resource, action) VALUES ('settings', 'sudo')`, errorClass: 'check_violation' },
          { name: `${roles}: duplicate names are rejected`, reject: `INSERT INTO ${k.q(roles)} (name) VALUES ('ADMIN')`, errorClass: 'unique_violation' },
        ],
      },
      satisfies: ['rbac-tables-empty', 'role-without-permissions', 'password-not-hashed', 'secret-column-in-clear', 'foreign-key-without-index', 'table-without-primary-key'],
      chains: [],
      notes: [
        'no admin user is seeded: create one with a real password hash (seed `hash:` or your app), then map it to ADMIN in user_roles — the no-admin-user rule reminds you',
        'totp_secret_encrypted holds AES-256-GCM ciphertext written by the application (or `encrypt:` at seed time), with its key id in totp_key_id',
      ],
    };
  },
};
