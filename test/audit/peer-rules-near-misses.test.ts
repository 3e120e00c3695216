// The peer rules (docs/peer-coverage.md) on near misses beside real defects,
// including the shapes that were false alarms on the real-schema corpus:
// alembic's varchar(32) revision key, `id` inside `user_hidden`, a leading
// digit MySQL accepts, deleted_at in the middle of an index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const pglite = pgEngines().find((e) => e.kind === 'pglite')!;

const SQL = `
CREATE SCHEMA pr;
SET search_path = pr;
-- uuid-in-varchar-primary-key
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE devices (id varchar(36) PRIMARY KEY);
CREATE TABLE countries (code varchar(36) PRIMARY KEY);
-- partial-index-on-not-null-column
CREATE TABLE bikes (id bigint PRIMARY KEY, example boolean NOT NULL, user_hidden boolean, owner_id bigint NOT NULL);
CREATE INDEX bikes_example_idx ON bikes (example) WHERE example IS NOT NULL;
CREATE INDEX bikes_user_hidden_idx ON bikes (owner_id) WHERE user_hidden IS NOT NULL;
-- timestamp-in-middle-of-index
CREATE TABLE runs (id bigint PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz, tenant_id bigint NOT NULL);
CREATE INDEX runs_created_status_idx ON runs (created_at, status);
CREATE INDEX runs_created_id_idx ON runs (created_at, id);
CREATE INDEX runs_tenant_deleted_created_idx ON runs (tenant_id, deleted_at, created_at);
CREATE INDEX runs_status_created_idx ON runs (status, created_at);
-- identifier-needs-quoting: a leading digit is fine on MySQL, so not reported; a hyphen always is
CREATE TABLE "2fa_codes" (id bigint PRIMARY KEY);
CREATE TABLE "order-items" (id bigint PRIMARY KEY, "unit-price" numeric(10,2), "e-mail" text);
-- self-referencing-foreign-key
CREATE TABLE folders (id bigint PRIMARY KEY, parent_id bigint REFERENCES folders (id), CONSTRAINT folders_self_fk FOREIGN KEY (id) REFERENCES folders (id));
-- inconsistent-column-types
CREATE TABLE a_items (id bigint PRIMARY KEY, account_ref bigint, title varchar(50));
CREATE TABLE b_items (id bigint PRIMARY KEY, account_ref integer, title text, status int, started timestamptz);
CREATE TABLE c_items (id bigint PRIMARY KEY, status text, started bigint, created_at timestamp);
CREATE TABLE d_items (id bigint PRIMARY KEY, created_at timestamptz);
-- unique-key-with-nullable-column
CREATE TABLE imports (id bigint PRIMARY KEY, account_id bigint NOT NULL, external_ref text, email text UNIQUE);
CREATE UNIQUE INDEX imports_account_ref_key ON imports (account_id, external_ref);
CREATE UNIQUE INDEX imports_account_ref_nnd_key ON imports (account_id, email) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX imports_partial_key ON imports (account_id, external_ref) WHERE external_ref IS NOT NULL;
-- nullable-composite-foreign-key and overlapping-foreign-keys
CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE projects (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint PRIMARY KEY, UNIQUE (tenant_id, id));
CREATE TABLE tasks (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants (id),
  project_id bigint,
  parent_project_id bigint,
  CONSTRAINT tasks_project_fk FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
  CONSTRAINT tasks_parent_fk FOREIGN KEY (tenant_id, parent_project_id) REFERENCES projects (tenant_id, id) MATCH FULL,
  CONSTRAINT tasks_project_only_fk FOREIGN KEY (project_id) REFERENCES projects (id)
);
-- table-inheritance: partitions are not inheritance children
CREATE TABLE vehicles (id bigint PRIMARY KEY);
CREATE TABLE trucks (payload integer) INHERITS (vehicles);
CREATE TABLE readings (taken_on date NOT NULL, value numeric) PARTITION BY RANGE (taken_on);
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- function-search-path-not-set: not the SECURITY DEFINER one (security-definer-mutable-search-path's), not the pinned one
CREATE FUNCTION loose_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION pinned_fn() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS $$ SELECT 1 $$;
CREATE FUNCTION definer_fn() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
RESET search_path;
`;

