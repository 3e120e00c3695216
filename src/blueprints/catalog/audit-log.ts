// audit-log: an append-only, hash-chained audit table (seed 000's
// core_audit_logs). The chain columns are declared here so diffs keep them;
// `plumb chain install` adds the head row and triggers after apply.
import { kit, type Blueprint } from '../blueprint.js';

export const auditLog: Blueprint = {
  name: 'audit-log',
  summary: 'append-only audit log, hash-chained by `plumb chain install` (seq, previous_hash, row_hash)',
  build(p) {
    const k = kit(p);
    const table = k.t('audit_logs');
    return {
      spec: {
        tables: [
          {
            name: table,
            schema: p.schema,
            comment: 'Append-only, hash-chained (plumb chain). Never UPDATE or DELETE; append a correcting row.',
            columns: [
              // The chain columns' defaults only let an insert omit them where NOT NULL is checked before the
              // chain trigger fills them (SQLite fills them after the insert, MySQL 8 checks first); the trigger
              // always overwrites them, and an unchained table is caught by audit-chain-broken.
              { name: 'seq', type: 'bigint', nullable: false, primaryKey: true, default: 0 },
              { name: 'occurred_at', type: 'timestamptz', nullable: false, default: 'now()' },
              k.userRef('actor_id', 'restrict'),
              { name: 'actor', type: 'varchar(255)', nullable: true },
              { name: 'action', type: 'varchar(100)', nullable: false },
              { name: 'entity_type', type: 'varchar(100)', nullable: true },
              { name: 'entity_id', type: 'varchar(100)', nullable: true },
              { name: 'changes', type: 'jsonb', nullable: true },
              { name: 'ip_address', type: 'varchar(45)', nullable: true },
              { name: 'request_id', type: 'varchar(100)', nullable: true },
              { name: 'signature', type: 'text', nullable: true },
              { name: 'previous_hash', type: 'text', nullable: false, default: { value: '' } },
              { name: 'row_hash', type: 'text', nullable: false, default: { value: '' } },
              { name: 'hash_version', type: 'smallint', nullable: false, default: 0 },
            ],
            indexes: [{ columns: ['entity_type', 'entity_id'] }, { columns: ['occurred_at'] }, ...(p.usersTable ? [{ columns: ['actor_id'] }] : [])],
          },
        ],
        verify: [
          { name: `${table}: previous_hash links to the prior row`, sql: `SELECT count(*) FROM ${k.q(table)} a JOIN ${k.q(table)} b ON b.seq = a.seq - 1 WHERE a.previous_hash <> b.row_hash`, expect: 0 },
          { name: `${table}: seq has no gaps`, sql: `SELECT count(*) FROM ${k.q(table)} a WHERE a.seq > 1 AND NOT EXISTS (SELECT 1 FROM ${k.q(table)} b WHERE b.seq = a.seq - 1)`, expect: 0 },
          { name: `${table}: UPDATE is refused`, reject: `UPDATE ${k.q(table)} SET action = action` },
          { name: `${table}: DELETE is refused`, reject: `DELETE FROM ${k.q(table)}` },
        ],
      },
      satisfies: ['audit-log-mutable', 'audit-log-cascade-delete', 'audit-chain-broken', 'table-without-primary-key'],
      chains: [table],
      notes: [`after apply: plumb chain install --table ${p.schema}.${table}; then anchor it on a schedule (plumb chain anchor --key …) and keep anchors outside the database`],
    };
  },
};
