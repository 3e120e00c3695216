// Connection adapter for MySQL 8 and MariaDB 10.6+ via mysql2. Dates, BIGINT
// and DECIMAL come back as strings (like the pg adapter); JSON stays text.
// Session timeouts set for a transaction are reset when it ends — never left behind.
import mysql from 'mysql2/promise';
import { PlumbError } from '../errors.js';
import type { Connection, Row, TransactionOptions } from './connection.js';
import { translateConnectError, translateQueryError } from './errors.js';
import { runTransaction, type TxDialectSql } from './transaction.js';
import { scrubSecret, type DbTarget } from './url.js';
import { mysqlLockWaitSeconds } from './mysql-lock-wait.js';

/** Which server we talk to: MariaDB and MySQL name their timeout variables differently. */
export type MysqlFlavor = 'mariadb' | 'mysql';

export function mysqlTxSql(flavor: MysqlFlavor): TxDialectSql {
  return {
    begin(o) {
      const out: string[] = [];
      // SET TRANSACTION (without SESSION) applies to the next transaction only.
      if (o.isolation) out.push(`SET TRANSACTION ISOLATION LEVEL ${o.isolation.toUpperCase()}`);
      out.push(o.readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
      if (o.statementTimeoutMs !== undefined) {
        const ms = Math.max(0, Math.floor(o.statementTimeoutMs));
        // MariaDB: every statement, in (fractional) seconds. MySQL: SELECTs only, in ms.
        out.push(flavor === 'mariadb' ? `SET SESSION max_statement_time = ${ms / 1000}` : `SET SESSION max_execution_time = ${ms}`);
      }
      if (o.lockTimeoutMs !== undefined) {
        const s = mysqlLockWaitSeconds(o.lockTimeoutMs);
        out.push(`SET SESSION innodb_lock_wait_timeout = ${s}`, `SET SESSION lock_wait_timeout = ${s}`);
      }
      return out;
    },
    commit: 'COMMIT',
    rollback: 'ROLLBACK',
    savepoint: (n) => `SAVEPOINT ${n}`,
    release: (n) => `RELEASE SAVEPOINT ${n}`,
    rollbackTo: (n) => `ROLLBACK TO SAVEPOINT ${n}`,
  };
}

/**
 * Statements that save the session variables a transaction's options change
 * (run before it starts), and those that put the saved values back: the
 * session's own limits (set at connect, or by apply) outlive the
 * transaction, not the server's defaults (lock_wait_timeout: a day).
 */
function saveSql(flavor: MysqlFlavor, o: TransactionOptions): string[] {
  const out: string[] = [];
  if (o.statementTimeoutMs !== undefined) out.push(flavor === 'mariadb' ? 'SET @plumb_st = @@SESSION.max_statement_time' : 'SET @plumb_st = @@SESSION.max_execution_time');
  if (o.lockTimeoutMs !== undefined) out.push('SET @plumb_ilwt = @@SESSION.innodb_lock_wait_timeout, @plumb_lwt = @@SESSION.lock_wait_timeout');
  return out;
}

function resetSql(flavor: MysqlFlavor, o: TransactionOptions): string[] {
  const out: string[] = [];
  if (o.statementTimeoutMs !== undefined) out.push(flavor === 'mariadb' ? 'SET SESSION max_statement_time = @plumb_st' : 'SET SESSION max_execution_time = @plumb_st');
  if (o.lockTimeoutMs !== undefined) out.push('SET SESSION innodb_lock_wait_timeout = @plumb_ilwt, lock_wait_timeout = @plumb_lwt');
  return out;
}

/** The session's lock waits until apply or a transaction sets its own: plumb's default lock timeout (5 s), not the server's day. */
const SESSION_LOCK_WAIT_S = 5;

/** Connection options from a mysql:// or mariadb:// target (the password never leaves this function's result). */
export function mysqlOptions(target: DbTarget, session: MysqlSessionOptions = {}): mysql.ConnectionOptions {
  const u = new URL(target.connectionString ?? 'mysql://localhost');
  const params = u.searchParams;
  const ssl = (params.get('ssl') ?? params.get('ssl-mode') ?? params.get('sslmode') ?? '').toLowerCase();
  const opts: mysql.ConnectionOptions = {
    host: target.host ?? 'localhost',
    port: target.port ?? 3306,
    // Like the mysql client: the login name when the URL names no user.
    user: target.user ?? process.env.USER,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: target.database,
    charset: 'utf8mb4',
    multipleStatements: session.multipleStatements ?? true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    connectTimeout: Number(params.get('connectTimeout') ?? 10_000),
    // JSON columns (MySQL 8) stay text so MySQL and MariaDB (LONGTEXT) agree.
    typeCast(field, next) {
      if (field.type === 'JSON') return field.string('utf8');
      return next();
    },
  };
  if (params.get('socket')) opts.socketPath = params.get('socket')!;
  if (/^verify/.test(ssl)) opts.ssl = { rejectUnauthorized: true };
  else if (['required', 'require', 'true', '1', 'on', 'preferred'].includes(ssl)) opts.ssl = { rejectUnauthorized: false };
  return opts;
}

export interface MysqlSessionOptions {
  /**
   * Off for sessions that run SQL from a spec (scratch databases): the server
   * then refuses a second statement smuggled into one string. Default on.
   */
  multipleStatements?: boolean;
}

export async function connectMysql(target: DbTarget, session: MysqlSessionOptions = {}): Promise<Connection> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection(mysqlOptions(target, session));
  } catch (e) {
    throw translateMysqlError(e, target, undefined, true);
  }
  // An idle connection dropped by the server must not crash the process.
  conn.on('error', () => undefined);
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const v = String((rows as Row[])[0]?.v ?? '');
    // Every session waits for a lock at most plumb's lock timeout: an ALTER queued on a metadata lock blocks every reader behind it.
    await conn.query(`SET SESSION lock_wait_timeout = ${SESSION_LOCK_WAIT_S}, innodb_lock_wait_timeout = ${SESSION_LOCK_WAIT_S}`);
    return new MysqlConnection(conn, target, v);
  } catch (e) {
    await conn.end().catch(() => undefined);
    throw translateMysqlError(e, target, 'SELECT VERSION()', false);
  }
}

