// MySQL/MariaDB pieces of apply: journal/history column types (the tables are
// plumb_journal/plumb_history in the target database itself) and a DELETE
// that takes an alias (MariaDB's single-table DELETE has none). SQL text only.
import { createHash } from 'node:crypto';
import type { ApplySupport } from '../apply-support.js';
import { checkEnforcedByTrigger } from './mysql-check-triggers.js';
import { quoteIdent } from './mysql-dialect.js';
import { mysqlLockWaitSeconds } from '../../drivers/mysql-lock-wait.js';
import { mysqlPlanRenderer } from './mysql-plan-renderer.js';

/** GET_LOCK names are server-wide (and at most 64 characters): the database's name, hashed, keeps tenants of one server apart. */
function lockName(database: string | undefined): string {
  return `plumb.apply.${createHash('sha1').update(database ?? '').digest('hex')}`;
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
  castable: (expr, type) => {
    if (/^jsonb?$/i.test(type)) return { sql: `JSON_VALID(${expr})` };
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
