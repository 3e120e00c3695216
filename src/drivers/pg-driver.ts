// Connection adapter for real Postgres servers via `pg` (node-postgres).
// Date/time values stay text so that nothing loses microseconds or time zones.
// Module order matters: the shim, then pg, then the shim's removal (see pg-probe-shim.ts).
import './pg-probe-shim.js';
import pg from 'pg';
import './pg-probe-unshim.js';
import type { Connection, Row, TransactionOptions } from './connection.js';
import { translateConnectError, translateQueryError } from './errors.js';
import { CopyOutQuery } from './pg-copy-out.js';
import { postgresTxSql, runTransaction } from './transaction.js';
import type { DbTarget } from './url.js';

const TEXT_TYPES = new Set([1082, 1114, 1184, 1083, 1266, 1186]); // date, timestamp, timestamptz, time, timetz, interval

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (TEXT_TYPES.has(oid)) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export async function connectPg(target: DbTarget, options: { connectTimeoutMs?: number } = {}): Promise<Connection> {
  const client = new pg.Client({
    connectionString: target.connectionString,
    application_name: 'plumb',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: typeParsers,
  });
  // An idle connection dropped by the server must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw translateConnectError(e, target);
  }
  return new PgConnection(client, target);
}

class PgConnection implements Connection {
  readonly dialect = 'postgres' as const;
  private readonly depth = { n: 0 };
  private version: string | undefined;
  constructor(
    private readonly client: pg.Client,
    readonly target: DbTarget,
  ) {}

  async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      const r = await this.client.query(sql, params as unknown[] | undefined);
      return r.rows as T[];
    } catch (e) {
      throw translateQueryError(e, this.target, sql);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (e) {
      throw translateQueryError(e, this.target, sql);
    }
  }

  copyOut(sql: string, onRow: (buf: Buffer, start: number, end: number) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.client.query(new CopyOutQuery(sql, onRow, (e) => (e === undefined ? resolve() : reject(translateQueryError(e, this.target, sql)))));
    });
  }

  transaction<T>(fn: (tx: Connection) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return runTransaction(this, this.depth, postgresTxSql, (s) => this.exec(s), fn, options);
  }

  async serverVersion(): Promise<string> {
    if (!this.version) {
      const [r] = await this.query<{ server_version: string }>('SHOW server_version');
      this.version = r?.server_version ?? '';
    }
    return this.version;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