/** MySQL-specific codes the shared translator does not know; everything else goes to it. */
export function translateMysqlError(e: unknown, target: DbTarget, sql: string | undefined, connecting: boolean): PlumbError {
  if (e instanceof PlumbError) return e;
  const err = (e ?? {}) as { code?: string; errno?: number; sqlMessage?: string; message?: string };
  const msg = scrubSecret(String(err.sqlMessage ?? err.message ?? e), target.connectionString);
  // mysql2 has no symbolic name for MariaDB's 1969 (max_statement_time exceeded).
  const code = err.errno === 1969 ? 'ER_STATEMENT_TIMEOUT' : err.errno === 3024 ? 'ER_QUERY_TIMEOUT' : err.code;
  switch (code) {
    case 'ER_STATEMENT_TIMEOUT':
    case 'ER_QUERY_TIMEOUT':
      return new PlumbError('E_TIMEOUT', `statement timed out: ${msg}`, 'raise --statement-timeout or run against a replica', { cause: e });
    case 'ER_DBACCESS_DENIED_ERROR':
      if (connecting) return new PlumbError('E_PERMISSION', msg, `grant the user access to database "${target.database ?? ''}", or connect to another database`, { cause: e });
      break;
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new PlumbError('E_AUTH', `authentication failed for user "${target.user ?? ''}" at ${target.host}:${target.port}`, 'check the user name and password in the URL (the password is never printed)', { cause: e });
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
    case 'AUTH_SWITCH_PLUGIN_ERROR':
      return new PlumbError('E_AUTH', `the server asks for an authentication method mysql2 cannot use: ${msg}`, 'use mysql_native_password or caching_sha2_password for this user', { cause: e });
    case 'HANDSHAKE_SSL_ERROR':
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return new PlumbError('E_CONNECT', `TLS failed: ${msg}`, 'check ?ssl= in the URL (ssl=required encrypts without verifying the certificate; ssl=verify verifies it)', { cause: e });
  }
  return connecting ? translateConnectError(e, target) : translateQueryError(e, target, sql);
}

class MysqlConnection implements Connection {
  readonly dialect = 'mysql' as const;
  readonly flavor: MysqlFlavor;
  private readonly depth = { n: 0 };
  private readonly tx: TxDialectSql;
  constructor(
    private readonly conn: mysql.Connection,
    readonly target: DbTarget,
    private readonly version: string,
  ) {
    this.flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    this.tx = mysqlTxSql(this.flavor);
  }

  async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      const [rows] = await this.conn.query({ sql, values: params ? params.map(toMysqlValue) : undefined });
      if (!Array.isArray(rows)) return [];
      // A multi-statement string returns one result per statement: keep the last row set.
      if (rows.length && Array.isArray(rows[0])) {
        const sets = (rows as unknown[]).filter(Array.isArray) as T[][];
        return sets[sets.length - 1] ?? [];
      }
      return rows as T[];
    } catch (e) {
      throw translateMysqlError(e, this.target, sql, false);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.conn.query(sql);
    } catch (e) {
      throw translateMysqlError(e, this.target, sql, false);
    }
  }

  async transaction<T>(fn: (tx: Connection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const outer = this.depth.n === 0;
    if (outer) for (const s of saveSql(this.flavor, options)) await this.exec(s);
    try {
      return await runTransaction(this, this.depth, this.tx, (s) => this.exec(s), fn, options);
    } finally {
      if (outer) for (const s of resetSql(this.flavor, options)) await this.exec(s).catch(() => undefined);
    }
  }

  async serverVersion(): Promise<string> {
    return this.version;
  }

  async close(): Promise<void> {
    await this.conn.end().catch(() => undefined);
  }
}

/** Booleans as 1/0 and bigints as text; arrays pass through (mysql2 expands them for `IN (?)`). */
function toMysqlValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v;
}
