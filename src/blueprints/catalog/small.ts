// The smaller blueprints: feature flags, API keys, sessions, the notification
// queue and the entity state log. Each stores what seeds 000 and 003 asked for.
import { kit, type Blueprint } from '../blueprint.js';

export const featureFlags: Blueprint = {
  name: 'feature-flags',
  summary: 'feature flags per environment with rollout percentage and user/role targeting',
  build(p) {
    const k = kit(p);
    const table = k.t('feature_flags');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            columns: [
              k.idCol(),
              { name: 'flag_name', type: 'varchar(100)', nullable: false },
              { name: 'environment', type: 'varchar(30)', nullable: false },
              { name: 'is_enabled', type: 'bool', nullable: false, default: false },
              { name: 'rollout_percentage', type: 'int', nullable: false, default: 0 },
              { name: 'target_users', type: 'jsonb', nullable: true, comment: 'array of user ids always included' },
              { name: 'target_roles', type: 'jsonb', nullable: true, comment: 'array of role names always included' },
              { name: 'description', type: 'text', nullable: true },
              k.userRef('created_by'),
              k.userRef('updated_by'),
              k.created(),
              k.updated(),
            ],
            uniques: [{ name: `${table}_flag_environment_key`, columns: ['flag_name', 'environment'] }],
            checks: [
              { name: `${table}_rollout_check`, expression: 'rollout_percentage BETWEEN 0 AND 100' },
              { name: `${table}_environment_check`, expression: k.inList('environment', p.environments) },
            ],
            indexes: p.usersTable ? [{ columns: ['created_by'] }, { columns: ['updated_by'] }] : [],
          },
        ],
        verify: [{ name: `${table}: rollout above 100% is rejected`, reject: `INSERT INTO ${k.q(table)} (flag_name, environment, rollout_percentage) VALUES ('plumb.verify', '${p.environments[0]}', 101)`, errorClass: 'check_violation' }],
      },
      satisfies: ['status-value-outside-set', 'foreign-key-without-index'],
      chains: [],
      notes: [],
    };
  },
};

export const apiKeys: Blueprint = {
  name: 'api-keys',
  summary: 'API keys: only a hash and a short display prefix stored; scopes, IP allow-list, expiry, last use, revocation',
  build(p) {
    const k = kit(p);
    const table = k.t('api_keys');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            comment: 'The key itself is shown once at creation and never stored: key_hash = SHA-256 (or better) of it.',
            columns: [
              k.idCol(),
              { name: 'name', type: 'varchar(100)', nullable: false },
              { name: 'key_prefix', type: 'varchar(12)', nullable: false, comment: 'first characters, for display' },
              { name: 'key_hash', type: 'varchar(128)', nullable: false, unique: true },
              k.userRef('owner_id', 'restrict'),
              { name: 'scopes', type: 'jsonb', nullable: false, default: "'[]'::jsonb" },
              { name: 'allowed_ips', type: 'jsonb', nullable: true },
              { name: 'rate_limit_per_hour', type: 'int', nullable: true },
              { name: 'expires_at', type: 'timestamptz', nullable: true },
              { name: 'last_used_at', type: 'timestamptz', nullable: true },
              { name: 'revoked_at', type: 'timestamptz', nullable: true },
              k.created(),
            ],
            checks: [
              { name: `${table}_prefix_short_check`, expression: 'length(key_prefix) BETWEEN 4 AND 12' },
              { name: `${table}_hash_not_key_check`, expression: 'length(key_hash) >= 32' },
            ],
            indexes: [{ columns: ['key_prefix'] }, ...(p.usersTable ? [{ columns: ['owner_id'] }] : [])],
          },
        ],
        verify: [{ name: `${table}: a key stored in place of its hash is rejected`, reject: `INSERT INTO ${k.q(table)} (name, key_prefix, key_hash) VALUES ('plumb.verify', 'pk_live', 'pk_live_short')`, errorClass: 'check_violation' }],
      },
      satisfies: ['secret-column-in-clear', 'password-not-hashed', 'foreign-key-without-index'],
      chains: [],
      notes: ['hash API keys with SHA-256 (they are long random strings; no salt or KDF needed) and compare in constant time'],
    };
  },
};

