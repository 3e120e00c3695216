// A plan that commits in more than one transaction (an enum's ADD VALUE
// commits before the value can be used; CONCURRENTLY runs outside any) runs
// every aborting pre-check first: a failing one leaves the database as it was,
// not with the enum value of an earlier phase committed (issue #18).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { transactionGroups } from '../../src/apply/apply-plan.js';
import { judgeCatalog } from '../helpers/catalog-judge.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';

const server = { name: 'server', kind: 'server' as const, url: pgServerUrl() };

describe('pre-checks of the whole plan run before anything commits', () => {
  let db: FreshDb;
  let want: FreshDb;
  beforeAll(async () => {
    [db, want] = await Promise.all([freshDatabase(server), freshDatabase(server)]);
    await db.conn.exec(`CREATE SCHEMA s; CREATE TYPE s.mood AS ENUM ('a'); CREATE TABLE s.t (id int, m s.mood, x int); INSERT INTO s.t VALUES (1, 'a', NULL);`);
    await want.conn.exec(`CREATE SCHEMA s; CREATE TYPE s.mood AS ENUM ('a', 'b'); CREATE TABLE s.t (id int, m s.mood DEFAULT 'b', x int NOT NULL);`);
  });
  afterAll(async () => {
    await db?.dispose();
    await want?.dispose();
  });

  it('an enum ADD VALUE is not committed when a later step finds rows that fail', async () => {
    const pg = getDialect('postgres');
    const [from, to] = await Promise.all([pg.introspect(db.conn, { schemas: ['s'] }), pg.introspect(want.conn, { schemas: ['s'] })]);
    const plan = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: pg, options: { schemas: ['s'] } });
    expect(transactionGroups(plan.phases, pg, true).length, 'the plan commits more than once').toBeGreaterThan(1);
    const before = await judgeCatalog(db.conn);
    await expect(applyPlan(db.conn, plan, { force: true })).rejects.toThrow(/pre-check failed .*Nothing was applied/s);
    expect(await judgeCatalog(db.conn)).toEqual(before);
    const rows = await db.conn.query<{ labels: string }>(`SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) AS labels FROM pg_enum WHERE enumtypid = 's.mood'::regtype`);
    expect(rows[0]?.labels).toBe('a');
  }, 120_000);
});
