// One portable spec (17 tables, 2 views) used by the cross-engine test: composite
// keys, a composite foreign key, every FK action, uniques, checks (enums as
// checks), single and composite indexes, defaults, JSON, a uuid, views.
// Written once; each dialect's renderer spells it.
import type { Catalog } from '../../../src/catalog/types.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { renderMysqlChange } from '../../../src/dialects/mysql/mysql-render.js';
import { introspectPostgres } from '../../../src/dialects/postgres/postgres-introspector.js';
import { renderPostgresChange } from '../../../src/dialects/postgres/postgres-render.js';
import { introspectSqlite } from '../../../src/dialects/sqlite/sqlite-introspector.js';
import { renderSqliteChanges } from '../../../src/dialects/sqlite/sqlite-render.js';
import { defineSpec } from '../../../src/spec/define-spec.js';
import { specToDraftCatalog } from '../../../src/spec/spec-draft-catalog.js';
import { freshDatabase, pgEngines, type FreshDb } from '../../helpers/engines.js';
import { freshMysql, type FreshMysql } from '../../helpers/mysql.js';
import { freshSqlite, type FreshSqlite } from '../../helpers/sqlite.js';

const created = { name: 'created_at', type: 'timestamp', nullable: false, default: 'CURRENT_TIMESTAMP' };

