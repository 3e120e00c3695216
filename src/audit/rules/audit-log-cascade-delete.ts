// An audit log whose foreign key cascades deletes: removing a user erases their trail.
import { auditLogOptions, isAuditLog } from '../audit-log-tables.js';
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'audit-log-cascade-delete',
    code: 'PLB029',
    title: 'Audit log rows are deleted with their parent',
    category: 'security',
    severity: 'warning',
    options: auditLogOptions,
    docs: {
      description:
        'A foreign key of an audit log (recognised as `audit-log-mutable` does) declared `ON DELETE CASCADE` (typically to the users table) deletes the history of whoever is deleted — ' +
        'exactly the records an investigation needs. Keep the rows: `ON DELETE RESTRICT`/`NO ACTION`, or `SET NULL` with the actor\'s name copied into the log.',
      bad: `CREATE TABLE members (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, handle text NOT NULL);
CREATE TABLE member_audit_log (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  action    text NOT NULL
);
CREATE INDEX member_audit_log_member_id_idx ON member_audit_log (member_id);
CREATE FUNCTION member_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN RAISE EXCEPTION 'member_audit_log is append-only'; END $$;
COMMENT ON FUNCTION member_audit_log_append_only() IS 'Guard: audit rows are never changed or removed.';
CREATE TRIGGER member_audit_log_guard BEFORE UPDATE OR DELETE ON member_audit_log FOR EACH ROW EXECUTE FUNCTION member_audit_log_append_only();`,
      good: `CREATE TABLE members (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, handle text NOT NULL);
CREATE TABLE member_audit_log (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES members (id) ON DELETE RESTRICT,
  action    text NOT NULL
);
CREATE INDEX member_audit_log_member_id_idx ON member_audit_log (member_id);
CREATE FUNCTION member_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN RAISE EXCEPTION 'member_audit_log is append-only'; END $$;
COMMENT ON FUNCTION member_audit_log_append_only() IS 'Guard: audit rows are never changed or removed.';
CREATE TRIGGER member_audit_log_guard BEFORE UPDATE OR DELETE ON member_audit_log FOR EACH ROW EXECUTE FUNCTION member_audit_log_append_only();`,
      remediation: 'Recreate the constraint with ON DELETE RESTRICT (or SET NULL on a nullable column, keeping a copy of the actor).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || !isAuditLog(table, ctx.options)) continue;
      for (const fk of table.foreignKeys) {
        if (fk.onDelete !== 'cascade') continue;
        ctx.report({
          path: fk.path,
          message: `audit log ${table.path}: deleting a row of ${fk.references.schema}.${fk.references.table} deletes its audit rows (${fk.name} ON DELETE CASCADE)`,
          evidence: { constraint: fk.name, references: `${fk.references.schema}.${fk.references.table}` },
        });
      }
    }
  },
});
