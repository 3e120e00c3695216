// Maps driver and server errors to PlumbErrors a user can act on. The
// password is scrubbed from every message that leaves this module.
import { PlumbError } from '../errors.js';
import { scrubSecret, type DbTarget } from './url.js';

interface DriverErrorLike {
  code?: string;
  errno?: number;
  message?: string;
  sqlMessage?: string;
}

export function translateConnectError(e: unknown, target: DbTarget): PlumbError {
  if (e instanceof PlumbError) return e;
  const err = (e ?? {}) as DriverErrorLike;
  const msg = scrubSecret(String(err.sqlMessage ?? err.message ?? e), target.connectionString);
  const where = target.host ? `${target.host}:${target.port}` : target.redacted;
  switch (err.code) {
    case 'ECONNREFUSED':
      return new PlumbError('E_CONNECT', `cannot connect to ${where}: connection refused`, 'is the server running and listening on that host and port?', { cause: e });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PlumbError('E_CONNECT', `cannot connect to ${where}: host not found`, 'check the host name in the URL', { cause: e });
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
      return new PlumbError('E_CONNECT', `cannot connect to ${where}: ${err.code}`, 'check the host, port and any firewall between you and the server', { cause: e });
    case '28P01':
    case '28000':
    case 'ER_ACCESS_DENIED_ERROR':
      return new PlumbError('E_AUTH', `authentication failed for user "${target.user ?? ''}" at ${where}`, 'check the user name and password in the URL (the password is never printed)', { cause: e });
    case '3D000':
    case 'ER_BAD_DB_ERROR':
      return new PlumbError('E_NO_DATABASE', `database "${target.database ?? ''}" does not exist at ${where}`, 'create it first, or list databases with: psql -l / SHOW DATABASES', { cause: e });
  }
  if (/timeout/i.test(msg)) {
    return new PlumbError('E_CONNECT', `cannot connect to ${where}: timed out`, 'check the host, port and any firewall between you and the server', { cause: e });
  }
  return new PlumbError('E_CONNECT', `cannot connect to ${target.redacted}: ${msg}`, 'check the URL and that the server accepts connections', { cause: e });
}

export function translateQueryError(e: unknown, target: DbTarget, sql?: string): PlumbError {
  if (e instanceof PlumbError) return e;
  const err = (e ?? {}) as DriverErrorLike;
  const msg = scrubSecret(String(err.sqlMessage ?? err.message ?? e), target.connectionString);
  const snippet = sql ? ` (while running: ${sql.replace(/\s+/g, ' ').trim().slice(0, 80)}…)` : '';
  switch (err.code) {
    case '42501':
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
      return new PlumbError('E_PERMISSION', `permission denied: ${msg}`, 'grant the connecting role USAGE on the schema and SELECT on its tables, or exclude the schema with --exclude-schema', { cause: e });
    case '57014':
    case 'ER_QUERY_TIMEOUT':
      return new PlumbError('E_TIMEOUT', `statement timed out: ${msg}`, 'raise --statement-timeout or run against a replica', { cause: e });
    case '55P03':
    case 'ER_LOCK_WAIT_TIMEOUT':
      return new PlumbError('E_TIMEOUT', `lock timeout: ${msg}`, 'another session holds a conflicting lock; retry later or raise --lock-timeout', { cause: e });
    case '3D000':
      return new PlumbError('E_NO_DATABASE', msg, 'check the database name in the URL', { cause: e });
  }
  const qe = new PlumbError('E_QUERY', `${msg}${snippet}`, 'see the database error above', { cause: e });
  (qe as PlumbError & { sqlState?: string }).sqlState = err.code;
  return qe;
}

/** Codes of "gave up waiting for a lock": Postgres lock_timeout, MySQL/MariaDB lock waits, SQLite busy or locked. */
const LOCK_TIMEOUT_CODES = new Set(['55P03', 'ER_LOCK_WAIT_TIMEOUT']);

/** True when the error (or any error it wraps) is the engine giving up waiting for a lock. */
export function isLockTimeout(e: unknown): boolean {
  return someCode(e, (code) => LOCK_TIMEOUT_CODES.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** True when the error, or any error it wraps (PlumbError causes), carries a driver code that passes `test`. */
function someCode(e: unknown, test: (code: string) => boolean): boolean {
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, depth = 0; x && depth < 8; x = x.cause as typeof x, depth++) {
    if (typeof x.code === 'string' && test(x.code)) return true;
  }
  return false;
}

/**
 * True when the server refused a statement's requested online algorithm or lock
 * level (MySQL/MariaDB ER_ALTER_OPERATION_NOT_SUPPORTED*): nothing of it ran.
 */
export function isOnlineDdlRefused(e: unknown): boolean {
  return someCode(e, (code) => code.startsWith('ER_ALTER_OPERATION_NOT_SUPPORTED'));
}

/** The SQLSTATE / driver code of an error, if any (also through a PlumbError's cause). */
export function sqlStateOf(e: unknown): string | undefined {
  const direct = (e as { sqlState?: string; code?: string } | undefined);
  if (direct && 'sqlState' in direct && direct.sqlState) return direct.sqlState;
  const cause = (e as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code ?? (typeof direct?.code === 'string' && !direct.code.startsWith('E_') ? direct.code : undefined);
}

/**
 * The SQLSTATE of an integrity violation, whatever the engine said: Postgres
 * codes as they are; MySQL/MariaDB errno and SQLite constraint codes mapped to
 * the same classes (23502 not null, 23503 foreign key, 23505 unique, 23514 check).
 */
export function integrityState(e: { code?: unknown; errno?: unknown; sqlState?: unknown } | undefined): string | undefined {
  if (!e) return undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && /^\d{5}$/.test(code)) return code;
  const byErrno: Record<number, string> = { 1048: '23502', 1216: '23503', 1451: '23503', 1452: '23503', 1062: '23505', 1586: '23505', 3819: '23514', 4025: '23514' };
  if (typeof e.errno === 'number' && byErrno[e.errno]) return byErrno[e.errno];
  // A trigger's SIGNAL names its own state (MySQL checks that cannot be CHECKs are triggers raising 23514).
  if (typeof e.sqlState === 'string' && /^23\d{3}$/.test(e.sqlState) && e.sqlState !== '23000') return e.sqlState;
  const bySqlite: Record<string, string> = {
    SQLITE_CONSTRAINT_NOTNULL: '23502',
    SQLITE_CONSTRAINT_FOREIGNKEY: '23503',
    SQLITE_CONSTRAINT_UNIQUE: '23505',
    SQLITE_CONSTRAINT_PRIMARYKEY: '23505',
    SQLITE_CONSTRAINT_CHECK: '23514',
  };
  return code ? (bySqlite[code] ?? code) : undefined;
}
