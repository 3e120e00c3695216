// A scratch SQLite for normalising a spec: a private in-memory database, so
// the spec is printed by SQLite itself before it is compared with a live one.
// Touches no file.
import type { ScratchSpace } from '../dialect.js';
import { PlumbError } from '../../errors.js';
import { connect } from '../../drivers/connect.js';

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
  return { conn, names: Object.fromEntries(schemas.map((s) => [s, s])), dispose: () => conn.close() };
}
