// A scratch SQLite for normalising a spec: a private in-memory database, so
// the spec is printed by SQLite itself before it is compared with a live one.
// Touches no file: statements run one at a time, and none may ATTACH one.
import type { ScratchSpace } from '../dialect.js';
import { PlumbError } from '../../errors.js';
import { connect } from '../../drivers/connect.js';
import type { Connection } from '../../drivers/connection.js';

export const SQLITE_HOME = 'main';

export async function openSqliteScratch(schemas: readonly string[]): Promise<ScratchSpace> {
  const others = schemas.filter((s) => s !== SQLITE_HOME);
  if (others.length) {
    throw new PlumbError(
      'E_SPEC',
      `SQLite has one schema (main), and the spec declares ${others.map((s) => `"${s}"`).join(', ')} besides its default schema`,
      'put every table in the spec\'s default schema for SQLite (ATTACHed databases are not managed)',
    );
  }
  const conn = await connect('sqlite::memory:');
  return { conn: oneStatementAtATime(conn), names: Object.fromEntries(schemas.map((s) => [s, s])), dispose: () => conn.close() };
}

/** Statements that reach past the private database: other files (ATTACH, VACUUM INTO) or the engine's settings. */
const OUTSIDE = /^\s*(ATTACH|DETACH|VACUUM|PRAGMA)\b/i;

/**
 * The scratch connection with `exec` running exactly one statement (the
 * engine's own parser refuses a second one smuggled into a view body, which
 * could ATTACH a file and write to it), and none that leaves the database.
 */
function oneStatementAtATime(conn: Connection): Connection {
  const refuse = (sql: string, why: string) =>
    new PlumbError('E_SPEC', `the spec's SQL may only create objects in its scratch space; refused ${why}: ${sql.replace(/\s+/g, ' ').trim().slice(0, 160)}`, 'a view or trigger body is one statement of its kind: remove the extra statement');
  return {
    dialect: conn.dialect,
    target: conn.target,
    query: (sql, params) => conn.query(sql, params),
    async exec(sql) {
      if (OUTSIDE.test(sql)) throw refuse(sql, 'a statement that reaches outside the scratch database');
      try {
        await conn.query(sql);
      } catch (e) {
        if (/more than one statement/i.test(String((e as Error).message))) throw refuse(sql, 'a second statement');
        throw e;
      }
    },
    transaction: (fn, options) => conn.transaction(fn, options),
    serverVersion: () => conn.serverVersion(),
    close: () => conn.close(),
  };
}