export const portableSpec = defineSpec({
  tables: [
    {
      name: 'core_roles',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'name', type: 'varchar(50)', nullable: false },
        { name: 'description', type: 'text' },
        { name: 'is_system_role', type: 'bool', nullable: false, default: false },
        created,
      ],
      uniques: [{ name: 'uq_roles_name', columns: ['name'] }],
    },
    {
      name: 'core_permissions',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'code', type: 'varchar(64)', nullable: false },
        { name: 'module', type: 'varchar(32)', nullable: false, default: { value: 'core' } },
        { name: 'name', type: 'varchar(100)', nullable: false },
      ],
      uniques: [{ name: 'uq_permissions_code', columns: ['code'] }],
      checks: [{ name: 'chk_permissions_module', expression: "module IN ('core', 'gauge', 'report')" }],
    },
    {
      name: 'core_role_permissions',
      columns: [
        { name: 'role_id', type: 'int', nullable: false },
        { name: 'permission_id', type: 'int', nullable: false },
      ],
      primaryKey: { name: 'pk_role_permissions', columns: ['role_id', 'permission_id'] },
      foreignKeys: [
        { name: 'fk_rp_role', columns: ['role_id'], references: { table: 'core_roles', columns: ['id'] }, onDelete: 'cascade' },
        { name: 'fk_rp_permission', columns: ['permission_id'], references: { table: 'core_permissions', columns: ['id'] }, onDelete: 'cascade' },
      ],
      indexes: [{ name: 'idx_rp_permission', columns: ['permission_id'] }],
    },
    {
      name: 'core_users',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'email', type: 'varchar(255)', nullable: false },
        { name: 'first_name', type: 'varchar(100)' },
        { name: 'last_name', type: 'varchar(100)' },
        { name: 'is_active', type: 'bool', nullable: false, default: true },
        { name: 'external_ref', type: 'uuid' },
        { name: 'settings', type: 'json' },
        created,
      ],
      uniques: [{ name: 'uq_users_email', columns: ['email'] }],
    },
    {
      name: 'core_user_roles',
      columns: [
        { name: 'user_id', type: 'int', nullable: false },
        { name: 'role_id', type: 'int', nullable: false },
        { name: 'granted_at', type: 'timestamp' },
      ],
      primaryKey: { name: 'pk_user_roles', columns: ['user_id', 'role_id'] },
      foreignKeys: [
        { name: 'fk_ur_user', columns: ['user_id'], references: { table: 'core_users', columns: ['id'] }, onDelete: 'cascade' },
        { name: 'fk_ur_role', columns: ['role_id'], references: { table: 'core_roles', columns: ['id'] }, onDelete: 'restrict' },
      ],
      indexes: [{ name: 'idx_ur_role', columns: ['role_id'] }],
    },
    {
      name: 'role_permission_audit',
      columns: [
        { name: 'id', type: 'bigint', identity: true, primaryKey: true },
        { name: 'role_id', type: 'int', nullable: false },
        { name: 'permission_id', type: 'int', nullable: false },
        // Who did what, and when: what makes a table an audit log to the audit-log rules.
        { name: 'changed_by', type: 'int' },
        { name: 'action', type: 'varchar(10)', nullable: false },
        { name: 'changed_at', type: 'timestamp', nullable: false, default: 'CURRENT_TIMESTAMP' },
      ],
      foreignKeys: [{ name: 'fk_rpa_pair', columns: ['role_id', 'permission_id'], references: { table: 'core_role_permissions', columns: ['role_id', 'permission_id'] }, onDelete: 'cascade', onUpdate: 'cascade' }],
      indexes: [{ name: 'idx_rpa_pair', columns: ['role_id', 'permission_id'] }],
    },
    {
      name: 'locations',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'code', type: 'char(8)', nullable: false },
        { name: 'name', type: 'varchar(100)', nullable: false },
        { name: 'parent_id', type: 'int' },
      ],
      uniques: [{ name: 'uq_locations_code', columns: ['code'] }],
      foreignKeys: [{ name: 'fk_locations_parent', columns: ['parent_id'], references: { table: 'locations', columns: ['id'] }, onDelete: 'set null' }],
      indexes: [{ name: 'idx_locations_parent', columns: ['parent_id'] }],
    },
    {
      name: 'gauge_categories',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'name', type: 'varchar(100)', nullable: false },
      ],
      uniques: [{ name: 'uq_categories_name', columns: ['name'] }],
    },
    {
      name: 'gauges',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'system_id', type: 'varchar(20)', nullable: false },
        { name: 'category_id', type: 'int', nullable: false },
        { name: 'location_id', type: 'int' },
        { name: 'companion_gauge_id', type: 'int' },
        { name: 'gauge_type', type: 'varchar(20)', nullable: false, default: { value: 'standard' } },
        { name: 'status', type: 'varchar(20)', nullable: false, default: { value: 'available' } },
        { name: 'purchase_price', type: 'numeric(10,2)' },
        created,
      ],
      uniques: [{ name: 'uq_gauges_system_id', columns: ['system_id'] }],
      checks: [
        { name: 'chk_gauges_type', expression: "gauge_type IN ('standard', 'spare', 'master')" },
        { name: 'chk_gauges_status', expression: "status IN ('available', 'checked_out', 'calibration_due', 'retired')" },
        { name: 'chk_gauges_price', expression: 'purchase_price >= 0' },
      ],
      foreignKeys: [
        { name: 'fk_gauges_category', columns: ['category_id'], references: { table: 'gauge_categories', columns: ['id'] } },
        { name: 'fk_gauges_location', columns: ['location_id'], references: { table: 'locations', columns: ['id'] }, onDelete: 'set null' },
        { name: 'fk_gauges_companion', columns: ['companion_gauge_id'], references: { table: 'gauges', columns: ['id'] }, onDelete: 'set null' },
      ],
      indexes: [
        { name: 'idx_gauges_category', columns: ['category_id'] },
        { name: 'idx_gauges_location', columns: ['location_id'] },
        { name: 'idx_gauges_companion', columns: ['companion_gauge_id'] },
        { name: 'idx_gauges_status_type', columns: ['status', 'gauge_type'] },
      ],
    },
    {
      name: 'gauge_calibrations',
      columns: [
        { name: 'id', type: 'bigint', identity: true, primaryKey: true },
        { name: 'gauge_id', type: 'int', nullable: false },
        { name: 'calibration_date', type: 'date', nullable: false },
        { name: 'due_date', type: 'date', nullable: false },
        { name: 'performed_by', type: 'int', nullable: false },
        { name: 'certificate_number', type: 'varchar(50)' },
        { name: 'temperature', type: 'numeric(5,2)' },
        { name: 'result', type: 'varchar(12)', nullable: false },
        { name: 'notes', type: 'text' },
      ],
      checks: [
        { name: 'chk_cal_result', expression: "result IN ('pass', 'fail', 'conditional')" },
        { name: 'chk_cal_dates', expression: 'due_date >= calibration_date' },
      ],
      foreignKeys: [
        { name: 'fk_cal_gauge', columns: ['gauge_id'], references: { table: 'gauges', columns: ['id'] }, onDelete: 'cascade' },
        { name: 'fk_cal_user', columns: ['performed_by'], references: { table: 'core_users', columns: ['id'] } },
      ],
      indexes: [
        { name: 'idx_cal_gauge_due', columns: ['gauge_id', { column: 'due_date', descending: true }] },
        { name: 'idx_cal_user', columns: ['performed_by'] },
      ],
    },
    {
      name: 'checkouts',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'gauge_id', type: 'int', nullable: false },
        { name: 'checked_out_to', type: 'int', nullable: false },
        { name: 'checkout_date', type: 'timestamp', nullable: false, default: 'CURRENT_TIMESTAMP' },
        { name: 'expected_return_date', type: 'date' },
        { name: 'actual_return_date', type: 'timestamp' },
        { name: 'purpose', type: 'varchar(255)' },
      ],
      foreignKeys: [
        { name: 'fk_co_gauge', columns: ['gauge_id'], references: { table: 'gauges', columns: ['id'] } },
        { name: 'fk_co_user', columns: ['checked_out_to'], references: { table: 'core_users', columns: ['id'] } },
      ],
      indexes: [
        { name: 'idx_co_gauge', columns: ['gauge_id'] },
        { name: 'idx_co_user', columns: ['checked_out_to'] },
        { name: 'idx_co_return', columns: ['expected_return_date'] },
      ],
    },
    {
      name: 'transfer_requests',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'gauge_id', type: 'int', nullable: false },
        { name: 'from_location_id', type: 'int', nullable: false },
        { name: 'to_location_id', type: 'int', nullable: false },
        { name: 'status', type: 'varchar(12)', nullable: false, default: { value: 'pending' } },
        { name: 'expires_at', type: 'timestamp' },
      ],
      checks: [
        { name: 'chk_tr_locations', expression: 'from_location_id <> to_location_id' },
        { name: 'chk_tr_status', expression: "status IN ('pending', 'approved', 'expired')" },
      ],
      foreignKeys: [
        { name: 'fk_tr_gauge', columns: ['gauge_id'], references: { table: 'gauges', columns: ['id'] }, onDelete: 'cascade' },
        { name: 'fk_tr_from', columns: ['from_location_id'], references: { table: 'locations', columns: ['id'] } },
        { name: 'fk_tr_to', columns: ['to_location_id'], references: { table: 'locations', columns: ['id'] } },
      ],
      indexes: [
        { name: 'idx_tr_gauge', columns: ['gauge_id'] },
        { name: 'idx_tr_from', columns: ['from_location_id'] },
        { name: 'idx_tr_to', columns: ['to_location_id'] },
        { name: 'idx_tr_status_expires', columns: ['status', 'expires_at'] },
      ],
    },
    {
      name: 'core_audit_logs',
      columns: [
        { name: 'id', type: 'bigint', identity: true, primaryKey: true },
        { name: 'table_name', type: 'varchar(64)', nullable: false },
        { name: 'record_id', type: 'varchar(64)' },
        { name: 'action', type: 'varchar(10)', nullable: false },
        { name: 'changes', type: 'json' },
        { name: 'user_id', type: 'int' },
        { name: 'hash_chain', type: 'char(64)' },
        { name: 'previous_hash', type: 'char(64)' },
        created,
      ],
      uniques: [{ name: 'uq_audit_hash', columns: ['hash_chain'] }],
      checks: [{ name: 'chk_audit_action', expression: "action IN ('INSERT', 'UPDATE', 'DELETE')" }],
      foreignKeys: [{ name: 'fk_audit_user', columns: ['user_id'], references: { table: 'core_users', columns: ['id'] }, onDelete: 'set null' }],
      indexes: [
        { name: 'idx_audit_user', columns: ['user_id'] },
        { name: 'idx_audit_record', columns: ['table_name', 'record_id'] },
      ],
    },
    {
      name: 'core_notification_queue',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'notification_type', type: 'varchar(50)', nullable: false },
        { name: 'recipient_id', type: 'int', nullable: false },
        { name: 'subject', type: 'varchar(255)' },
        { name: 'body', type: 'text' },
        { name: 'metadata', type: 'json' },
        { name: 'priority', type: 'varchar(10)', nullable: false, default: { value: 'normal' } },
        { name: 'attempts', type: 'int', nullable: false, default: 0 },
        { name: 'scheduled_for', type: 'timestamp' },
      ],
      checks: [
        { name: 'chk_nq_priority', expression: "priority IN ('low', 'normal', 'high', 'urgent')" },
        { name: 'chk_nq_attempts', expression: 'attempts >= 0' },
      ],
      foreignKeys: [{ name: 'fk_nq_recipient', columns: ['recipient_id'], references: { table: 'core_users', columns: ['id'] }, onDelete: 'cascade' }],
      indexes: [
        { name: 'idx_nq_recipient', columns: ['recipient_id'] },
        { name: 'idx_nq_priority_scheduled', columns: ['priority', 'scheduled_for'] },
      ],
    },
    {
      name: 'core_data_state_logs',
      columns: [
        { name: 'id', type: 'bigint', identity: true, primaryKey: true },
        { name: 'entity_type', type: 'varchar(50)', nullable: false },
        { name: 'entity_id', type: 'int', nullable: false },
        { name: 'from_state', type: 'varchar(50)' },
        { name: 'to_state', type: 'varchar(50)', nullable: false },
        { name: 'metadata', type: 'json' },
        { name: 'created_by', type: 'int', nullable: false },
      ],
      foreignKeys: [{ name: 'fk_dsl_user', columns: ['created_by'], references: { table: 'core_users', columns: ['id'] } }],
      indexes: [
        { name: 'idx_dsl_entity', columns: ['entity_type', 'entity_id'] },
        { name: 'idx_dsl_user', columns: ['created_by'] },
      ],
    },
    {
      name: 'gauge_notes',
      columns: [
        { name: 'id', type: 'int', identity: true, primaryKey: true },
        { name: 'gauge_id', type: 'int', nullable: false },
        { name: 'author_id', type: 'int' },
        { name: 'body', type: 'text', nullable: false },
        { name: 'attachment', type: 'bytea' },
      ],
      foreignKeys: [
        { name: 'fk_notes_gauge', columns: ['gauge_id'], references: { table: 'gauges', columns: ['id'] }, onDelete: 'cascade' },
        { name: 'fk_notes_author', columns: ['author_id'], references: { table: 'core_users', columns: ['id'] }, onDelete: 'set null' },
      ],
      indexes: [
        { name: 'idx_notes_gauge', columns: ['gauge_id'] },
        { name: 'idx_notes_author', columns: ['author_id'] },
      ],
    },
    {
      name: 'app_settings',
      columns: [
        { name: 'setting_key', type: 'varchar(100)', nullable: false },
        { name: 'value', type: 'text', nullable: false },
        { name: 'ratio', type: 'double' },
        { name: 'updated_at', type: 'timestamp' },
      ],
      primaryKey: { name: 'pk_app_settings', columns: ['setting_key'] },
    },
  ],
  views: [
    { name: 'active_users', sql: 'SELECT u.id, u.email, u.first_name FROM core_users u WHERE u.is_active = true' },
    { name: 'gauges_due', sql: 'SELECT g.id, g.system_id, c.due_date FROM gauges g JOIN gauge_calibrations c ON c.gauge_id = g.id' },
  ],
});