export const sessions: Blueprint = {
  name: 'sessions',
  summary: 'sessions: token hashes (never tokens), expiry, revocation, device details',
  build(p) {
    const k = kit(p);
    const table = k.t('sessions');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            columns: [
              k.idCol(),
              ...(p.usersTable ? [k.ref('user_id', p.usersTable, { onDelete: 'cascade' })] : [{ name: 'user_id', type: k.refType, nullable: false }]),
              { name: 'token_hash', type: 'varchar(128)', nullable: false, unique: true },
              { name: 'refresh_token_hash', type: 'varchar(128)', nullable: true, unique: true },
              { name: 'ip_address', type: 'varchar(45)', nullable: true },
              { name: 'user_agent', type: 'text', nullable: true },
              { name: 'device_name', type: 'varchar(100)', nullable: true },
              k.created(),
              { name: 'expires_at', type: 'timestamptz', nullable: false },
              { name: 'revoked_at', type: 'timestamptz', nullable: true },
            ],
            checks: [
              { name: `${table}_expiry_check`, expression: 'expires_at > created_at' },
              { name: `${table}_revocation_check`, expression: 'revoked_at IS NULL OR revoked_at >= created_at' },
            ],
            indexes: [{ columns: ['user_id'] }, { columns: ['expires_at'] }],
          },
        ],
        verify: [{ name: `${table}: no live session without expiry in the future or revocation`, sql: `SELECT count(*) FROM ${k.q(table)} WHERE revoked_at IS NULL AND expires_at < created_at`, expect: 0 }],
      },
      satisfies: ['secret-column-in-clear', 'foreign-key-without-index'],
      chains: [],
      notes: ['store SHA-256 of the session token (or its JWT id), never the token'],
    };
  },
};

const QUEUE_STATUSES = ['pending', 'processing', 'sent', 'failed', 'dead', 'cancelled'];

export const notificationQueue: Blueprint = {
  name: 'notification-queue',
  summary: 'notification queue: status, attempts, next attempt, dead letter',
  build(p) {
    const k = kit(p);
    const table = k.t('notification_queue');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            columns: [
              k.idCol(),
              { name: 'notification_type', type: 'varchar(50)', nullable: false },
              ...(p.usersTable ? [k.ref('recipient_id', p.usersTable, { onDelete: 'cascade' })] : [{ name: 'recipient_id', type: k.refType, nullable: false }]),
              { name: 'subject', type: 'varchar(255)', nullable: true },
              { name: 'body', type: 'text', nullable: true },
              { name: 'metadata', type: 'jsonb', nullable: true },
              { name: 'priority', type: 'varchar(10)', nullable: false, default: { value: 'normal' } },
              { name: 'status', type: 'varchar(20)', nullable: false, default: { value: 'pending' } },
              { name: 'attempts', type: 'int', nullable: false, default: 0 },
              { name: 'max_attempts', type: 'int', nullable: false, default: 5 },
              { name: 'next_attempt_at', type: 'timestamptz', nullable: true },
              { name: 'last_error', type: 'text', nullable: true },
              { name: 'sent_at', type: 'timestamptz', nullable: true },
              { name: 'dead_lettered_at', type: 'timestamptz', nullable: true },
              k.created(),
            ],
            checks: [
              { name: `${table}_status_check`, expression: k.inList('status', QUEUE_STATUSES) },
              { name: `${table}_priority_check`, expression: k.inList('priority', ['low', 'normal', 'high', 'urgent']) },
              { name: `${table}_attempts_check`, expression: 'attempts >= 0 AND attempts <= max_attempts' },
              { name: `${table}_dead_letter_check`, expression: "(status = 'dead') = (dead_lettered_at IS NOT NULL)" },
            ],
            indexes: [{ columns: ['status', 'next_attempt_at'] }, { columns: ['recipient_id'] }],
          },
        ],
        // (the CHECK constraints themselves are probed by `plumb verify`)
        verify: [{ name: `${table}: nothing stuck past its attempts`, sql: `SELECT count(*) FROM ${k.q(table)} WHERE status IN ('pending', 'failed') AND attempts >= max_attempts`, expect: 0 }],
      },
      satisfies: ['status-value-outside-set', 'foreign-key-without-index'],
      chains: [],
      notes: ['workers claim rows with SELECT … FOR UPDATE SKIP LOCKED ordered by (status, next_attempt_at); a row past max_attempts moves to status dead'],
    };
  },
};

export const stateLog: Blueprint = {
  name: 'state-log',
  summary: 'entity state transitions with actor and reason',
  build(p) {
    const k = kit(p);
    const table = k.t('data_state_logs');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            columns: [
              k.idCol(),
              { name: 'entity_type', type: 'varchar(50)', nullable: false },
              { name: 'entity_id', type: 'varchar(100)', nullable: false },
              { name: 'from_state', type: 'varchar(50)', nullable: true },
              { name: 'to_state', type: 'varchar(50)', nullable: false },
              { name: 'reason', type: 'varchar(255)', nullable: true },
              k.userRef('actor_id', 'restrict'),
              { name: 'metadata', type: 'jsonb', nullable: true },
              k.created(),
            ],
            checks: [{ name: `${table}_transition_check`, expression: 'from_state IS NULL OR from_state <> to_state' }],
            indexes: [{ columns: ['entity_type', 'entity_id', 'created_at'] }, ...(p.usersTable ? [{ columns: ['actor_id'] }] : [])],
          },
        ],
        verify: [{ name: `${table}: a transition to the same state is rejected`, reject: `INSERT INTO ${k.q(table)} (entity_type, entity_id, from_state, to_state) VALUES ('x', '1', 'a', 'a')`, errorClass: 'check_violation' }],
      },
      satisfies: ['foreign-key-without-index', 'table-without-primary-key'],
      chains: [],
      notes: [],
    };
  },
};
