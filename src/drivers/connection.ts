// The one small interface every driver adapter implements. Everything above
// the drivers talks to a database only through this.
import type { DialectName } from '../catalog/types.js';
import type { DbTarget } from './url.js';

export type Row = Record<string, unknown>;

export interface TransactionOptions {
  readOnly?: boolean;
  /** Milliseconds; applied with SET LOCAL (or the engine's equivalent) inside the transaction. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

export interface Connection {
  readonly dialect: DialectName;
  readonly target: DbTarget;
  /** One statement with positional parameters ($1… for Postgres, ? for MySQL/SQLite). */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of one or more statements, no parameters, no result. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: commit when it resolves, roll back when it throws. Nested calls use savepoints. */
  transaction<T>(fn: (tx: Connection) => Promise<T>, options?: TransactionOptions): Promise<T>;
  serverVersion(): Promise<string>;
  close(): Promise<void>;
  /**
   * Optional (pg servers): runs `COPY (…) TO STDOUT [(FORMAT …)]` and hands
   * each CopyData message's bytes — one row in the format the COPY asks for
   * (the binary format's header comes with the first) — to `onRow` as they
   * arrive, synchronously: constant memory, and no strings or objects per row
   * for readers of millions of rows. The row is `buf[start, end)`, most often
   * inside a larger socket read, and only valid during the call.
   */
  copyOut?(sql: string, onRow: (buf: Buffer, start: number, end: number) => void): Promise<void>;
}
