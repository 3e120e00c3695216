// An online column type change on a Postgres server (issue #21, `plan --online`):
// expand (a new column kept in step by a trigger), batched backfill, NOT NULL
// through a validated check, indexes built concurrently, a swap by renames in
// one short transaction, and the old column dropped only by `--contract`.
// Writers keep writing throughout and every value they wrote is in the new
// column; rollback from every stage puts the table back as it was.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { connect } from '../../src/drivers/connect.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { renderPlanMarkdown, renderPlanSql } from '../../src/plan/render-plan.js';
import { lockRefusals } from '../../src/plan/step-impact.js';
import { planSteps, type Plan } from '../../src/plan/types.js';
import { pgServerUrl } from '../helpers/engines.js';
import { contentChecksum, inspectSchemas, planAgainst, planFor } from '../plan/plan-helpers.js';

const S = ['shop'];
const A = `
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id int PRIMARY KEY, qty int NOT NULL DEFAULT 1, note text, kept int);
CREATE INDEX orders_qty_idx ON shop.orders (qty) INCLUDE (note);
CREATE TABLE shop.tags (id int PRIMARY KEY, code int);
CREATE INDEX tags_code_idx ON shop.tags ((code + 1));
INSERT INTO shop.orders SELECT g, g % 50, 'n' || g, g FROM generate_series(1, 3000) g;
INSERT INTO shop.tags SELECT g, g FROM generate_series(1, 2000) g;
ANALYZE shop.orders; ANALYZE shop.tags;
`;
const B = `
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id int PRIMARY KEY, qty bigint NOT NULL DEFAULT 1, note text, kept bigint NOT NULL DEFAULT 0);
CREATE INDEX orders_qty_idx ON shop.orders (qty) INCLUDE (note);
CREATE TABLE shop.tags (id int PRIMARY KEY, code bigint);
CREATE INDEX tags_code_idx ON shop.tags ((code + 1));
`;

