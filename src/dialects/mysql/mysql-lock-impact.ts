// The lock each change takes on an existing MySQL/MariaDB table under online
// DDL, and what it does to the rows meanwhile (MariaDB's "InnoDB Online DDL
// Operations" tables, MySQL 8's equivalents). Every ALTER also takes an
// exclusive metadata lock for a moment at start and end; `blocks` states what
// waits for the whole operation. Pure: a Change in, a LockImpact out.
import type { Change, ChangeKind } from '../../diff/changes.js';
import type { LockImpact } from '../../diff/render-types.js';

const instant: LockImpact = { lock: 'ALGORITHM=INSTANT', blocks: 'reads-and-writes', work: 'metadata' };
const none: LockImpact = { lock: 'none', blocks: 'nothing', work: 'none' };
const inplaceBuild: LockImpact = { lock: 'ALGORITHM=INPLACE, LOCK=NONE', blocks: 'nothing', work: 'build' };
const inplaceRebuild: LockImpact = { lock: 'ALGORITHM=INPLACE, LOCK=NONE', blocks: 'nothing', work: 'rewrite' };
// The table-copy algorithm: readers go on, writers wait for the whole copy.
const copy: LockImpact = { lock: 'ALGORITHM=COPY, LOCK=SHARED', blocks: 'writes', work: 'rewrite' };

const impacts: Partial<Record<ChangeKind, LockImpact>> = {
  createTable: none,
  createSchema: none,
  createView: none,
  createRoutine: none,
  replaceRoutine: none,
  createEvent: none,
  grant: none,
  revoke: none,
  addColumn: instant,
  dropColumn: instant,
  renameColumn: instant,
  renameTable: instant,
  renameIndex: instant,
  alterColumnDefault: instant,
  alterColumnVisibility: instant,
  // MariaDB drops a secondary index without copying (NOCOPY), not instantly; readers and writers go on.
  dropIndex: { lock: 'ALGORITHM=NOCOPY, LOCK=NONE', blocks: 'nothing', work: 'metadata' },
  dropForeignKey: instant,
  dropCheck: instant,
  dropUnique: instant,
  createTrigger: instant,
  dropTrigger: instant,
  setComment: instant,
  createIndex: inplaceBuild,
  addUnique: inplaceBuild,
  addPrimaryKey: inplaceRebuild,
  dropPrimaryKey: inplaceRebuild,
  alterColumnNullability: inplaceRebuild,
  // Checked against every row with foreign_key_checks on, which only the copy algorithm does.
  addForeignKey: copy,
  addCheck: copy,
  alterColumnType: copy,
  alterTableOptions: copy,
};

export function mysqlLockImpact(change: Change): LockImpact {
  return impacts[change.kind] ?? copy;
}
