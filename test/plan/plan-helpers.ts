// Test helpers for plan/apply: build a target catalog from DDL run in a
// scratch database, plan live → target, and compare content checksums.
import type { Catalog } from '../../src/catalog/types.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan, PlanOptions } from '../../src/plan/types.js';
import { STORE_SCHEMAS } from '../../src/apply/apply-store.js';
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase, pgEngines, type FreshDb, type PgEngine } from '../helpers/engines.js';

export async function inspectSchemas(conn: Connection, schemas: string[]): Promise<Catalog> {
  return getDialect('postgres').introspect(conn, { schemas, excludeSchemas: [...STORE_SCHEMAS] });
}

/** Drops the schemas (and plumb's own) so one database can be reused between cases. */
export async function resetSchemas(conn: Connection, schemas: string[]): Promise<void> {
  for (const s of [...schemas, ...STORE_SCHEMAS]) await conn.exec(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
}

export async function planFor(db: Connection, scratch: Connection, schemas: string[], options: PlanOptions = {}): Promise<{ plan: Plan; from: Catalog; to: Catalog }> {
  const from = await inspectSchemas(db, schemas);
  const to = await inspectSchemas(scratch, schemas);
  const changes = diffCatalogs(from, to);
  const plan = buildPlan({ changes, from, to, dialect: getDialect('postgres'), options: { ...options, schemas } });
  return { plan, from, to };
}

/** Structure + every row of every table in the schemas, as one comparable string per table. */
export async function contentChecksum(conn: Connection, schemas: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tables = await conn.query<{ s: string; t: string }>(
    `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p') AND n.nspname = ANY($1::text[]) ORDER BY 1, 2`,
    [schemas],
  );
  for (const { s, t } of tables) {
    const [r] = await conn.query<{ h: string | null; n: string }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h, count(*)::text AS n FROM "${s}"."${t}" AS x`);
    out[`${s}.${t}`] = `${r?.n}:${r?.h ?? ''}`;
  }
  return out;
}

/** PGlite and one real server (the machine's when given, else the embedded one): enough coverage at half the cost. */
export function pgliteAndOneServer(): PgEngine[] {
  const all = pgEngines();
  const server = all.find((e) => e.name === 'pg-env') ?? all.find((e) => e.kind === 'server');
  return all.filter((e) => e.kind === 'pglite' || e === server);
}

/**
 * A database to change and a scratch one holding the target `b`, made before
 * the describe's tests and dropped after them; `reset()` puts `a` back.
 */
export function planAgainst(engine: PgEngine, schemas: string[], a: string, b: string): { readonly db: FreshDb; readonly scratch: FreshDb; reset(): Promise<void> } {
  let db: FreshDb;
  let scratch: FreshDb;
  beforeAll(async () => {
    [db, scratch] = await Promise.all([freshDatabase(engine), freshDatabase(engine)]);
    await scratch.conn.exec(b);
  });
  afterAll(async () => {
    await db?.dispose();
    await scratch?.dispose();
  });
  return {
    get db() {
      return db;
    },
    get scratch() {
      return scratch;
    },
    async reset() {
      await resetSchemas(db.conn, schemas);
      await db.conn.exec(a);
    },
  };
}