describe('online column type change (Postgres server)', () => {
  const t = planAgainst({ name: 'server', kind: 'server', url: pgServerUrl() }, S, A, B);
  const reset = () => t.reset();
  const plan = async (): Promise<Plan> => (await planFor(t.db.conn, t.scratch.conn, S, { largeTableRows: 1000, online: true, batchSize: 700 })).plan;

  it('plans expand, backfill, validated NOT NULL, concurrent index, swap and a deferred contract; refuses what it cannot do online', async () => {
    await reset();
    const p = await plan();
    const steps = planSteps(p);
    const of = (kind: string, path = 'shop.orders.qty') => steps.filter((s) => s.kind === kind && s.path.startsWith(path));
    expect(of('expandColumn')).toHaveLength(1);
    expect(of('expandColumn')[0]!.phase).toBe('columns');
    expect(of('expandColumn')[0]!.forward.map((f) => f.sql)).toEqual([
      'ALTER TABLE "shop"."orders" ADD COLUMN "qty_plumb_new" bigint',
      expect.stringMatching(/^CREATE FUNCTION "shop"."orders_qty_plumb_sync"\(\) RETURNS trigger/),
      'CREATE TRIGGER "orders_qty_plumb_sync" BEFORE INSERT OR UPDATE OF "qty" ON "shop"."orders" FOR EACH ROW EXECUTE FUNCTION "shop"."orders_qty_plumb_sync"()',
    ]);
    const backfill = of('backfillColumn')[0]!;
    expect(backfill.forward[0]!.backfill).toMatchObject({ column: 'qty_plumb_new', expression: '"qty"::bigint', onlyWhere: '"qty" IS NOT NULL', batchSize: 700 });
    expect(steps.find((s) => s.kind === 'addCheck' && s.path.includes('qty'))!.forward[0]!.sql).toMatch(/"qty_plumb_new_not_null" CHECK \("qty_plumb_new" IS NOT NULL\) NOT VALID$/);
    const index = steps.find((s) => s.kind === 'createIndex')!;
    expect(index.phase).toBe('indexes-concurrent');
    expect(index.forward[0]!.sql).toMatch(/^CREATE INDEX CONCURRENTLY "orders_qty_idx_plumb_new" ON "shop"."orders" .*\("qty_plumb_new"\) INCLUDE \("note"\)$/);
    const swap = of('swapColumn')[0]!;
    expect(swap.phase).toBe('dependents');
    expect(p.phases.find((ph) => ph.name === 'dependents')!.steps.slice(0, 2).map((x) => x.kind)).toEqual(['swapColumn', 'swapColumn']);
    expect(swap.impact).toMatchObject({ work: 'metadata' });
    const contract = p.phases.find((ph) => ph.name === 'contract')!;
    expect(contract.deferred).toBe(true);
    expect(contract.steps.map((s) => [s.kind, s.path, s.safety, s.hazards[0]!.code])).toEqual([
      ['contractColumn', 'shop.orders.kept', 'destructive', 'OC102'],
      ['contractColumn', 'shop.orders.qty', 'destructive', 'OC102'],
    ]);
    // kept becomes NOT NULL with its new type: on the new column at the swap, never on the old one, which must
    // keep accepting the rows written after it. Its new default applies to the old column meanwhile.
    const kept = steps.filter((s) => s.path === 'shop.orders.kept');
    expect(kept.map((s) => s.kind)).toEqual(['expandColumn', 'backfillColumn', 'swapColumn', 'contractColumn']);
    expect(kept[0]!.forward.at(-1)!.sql).toBe('ALTER TABLE "shop"."orders" ALTER COLUMN "kept" SET DEFAULT 0');
    expect(kept[0]!.rollback[0]!.sql).toBe('ALTER TABLE "shop"."orders" ALTER COLUMN "kept" DROP DEFAULT');
    // Nothing of the online change rewrites the table or blocks writers while it reads rows.
    expect(lockRefusals(steps.filter((s) => s.path.startsWith('shop.orders')), { noRewrite: true, maxLock: 'nothing' })).toEqual([]);
    // An expression index on the column: no online form; the step rewrites and says why.
    const tags = steps.find((s) => s.kind === 'alterColumnType' && s.path === 'shop.tags.code')!;
    expect(tags.hazards.map((h) => h.message)).toContainEqual(expect.stringMatching(/^cannot change this column type online.*\(a partial or expression index uses it\)$/));
    expect(lockRefusals([tags], { maxRewriteRows: 1000 })[0]!.reason).toMatch(/over the 1,000 of --max-rewrite-rows.*--online/);
    expect(renderPlanMarkdown(p)).toMatch(/Contract \(apply --contract\)/);
    // plan.sql run by hand stops before the contract: its drop is there only as a comment.
    expect(renderPlanSql(p)).toMatch(/^-- Deferred: .*\n-- ALTER TABLE "shop"\."orders" DROP COLUMN "kept_plumb_old";\n-- ALTER TABLE "shop"\."orders" DROP COLUMN "qty_plumb_old";$/m);
    expect(renderPlanSql(p)).not.toMatch(/^ALTER TABLE "shop"\."orders" DROP COLUMN "qty_plumb_old";$/m);
  });

  it('writers keep writing through expand, backfill and swap; --contract drops the old column; rollback undoes it all', async () => {
    await reset();
    const p = await plan();
    const before = await inspectSchemas(t.db.conn, S);
    const content = await contentChecksum(t.db.conn, S);
    // A writer inserts and updates all along, from its own session.
    const writer = await connect(t.db.url);
    let stop = false;
    let next = 100_000;
    // Once the expand committed (the backfill phase starts), inserts may leave kept out: its new default fills it.
    let expanded = false;
    const errors: string[] = [];
    const writing = (async () => {
      while (!stop) {
        try {
          const omit = expanded && next % 2 === 0;
          await writer.exec(`INSERT INTO shop.orders (id, qty, note${omit ? '' : ', kept'}) VALUES (${next}, ${next % 7}, 'w'${omit ? '' : `, ${next}`})`);
          await writer.exec(`UPDATE shop.orders SET qty = qty + 1 WHERE id = ${1 + (next % 3000)}`);
          next++;
        } catch (e) {
          errors.push((e as Error).message);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const events: string[] = [];
    let r;
    try {
      r = await applyPlan(t.db.conn, p, { onEvent: (m) => (events.push(m), /^phase backfill/.test(m) && (expanded = true)) });
    } finally {
      stop = true;
      await writing;
    }
    const expected = await writer.query<{ id: number; qty: number; kept: number }>('SELECT id, qty, kept FROM shop.orders ORDER BY id');
    await writer.close();
    expect(r.outcome).toBe('applied');
    expect(errors).toEqual([]);
    expect(next).toBeGreaterThan(100_000);
    expect(expanded).toBe(true);
    expect((await t.db.conn.query<{ n: number }>('SELECT count(*)::int AS n FROM shop.orders WHERE id >= 100000 AND kept = 0'))[0]!.n).toBeGreaterThan(0);
    expect(events.join('\n')).toMatch(/2 old column\(s\) kept for readers still on them \(shop\.orders\.kept, shop\.orders\.qty\).*--contract/);
    // The column is bigint, holds every value written before and during the change, and the old one waits for --contract.
    const cols = await t.db.conn.query<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = 'orders' ORDER BY column_name",
    );
    expect(cols.find((c) => c.column_name === 'qty')).toMatchObject({ data_type: 'bigint', is_nullable: 'NO', column_default: '1' });
    expect(cols.find((c) => c.column_name === 'qty_plumb_old')).toMatchObject({ data_type: 'integer', is_nullable: 'YES', column_default: null });
    expect(cols.find((c) => c.column_name === 'kept')).toMatchObject({ data_type: 'bigint', is_nullable: 'NO', column_default: '0' });
    const now = await t.db.conn.query<{ id: number; qty: string; kept: string }>('SELECT id, qty::text, kept::text FROM shop.orders ORDER BY id');
    expect(now.map((x) => [x.id, Number(x.qty), Number(x.kept)])).toEqual(expected.map((x) => [x.id, Number(x.qty), Number(x.kept)]));
    expect(await t.db.conn.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'shop' AND tablename = 'orders' ORDER BY 1")).toEqual([
      { indexname: 'orders_pkey' },
      { indexname: 'orders_qty_idx' },
      { indexname: 'orders_qty_idx_plumb_old' },
    ]);
    expect(await t.db.conn.query("SELECT pg_get_indexdef('shop.orders_qty_idx'::regclass) AS d")).toEqual([{ d: 'CREATE INDEX orders_qty_idx ON shop.orders USING btree (qty) INCLUDE (note)' }]);
    // Inserts after the swap write the new column only; the old one accepts them.
    await t.db.conn.exec("INSERT INTO shop.orders (id, note) VALUES (999999, 'after')");
    expect(await t.db.conn.query('SELECT qty::int, kept::int FROM shop.orders WHERE id = 999999')).toEqual([{ qty: 1, kept: 0 }]);
    await t.db.conn.exec('DELETE FROM shop.orders WHERE id = 999999');

    // --contract: the old column goes; the table is then exactly the target (plumb's diff and the catalog).
    await expect(applyPlan(t.db.conn, p, { contract: true, rollback: false })).resolves.toMatchObject({ outcome: 'applied' });
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), await inspectSchemas(t.scratch.conn, S))).toEqual([]);
    expect((await applyPlan(t.db.conn, p, { contract: true })).outcome).toBe('already-applied');

    // Rollback from there: every value written is kept, back in an int column, with the old index and NOT NULL.
    expect((await applyPlan(t.db.conn, p, { rollback: true })).outcome).toBe('rolled-back');
    expect(diffCatalogs(await inspectSchemas(t.db.conn, S), before)).toEqual([]);
    const back = await t.db.conn.query<{ id: number; qty: number; kept: number }>('SELECT id, qty, kept FROM shop.orders ORDER BY id');
    expect(back.map((x) => [x.id, Number(x.qty), Number(x.kept)])).toEqual(expected.map((x) => [x.id, Number(x.qty), Number(x.kept)]));
    void content;
  }, 120_000);

  it('refuses --contract before the plan is applied, and a plan without online changes', async () => {
    await reset();
    const p = await plan();
    await expect(applyPlan(t.db.conn, p, { contract: true })).rejects.toThrow(/the plan is not applied yet/);
    const plain = (await planFor(t.db.conn, t.scratch.conn, S, { largeTableRows: 1000 })).plan;
    await expect(applyPlan(t.db.conn, plain, { contract: true })).rejects.toThrow(/nothing to contract/);
  });
});
