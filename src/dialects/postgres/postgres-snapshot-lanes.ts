// Extra Postgres sessions that read exactly what one transaction reads: the
// transaction exports its snapshot (pg_export_snapshot) and each extra
// session imports it (SET TRANSACTION SNAPSHOT) inside a READ ONLY
// transaction, so catalog and data queries can be spread over several
// backends and still describe one instant. Never writes.
import type { Connection, TransactionOptions } from '../../drivers/connection.js';
import { connect } from '../../drivers/connect.js';
import { postgresTxSql } from '../../drivers/transaction.js';
import type { SnapshotLanes } from '../dialect.js';

/** Snapshot ids look like `00000003-0000001B-1`; nothing else is spliced into SQL. */
const SNAPSHOT_ID = /^[0-9A-F]+(-[0-9A-F]+)+$/i;

const NO_LANES: SnapshotLanes = { lanes: [], close: async () => undefined };

/** Only sessions of a pg server can share a snapshot (PGlite is one in-process session). */
export function canShareSnapshot(conn: Connection): boolean {
  return conn.target.driver === 'pg' && !!conn.target.connectionString;
}

/**
 * Opens `count` sessions at once (connecting while `snapshot` is still being
 * exported) and has each import the snapshot. A session that cannot connect
 * or import (server at max_connections, a transaction-mode pooler) resolves
 * to null and is simply not used.
 */
export function joinSnapshot(conn: Connection, count: number, snapshot: Promise<string | null | undefined>, options: TransactionOptions = {}): SnapshotLanes {
  if (count <= 0 || !canShareSnapshot(conn)) return NO_LANES;
  const opened = Array.from({ length: count }, () => connect(conn.target).catch(() => null));
  const lanes = opened.map(async (pending): Promise<Connection | null> => {
    const [c, id] = await Promise.all([pending, snapshot.catch(() => null)]);
    if (!c || !id || !SNAPSHOT_ID.test(id)) return null;
    const [begin, ...limits] = postgresTxSql.begin({ ...options, readOnly: true, isolation: 'repeatable read' });
    // BEGIN, the import and the session's limits go in one round trip.
    return c.exec([begin, `SET TRANSACTION SNAPSHOT '${id}'`, ...limits].join('; ')).then(
      () => c,
      async () => {
        await c.exec('ROLLBACK').catch(() => undefined);
        return null;
      },
    );
  });
  return {
    lanes,
    async close() {
      // Every lane is settled first: none may be left mid-query or mid-import.
      await Promise.allSettled(lanes);
      await Promise.all(
        opened.map(async (pending) => {
          const c = await pending;
          if (!c) return;
          await c.exec('ROLLBACK').catch(() => undefined);
          await c.close();
        }),
      );
    },
  };
}

/**
 * Lanes for a transaction the caller already runs (an audit): `tx` must be
 * at its top level (a snapshot cannot be exported from a savepoint) and
 * REPEATABLE READ, so that it keeps the snapshot it exports. A standby
 * exports none: no lanes there. The sessions connect while the snapshot is
 * exported; they may still be joining when this returns.
 */
export async function openPostgresLanes(tx: Connection, count: number, options: TransactionOptions = {}): Promise<SnapshotLanes> {
  if (count <= 0 || !canShareSnapshot(tx)) return NO_LANES;
  const snapshot = tx
    .query<{ s: string | null }>('SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_export_snapshot() END AS s')
    .then(([r]) => r?.s ?? null);
  const lanes = joinSnapshot(tx, count, snapshot, options);
  try {
    await snapshot;
  } catch (e) {
    await lanes.close();
    throw e;
  }
  return lanes;
}
