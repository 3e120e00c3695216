// MySQL/MariaDB pieces of apply: journal/history column types (the tables are
// plumb_journal/plumb_history in the target database itself) and a DELETE
// that takes an alias (MariaDB's single-table DELETE has none). SQL text only.
import { createHash } from 'node:crypto';
import type { ColumnType } from '../../catalog/types.js';
import type { ApplySupport } from '../apply-support.js';
import { checkEnforcedByTrigger } from './mysql-check-triggers.js';
import { quoteIdent } from './mysql-dialect.js';
import { mysqlLockWaitSeconds } from '../../drivers/mysql-lock-wait.js';
import { mysqlPlanRenderer } from './mysql-plan-renderer.js';

/** GET_LOCK names are server-wide (and at most 64 characters): the database's name, hashed, keeps tenants of one server apart. */
function lockName(database: string | undefined): string {
  return `plumb.apply.${createHash('sha1').update(database ?? '').digest('hex')}`;
}

/** Integer types' ranges, signed and unsigned, as MariaDB enforces them in strict mode. */
const INT_RANGE: Record<string, [string, string, string]> = {
  tinyint: ['-128', '127', '255'],
  smallint: ['-32768', '32767', '65535'],
  mediumint: ['-8388608', '8388607', '16777215'],
  int: ['-2147483648', '2147483647', '4294967295'],
  integer: ['-2147483648', '2147483647', '4294967295'],
  bigint: ['-9223372036854775808', '9223372036854775807', '18446744073709551615'],
};

/**
 * Numbers: MODIFY in strict mode refuses text that is not a number of the
 * target's kind ('12.5' or '1e3' as an integer, 'abc' anywhere) and any value
 * out of the target's range, while it rounds a number's fraction silently.
 * undefined: not a numeric target; null: nothing to count.
 */
function mysqlNumericCastable(expr: string, type: string, from: ColumnType | undefined): { sql: string } | null | undefined {
  const m = /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real)\b(?:\((\d+)(?:\s*,\s*(\d+))?\))?(\s+unsigned)?/i.exec(type.trim());
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase();
  const unsigned = !!m[4];
  const text = from !== undefined && ['text', 'varchar', 'char', 'other'].includes(from.kind);
  const trimmed = `TRIM(${expr})`;
  const tests: string[] = [];
  const range = INT_RANGE[kind];
  if (range) {
    if (text) tests.push(`${trimmed} REGEXP '^[-+]?[0-9]+$'`);
    const value = text ? `CAST(${trimmed} AS DECIMAL(65,0))` : `ROUND(${expr})`;
    tests.push(`${value} BETWEEN ${unsigned ? '0' : range[0]} AND ${unsigned ? range[2] : range[1]}`);
  } else if (kind === 'decimal' || kind === 'numeric') {
    if (text) tests.push(`${trimmed} REGEXP '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$'`);
    const p = Number(m[2] ?? 10);
    const s = Number(m[3] ?? 0);
    const value = text ? `CAST(${trimmed} AS DOUBLE)` : expr;
    tests.push(`ABS(ROUND(${value}, ${s})) < 1e${p - s}`);
    if (unsigned) tests.push(`${value} >= 0`);
  } else {
    if (!text) return null;
    tests.push(`${trimmed} REGEXP '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$'`);
  }
  // Each part only when the one before holds (no CAST of text that is not a number).
  return { sql: tests.length === 1 ? tests[0]! : `(CASE WHEN ${tests[0]} THEN ${tests.slice(1).join(' AND ')} ELSE 0 END)` };
}

export const mysqlApplySupport: ApplySupport = {
  targetLock: (target) => ({ take: `SELECT GET_LOCK('${lockName(target.database)}', 0) = 1 AS ok`, free: `SELECT RELEASE_LOCK('${lockName(target.database)}')` }),
  store: {
    param: () => '?',
    checksumType: 'char(64)',
    textType: 'varchar(255)',
    timestampType: 'timestamp',
    jsonType: 'longtext',
    autoIdColumn: 'bigint AUTO_INCREMENT PRIMARY KEY',
    currentUser: 'CURRENT_USER',
    inTargetDatabase: true,
  },
  // DDL runs outside transactions here, so the plan's lock timeout is the session's for the whole run:
  // an ALTER waiting on a metadata lock gives up (and frees the readers queued behind it) in time.
  async prepareSession(conn, run) {
    const [before] = await conn.query<{ l: unknown; i: unknown }>('SELECT @@SESSION.lock_wait_timeout AS l, @@SESSION.innodb_lock_wait_timeout AS i');
    const s = mysqlLockWaitSeconds(run.lockTimeoutMs);
    await conn.exec(`SET SESSION lock_wait_timeout = ${s}, innodb_lock_wait_timeout = ${s}`);
    return async () => {
      await conn.exec(`SET SESSION lock_wait_timeout = ${Number(before?.l)}, innodb_lock_wait_timeout = ${Number(before?.i)}`).catch(() => undefined);
    };
  },
  // JSON validity has a function; other conversions are refused by MODIFY itself (strict sql_mode), and the journal's rollback undoes what ran.
  castable: (expr, type, _major, from) => {
    if (/^jsonb?$/i.test(type)) return { sql: `JSON_VALID(${expr})` };
    const numeric = mysqlNumericCastable(expr, type, from);
    if (numeric !== undefined) return numeric;
    // CAST gives NULL (with a warning) for a value that is not a date or time, where MODIFY would refuse it.
    const temporal = /^(date|datetime|timestamp|time)\b(\(\d+\))?/i.exec(type);
    if (temporal) return { sql: `CAST(${expr} AS ${temporal[1]!.toLowerCase() === 'timestamp' ? 'DATETIME' : temporal[1]!.toUpperCase()}${temporal[2] ?? ''}) IS NOT NULL` };
    return null;
  },
  enforcesLength: true,
  // Multi-table form: it names the alias, and MariaDB 10.3+ lets the predicate read the same table.
  deleteWhere: (table, predicate) => `DELETE t FROM ${table} AS t WHERE ${predicate}`,
  // No UPDATE … FROM here: a join, with the target's columns qualified (both tables have them).
  updateFrom: (table, source, columns, key) =>
    `UPDATE ${table} AS t JOIN ${source} AS b ON ${key.map((k) => `t.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(' AND ')} SET ${columns.map((c) => `t.${quoteIdent(c)} = b.${quoteIdent(c)}`).join(', ')}`,
  // Checks that read an AUTO_INCREMENT column are triggers here (mysql-check-triggers.ts).
  checkEnforcedBy: checkEnforcedByTrigger,
  // A new table is created with all its keys in one statement.
  planRenderer: () => mysqlPlanRenderer(),
};
