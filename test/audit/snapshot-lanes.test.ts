// On a Postgres server the audit spreads its queries over extra sessions that
// import its snapshot (Dialect.openLanes). Proves the lanes read the audit's
// instant — not what was committed after it began — that they are read-only,
// that a rule's concurrent queries really run on several backends, and that
// PGlite (one in-process session) simply gets none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { allRules } from '../../src/audit/rules/index.js';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';
import { testRule } from './fixture-kit.js';

describe('snapshot lanes (postgres server)', () => {
  let db: FreshDb;

  beforeAll(async () => {
    db = await freshDatabase({ name: 'server', kind: 'server', url: pgServerUrl() });
    await db.conn.exec('CREATE TABLE public.lane_probe (id int PRIMARY KEY); INSERT INTO public.lane_probe VALUES (1)');
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('lanes read the snapshot of the transaction that opened them, and cannot write', async () => {
    const writer = await connect(db.url);
    try {
      await db.conn.transaction(
        async (tx) => {
          const lanes = await getDialect('postgres').openLanes!(tx, 2, { statementTimeoutMs: 5000 });
          try {
            // Committed after the snapshot was exported, before (or while) the lanes import it.
            await writer.exec('INSERT INTO public.lane_probe VALUES (2)');
            const joined = await Promise.all(lanes.lanes);
            expect(joined.every((c) => c !== null)).toBe(true);
            for (const c of joined) {
              const [r] = await c!.query<{ n: string; t: string }>("SELECT count(*)::text AS n, current_setting('statement_timeout') AS t FROM public.lane_probe");
              expect(r).toEqual({ n: '1', t: '5s' });
              await expect(c!.query('INSERT INTO public.lane_probe VALUES (3)')).rejects.toThrow(/read-only/);
            }
            const [own] = await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM public.lane_probe');
            expect(own?.n).toBe('1');
          } finally {
            await lanes.close();
          }
        },
        { readOnly: true, isolation: 'repeatable read' },
      );
      const [now] = await writer.query<{ n: string }>('SELECT count(*)::text AS n FROM public.lane_probe');
      expect(now?.n).toBe('2');
    } finally {
      await writer.exec('DELETE FROM public.lane_probe WHERE id > 1');
      await writer.close();
    }
  });

  it("an audit's concurrent queries run on several backends, all on the audit's snapshot", async () => {
    const writer = await connect(db.url);
    let committed: Promise<void> | undefined;
    const seen: { pid: string; n: string }[] = [];
    let parallelism = 0;
    const probe = testRule('test-lanes', 'PLB195', 'test: concurrent queries', 'info', async (ctx) => {
      await committed;
      parallelism = ctx.parallelism ?? 1;
      const sql = 'SELECT pg_backend_pid()::text AS pid, (SELECT count(*) FROM public.lane_probe)::text AS n, pg_sleep(0.2)::text AS z';
      const rows = await Promise.all([1, 2, 3].map(() => ctx.query!<{ pid: string; n: string }>(sql)));
      for (const [r] of rows) seen.push({ pid: r!.pid, n: r!.n });
    });
    try {
      await audit(db.conn, {
        rules: [probe],
        inspect: { schemas: ['public'] },
        // The first progress call comes after the audit took its snapshot: commit a row then.
        onProgress: () => void (committed ??= writer.exec('INSERT INTO public.lane_probe VALUES (2)')),
      });
      await committed;
      expect(parallelism).toBe(3);
      expect(new Set(seen.map((s) => s.pid)).size).toBe(3);
      expect(seen.map((s) => s.n)).toEqual(['1', '1', '1']);
      const one = await audit(db.conn, { rules: [probe], inspect: { schemas: ['public'] }, connections: 1 });
      expect(one.skipped).toEqual([]);
      expect(parallelism).toBe(1);
    } finally {
      await writer.exec('DELETE FROM public.lane_probe WHERE id > 1');
      await writer.close();
    }
  });
});

describe('an audit spread over sessions (postgres server)', () => {
  let db: FreshDb;

  beforeAll(async () => {
    db = await freshDatabase({ name: 'server', kind: 'server', url: pgServerUrl() });
    // 40 tables of data defects: enough statements for every session to take several.
    const ddl: string[] = ['CREATE TABLE public.parents (id int PRIMARY KEY)', 'INSERT INTO public.parents SELECT g FROM generate_series(1, 10) g'];
    for (let i = 0; i < 40; i++) {
      ddl.push(
        `CREATE TABLE public.t_${i} (id int PRIMARY KEY, code text, email text, settings text, note text, parent_id int, companion_id int)`,
        `INSERT INTO public.t_${i} SELECT g, 'C' || (g % 7), 'u' || (g % 9) || '@example.com', CASE WHEN g % 5 = 0 THEN '{"broken":' ELSE '{"ok": true}' END,
           'n', CASE WHEN g % 11 = 0 THEN 99 ELSE 1 + g % 10 END, CASE WHEN g % 13 = 0 THEN g END FROM generate_series(1, ${40 + i}) g`,
        `ALTER TABLE public.t_${i} ADD CONSTRAINT t_${i}_parent_fk FOREIGN KEY (parent_id) REFERENCES public.parents (id) NOT VALID`,
      );
    }
    await db.conn.exec(ddl.join(';\n') + '; ANALYZE');
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('goes on with one session when no extra session can join (server full, pooler in between)', async () => {
    // The same session, but extra sessions would connect to a port where nothing listens.
    const unreachable = new URL(db.url);
    unreachable.port = '1';
    const conn: Connection = Object.create(db.conn, { target: { value: { ...db.conn.target, connectionString: unreachable.toString() } } });
    let parallelism = 0;
    const probe = testRule('test-lanes-missing', 'PLB194', 'test: parallelism without lanes', 'info', async (ctx) => {
      parallelism = ctx.parallelism ?? 0;
      const [r] = await ctx.query!<{ n: string }>('SELECT count(*)::text AS n FROM public.t_0');
      ctx.report({ path: 'public.t_0', message: `read ${r?.n} rows on the audit's own session` });
    });
    const r = await audit(conn, { rules: [probe], connections: 3 });
    expect(parallelism).toBe(1);
    expect(r.skipped).toEqual([]);
    expect(r.findings.map((f) => f.message)).toEqual(["read 40 rows on the audit's own session"]);
  });

  it('finds exactly what one session finds', async () => {
    const strip = (r: Awaited<ReturnType<typeof audit>>) => ({ findings: r.findings, skipped: r.skipped, score: r.score, objects: r.objects });
    const one = await audit(db.conn, { connections: 1 });
    const three = await audit(db.conn, { connections: 3 });
    const dataRules = new Set(allRules.filter((r) => r.meta.data).map((r) => r.meta.id));
    const fired = new Set(one.findings.filter((f) => dataRules.has(f.rule)).map((f) => f.rule));
    expect([...fired].sort()).toEqual(expect.arrayContaining(['invalid-json-text', 'foreign-key-orphans', 'natural-key-duplicates']));
    expect(strip(three)).toEqual(strip(one));
  });
});

describe('snapshot lanes (PGlite)', () => {
  it('an in-process PGlite session opens no lanes', async () => {
    const c = await connect('pglite:');
    try {
      const lanes = await c.transaction((tx) => getDialect('postgres').openLanes!(tx, 2, {}), { isolation: 'repeatable read' });
      expect(lanes.lanes).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