/** The portable spec's draft catalog with its one schema renamed and the dialect set. */
export function portableTarget(schema: string, dialect: Catalog['dialect']): Catalog {
  const draft = specToDraftCatalog(portableSpec);
  const json = JSON.stringify(draft).replace(/"public\./g, `"${schema}.`).replace(/"public"/g, `"${schema}"`);
  return { ...(JSON.parse(json) as Catalog), dialect };
}

export interface PortableEngines {
  pg: FreshDb;
  my: FreshMysql;
  lite: FreshSqlite;
  cats: Record<'postgres' | 'mysql' | 'sqlite', Catalog>;
  dispose(): Promise<void>;
}

/** The portable spec applied by each dialect's renderer to fresh PGlite, MariaDB and SQLite databases, and inspected. */
export async function portableOnThreeEngines(): Promise<PortableEngines> {
  const pg = await freshDatabase(pgEngines().find((e) => e.kind === 'pglite')!);
  const my = await freshMysql();
  const lite = await freshSqlite();
  const cats = {} as PortableEngines['cats'];

  for (const c of diffCatalogs(await introspectPostgres(pg.conn), portableTarget('public', 'postgres'), { grants: false })) for (const s of renderPostgresChange(c).forward) await pg.conn.exec(s);
  cats.postgres = await introspectPostgres(pg.conn, { schemas: ['public'] });

  for (const c of diffCatalogs(await introspectMysql(my.conn), portableTarget(my.name, 'mysql'), { grants: false })) for (const s of renderMysqlChange(c).forward) await my.conn.exec(s);
  cats.mysql = await introspectMysql(my.conn);

  const liteFrom = await introspectSqlite(lite.conn);
  const changes = diffCatalogs(liteFrom, portableTarget('main', 'sqlite'), { grants: false });
  await lite.conn.transaction(async (tx) => {
    for (const r of renderSqliteChanges(changes, liteFrom)) for (const s of r.forward) await tx.exec(s);
  });
  cats.sqlite = await introspectSqlite(lite.conn);

  return {
    pg,
    my,
    lite,
    cats,
    async dispose() {
      await pg.dispose();
      await my.dispose();
      await lite.dispose();
    },
  };
}
