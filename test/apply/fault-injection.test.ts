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

/** A database to apply to and a scratch one holding the target `ddl`, for the describe block it is called in. */
function liveAndTarget(engine: (typeof engines)[number], ddl: string): { db: FreshDb; scratch: FreshDb } {
  const h = {} as { db: FreshDb; scratch: FreshDb };
  beforeAll(async () => {
    h.db = await freshDatabase(engine);
    h.scratch = await freshDatabase(engine);
    await h.scratch.conn.exec(ddl);
  });
  afterAll(async () => {
    await h.db?.dispose();
    await h.scratch?.dispose();
  });
  return h;
}

describe.each(engines)('fault injection on $name', (engine) => {
  const h = liveAndTarget(engine, B);

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
      const finish = mode === 'online' ? async (plan: Plan) => void (await applyPlan(h.db.conn, plan, { contract: true })) : undefined;
      const run = async () => {
        await resetSchemas(h.db.conn, S);
        await h.db.conn.exec(A);
        if (mode === 'online') await h.db.conn.exec('ANALYZE inv.items; ANALYZE inv.moves');
        const p = await planFor(h.db.conn, h.scratch.conn, S, planOpts);
        const fk = planSteps(p.plan).find((s) => s.kind === 'addForeignKey' && s.path.includes('moves'))!;
        return { ...p, remediate: { [mode === 'online' ? fk.path : fk.id]: 'quarantine' as const } };
      };
      // The reference: a clean apply.
      const ref = await run();
      const before = await contentChecksum(h.db.conn, S);
      await applyPlan(h.db.conn, ref.plan, { ...opts, remediate: ref.remediate });
      await finish?.(ref.plan);
      const target = await contentChecksum(h.db.conn, S);
      expect(diffCatalogs(await inspectSchemas(h.db.conn, S), ref.to)).toEqual([]);
      // The statements one apply runs: a deferred phase (an online plan's contract) runs in a later apply of its own.
      const total = planSteps({ phases: ref.plan.phases.filter((p) => !p.deferred) }).reduce((n, s) => n + s.forward.length, 0);
      expect(total).toBeGreaterThan(10);
      expect(ref.plan.phases.length).toBeGreaterThan(4);

      const pg = {
        conn: h.db.conn,
        content: () => contentChecksum(h.db.conn, S),
        inspect: () => inspectSchemas(h.db.conn, S),
        journalRows: (checksum: string) => journalRowsOf(h.db.conn, checksum),
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

// The kinds added for real schemas (#18): an enum value added (outside any transaction) with a column default
// moving to it, a type change under an expression index (created again from the target), an index renamed,
// a partition added with a partitioned index, a domain, a function with attributes, a sequence and a comment.
const KS = ['kinds'];
const KA = `
CREATE SCHEMA kinds;
CREATE TYPE kinds.mood AS ENUM ('ok', 'sad');
CREATE TABLE kinds.people (id int PRIMARY KEY, mood kinds.mood DEFAULT 'ok', score numeric, nick text);
CREATE INDEX people_score_x ON kinds.people ((score + 1));
CREATE INDEX people_nick_old ON kinds.people (lower(nick));
CREATE TABLE kinds.log (id int, at date NOT NULL, note text) PARTITION BY RANGE (at);
CREATE TABLE kinds.log_2024 PARTITION OF kinds.log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO kinds.people SELECT g, (CASE WHEN g % 2 = 0 THEN 'ok' ELSE 'sad' END)::kinds.mood, g, 'n' || g FROM generate_series(1, 40) g;
INSERT INTO kinds.log SELECT g, date '2024-01-01' + g, 'x' FROM generate_series(1, 100) g;
`;
const KB = `
CREATE SCHEMA kinds;
CREATE TYPE kinds.mood AS ENUM ('ok', 'meh', 'sad');
CREATE DOMAIN kinds.points AS int CHECK (VALUE >= 0);
CREATE TABLE kinds.people (id int PRIMARY KEY, mood kinds.mood DEFAULT 'meh', score int, nick text);
CREATE INDEX people_score_x ON kinds.people ((score + 1));
CREATE INDEX people_nick_lower ON kinds.people (lower(nick));
COMMENT ON TABLE kinds.people IS 'who is here';
CREATE TABLE kinds.log (id int, at date NOT NULL, note text) PARTITION BY RANGE (at);
CREATE TABLE kinds.log_2024 PARTITION OF kinds.log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE kinds.log_2025 PARTITION OF kinds.log FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX log_at_idx ON kinds.log (at);
CREATE FUNCTION kinds.double(x int) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT x * 2';
CREATE SEQUENCE kinds.tickets START 100 INCREMENT 5;
`;

describe.each(engines.filter((e) => e.kind === 'server'))('fault injection over the newer object kinds on $name', (engine) => {
  const h = liveAndTarget(engine, KB);

  it('interrupting at every statement boundary loses nothing', async () => {
    const planOpts = { concurrently: true };
    const run = async () => {
      await resetSchemas(h.db.conn, KS);
      await h.db.conn.exec(KA);
      return { ...(await planFor(h.db.conn, h.scratch.conn, KS, planOpts)), remediate: {} };
    };
    const ref = await run();
    const kinds = new Set(planSteps(ref.plan).map((s) => s.kind));
    for (const k of ['addEnumValue', 'renameIndex', 'alterColumnType', 'createIndex', 'dropIndex', 'createTable', 'createDomain', 'createRoutine', 'createSequence']) expect(kinds, k).toContain(k);
    const before = await contentChecksum(h.db.conn, KS);
    await applyPlan(h.db.conn, ref.plan, {});
    const target = await contentChecksum(h.db.conn, KS);
    expect(diffCatalogs(await inspectSchemas(h.db.conn, KS), ref.to)).toEqual([]);
    const total = planSteps(ref.plan).reduce((n, s) => n + s.forward.length, 0);
    const pg = { conn: h.db.conn, content: () => contentChecksum(h.db.conn, KS), inspect: () => inspectSchemas(h.db.conn, KS), journalRows: (checksum: string) => journalRowsOf(h.db.conn, checksum) };
    const cuts = Array.from({ length: total + 1 }, (_, i) => i);
    // Before statement k, and after it ran but before the journal says so (a kill mid-DDL).
    for (const when of ['before', 'after'] as const) {
      const seen = await interruptAtEachCut(pg, { setup: run, checksum: ref.plan.checksum, cuts: when === 'after' ? cuts.filter((k) => k < total) : cuts, opts: {}, when, before, target, to: ref.to });
      process.stdout.write(`newer kinds, ${total} statements, fault ${when}: ${JSON.stringify(seen)}\n`);
      expect(seen.resumed + seen.rolledBack).toBeGreaterThan(2);
    }
  });
});
