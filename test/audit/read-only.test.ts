// The audit is provably read-only: on a Postgres server, a role holding only
// CONNECT, USAGE and SELECT audits a database full of planted defects, and a
// checksum of every table (and of the catalog) is unchanged afterwards. Also:
// a data query that hits the statement timeout becomes a skipped check while
// the audit goes on, a rule that tries to write is refused by the READ ONLY
// transaction, and a schema without USAGE is reported as not audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { allRules } from '../../src/audit/rules/index.js';
import { catalogChecksum } from '../../src/catalog/normalize.js';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { inspect } from '../../src/inspect.js';
import { freshDatabase, pgServerUrl, uniqueName, withDatabase, type FreshDb } from '../helpers/engines.js';
import { plant, plantableCases, settingsFor, testRule, type FixtureCase } from './fixture-kit.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';

async function tableChecksums(conn: Connection): Promise<Record<string, string>> {
  const tables = await conn.query<{ s: string; t: string }>(
    `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const { s, t } of tables) {
    const [r] = await conn.query<{ h: string | null; n: string }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h, count(*)::text AS n FROM "${s}"."${t}" x`);
    out[`${s}.${t}`] = `${r?.n}:${r?.h ?? ''}`;
  }
  return out;
}

const slowRule = testRule('test-slow-query', 'PLB199', 'test: a data query that is too slow', 'warning', async (ctx) => {
  await ctx.query!('SELECT pg_sleep(2)');
  ctx.report({ path: 'never', message: 'should have timed out' });
});
const recoveringRule = testRule('test-recovering', 'PLB196', 'test: catches its own timeout and goes on', 'info', async (ctx) => {
  try {
    await ctx.query!('SELECT pg_sleep(2)');
  } catch {
    ctx.skip('slow table skipped', 'public.slow');
  }
  const [r] = await ctx.query!<{ two: number }>('SELECT 2 AS two');
  ctx.report({ path: 'recovered', message: `next query in the same rule: ${r?.two}` });
});
const writerRule = testRule('test-writer', 'PLB198', 'test: a rule that tries to write', 'warning', async (ctx) => {
  await ctx.query!('CREATE TABLE public.plumb_should_not_exist (id int)');
});
const afterRule = testRule('test-after', 'PLB197', 'test: runs after the slow one', 'info', async (ctx) => {
  const [r] = await ctx.query!<{ one: number }>('SELECT 1 AS one');
  ctx.report({ path: 'after', message: `still running: ${r?.one}` });
});

describe('the audit is read-only (postgres server)', () => {
  let db: FreshDb;
  const role = uniqueName('plumb_ro');
  let roUrl: string;
  let planted: FixtureCase[] = [];

  beforeAll(async () => {
    const admin = pgServerUrl();
    db = await freshDatabase({ name: 'server', kind: 'server', url: admin });
    planted = (await plantableCases(allRules, catalogRules)).filter((c) => c.side === 'bad' && !c.sql.includes('pg_index'));
    for (const c of planted) await plant(db.conn, c);
    await db.conn.exec(`CREATE SCHEMA hidden_stuff; CREATE TABLE hidden_stuff.secrets (id int PRIMARY KEY, api_key text);`);
    const schemas = planted.map((c) => c.schema);
    await db.conn.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'ro-pass-1'`);
    await db.conn.exec(`GRANT CONNECT ON DATABASE "${new URL(db.url).pathname.slice(1)}" TO ${role}`);
    for (const s of [...schemas, 'public']) await db.conn.exec(`GRANT USAGE ON SCHEMA ${s} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${role}; GRANT SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role};`);
    const u = new URL(db.url);
    u.username = role;
    u.password = 'ro-pass-1';
    roUrl = u.toString();
  });

  afterAll(async () => {
    await db?.dispose();
    const a = await connect(pgServerUrl());
    try {
      await a.exec(`DROP ROLE IF EXISTS ${role}`);
    } finally {
      await a.close();
    }
  });

  it('a SELECT/USAGE-only role audits everything, and nothing in the database changes', async () => {
    const before = await tableChecksums(db.conn);
    const catBefore = catalogChecksum(await inspect(db.conn));
    const ro = await connect(roUrl);
    let result;
    try {
      result = await audit(ro, { ruleSettings: await settingsFor(allRules, ['bad']) });
    } finally {
      await ro.close();
    }
    expect(Object.keys(before).length).toBeGreaterThan(30);
    expect(await tableChecksums(db.conn)).toEqual(before);
    expect(catalogChecksum(await inspect(db.conn))).toBe(catBefore);
    // It found real problems as that role…
    const fired = new Set(result.findings.map((f) => f.rule));
    expect(fired.size).toBeGreaterThan(25);
    // …and said which schema it could not look into, instead of failing.
    expect(result.skipped).toContainEqual(expect.objectContaining({ rule: 'inspect', path: 'hidden_stuff' }));
    expect(result.findings.some((f) => f.path.startsWith('hidden_stuff.'))).toBe(false);
  });

  it('a statement timeout in one data rule is a skipped check; the next rule still runs', async () => {
    const r = await audit(db.conn, { rules: [slowRule, recoveringRule, afterRule], statementTimeoutMs: 500, inspect: { schemas: ['public'] } });
    expect(r.skipped).toContainEqual(expect.objectContaining({ rule: 'test-slow-query', reason: expect.stringMatching(/timed out/) }));
    expect(r.skipped).toContainEqual({ rule: 'test-recovering', path: 'public.slow', reason: 'slow table skipped' });
    expect(r.findings.map((f) => f.message).sort()).toEqual(['next query in the same rule: 2', 'still running: 1']);
  });

  it('a rule that tries to write is refused by the read-only transaction and reported as skipped', async () => {
    const r = await audit(db.conn, { rules: [writerRule, afterRule], inspect: { schemas: ['public'] } });
    expect(r.skipped).toContainEqual(expect.objectContaining({ rule: 'test-writer', reason: expect.stringMatching(/read-only/) }));
    const [t] = await db.conn.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_class WHERE relname = 'plumb_should_not_exist'`);
    expect(t?.n).toBe('0');
    expect(r.findings.length).toBe(1);
  });

  it('auditing only a schema the role cannot use is a clear permission error, not a crash', async () => {
    const ro = await connect(roUrl);
    try {
      await expect(audit(ro, { inspect: { schemas: ['hidden_stuff'] } })).rejects.toMatchObject({ code: 'E_PERMISSION', hint: expect.stringContaining('USAGE') });
    } finally {
      await ro.close();
    }
  });
});

void withDatabase;
