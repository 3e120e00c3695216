// settings: runtime configuration per environment, values encrypted with
// AES-256-GCM and a key id per value, versioned, every change recorded in an
// immutable audit table that a setting can never be deleted out from under.
import { kit, type Blueprint } from '../blueprint.js';

export const settings: Blueprint = {
  name: 'settings',
  summary: 'per-environment settings, AES-256-GCM values with key id, versioned, immutable settings audit log',
  build(p) {
    const k = kit(p);
    const table = k.t('settings');
    const audit = k.t('settings_audit_log');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            columns: [
              k.idCol(),
              { name: 'key', type: 'varchar(150)', nullable: false },
              { name: 'environment', type: 'varchar(30)', nullable: false },
              { name: 'category', type: 'varchar(50)', nullable: true },
              { name: 'value_type', type: 'varchar(20)', nullable: false, default: { value: 'string' } },
              { name: 'value', type: 'text', nullable: true, comment: 'plain value (only when is_encrypted is false)' },
              { name: 'value_encrypted', type: 'text', nullable: true, comment: 'AES-256-GCM: base64(nonce‖ciphertext‖tag)' },
              { name: 'key_id', type: 'varchar(64)', nullable: true, comment: 'which key encrypted value_encrypted' },
              { name: 'is_encrypted', type: 'bool', nullable: false, default: false },
              { name: 'is_secret', type: 'bool', nullable: false, default: false },
              { name: 'version', type: 'int', nullable: false, default: 1, check: 'version >= 1' },
              { name: 'description', type: 'text', nullable: true },
              k.userRef('updated_by'),
              k.created(),
              k.updated(),
            ],
            uniques: [{ name: `${table}_key_environment_key`, columns: ['key', 'environment'] }],
            checks: [
              { name: `${table}_environment_check`, expression: k.inList('environment', p.environments) },
              { name: `${table}_value_type_check`, expression: k.inList('value_type', ['string', 'int', 'float', 'bool', 'json']) },
              // An encrypted value has ciphertext and a key id and no plain text; a secret is always encrypted.
              { name: `${table}_encryption_check`, expression: '(is_encrypted AND value IS NULL AND value_encrypted IS NOT NULL AND key_id IS NOT NULL) OR (NOT is_encrypted AND value_encrypted IS NULL AND key_id IS NULL)' },
              { name: `${table}_secret_encrypted_check`, expression: 'NOT is_secret OR is_encrypted' },
            ],
            indexes: p.usersTable ? [{ columns: ['updated_by'] }] : [],
          },
          {
            name: audit,
            schema: p.schema,
            comment: 'Immutable: one row per change of a setting. Never UPDATE or DELETE.',
            columns: [
              k.idCol(),
              k.ref('setting_id', table, { onDelete: 'restrict' }),
              { name: 'environment', type: 'varchar(30)', nullable: false },
              { name: 'version', type: 'int', nullable: false },
              { name: 'old_value_encrypted', type: 'text', nullable: true },
              { name: 'new_value_encrypted', type: 'text', nullable: true },
              { name: 'key_id', type: 'varchar(64)', nullable: true },
              k.userRef('changed_by', 'restrict'),
              { name: 'changed_at', type: 'timestamptz', nullable: false, default: 'now()' },
              { name: 'ip_address', type: 'varchar(45)', nullable: true },
              { name: 'user_agent', type: 'text', nullable: true },
              { name: 'request_id', type: 'varchar(100)', nullable: true },
              { name: 'reason', type: 'text', nullable: true },
            ],
            uniques: [{ name: `${audit}_setting_version_key`, columns: ['setting_id', 'version'] }],
            indexes: [{ columns: ['changed_at'] }, ...(p.usersTable ? [{ columns: ['changed_by'] }] : [])],
          },
        ],
        verify: [
          // "key" is quoted: it is a reserved word in MySQL (verify runs a spec's SQL there with ANSI_QUOTES).
          { name: `${table}: a secret cannot be stored in clear`, reject: `INSERT INTO ${k.q(table)} ("key", environment, value, is_secret) VALUES ('plumb.verify.secret', '${p.environments[0]}', 'hunter2', true)`, errorClass: 'check_violation' },
          { name: `${table}: unknown environments are rejected`, reject: `INSERT INTO ${k.q(table)} ("key", environment) VALUES ('plumb.verify.env', 'nowhere')`, errorClass: 'check_violation' },
          { name: `${table}: no secret in clear`, sql: `SELECT count(*) FROM ${k.q(table)} WHERE is_secret AND value IS NOT NULL`, expect: 0 },
        ],
      },
      satisfies: ['plaintext-in-encrypted-column', 'secret-value-in-clear', 'audit-log-cascade-delete', 'foreign-key-without-index'],
      chains: [],
      notes: [
        'encryption happens in the application (or at seed time with `encrypt:`): the database never sees the key, only key_id',
        `${audit} is immutable by convention and ON DELETE RESTRICT; make it hash-chained too with plumb chain install if the changes are evidence`,
      ],
    };
  },
};
