// Zero-downtime behaviour on a real Postgres server (issue #21): every step
// states its lock and what it does to the rows; validations run each in a
// transaction of their own; NOT NULL on a large table goes through a validated
// check; apply waits for a lock at most --lock-timeout, retries with growing
// waits, never keeps readers queued longer than that, and ends with exit 4
// and nothing of the waiting step done when the lock is never granted.
import { describe, expect, it } from 'vitest';
import { applyPlan, transactionGroups } from '../../src/apply/apply-plan.js';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { PlumbError } from '../../src/errors.js';
import { renderPlanMarkdown, renderPlanSql } from '../../src/plan/render-plan.js';
import { lockRefusals } from '../../src/plan/step-impact.js';
import { planSteps, type Plan } from '../../src/plan/types.js';
import { pgServerUrl } from '../helpers/engines.js';
import { contentChecksum, inspectSchemas, planAgainst, planFor } from '../plan/plan-helpers.js';

const S = ['app'];
const A = `
CREATE SCHEMA app;
CREATE TABLE app.refs (id int PRIMARY KEY);
CREATE TABLE app.items (id int PRIMARY KEY, n int, note text, ref int);
INSERT INTO app.refs SELECT g FROM generate_series(1, 10) g;
INSERT INTO app.items SELECT g, g % 100, 'note ' || g, 1 + g % 10 FROM generate_series(1, 3000) g;
CREATE INDEX items_old_idx ON app.items (id, n);
ANALYZE app.refs; ANALYZE app.items;
`;
const B = `
CREATE SCHEMA app;
CREATE TABLE app.refs (id int PRIMARY KEY);
CREATE TABLE app.items (
  id int PRIMARY KEY,
  n bigint CHECK (n >= 0),
  note text NOT NULL UNIQUE,
  ref int REFERENCES app.refs (id),
  token uuid DEFAULT gen_random_uuid()
);
CREATE INDEX items_n_idx ON app.items (n);
`;

