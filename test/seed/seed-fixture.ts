// A seed-000-style spec (roles, permissions, role→permission mappings by
// natural key, an admin user with an encrypted token and a hashed password).
export const rbacSpecYaml = `
version: 1
schemas:
  - name: rbac
    tables:
      - name: core_roles
        columns:
          id: { type: int, identity: by default, primaryKey: true }
          name: { type: varchar(50), unique: true }
          description: text
          is_system_role: { type: bool, default: false, nullable: false }
      - name: core_permissions
        columns:
          id: { type: int, identity: by default, primaryKey: true }
          code: { type: varchar(50), unique: true }
          name: { type: text, nullable: false }
          module: { type: text, nullable: false, check: "module IN ('gauge', 'core')" }
          settings: jsonb
      - name: core_role_permissions
        columns:
          role_id: { type: int, nullable: false, references: { schema: rbac, table: core_roles } }
          permission_id: { type: int, nullable: false, references: { schema: rbac, table: core_permissions } }
        primaryKey: [role_id, permission_id]
      - name: core_users
        columns:
          id: { type: int, identity: by default, primaryKey: true }
          email: { type: text, nullable: false, unique: true }
          password_hash: text
          api_token: text
          created_at: { type: timestamptz, default: now() }
seed:
  - table: core_roles
    schema: rbac
    key: [name]
    rows:
      - { name: admin, description: System Administrator, is_system_role: true }
      - { name: user, description: Standard User, is_system_role: true }
      - { name: viewer, description: Read-Only Viewer, is_system_role: true }
      - { name: qc_operator, description: Quality Control Operator, is_system_role: true }
  - table: core_permissions
    schema: rbac
    key: [code]
    rows:
      - { code: gauge.view, name: View Gauges, module: gauge, settings: { level: 1 } }
      - { code: gauge.manage, name: Manage Gauges, module: gauge }
      - { code: gauge.calibrate, name: Calibrate Gauges, module: gauge }
      - { code: gauge.qc, name: QC Operations, module: gauge }
      - { code: gauge.transfer, name: Transfer Gauges, module: gauge }
      - { code: gauge.unseal, name: Unseal Gauges, module: gauge }
      - { code: gauge.reports, name: View Reports, module: gauge }
      - { code: system.admin, name: System Admin, module: core }
  - table: core_role_permissions
    schema: rbac
    key: [role_id, permission_id]
    rows:
      - { role_id: { $ref: core_roles, key: { name: admin } }, permission_id: { $ref: core_permissions, key: { code: system.admin } } }
      - { role_id: { $ref: core_roles, key: { name: admin } }, permission_id: { $ref: core_permissions, key: { code: gauge.view } } }
      - { role_id: { $ref: core_roles, key: { name: viewer } }, permission_id: { $ref: core_permissions, key: { code: gauge.view } } }
      - { role_id: { $ref: core_roles, key: { name: viewer } }, permission_id: { $ref: core_permissions, key: { code: gauge.reports } } }
      - { role_id: { $ref: core_roles, key: { name: qc_operator } }, permission_id: { $ref: core_permissions, key: { code: gauge.qc } } }
  - table: core_users
    schema: rbac
    key: [email]
    encrypt: [api_token]
    hash: { password_hash: { scheme: scrypt, env: PLUMB_TEST_ADMIN_PASSWORD } }
    rows:
      - { email: admin@example.com, api_token: tok-secret-123 }
      - { email: ops@example.com, api_token: tok-ops }
verify:
  - { name: 8 permissions, sql: "SELECT count(*) FROM rbac.core_permissions", expect: 8 }
  - { name: 4 roles, sql: "SELECT count(*) FROM rbac.core_roles", expect: 4 }
  - { name: admin exists, sql: "SELECT 1 FROM rbac.core_role_permissions rp JOIN rbac.core_roles r ON r.id = rp.role_id WHERE r.name = 'admin'", expect: nonEmpty }
  - { name: no orphan mapping, reject: "INSERT INTO rbac.core_role_permissions VALUES (999, 999)", errorClass: foreign_key_violation }
`;
