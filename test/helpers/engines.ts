// Gives tests real databases. Every engine the run promised must be there:
// a missing engine is announced loudly, and is an error when the run
// required it (PLUMB_TEST_REQUIRE=pg,mysql — .ci/run sets it).
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { connect } from '../../src/drivers/connect.js';
import { wrapPglite, pgliteParsers } from '../../src/drivers/pglite-driver.js';
import type { Connection } from '../../src/drivers/connection.js';

export interface PgEngine {
  /** Short label used in test names: `pglite`, `pg18-embedded`, `pg-env`. */
  name: string;
  kind: 'pglite' | 'server';
  /** Admin URL of the server (to create fresh databases); empty for PGlite. */
  url: string;
}

function required(): Set<string> {
  return new Set((process.env.PLUMB_TEST_REQUIRE ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

const warned = new Set<string>();
export function announceMissing(engine: string, why: string): void {
  if (required().has(engine)) throw new Error(`engine "${engine}" is required by PLUMB_TEST_REQUIRE but unavailable: ${why}`);
  if (warned.has(engine)) return;
  warned.add(engine);
  process.stderr.write(`\n\x1b[33m!!! SKIPPING ${engine} tests: ${why}\x1b[0m\n\n`);
}

/** The Postgres engines of this run: PGlite always, embedded Postgres 18, and the machine's server when given. */
export function pgEngines(): PgEngine[] {
  const out: PgEngine[] = [{ name: 'pglite', kind: 'pglite', url: '' }];
  const embedded = inject('embeddedPgUrl');
  if (embedded) out.push({ name: 'pg18-embedded', kind: 'server', url: embedded });
  else announceMissing('pg-embedded', 'PLUMB_TEST_NO_EMBEDDED_PG=1');
  if (process.env.PLUMB_TEST_PG_URL) out.push({ name: 'pg-env', kind: 'server', url: process.env.PLUMB_TEST_PG_URL });
  else announceMissing('pg', 'PLUMB_TEST_PG_URL is not set (the machine\'s Postgres is not tested)');
  return out;
}

/** A real Postgres server URL for tests that need only one: the machine's, else the embedded one. */
export function pgServerUrl(): string {
  return process.env.PLUMB_TEST_PG_URL || inject('embeddedPgUrl');
}

export function mysqlUrl(): string | undefined {
  const u = process.env.PLUMB_TEST_MYSQL_URL;
  if (!u) announceMissing('mysql', 'PLUMB_TEST_MYSQL_URL is not set');
  return u;
}

export function uniqueName(prefix = 'plumb_t'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Replace the database name in a server URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

export interface FreshDb {
  conn: Connection;
  url: string;
  /** Drops the database (servers) or closes the instance (PGlite). */
  dispose(): Promise<void>;
}

let sharedPglite: Promise<PGlite> | undefined;

/** One PGlite instance per test file (start-up costs seconds); isolate tests by schema or clone. */
export async function sharedPgliteInstance(): Promise<PGlite> {
  if (!sharedPglite) {
    sharedPglite = import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create(undefined, { parsers: pgliteParsers }));
  }
  return sharedPglite;
}

/**
 * A fresh, empty database on the engine. PGlite: a clone of a pristine shared
 * instance (≈ 2 s, cheaper than a cold start). Servers: CREATE DATABASE.
 */
export async function freshDatabase(engine: PgEngine): Promise<FreshDb> {
  if (engine.kind === 'pglite') {
    const base = await sharedPgliteInstance();
    const db = (await base.clone()) as PGlite;
    const conn = wrapPglite(db, { driver: 'pglite', dialect: 'postgres', redacted: 'pglite:' }, true);
    return { conn, url: 'pglite:', dispose: () => conn.close() };
  }
  const name = uniqueName();
  const admin = await connect(engine.url);
  try {
    await admin.exec(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
  const url = withDatabase(engine.url, name);
  const conn = await connect(url);
  return {
    conn,
    url,
    async dispose() {
      await conn.close();
      const a = await connect(engine.url);
      try {
        await a.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.close();
      }
    },
  };
}
