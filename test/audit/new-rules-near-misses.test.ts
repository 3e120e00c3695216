// The rules added for issue #20's misses, on near misses beside real defects:
// each schema holds what the rule must report and what only looks like it
// (a tax rate in a float, a generated 63-byte constraint name, a card row id…).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';

const pglite = pgEngines().find((e) => e.kind === 'pglite')!;
const long = (n: number, stem: string) => (stem + '_' + 'x'.repeat(n)).slice(0, n);

const SQL = `
CREATE SCHEMA nr;
SET search_path = nr;
-- float-for-money
CREATE TABLE invoices (id bigint PRIMARY KEY, total_amount real NOT NULL, tax_rate double precision, discount_percent real, weight_kg double precision);
-- boolean-index
CREATE TABLE jobs (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, processed boolean NOT NULL, archived boolean NOT NULL);
CREATE INDEX jobs_tenant_processed_idx ON jobs (tenant_id, processed);
CREATE INDEX jobs_archived_idx ON jobs (archived);
CREATE INDEX jobs_pending_idx ON jobs (id) WHERE NOT processed;
CREATE UNIQUE INDEX jobs_one_archived_idx ON jobs (tenant_id, archived) WHERE archived;
-- truncated-identifier: a 64-byte name is cut to 63; a 60-byte table gets generated names shortened to fit
CREATE TABLE ${long(64, 'customer_subscription_billing_adjustment_history')} (id bigint PRIMARY KEY);
CREATE TABLE ${long(60, 'warehouse_stock_movement_reconciliation')} (id bigint PRIMARY KEY, invoice_id bigint NOT NULL REFERENCES invoices (id), UNIQUE (invoice_id));
-- personal-data-in-clear
CREATE TABLE cards (id bigint PRIMARY KEY, brand text NOT NULL);
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  card_number text,
  credit_card_id bigint REFERENCES cards (id),
  ssn_last4 text,
  passport_country text,
  national_id_encrypted bytea,
  tax_id varchar(20)
);
-- implied-reference-type-mismatch
CREATE TABLE warehouses (id bigint PRIMARY KEY);
CREATE TABLE depots (id uuid PRIMARY KEY);
CREATE TABLE legacy_sites (id integer PRIMARY KEY);
CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE actions (id uuid PRIMARY KEY);
CREATE TABLE moves (id bigint PRIMARY KEY, warehouse_id integer, depot_id uuid, invoice_id bigint, legacy_site_id bigint, tenant_id text, action_id text, external_depot_id text);
INSERT INTO moves VALUES (1, 1, NULL, NULL, 7, '1', 'send:email', 'dep_8Hq2'), (2, 2, NULL, NULL, 8, '2', 'notify', 'dep_99');
-- security-definer-executable-by-public
CREATE FUNCTION open_fn() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT 1 $$;
CREATE FUNCTION closed_fn() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT 1 $$;
REVOKE EXECUTE ON FUNCTION closed_fn() FROM PUBLIC;
CREATE FUNCTION invoker_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
-- do-instead-rule
CREATE TABLE audit_trail (id bigint PRIMARY KEY, note text);
CREATE TABLE audit_copy (id bigint PRIMARY KEY, note text);
CREATE RULE audit_trail_copy AS ON INSERT TO audit_trail DO ALSO INSERT INTO audit_copy VALUES (NEW.id, NEW.note);
CREATE VIEW live_jobs AS SELECT id, tenant_id FROM jobs;
CREATE RULE live_jobs_delete AS ON DELETE TO live_jobs DO INSTEAD DELETE FROM jobs WHERE id = OLD.id;
-- varchar-values-at-limit: fixed-length values are not cut text
CREATE TABLE tokens (id int PRIMARY KEY, ref varchar(36) NOT NULL, label varchar(40));
INSERT INTO tokens SELECT g, md5(g::text) || 'abcd', 'label ' || g FROM generate_series(1, 20) g;
RESET search_path;
`;

const paths = (res: AuditResult, rule: string) => res.findings.filter((f) => f.rule === rule).map((f) => f.path).sort();

describe('new rules on near misses (pglite)', () => {
  let db: FreshDb;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshDatabase(pglite);
    await db.conn.exec(SQL);
    res = await audit(db.conn, { inspect: { schemas: ['nr'] } });
  });
  afterAll(async () => db?.dispose());

  it('float-for-money: amounts, not rates, percentages or weights', () => {
    expect(paths(res, 'float-for-money')).toEqual(['nr.invoices.total_amount']);
  });

  it('boolean-index: a plain btree index on only a boolean; not composite, partial or unique ones', () => {
    expect(paths(res, 'boolean-index')).toEqual(['nr.jobs.jobs_archived_idx']);
  });

  it('truncated-identifier: the cut table name, not the names the server shortened itself', () => {
    expect(paths(res, 'truncated-identifier')).toEqual([`nr.${long(63, 'customer_subscription_billing_adjustment_history')}`]);
  });

  it('personal-data-in-clear: the number itself, not a row id, a last-4, a country or ciphertext', () => {
    expect(paths(res, 'personal-data-in-clear')).toEqual(['nr.customers.card_number', 'nr.customers.tax_id']);
  });

  it('implied-reference-type-mismatch: narrower ints and key-shaped text; not wider ints, action names or vendor ids', () => {
    expect(paths(res, 'implied-reference-type-mismatch')).toEqual(['nr.moves.tenant_id', 'nr.moves.warehouse_id']);
    expect(paths(res, 'missing-foreign-key')).toEqual(expect.arrayContaining(['nr.moves.depot_id', 'nr.moves.invoice_id']));
  });

  it('security-definer-executable-by-public: only the definer function PUBLIC can still call', () => {
    expect(paths(res, 'security-definer-executable-by-public')).toEqual(['nr.open_fn()']);
    expect(res.findings.find((f) => f.rule === 'security-definer-executable-by-public')!.fix).toBe('REVOKE EXECUTE ON FUNCTION "nr"."open_fn"() FROM PUBLIC;');
  });

  it('do-instead-rule: the INSTEAD rule on the view, not the DO ALSO rule', () => {
    expect(paths(res, 'do-instead-rule')).toEqual(['nr.live_jobs.live_jobs_delete']);
  });

  it('varchar-values-at-limit: values that all have one length are not cut text', () => {
    expect(paths(res, 'varchar-values-at-limit')).toEqual([]);
  });
});

describe.runIf(mysqlServer())('varchar-values-at-limit on MariaDB without strict mode (truncation with a warning)', () => {
  let db: FreshMysql;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshMysql();
    await db.conn.exec(`SET SESSION sql_mode = ''`);
    await db.conn.exec(`CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20) NOT NULL)`);
    await db.conn.exec(`INSERT INTO notes VALUES (1, 'short'), (2, 'a much longer note that will be cut'), (3, 'another long note that MariaDB cuts'), (4, 'third long note cut by the server')`);
    res = await audit(db.conn, { only: ['varchar-values-at-limit'] });
  });
  afterAll(async () => db?.dispose());

  it('finds the cut column', () => {
    const fs = res.findings.filter((f) => f.path.startsWith(db.name + '.'));
    expect(fs.map((f) => f.path)).toEqual([`${db.name}.notes.body`]);
    expect(fs[0]!.evidence).toMatchObject({ limit: 20, atLimit: 3, shorter: 1 });
  });
});
