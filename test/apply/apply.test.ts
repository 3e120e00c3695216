import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/engines.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { planFor, inspectSchemas, resetSchemas, contentChecksum, pgliteAndOneServer } from '../plan/plan-helpers.js';

const S = ['shop'];

const A = `
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, email text, name text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int, total numeric(10,2), status text);
INSERT INTO shop.customers VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
INSERT INTO shop.orders VALUES (10, 1, 5.00, 'new'), (11, 2, 7.50, 'paid'), (12, 99, 1.00, 'new'), (13, 98, 2.00, 'paid');
`;
const B = `
CREATE SCHEMA shop;
CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE shop.customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, name text, created_at timestamptz DEFAULT now());
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int REFERENCES shop.customers(id), total numeric(12,2) CHECK (total >= 0), status text, note text);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id);
CREATE VIEW shop.order_totals AS SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY customer_id;
`;

describe.each(pgliteAndOneServer())('apply on $name', (engine) => {
  let db: FreshDb;
  let scratch: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    scratch = await freshDatabase(engine);
    await scratch.conn.exec(B);
  });
  afterAll(async () => {
    await db?.dispose();
    await scratch?.dispose();
  });

  const reset = async () => {
    await resetSchemas(db.conn, S);
    await db.conn.exec(A);
  };

  it('aborts at the orphan pre-check, naming the count and sample keys', async () => {
    await reset();
    const { plan } = await planFor(db.conn, scratch.conn, S);
    const fk = plan.phases.flatMap((p) => p.steps).find((s) => s.kind === 'addForeignKey')!;
    expect(fk.preChecks[0]!.kind).toBe('orphans');
    expect(fk.safety).toBe('data-dependent');
    const before = await contentChecksum(db.conn, S);
    await expect(applyPlan(db.conn, plan)).rejects.toThrow(/2 row\(s\) reference no row of shop\.customers.*id=12.*id=13/);
    expect(await contentChecksum(db.conn, S)).toEqual(before);
  });

  it('quarantines orphans, applies to exactly the target, and rolls back restoring them', async () => {
    await reset();
    const before = await contentChecksum(db.conn, S);
    const { plan, to } = await planFor(db.conn, scratch.conn, S);
    const fk = plan.phases.flatMap((p) => p.steps).find((s) => s.kind === 'addForeignKey')!;
    const r = await applyPlan(db.conn, plan, { remediate: { [fk.id]: 'quarantine' } });
    expect(r.outcome).toBe('applied');
    expect(r.preChecks.map((p) => [p.policy, p.count])).toEqual([['quarantine', 2]]);
    expect(diffCatalogs(await inspectSchemas(db.conn, S), to)).toEqual([]);
    const q = await db.conn.query<{ id: number }>(`SELECT id FROM plumb_quarantine."${S[0]}__orders_${fk.id.replace('.', '_')}" ORDER BY id`);
    expect(q.map((x) => x.id)).toEqual([12, 13]);
    const hist = await db.conn.query<{ outcome: string; plan_checksum: string }>('SELECT outcome, plan_checksum FROM plumb.history');
    expect(hist).toEqual([{ outcome: 'applied', plan_checksum: plan.checksum }]);
    // Applying the same plan again is a no-op, and so is resuming it: neither records a second apply.
    expect((await applyPlan(db.conn, plan)).outcome).toBe('already-applied');
    expect((await applyPlan(db.conn, plan, { resume: true })).outcome).toBe('already-applied');
    expect(await db.conn.query('SELECT outcome FROM plumb.history')).toEqual([{ outcome: 'applied' }]);
    const back = await applyPlan(db.conn, plan, { rollback: true });
    expect(back.outcome).toBe('rolled-back');
    expect(await contentChecksum(db.conn, S)).toEqual(before);
  });

  it('refuses on drift unless forced, and refuses destructive steps unless allowed', async () => {
    await reset();
    const { plan } = await planFor(db.conn, scratch.conn, S);
    await db.conn.exec('ALTER TABLE shop.customers ADD COLUMN extra int');
    await expect(applyPlan(db.conn, plan)).rejects.toThrow(/changed since the plan was made/);
    // Now the target lacks `extra`: the new plan drops it, which is destructive.
    const { plan: p2 } = await planFor(db.conn, scratch.conn, S);
    const drop = p2.phases.flatMap((p) => p.steps).find((s) => s.kind === 'dropColumn')!;
    expect(drop.safety).toBe('destructive');
    expect(drop.hazards.map((h) => h.code)).toContain('PH102');
    await expect(applyPlan(db.conn, p2, { remediate: { [p2.phases.flatMap((p) => p.steps).find((s) => s.kind === 'addForeignKey')!.id]: 'quarantine' } })).rejects.toThrow(/refusing 1 destructive step.*PH102 shop\.customers\.extra/);
    const fkId = p2.phases.flatMap((p) => p.steps).find((s) => s.kind === 'addForeignKey')!.id;
    await db.conn.exec('UPDATE shop.customers SET extra = id * 10');
    const before = await contentChecksum(db.conn, S);
    const r = await applyPlan(db.conn, p2, { allow: ['PH102:shop.customers.extra'], remediate: { [fkId]: 'quarantine' }, backup: true });
    expect(r.outcome).toBe('applied');
    expect((await inspectSchemas(db.conn, S)).schemas[0]!.tables.find((t) => t.name === 'customers')!.columns.map((c) => c.name)).not.toContain('extra');
    // With --backup, rolling back a dropped column gives its values back (and the quarantined orders).
    await applyPlan(db.conn, p2, { rollback: true });
    expect(await contentChecksum(db.conn, S)).toEqual(before);
  });

  it('remediates duplicates, NULLs and check violations by policy; nullify and delete need allowing', async () => {
    await reset();
    await db.conn.exec(`INSERT INTO shop.customers VALUES (3, 'a@x', 'dup'), (4, NULL, 'no email'); UPDATE shop.orders SET total = -1 WHERE id = 11; DELETE FROM shop.orders WHERE id IN (12, 13)`);
    const { plan, to } = await planFor(db.conn, scratch.conn, S);
    const steps = plan.phases.flatMap((p) => p.steps);
    const unique = steps.find((s) => s.kind === 'addUnique')!;
    const notNull = steps.find((s) => s.kind === 'alterColumnNullability')!;
    const check = steps.find((s) => s.kind === 'addCheck')!;
    const remediate = { [unique.id]: 'delete', [notNull.id]: 'quarantine', [check.id]: 'nullify' } as const;
    await expect(applyPlan(db.conn, plan, { remediate })).rejects.toThrow(/refusing 2 destructive step.*PH107.*PH108/);
    const r = await applyPlan(db.conn, plan, { remediate, allow: ['PH107', 'PH108'] });
    expect(r.preChecks.map((p) => [p.stepId, p.policy, p.count]).sort()).toEqual(
      [
        [unique.id, 'delete', 1],
        [notNull.id, 'quarantine', 1],
        [check.id, 'nullify', 1],
      ].sort(),
    );
    expect(diffCatalogs(await inspectSchemas(db.conn, S), to)).toEqual([]);
    expect(await db.conn.query('SELECT id, email FROM shop.customers ORDER BY id')).toEqual([
      { id: 1, email: 'a@x' },
      { id: 2, email: 'b@x' },
    ]);
    expect(await db.conn.query('SELECT total FROM shop.orders WHERE id = 11')).toEqual([{ total: null }]);
  });

  it('--dry-run reports what would fail and changes nothing', async () => {
    await reset();
    const before = await contentChecksum(db.conn, S);
    const { plan } = await planFor(db.conn, scratch.conn, S);
    const r = await applyPlan(db.conn, plan, { dryRun: true });
    expect(r.outcome).toBe('dry-run');
    expect(r.steps.filter((s) => s.status === 'would-fail').map((s) => s.path)).toEqual([plan.phases.flatMap((p) => p.steps).find((s) => s.kind === 'addForeignKey')!.path]);
    expect(await contentChecksum(db.conn, S)).toEqual(before);
    expect((await inspectSchemas(db.conn, S)).schemas[0]!.tables.find((t) => t.name === 'orders')!.foreignKeys).toEqual([]);
  });
});