describe('zero-downtime plans and applies (Postgres server)', () => {
  const t = planAgainst({ name: 'server', kind: 'server', url: pgServerUrl() }, S, A, B);
  const reset = () => t.reset();
  const plan = async (): Promise<Plan> => (await planFor(t.db.conn, t.scratch.conn, S, { largeTableRows: 1000, concurrently: true })).plan;

  it('states each step\'s lock, work and table size; validations and NOT NULL never hold an exclusive lock while they scan', async () => {
    await reset();
    const p = await plan();
    const steps = planSteps(p);
    const by = (kind: string, path?: string) => steps.find((s) => s.kind === kind && (!path || s.path.includes(path)))!;

    // A volatile default on a large table: the column added bare (catalog only), its default set for new rows,
    // the existing rows filled in batches, each its own transaction under a lock that blocks nobody.
    const token = by('addColumn', 'token');
    expect(token.forward.map((f) => f.sql)).toEqual([expect.not.stringMatching(/DEFAULT/)]);
    expect(token.impact).toMatchObject({ lock: 'ACCESS EXCLUSIVE', work: 'metadata', table: { schema: 'app', name: 'items' } });
    expect(by('alterColumnDefault', 'token').forward[0]!.sql).toMatch(/SET DEFAULT gen_random_uuid\(\)/);
    const backfill = by('backfillColumn', 'token');
    expect(backfill.phase).toBe('backfill');
    expect(backfill.transactional).toBe(false);
    expect(backfill.forward[0]!.backfill).toMatchObject({ key: ['id'], column: 'token', batchSize: 5000 });
    expect(backfill.forward[0]!.sql).toMatch(/^DO \$plumb\$/);
    expect(backfill.impact).toMatchObject({ lock: 'ROW EXCLUSIVE', blocks: 'nothing', work: 'backfill' });
    expect(backfill.impact!.table.rows).toBe(3000);
    expect(backfill.impact!.table.bytes).toBeGreaterThan(0);
    expect(backfill.impact!.estimatedMs).toBeGreaterThan(0);
    expect(by('alterColumnType').impact).toMatchObject({ work: 'rewrite', blocks: 'reads-and-writes' });
    expect(by('createIndex').impact).toMatchObject({ lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', work: 'build' });

    // The check and the foreign key are added NOT VALID (catalog only) and validated alone, under a lock that blocks nothing.
    const check = steps.find((s) => s.kind === 'addCheck' && s.forward[0]!.sql.includes('n >= 0'))!;
    expect(check.impact).toMatchObject({ work: 'metadata' });
    expect(check.forward[0]!.sql).toMatch(/NOT VALID$/);
    const validations = steps.filter((s) => s.kind === 'validateConstraint');
    expect(validations.length).toBe(3); // the check, the foreign key, and NOT NULL's check
    for (const v of validations) expect(v.impact).toMatchObject({ lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', work: 'scan' });

    // NOT NULL: its check added NOT VALID with the constraints, validated, then SET NOT NULL through it (no scan).
    const notNullCheck = steps.find((s) => s.kind === 'addCheck' && s.path.endsWith('note_not_null_plumb'))!;
    expect(notNullCheck.phase).toBe('constraints');
    // Rows that would fail a constraint are counted right before its validation, never inside the first
    // transaction, where a count would read the whole table while the exclusive locks are held.
    expect(notNullCheck.preChecks).toEqual([]);
    expect(check.preChecks).toEqual([]);
    expect(by('addForeignKey').preChecks).toEqual([]);
    for (const v of validations) expect(v.preChecks.length).toBe(1);
    expect(validations.find((v) => v.path.endsWith('note_not_null_plumb'))!.preChecks[0]!.predicate).toMatch(/note/);
    const setNotNull = by('alterColumnNullability');
    expect(setNotNull.phase).toBe('validate');
    expect(setNotNull.impact).toMatchObject({ work: 'metadata' });
    expect(setNotNull.forward.map((f) => f.sql)).toEqual([expect.stringMatching(/SET NOT NULL/), expect.stringMatching(/DROP CONSTRAINT "note_not_null_plumb"/)]);
    // UNIQUE: its index built concurrently (duplicates counted first), then attached with USING INDEX.
    const uniqueIndex = steps.find((s) => s.kind === 'createIndex' && s.path.endsWith('items_note_key'))!;
    expect(uniqueIndex.phase).toBe('indexes-concurrent');
    expect(uniqueIndex.forward[0]!.sql).toMatch(/CREATE UNIQUE INDEX CONCURRENTLY "items_note_key"/);
    expect(uniqueIndex.preChecks.map((c) => c.kind)).toEqual(['duplicates']);
    expect(uniqueIndex.impact).toMatchObject({ blocks: 'nothing', work: 'build' });
    const attach = by('addUnique');
    expect(attach.phase).toBe('dependents');
    expect(attach.forward.map((f) => f.sql)).toEqual([expect.stringMatching(/ADD CONSTRAINT "items_note_key" UNIQUE USING INDEX "items_note_key"$/)]);
    expect(attach.preChecks).toEqual([]);
    expect(attach.impact).toMatchObject({ work: 'metadata' });
    // An index going away is dropped concurrently too, before the concurrent builds.
    const drop = by('dropIndex');
    expect(drop).toMatchObject({ phase: 'indexes-concurrent', transactional: false });
    expect(drop.forward.map((f) => f.sql)).toEqual(['DROP INDEX CONCURRENTLY "app"."items_old_idx"']);
    expect(drop.rollback.map((f) => f.sql)).toEqual([expect.stringMatching(/^CREATE INDEX CONCURRENTLY "items_old_idx"/)]);
    expect(drop.impact).toMatchObject({ lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing' });
    const concurrent = p.phases.find((ph) => ph.name === 'indexes-concurrent')!.steps;
    expect(concurrent.indexOf(drop)).toBe(0);
    const validate = p.phases.find((ph) => ph.name === 'validate')!;
    expect(validate.stepTransactions).toBe(true);
    expect(validate.steps.indexOf(setNotNull)).toBeGreaterThan(validate.steps.findIndex((s) => s.path.endsWith('note_not_null_plumb')));

    // Each validation is a transaction of its own, shared with nothing before or after it.
    const groups = transactionGroups(p.phases, getDialect('postgres'), true);
    const validateGroups = groups.filter((g) => g.phases.some((ph) => ph.name === 'validate'));
    expect(validateGroups.length).toBe(validate.steps.length);
    for (const g of validateGroups) expect(g.phases.flatMap((ph) => ph.steps).length).toBe(1);

    // People see it: plan.md's lock table and each step's line; plan.sql commits around each validation.
    const md = renderPlanMarkdown(p);
    expect(md).toContain('## Locks held while rows are read or written');
    expect(md).toMatch(/- lock: ACCESS EXCLUSIVE; rewrites every row of app\.items \(~3,000 rows, [\d.]+ kB\)/);
    const sql = renderPlanSql(p);
    const validateSql = sql.slice(sql.indexOf('Validate constraints'));
    expect(validateSql.slice(0, validateSql.indexOf('-- Phase', 5)).match(/^BEGIN;/gm)?.length).toBe(validate.steps.length);

    // --no-rewrite and --max-lock refuse what they must, and only that.
    expect(lockRefusals(steps, { noRewrite: true }).map((r) => r.step.kind).sort()).toEqual(['alterColumnType']);
    expect(lockRefusals(steps, { maxLock: 'writes' }).map((r) => r.step.kind).sort()).toEqual(['alterColumnType']);
    expect(lockRefusals(steps, { maxLock: 'reads-and-writes' })).toEqual([]);
    await expect(applyPlan(t.db.conn, p, { noRewrite: true })).rejects.toThrow(/refusing 1 step\(s\) that would stall the application/);

    // And the plan applies to exactly the target, and rolls back to exactly where it started.
    const before = await inspectSchemas(t.db.conn, S);
    const r = await applyPlan(t.db.conn, p);
    expect(r.outcome).toBe('applied');
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), await inspectSchemas(t.scratch.conn, S))).toEqual([]);
    expect(await t.db.conn.query('SELECT count(*)::int AS n, count(DISTINCT token)::int AS d FROM app.items')).toEqual([{ n: 3000, d: 3000 }]);
    expect((await applyPlan(t.db.conn, p, { rollback: true })).outcome).toBe('rolled-back');
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), before)).toEqual([]);
  });

  it('counts the rows a NOT VALID constraint would reject right before its validation; remediation there, then resume', async () => {
    await reset();
    await t.db.conn.exec(`UPDATE app.items SET n = -5 WHERE id = 7`);
    const p = await plan();
    const v = planSteps(p).find((s) => s.kind === 'validateConstraint' && s.path.endsWith('items_n_check'))!;
    await expect(applyPlan(t.db.conn, p)).rejects.toThrow(new RegExp(`pre-check failed for step ${v.id.replace('.', '\\.')} .*1 row\\(s\\)`));
    // The transactions before it committed; the journal continues from the validation with the rows quarantined.
    const r = await applyPlan(t.db.conn, p, { resume: true, remediate: { [v.path]: 'quarantine' } });
    expect(r.outcome).toBe('resumed');
    expect(r.preChecks.map((c) => [c.stepId, c.count, c.policy])).toEqual([[v.id, 1, 'quarantine']]);
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), await inspectSchemas(t.scratch.conn, S))).toEqual([]);
    expect((await t.db.conn.query<{ n: string }>('SELECT count(*)::text AS n FROM app.items'))[0]!.n).toBe('2999');
  });

  it('an interrupted backfill resumes from its journaled position: rows already filled keep their values', async () => {
    await reset();
    const p = (await planFor(t.db.conn, t.scratch.conn, S, { largeTableRows: 1000, concurrently: true, batchSize: 400 })).plan;
    // Once the backfill starts, another session holds row 2001 (a writer mid-transaction): the batch that reaches
    // it gives up after the lock timeout.
    const backfill = planSteps(p).find((s) => s.kind === 'backfillColumn')!;
    const holder = await connect(t.db.url);
    const events: string[] = [];
    let filled: { id: number; token: string }[];
    try {
      const holdRow = async (at: { stepId: string }) => {
        if (at.stepId === backfill.id) await holder.exec('BEGIN; SELECT * FROM app.items WHERE id = 2001 FOR UPDATE');
      };
      await expect(applyPlan(t.db.conn, p, { lockTimeoutMs: 300, retries: 0, beforeStatement: holdRow, onEvent: (m) => events.push(m) })).rejects.toMatchObject({ exitCode: 4 });
      filled = await t.db.conn.query<{ id: number; token: string }>('SELECT id, token::text FROM app.items WHERE token IS NOT NULL ORDER BY id');
    } finally {
      await holder.exec('COMMIT').catch(() => undefined);
      await holder.close();
    }
    expect(filled.length).toBe(2000); // five batches of 400 committed before the held row
    const r = await applyPlan(t.db.conn, p, { resume: true, onEvent: (m) => events.push(m) });
    expect(r.outcome).toBe('resumed');
    expect(events.some((e) => /backfill app\.items\.token: 3000 row\(s\) filled/.test(e))).toBe(true);
    const after = new Map((await t.db.conn.query<{ id: number; token: string }>('SELECT id, token::text FROM app.items')).map((x) => [x.id, x.token]));
    expect(filled.every((x) => after.get(x.id) === x.token)).toBe(true);
    expect([...after.values()].every((t) => t !== null)).toBe(true);
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), await inspectSchemas(t.scratch.conn, S))).toEqual([]);
  });

  /** Another session holding ACCESS SHARE on app.items (a long read): compatible with readers, not with ALTER. */
  async function holdLock(): Promise<{ release(): Promise<void> }> {
    const holder = await connect(t.db.url);
    await holder.exec('BEGIN; LOCK TABLE app.items IN ACCESS SHARE MODE');
    return {
      async release() {
        await holder.exec('COMMIT');
        await holder.close();
      },
    };
  }

  /** Reads app.items every 40 ms from a third session until stopped; returns the slowest read in ms. */
  function readEvery40ms(reader: Connection): { stop(): Promise<number> } {
    let stop = false;
    let worst = 0;
    const loop = (async () => {
      while (!stop) {
        const t0 = performance.now();
        await reader.query('SELECT count(*) FROM app.items');
        worst = Math.max(worst, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    return {
      async stop() {
        stop = true;
        await loop;
        return worst;
      },
    };
  }

  it('gives up after its retries with exit 4 when the lock never comes; readers wait no longer than the lock timeout; nothing of the waiting step is done', async () => {
    await reset();
    const p = await plan();
    const before = await contentChecksum(t.db.conn, S);
    const catalogBefore = await inspectSchemas(t.db.conn, S);
    const held = await holdLock();
    const reader = await connect(t.db.url);
    const reads = readEvery40ms(reader);
    const events: string[] = [];
    const t0 = Date.now();
    let error: unknown;
    try {
      await applyPlan(t.db.conn, p, { lockTimeoutMs: 300, retries: 2, retryDelayMs: 100, onEvent: (m) => events.push(m) });
    } catch (e) {
      error = e;
    } finally {
      const worstRead = await reads.stop();
      await reader.close();
      await held.release();
      // A reader queued behind apply's lock request waits at most the lock timeout (300 ms), plus scheduling slack.
      expect(worstRead).toBeLessThan(1500);
    }
    expect(error).toBeInstanceOf(PlumbError);
    expect((error as PlumbError).exitCode).toBe(4);
    expect((error as PlumbError).message).toMatch(/gave up after 3 attempt\(s\)/);
    expect(events.filter((e) => /lock timeout \(300 ms\).*attempt [23] of 3/.test(e)).length).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3 * 300 + 100 + 200);
    // The first transaction (everything before the validations) waited on the lock: nothing of it took effect.
    expect(await contentChecksum(t.db.conn, S)).toEqual(before);
    expect(diffCatalogs(catalogBefore, await inspectSchemas(t.db.conn, S))).toEqual([]);
  });

  it('retries with growing waits and applies once the lock is released', async () => {
    await reset();
    const p = await plan();
    const held = await holdLock();
    const events: string[] = [];
    const release = new Promise<void>((r) => setTimeout(() => void held.release().then(r), 900));
    const r = await applyPlan(t.db.conn, p, { lockTimeoutMs: 300, retries: 6, retryDelayMs: 200, onEvent: (m) => events.push(m) });
    await release;
    expect(r.outcome).toBe('applied');
    expect(events.some((e) => /lock timeout \(300 ms\).*attempt 2 of 7 in 200 ms/.test(e))).toBe(true);
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), await inspectSchemas(t.scratch.conn, S))).toEqual([]);
  });
});
