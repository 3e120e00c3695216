// Scratch databases for normalising a spec on MySQL/MariaDB: one
// `plumb_scratch_<random>_<n>` database per spec schema, on the live
// database's server (or PLUMB_DEV_URL's, passed in as `target`), dropped
// afterwards. MySQL has no embedded engine, and only the server itself prints
// defaults, checks and views the way inspection will read them back. Never
// touches any other database.
import { randomBytes } from 'node:crypto';
import type { ScratchSpace } from '../dialect.js';
import type { DbTarget } from '../../drivers/url.js';
import { PlumbError } from '../../errors.js';
import { connect } from '../../drivers/connect.js';
import { quoteIdent } from './mysql-dialect.js';

export const MYSQL_SCRATCH_PREFIX = 'plumb_scratch_';

export async function openMysqlScratch(target: DbTarget | undefined, schemas: readonly string[], home: string | undefined): Promise<ScratchSpace | undefined> {
  if (!target) return undefined;
  const conn = await connect(target);
  const tag = randomBytes(4).toString('hex');
  const names: Record<string, string> = {};
  const created: string[] = [];
  const dispose = async () => {
    try {
      for (const db of created) await conn.exec(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`);
    } finally {
      await conn.close();
    }
  };
  try {
    // Each scratch database takes the defaults of the database it stands for (a table the spec creates
    // there inherits them on apply too), or the server's for one that does not exist yet.
    const defaults = new Map(
      (schemas.length
        ? await conn.query<{ n: string; cs: string; co: string }>(
            `SELECT SCHEMA_NAME AS n, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${schemas.map(() => '?').join(', ')})`,
            [...schemas],
          )
        : []
      ).map((r) => [String(r.n), ` CHARACTER SET ${String(r.cs)} COLLATE ${String(r.co)}`]),
    );
    for (const [i, s] of schemas.entries()) {
      const db = `${MYSQL_SCRATCH_PREFIX}${tag}_${i}`;
      await conn.exec(`CREATE DATABASE ${quoteIdent(db)}${defaults.get(s) ?? ''}`);
      created.push(db);
      names[s] = db;
    }
  } catch (e) {
    await dispose().catch(() => undefined);
    const why = e instanceof PlumbError ? e.message : String(e);
    throw new PlumbError(
      'E_PERMISSION',
      `plumb normalises a spec on scratch databases (${MYSQL_SCRATCH_PREFIX}…) and cannot create one on ${target.redacted}: ${why}`,
      `grant this user CREATE and DROP on \`${MYSQL_SCRATCH_PREFIX}%\`.*, or set PLUMB_DEV_URL to a MySQL/MariaDB server where it may`,
    );
  }
  // Unqualified names in view and routine bodies resolve in the session's database, as they will on the target.
  const homeDb = home !== undefined ? names[home] : undefined;
  if (homeDb) await conn.exec(`USE ${quoteIdent(homeDb)}`);
  return { conn, names, dispose };
}
