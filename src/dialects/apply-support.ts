// What plan and apply need from a dialect beyond one change's SQL: the column
// types of the journal and history tables, a renderer that follows a whole
// plan, pre-check pieces, session settings for the run, statements a
// transaction must pass before it commits, and a DELETE by predicate. Keyed by
// dialect name here (like index.ts) until the Dialect interface carries it.
// Only prepareSession touches the connection; everything else is SQL text.
import type { Catalog, ColumnType, DialectName, Trigger } from '../catalog/types.js';
import type { ChangeRenderer } from '../diff/render-types.js';
import type { Backfill } from '../plan/types.js';
import type { Connection } from '../drivers/connection.js';
import type { DbTarget } from '../drivers/url.js';
import { PlumbError } from '../errors.js';
import { mysqlApplySupport } from './mysql/mysql-apply-support.js';
import { postgresApplySupport } from './postgres/postgres-apply-support.js';
import { sqliteApplySupport } from './sqlite/sqlite-apply-support.js';

/** SQL pieces of plumb's journal and history tables; the tables' shape lives in src/apply/apply-store.ts. */
export interface ApplyStoreSql {
  /** Positional parameter marker number `i` (1-based), as the Connection contract has it. */
  param(i: number): string;
  checksumType: string;
  textType: string;
  timestampType: string;
  jsonType: string;
  /** Column definition (after the name) of an auto-numbered primary key. */
  autoIdColumn: string;
  /** Expression naming who applies, or null where the engine has no users (SQLite). */
  currentUser: string | null;
  /**
   * The tables are `plumb_journal`/`plumb_history` in the target's home
   * schema (the URL's database) rather than in a `plumb` schema: where a
   * schema is a database of its own (MySQL), a `plumb` one would be
   * server-wide and outlive the database it speaks for.
   */
  inTargetDatabase?: boolean;
}

/** How this engine backfills a new column in batches (absent: a volatile default is added as one rewrite). */
export interface BackfillSupport {
  /** The lock each batch takes on the table, in the engine's words. */
  lock: string;
  /**
   * One batch: gives the next `batchSize` rows after the position (parameters
   * 1…k, one per key column; none when `first`) the column's value, and
   * returns one row `{ n, k0 … }`: rows done and the last key, as text. No row
   * when nothing is left.
   */
  batchSql(b: Backfill, first: boolean): string;
  /** The whole backfill as one script, for plan.sql (a DO block committing per batch). */
  scriptSql(b: Backfill): string;
}

export interface ApplySupport {
  store: ApplyStoreSql;
  backfill?: BackfillSupport;
  /**
   * A renderer that sees the plan's changes one by one in execution order and
   * keeps what they did (SQLite's table rebuild needs each table's shape just
   * before the change). Absent: the dialect's stateless render.
   */
  planRenderer?(from: Catalog): ChangeRenderer;
  /**
   * Connection settings a whole apply (or rollback) needs, set before it
   * starts; returns what puts them back. I/O at the edge: apply calls it once.
   */
  prepareSession?(conn: Connection, run: { lockTimeoutMs: number }): Promise<() => Promise<void>>;
  /** Run last inside every transaction apply commits; a statement that fails aborts the commit. */
  beforeCommit?: readonly string[];
  /**
   * Pre-check SQL: true when the value of `expr` converts to the type named
   * `type` (its raw text, or 'jsonb' for "is valid JSON"), with setup statements
   * run first. null when no query can tell: the step itself then refuses bad
   * values, and the transaction or the journal's rollback undoes the rest.
   * `from` is the column's type before the change.
   */
  castable(expr: string, type: string, serverMajor: number, from?: ColumnType): { sql: string; setup?: string[] } | null;
  /** False where the engine never enforces a declared length (SQLite): a shorter varchar needs no pre-check. */
  enforcesLength: boolean;
  /** DELETE of the rows of `table` (aliased `t` in `predicate`) the predicate selects. */
  deleteWhere(table: string, predicate: string): string;
  /** UPDATE of `columns` of `table` from the rows of `source` with the same `key` (names unquoted; tables quoted). */
  updateFrom(table: string, source: string, columns: string[], key: string[]): string;
  /**
   * The CHECK expression (reading `alias`) a trigger enforces in place of a
   * constraint the engine refuses, or null. A trigger never sees the rows
   * already there: the plan counts them like an added check's.
   */
  checkEnforcedBy?(trigger: Trigger, alias: string): string | null;
  /**
   * A session lock on this one database that at most one plumb holds while it
   * migrates it (fleet workers whose leases overlap): `take` returns one row
   * `{ ok }`, true when this session got it; the server frees it when the
   * session ends, so a killed process leaves nothing behind. Absent: the
   * engine has no such lock (SQLite: one process at a time is assumed).
   */
  targetLock?(target: DbTarget): { take: string; free: string };
}

const support: Record<DialectName, ApplySupport | undefined> = {
  postgres: postgresApplySupport,
  mysql: mysqlApplySupport,
  sqlite: sqliteApplySupport,
  mssql: undefined,
};

export function findApplySupport(name: DialectName): ApplySupport | undefined {
  return support[name];
}

export function applySupport(name: DialectName): ApplySupport {
  const s = support[name];
  if (!s) throw new PlumbError('E_DIALECT_UNAVAILABLE', `plumb cannot apply plans to ${name} yet`, 'apply to postgres, mysql (MariaDB) or sqlite; for SQL Server write the plan out as SQL (plumb plan --out plan.sql)');
  return s;
}

/** How the engine backfills a column in batches; undefined where it cannot (or plumb cannot apply to it at all). */
export function backfillSupport(name: DialectName): BackfillSupport | undefined {
  return support[name]?.backfill;
}

/** The renderer a plan built from `from` uses: the dialect's plan renderer when it has one, else its render. */
export function planRenderer(name: DialectName, from: Catalog): ChangeRenderer | undefined {
  return support[name]?.planRenderer?.(from);
}
