// The lock a change takes on an existing SQLite table: every write holds the
// database's write lock (in WAL mode readers go on, writers wait), and most
// changes rebuild the table (create new, copy rows, drop old, rename), which
// is a rewrite. Pure: a Change in, a LockImpact out.
import type { Change, ChangeKind } from '../../diff/changes.js';
import type { LockImpact } from '../../diff/render-types.js';

const LOCK = 'database write lock';
const rebuild: LockImpact = { lock: LOCK, blocks: 'writes', work: 'rewrite' };
const meta: LockImpact = { lock: LOCK, blocks: 'writes', work: 'metadata' };

const impacts: Partial<Record<ChangeKind, LockImpact>> = {
  createTable: { lock: 'none', blocks: 'nothing', work: 'none' },
  createView: { lock: 'none', blocks: 'nothing', work: 'none' },
  addColumn: meta,
  renameColumn: meta,
  renameTable: meta,
  dropIndex: meta,
  renameIndex: { lock: LOCK, blocks: 'writes', work: 'build' },
  createTrigger: meta,
  dropTrigger: meta,
  createIndex: { lock: LOCK, blocks: 'writes', work: 'build' },
};

export function sqliteLockImpact(change: Change): LockImpact {
  return impacts[change.kind] ?? rebuild;
}
