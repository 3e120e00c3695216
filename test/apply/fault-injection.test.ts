// Interrupt apply at every statement boundary in turn, on Postgres
// (interruptAtEachCut): the database is either exactly as before, or --resume
// completes it to exactly the target, and --rollback brings it back exactly
// (quarantined rows included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/engines.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { planSteps, type Plan } from '../../src/plan/types.js';
import { planFor, inspectSchemas, resetSchemas, contentChecksum, pgliteAndOneServer } from '../plan/plan-helpers.js';
import { journalRowsOf } from '../helpers/apply-targets.js';
import { interruptAtEachCut } from './fault-injection-kit.js';

const S = ['inv'];
const A = `
CREATE SCHEMA inv;
CREATE TABLE inv.items (id int PRIMARY KEY, sku text, qty int, meta text);
CREATE TABLE inv.moves (id int PRIMARY KEY, item_id int, delta int, at text);
INSERT INTO inv.items SELECT g, 'sku' || g, g * 2, '{"a": ' || g || '}' FROM generate_series(1, 50) g;
INSERT INTO inv.moves SELECT g, (g % 50) + 1, g, '2024-01-0' || ((g % 9) + 1) FROM generate_series(1, 200) g;
INSERT INTO inv.moves VALUES (900, 777, 1, '2024-01-01');
`;
const B = `
CREATE SCHEMA inv;
CREATE TABLE inv.items (id int PRIMARY KEY, sku varchar(20) NOT NULL UNIQUE, qty bigint CHECK (qty >= 0), meta jsonb, added_at date);
CREATE TABLE inv.moves (id int PRIMARY KEY, item_id int REFERENCES inv.items(id), delta int NOT NULL, at date);
CREATE TABLE inv.locations (code text PRIMARY KEY, item_id int REFERENCES inv.items(id));
CREATE INDEX moves_item_idx ON inv.moves (item_id);
CREATE INDEX items_qty_idx ON inv.items (qty) WHERE qty > 10;
CREATE VIEW inv.stock AS SELECT i.id, i.sku, sum(m.delta) AS moved FROM inv.items i LEFT JOIN inv.moves m ON m.item_id = i.id GROUP BY i.id, i.sku;
`;

const engines = pgliteAndOneServer();

describe.each(engines)('fault injection on $name', (engine) => {
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

  // `concurrently` commits per phase and runs one phase outside a transaction: it covers both journaling paths.
  // `single` (the whole plan in one transaction) is sampled at a middle boundary and the last one.
  // `online` (servers only, where live changes matter) treats every table as large: constraints NOT VALID and
  // validated each in a transaction of its own, NOT NULL through a check, the unique key's index built concurrently
  // and attached after; the foreign key's orphans are counted and quarantined at its validation; a column type
  // changes expand / backfill / swap (--online), its old column dropped by --contract after the run.
  for (const mode of ['concurrently', 'single', 'online'] as const) {
    it.runIf(mode !== 'online' || engine.kind === 'server')(`interrupting at every statement boundary (${mode}) loses nothing`, async () => {
      const opts = { singleTransaction: mode === 'single' };
      const planOpts = { concurrently: mode !== 'single', ...(mode === 'online' ? { largeTableRows: 10, online: true, batchSize: 80 } : {}) };
      const finish = mode === 'online' ? async (plan: Plan) => void (await applyPlan(db.conn, plan, { contract: true })) : undefined;
      const run = async () => {
        await resetSchemas(db.conn, S);
        await db.conn.exec(A);
        if (mode === 'online') await db.conn.exec('ANALYZE inv.items; ANALYZE inv.moves');
        const p = await planFor(db.conn, scratch.conn, S, planOpts);
        const fk = planSteps(p.plan).find((s) => s.kind === 'addForeignKey' && s.path.includes('moves'))!;
        return { ...p, remediate: { [mode === 'online' ? fk.path : fk.id]: 'quarantine' as const } };
      };
      // The reference: a clean apply.
      const ref = await run();
      const before = await contentChecksum(db.conn, S);
      await applyPlan(db.conn, ref.plan, { ...opts, remediate: ref.remediate });
      await finish?.(ref.plan);
      const target = await contentChecksum(db.conn, S);
      expect(diffCatalogs(await inspectSchemas(db.conn, S), ref.to)).toEqual([]);
      // The statements one apply runs: a deferred phase (an online plan's contract) runs in a later apply of its own.
      const total = planSteps({ phases: ref.plan.phases.filter((p) => !p.deferred) }).reduce((n, s) => n + s.forward.length, 0);
      expect(total).toBeGreaterThan(10);
      expect(ref.plan.phases.length).toBeGreaterThan(4);

      const pg = {
        conn: db.conn,
        content: () => contentChecksum(db.conn, S),
        inspect: () => inspectSchemas(db.conn, S),
        journalRows: (checksum: string) => journalRowsOf(db.conn, checksum),
      };
      const cuts = mode === 'single' ? [Math.floor(total / 2), total] : Array.from({ length: total + 1 }, (_, i) => i);
      const seen = await interruptAtEachCut(pg, { setup: run, checksum: ref.plan.checksum, cuts, opts, before, target, to: ref.to, ...(finish ? { finish } : {}) });
      if (mode === 'online') {
        const steps = planSteps(ref.plan);
        expect(steps.filter((s) => s.kind === 'validateConstraint').length).toBeGreaterThanOrEqual(3);
        expect(steps.some((s) => s.kind === 'addUnique' && /USING INDEX/.test(s.forward[0]!.sql))).toBe(true);
        expect(ref.plan.phases.find((p) => p.name === 'validate')!.stepTransactions).toBe(true);
        // inv.moves.at (text → date) goes online, interrupted mid-backfill too (batches of 80 over 201 rows);
        // inv.items.qty gets a check and an index in this plan, so it cannot, and says why.
        expect(steps.filter((s) => s.path === 'inv.moves.at').map((s) => s.kind)).toEqual(['expandColumn', 'backfillColumn', 'swapColumn', 'contractColumn']);
        expect(steps.find((s) => s.path === 'inv.items.qty' && s.kind === 'alterColumnType')!.hazards.map((h) => h.code)).toContain('OC103');
      }
      if (mode === 'single') expect(seen.resumed + seen.rolledBack).toBe(1); // only the boundary after the last statement
      else expect(seen.resumed + seen.rolledBack).toBeGreaterThan(2);
    });
  }
});
