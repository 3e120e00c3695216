// Connection adapter for SQLite via better-sqlite3 (synchronous, wrapped in
// promises). `sqlite:./file.db`, `sqlite::memory:`; URL options `?foreign_keys=on`,
// `?mode=ro|rw|rwc` (default rw: the file must exist). Foreign keys: better-sqlite3 is compiled with enforcement
// ON, but stock SQLite (and so most applications' connections) has it OFF. We
// open with SQLite's own default (OFF) unless the URL says `?foreign_keys=on`,
// so audit reports what applications get, not what our binding chose.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { PlumbError } from '../errors.js';
import type { Connection, Row, TransactionOptions } from './connection.js';
import { runTransaction, type TxDialectSql } from './transaction.js';
import type { DbTarget } from './url.js';

export const sqliteTxSql: TxDialectSql = {
  begin(o) {
    // SQLite is always serializable; a read-only transaction is enforced by query_only.
    const out = ['BEGIN'];
    if (o.readOnly) out.push('PRAGMA query_only = ON');
    if (o.lockTimeoutMs !== undefined) out.push(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(o.lockTimeoutMs))}`);
    return out;
  },
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (n) => `SAVEPOINT ${n}`,
  release: (n) => `RELEASE SAVEPOINT ${n}`,
  rollbackTo: (n) => `ROLLBACK TO SAVEPOINT ${n}`,
};

export interface SqliteUrlOptions {
  file: string | undefined;
  foreignKeys?: boolean;
  mode: 'ro' | 'rw' | 'rwc';
}

/** Splits `./file.db?foreign_keys=on&mode=ro` from the target's path. */
export function sqliteUrlOptions(target: DbTarget): SqliteUrlOptions {
  const raw = target.path ?? '';
  const q = raw.indexOf('?');
  const file = (q < 0 ? raw : raw.slice(0, q)) || undefined;
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  // An existing file only, unless creating was asked for: a typo must not become an empty database.
  const out: SqliteUrlOptions = { file: file === ':memory:' ? undefined : file, mode: target.create ? 'rwc' : 'rw' };
  const fk = params.get('foreign_keys')?.toLowerCase();
  if (fk !== undefined) out.foreignKeys = ['on', '1', 'true', 'yes'].includes(fk);
  const mode = params.get('mode')?.toLowerCase();
  if (mode === 'ro' || mode === 'rw' || mode === 'rwc') out.mode = mode === 'rwc' && target.create === false ? 'rw' : mode;
  else if (mode) throw new PlumbError('E_URL', `unknown sqlite mode "${mode}" in ${target.redacted}`, 'use ?mode=ro (read only), rw (must exist, the default) or rwc (create when missing)');
  return out;
}

export async function connectSqlite(target: DbTarget): Promise<Connection> {
  const o = sqliteUrlOptions(target);
  if (o.file !== undefined && o.mode !== 'rwc' && !existsSync(o.file)) {
    throw new PlumbError(
      'E_NO_DATABASE',
      `no SQLite database at ${o.file}`,
      target.create === false
        ? 'check the path (relative paths are from the current directory); only plumb apply and plumb seed create a SQLite file, with --create'
        : 'check the path (relative paths are from the current directory); to create the file, pass --create or add ?mode=rwc to the URL',
    );
  }
  let db: Database.Database;
  try {
    db = new Database(o.file ?? ':memory:', { readonly: o.mode === 'ro', fileMustExist: o.mode !== 'rwc' });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN' || /does not exist|unable to open/i.test(String((e as Error).message))) {
      throw new PlumbError('E_CONNECT', `cannot open SQLite database ${o.file ?? ':memory:'}: ${(e as Error).message}`, 'check the path (relative paths are from the current directory) and its permissions', { cause: e });
    }
    throw new PlumbError('E_CONNECT', `cannot open SQLite database ${target.redacted}: ${(e as Error).message}`, 'is it an SQLite 3 file?', { cause: e });
  }
  db.pragma(`foreign_keys = ${o.foreignKeys ? 'ON' : 'OFF'}`);
  return wrapSqlite(db, target, true);
}

/** Wraps an open better-sqlite3 database (tests, benchmarks). `owned` decides whether close() closes it. */
export function wrapSqlite(db: Database.Database, target: DbTarget = { driver: 'sqlite', dialect: 'sqlite', redacted: 'sqlite::memory:' }, owned = false): Connection {
  return new SqliteConnection(db, target, owned);
}

class SqliteConnection implements Connection {
  readonly dialect = 'sqlite' as const;
  private readonly depth = { n: 0 };
  constructor(
    readonly db: Database.Database,
    readonly target: DbTarget,
    private readonly owned: boolean,
  ) {}

  async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      const stmt = this.db.prepare(sql);
      const args = (params ?? []).map(toSqliteValue);
      if (!stmt.reader) {
        stmt.run(...args);
        return [];
      }
      stmt.safeIntegers(true);
      return (stmt.all(...args) as Row[]).map(fromSqliteRow) as T[];
    } catch (e) {
      throw translateSqliteError(e, this.target, sql);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      this.db.exec(sql);
    } catch (e) {
      throw translateSqliteError(e, this.target, sql);
    }
  }

  async transaction<T>(fn: (tx: Connection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const outer = this.depth.n === 0;
    const busy = outer && options.lockTimeoutMs !== undefined ? Number(this.db.pragma('busy_timeout', { simple: true })) : undefined;
    try {
      return await runTransaction(this, this.depth, sqliteTxSql, (s) => this.exec(s), fn, options);
    } finally {
      if (outer && options.readOnly) this.db.pragma('query_only = OFF');
      if (busy !== undefined) this.db.pragma(`busy_timeout = ${busy}`);
    }
  }

  async serverVersion(): Promise<string> {
    const r = this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    return r.v;
  }

  async close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
  }
}

function toSqliteValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** 64-bit integers come back as numbers when exact, as text when beyond 2^53 (like int8 elsewhere). */
function fromSqliteRow(r: Row): Row {
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (typeof v === 'bigint') r[k] = v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v.toString();
  }
  return r;
}

export function translateSqliteError(e: unknown, target: DbTarget, sql?: string): PlumbError {
  if (e instanceof PlumbError) return e;
  const err = e as { code?: string; message?: string };
  const msg = String(err?.message ?? e);
  const snippet = sql ? ` (while running: ${sql.replace(/\s+/g, ' ').trim().slice(0, 80)}…)` : '';
  const code = err?.code ?? '';
  let out: PlumbError;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    out = new PlumbError('E_TIMEOUT', `database is locked: ${msg}`, 'another connection holds a write lock; retry later or raise --lock-timeout', { cause: e });
  } else if (code.startsWith('SQLITE_READONLY') || /query_only/i.test(msg)) {
    out = new PlumbError('E_PERMISSION', `read-only: ${msg}${snippet}`, 'the file or connection is read only (?mode=ro, file permissions, or a read-only transaction)', { cause: e });
  } else if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB') {
    out = new PlumbError('E_CONNECT', `cannot open ${target.redacted}: ${msg}`, 'check the path and that it is an SQLite 3 file', { cause: e });
  } else {
    out = new PlumbError('E_QUERY', `${msg}${snippet}`, 'see the database error above', { cause: e });
  }
  (out as PlumbError & { sqlState?: string }).sqlState = code || undefined;
  return out;
}
