// SQLite and MariaDB apply targets for plan/apply tests: a database to plan
// against and apply to, a scratch database of the same engine that normalises
// the target schema, and the comparisons the tests make (live catalog without
// plumb's own tables, per-table content checksums, this plan's journal rows).
import { createHash } from 'node:crypto';
import type { Catalog } from '../../src/catalog/types.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { inspectLive } from '../../src/plan/plan-spec.js';
import { ApplyStore } from '../../src/apply/apply-store.js';
import { stableStringify } from '../../src/catalog/normalize.js';
import { freshMysql, type FreshMysql } from './mysql.js';
import { freshSqlite, type FreshSqlite } from './sqlite.js';

export type TargetEngine = 'sqlite' | 'mariadb';

export interface ApplyTarget {
  engine: TargetEngine;
  conn: Connection;
  /** What `connect()` opens again (a file for SQLite). */
  url: string;
  /** The schemas plans cover: ['main'], or the fresh MariaDB database. */
  schemas: string[];
  /** Drops every user table, and plumb's journal and history beside them. */
  reset(): Promise<void>;
  /** Runs statements (one per string). */
  run(statements: string[]): Promise<void>;
  /** The live catalog over `schemas`, without plumb's own objects. */
  inspect(): Promise<Catalog>;
  /** User tables (plumb's own left out), by name. */
  tables(): Promise<string[]>;
  /** Rows of every user table as one checksum per table (`count:sha256`). */
  content(): Promise<Record<string, string>>;
  /** The engine's own DDL of every user table (MariaDB: SHOW CREATE TABLE, its counter aside; SQLite: sqlite_schema). */
  ddl(): Promise<Record<string, string>>;
  /** Journal rows of one plan that are not rolled back. */
  journalRows(planChecksum: string): Promise<number>;
  /** Deletes one plan's journal and history rows, so it can be applied afresh. */
  forget(planChecksum: string): Promise<void>;
  dispose(): Promise<void>;
}

/** Journal rows of one plan that are not rolled back (none while plumb's tables do not exist), on any engine. */
export async function journalRowsOf(conn: Connection, planChecksum: string): Promise<number> {
  const store = new ApplyStore(getDialect(conn.dialect), conn);
  if (!(await store.exists())) return 0;
  return (await store.readJournal(planChecksum)).filter((j) => j.status !== 'rolled_back').length;
}

async function userTables(t: { engine: TargetEngine; conn: Connection; schemas: string[] }): Promise<string[]> {
  const rows =
    t.engine === 'sqlite'
      ? await t.conn.query<{ t: string }>(`SELECT name AS t FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`)
      : await t.conn.query<{ t: string }>(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1`, [t.schemas[0]]);
  return rows.map((r) => r.t);
}

function target(engine: TargetEngine, fresh: FreshSqlite | FreshMysql, schemas: string[]): ApplyTarget {
  const { conn } = fresh;
  const d = getDialect(conn.dialect);
  const self = { engine, conn, schemas, url: fresh.url };
  const qt = (t: string) => d.quoteQualified(schemas[0]!, t);
  return {
    ...self,
    async reset() {
      const tables = await userTables(self);
      if (engine === 'sqlite') {
        const views = await conn.query<{ n: string }>(`SELECT name AS n FROM sqlite_schema WHERE type = 'view'`);
        for (const v of views) await conn.exec(`DROP VIEW ${d.quoteIdent(v.n)}`);
        for (const t of tables) await conn.exec(`DROP TABLE ${d.quoteIdent(t)}`);
      } else {
        const views = await conn.query<{ n: string }>(`SELECT TABLE_NAME AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`, [schemas[0]]);
        for (const v of views) await conn.exec(`DROP VIEW ${qt(v.n)}`);
        if (tables.length) await conn.exec(`SET SESSION foreign_key_checks = 0; DROP TABLE ${tables.map(qt).join(', ')}; SET SESSION foreign_key_checks = 1`);
        // Quarantined rows live server-wide, named after their database (plumb_quarantine.<db>__<table>_<step>).
        const quarantined = await conn.query<{ n: string }>(`SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'plumb_quarantine'`);
        for (const { n } of quarantined) if (n.startsWith(`${schemas[0]!.toLowerCase()}__`)) await conn.exec(`DROP TABLE IF EXISTS ${d.quoteQualified('plumb_quarantine', n)}`);
      }
    },
    async run(statements) {
      for (const s of statements) await conn.exec(s);
    },
    inspect: () => inspectLive(conn, schemas),
    tables: async () => (await userTables(self)).filter((t) => !/^plumb_/.test(t)),
    async content() {
      const out: Record<string, string> = {};
      for (const t of await userTables(self)) {
        if (/^plumb_/.test(t)) continue;
        const rows = (await conn.query<Record<string, unknown>>(`SELECT * FROM ${qt(t)}`)).map((r) => stableStringify(r)).sort();
        out[t] = `${rows.length}:${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
      }
      return out;
    },
    async ddl() {
      const out: Record<string, string> = {};
      for (const t of await userTables(self)) {
        if (/^plumb_/.test(t)) continue;
        if (engine === 'sqlite') {
          const [r] = await conn.query<{ sql: string }>(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, [t]);
          out[`${t} (DDL)`] = r?.sql ?? '';
        } else {
          const [r] = await conn.query<Record<string, string>>(`SHOW CREATE TABLE ${qt(t)}`);
          out[`${t} (DDL)`] = String(r?.['Create Table'] ?? '').replace(/ AUTO_INCREMENT=\d+/, '');
        }
      }
      return out;
    },
    journalRows: (planChecksum) => journalRowsOf(conn, planChecksum),
    async forget(planChecksum) {
      const store = new ApplyStore(d, conn);
      if (!(await store.exists())) return;
      await store.clearJournal(conn, planChecksum);
      await conn.query(`DELETE FROM ${store.history} WHERE plan_checksum = ?`, [planChecksum]);
    },
    dispose: () => fresh.dispose(),
  };
}

/** A file database (reopenable, like sqlite:./file.db) or a fresh MariaDB database. */
export async function freshTarget(engine: TargetEngine): Promise<ApplyTarget> {
  if (engine === 'sqlite') return target(engine, await freshSqlite({ file: true }), ['main']);
  const m = await freshMysql();
  return target(engine, m, [m.name]);
}

/**
 * The catalog `ddl` gives on this engine, as if inspected in `into`'s schema:
 * the target of a plan, normalised by the same engine it will be compared with.
 */
export async function targetCatalog(scratch: ApplyTarget, into: ApplyTarget, ddl: string[]): Promise<Catalog> {
  await scratch.reset();
  await scratch.run(ddl);
  const c = await scratch.inspect();
  if (scratch.schemas[0] === into.schemas[0]) return c;
  // MariaDB: the scratch database has another name; the fresh names (plumb_t_…) occur nowhere else.
  return JSON.parse(JSON.stringify(c).split(scratch.schemas[0]!).join(into.schemas[0]!)) as Catalog;
}
