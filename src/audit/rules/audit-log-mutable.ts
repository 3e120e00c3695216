// Audit-log tables nothing stops from being edited or deleted: the trail can be rewritten silently.
import type { TriggerEvent } from '../../catalog/types.js';
import { auditLogOptions, isAuditLog } from '../audit-log-tables.js';
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'audit-log-mutable',
    code: 'PLB028',
    title: 'Audit log can be updated or deleted',
    category: 'security',
    severity: 'warning',
    requires: ['triggers'],
    options: auditLogOptions,
    docs: {
      description:
        'An audit trail is only evidence if rows cannot be changed after the fact. An audit log — named as one (`audit_log(s)`, `*_audit_trail`, `audit_events`…), ' +
        'carrying a hash chain (`previous_hash` + `row_hash`), named `*audit*`/`*_history`/`*_journal` with columns saying who did what when (`user_id`/`actor`/`*_by`, `action`/`operation`/`event`, a timestamp), ' +
        'or declared in `auditTables` — with no enabled BEFORE UPDATE and BEFORE DELETE trigger refusing the change lets anyone with write ' +
        'access rewrite history (seed 000: "mutable timestamps, no hash chain"). `plumb chain install` adds a guard and a hash chain.',
      bad: `CREATE TABLE audit_entries (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action      text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);`,
      good: `CREATE TABLE audit_entries (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action      text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$;
COMMENT ON FUNCTION audit_entries_append_only() IS 'Guard: audit rows are never changed or removed.';
CREATE TRIGGER audit_entries_guard BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();`,
      remediation: 'Add a BEFORE UPDATE OR DELETE trigger that raises an exception (or `plumb chain install`), and revoke UPDATE/DELETE from application roles.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || !isAuditLog(table, ctx.options)) continue;
      const guarded = (e: TriggerEvent) => table.triggers.some((t) => t.enabled && t.timing === 'before' && t.events.includes(e));
      const open = (['update', 'delete'] as const).filter((e) => !guarded(e));
      if (!open.length) continue;
      ctx.report({
        path: table.path,
        message: `audit log ${table.path} has no guard against ${open.map((e) => e.toUpperCase()).join(' or ')}`,
        evidence: { unguarded: open, triggers: table.triggers.map((t) => t.name) },
      });
    }
  },
});