const RULES = [
  'uuid-in-varchar-primary-key',
  'partial-index-on-not-null-column',
  'timestamp-in-middle-of-index',
  'identifier-needs-quoting',
  'self-referencing-foreign-key',
  'inconsistent-column-types',
  'unique-key-with-nullable-column',
  'nullable-composite-foreign-key',
  'overlapping-foreign-keys',
  'table-inheritance',
  'function-search-path-not-set',
  'security-definer-mutable-search-path',
];

const found = (res: AuditResult, rule: string) =>
  res.findings
    .filter((f) => f.rule === rule)
    .map((f) => `${f.path}${typeof f.evidence?.column === 'string' ? ` ${f.evidence.column}` : ''}`)
    .sort();

describe('peer rules on near misses (pglite)', () => {
  let db: FreshDb;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshDatabase(pglite);
    await db.conn.exec(SQL);
    res = await audit(db.conn, { inspect: { schemas: ['pr'] }, only: RULES });
  });
  afterAll(async () => db?.dispose());

  it('uuid-in-varchar-primary-key: an id-named varchar(36) key; not a revision number or a code', () => {
    expect(found(res, 'uuid-in-varchar-primary-key')).toEqual(['pr.devices.id']);
  });

  it('partial-index-on-not-null-column: the predicate on a NOT NULL column; not one on a nullable column whose name contains "id"', () => {
    expect(found(res, 'partial-index-on-not-null-column')).toEqual(['pr.bikes.bikes_example_idx']);
  });

  it('timestamp-in-middle-of-index: (created_at, status); not keyset (created_at, id), deleted_at IS NULL filters, or a trailing timestamp', () => {
    expect(found(res, 'timestamp-in-middle-of-index')).toEqual(['pr.runs.runs_created_status_idx']);
  });

  it('identifier-needs-quoting: one finding per table; a leading digit is not reported', () => {
    const fs = res.findings.filter((f) => f.rule === 'identifier-needs-quoting');
    expect(fs.map((f) => f.path)).toEqual(['pr.order-items']);
    expect(fs[0]!.evidence).toMatchObject({ name: 'order-items', columns: ['unit-price', 'e-mail'] });
  });

  it('self-referencing-foreign-key: id → id; not parent_id → id', () => {
    expect(found(res, 'self-referencing-foreign-key')).toEqual(['pr.folders.folders_self_fk']);
  });

  it('inconsistent-column-types: integer beside bigint, timestamp beside timestamptz; not varchar(50) beside text, nor a generic name holding different kinds of value', () => {
    // `id`: bigint everywhere but devices' varchar(36) — a real inconsistency of this schema (a key: reported whatever the kinds).
    // `status` (a number and text) and `started` (a time and a counter) are different columns that share a name (cacti).
    expect(found(res, 'inconsistent-column-types')).toEqual(['pr account_ref', 'pr created_at', 'pr id']);
  });

  it('unique-key-with-nullable-column: the composite key; not a single optional unique, NULLS NOT DISTINCT or a partial index', () => {
    expect(found(res, 'unique-key-with-nullable-column')).toEqual(['pr.imports.imports_account_ref_key']);
  });

  it('nullable-composite-foreign-key: MATCH SIMPLE over a nullable column; not MATCH FULL, not a single column', () => {
    expect(found(res, 'nullable-composite-foreign-key')).toEqual(['pr.tasks.tasks_project_fk']);
  });

  it('overlapping-foreign-keys: a key the composite one implies; not two composite keys sharing tenant_id', () => {
    expect(found(res, 'overlapping-foreign-keys')).toEqual(['pr.tasks.tasks_project_only_fk']);
  });

  it('table-inheritance: the INHERITS parent, once; not a partitioned table', () => {
    expect(found(res, 'table-inheritance')).toEqual(['pr.vehicles']);
  });

  it('function-search-path-not-set: the invoker function without SET search_path; the definer one is reported by the other rule', () => {
    expect(found(res, 'function-search-path-not-set')).toEqual(['pr.loose_fn()']);
    expect(found(res, 'security-definer-mutable-search-path')).toEqual(['pr.definer_fn()']);
  });
});
