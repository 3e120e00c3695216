// Shared BEGIN/SAVEPOINT bookkeeping for drivers that speak SQL transactions
// on a single session (pg, PGlite, mysql2, better-sqlite3).
import type { Connection, TransactionOptions } from './connection.js';

export interface TxDialectSql {
  begin(o: TransactionOptions): string[];
  commit: string;
  rollback: string;
  savepoint(name: string): string;
  release(name: string): string;
  rollbackTo(name: string): string;
}

export const postgresTxSql: TxDialectSql = {
  begin(o) {
    const mode = [o.isolation ? `ISOLATION LEVEL ${o.isolation.toUpperCase()}` : '', o.readOnly ? 'READ ONLY' : ''].filter(Boolean).join(' ');
    const out = [`BEGIN${mode ? ' ' + mode : ''}`];
    if (o.statementTimeoutMs !== undefined) out.push(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(o.statementTimeoutMs))}`);
    if (o.lockTimeoutMs !== undefined) out.push(`SET LOCAL lock_timeout = ${Math.max(0, Math.floor(o.lockTimeoutMs))}`);
    return out;
  },
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (n) => `SAVEPOINT ${n}`,
  release: (n) => `RELEASE SAVEPOINT ${n}`,
  rollbackTo: (n) => `ROLLBACK TO SAVEPOINT ${n}`,
};

/**
 * Runs fn inside BEGIN/COMMIT, or inside a savepoint when already in a
 * transaction (depth > 0). `raw` runs one statement on the session.
 */
export async function runTransaction<T>(
  self: Connection,
  depth: { n: number },
  sql: TxDialectSql,
  raw: (statement: string) => Promise<unknown>,
  fn: (tx: Connection) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (depth.n > 0) {
    const sp = `plumb_sp_${depth.n}`;
    await raw(sql.savepoint(sp));
    depth.n++;
    try {
      const r = await fn(self);
      await raw(sql.release(sp));
      return r;
    } catch (e) {
      await raw(sql.rollbackTo(sp)).catch(() => undefined);
      throw e;
    } finally {
      depth.n--;
    }
  }
  const begin = sql.begin(options);
  await raw(begin[0]!);
  depth.n++;
  try {
    for (const s of begin.slice(1)) await raw(s);
    const r = await fn(self);
    await raw(sql.commit);
    return r;
  } catch (e) {
    await raw(sql.rollback).catch(() => undefined);
    throw e;
  } finally {
    depth.n--;
  }
}
