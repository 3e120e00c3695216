// Connection adapter for PGlite: Postgres compiled to WASM, in process.
// `pglite:` is in memory; `pglite:./dir` persists in that directory.
import type { PGlite } from '@electric-sql/pglite';
import type { Connection, Row, TransactionOptions } from './connection.js';
import { translateConnectError, translateQueryError } from './errors.js';
import { postgresTxSql, runTransaction } from './transaction.js';
import type { DbTarget } from './url.js';

const asText = (v: string) => v;
/** Keep date/time and 64-bit integers as text, like the pg adapter. */
export const pgliteParsers = { 1082: asText, 1114: asText, 1184: asText, 1083: asText, 1266: asText, 1186: asText, 20: asText, 1700: asText };

export async function connectPglite(target: DbTarget): Promise<Connection> {
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(target.path, { parsers: pgliteParsers });
    return new PgliteConnection(db, target, true);
  } catch (e) {
    throw translateConnectError(e, target);
  }
}

/** Wraps an existing PGlite instance (tests, the demo). `owned` decides whether close() closes it. */
export function wrapPglite(db: PGlite, target: DbTarget = { driver: 'pglite', dialect: 'postgres', redacted: 'pglite:' }, owned = false): Connection {
  return new PgliteConnection(db, target, owned);
}

class PgliteConnection implements Connection {
  readonly dialect = 'postgres' as const;
  private readonly depth = { n: 0 };
  constructor(
    readonly db: PGlite,
    readonly target: DbTarget,
    private readonly owned: boolean,
  ) {}

  async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      const r = await this.db.query<T>(sql, params as unknown[] | undefined, { parsers: pgliteParsers });
      return r.rows;
    } catch (e) {
      throw translateQueryError(e, this.target, sql);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.db.exec(sql);
    } catch (e) {
      throw translateQueryError(e, this.target, sql);
    }
  }

  transaction<T>(fn: (tx: Connection) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return runTransaction(this, this.depth, postgresTxSql, (s) => this.exec(s), fn, options);
  }

  async serverVersion(): Promise<string> {
    const [r] = await this.query<{ server_version: string }>('SHOW server_version');
    return r?.server_version ?? '';
  }

  async close(): Promise<void> {
    if (this.owned && !this.db.closed) await this.db.close();
  }
}
