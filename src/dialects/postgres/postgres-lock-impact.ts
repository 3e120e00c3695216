// The lock each change takes on an existing Postgres table, and what it does
// to the table's rows while it holds it (the ALTER TABLE, CREATE INDEX and
// VALIDATE sections of the manual, "Explicit Locking" for the modes). Pure:
// a Change and render options in, a LockImpact out. A kind not listed is
// taken as ACCESS EXCLUSIVE on the catalog only: the common case of ALTER.
import type { Column } from '../../catalog/types.js';
import type { Change, ChangeKind } from '../../diff/changes.js';
import type { LockImpact, RenderOptions } from '../../diff/render-types.js';

const EXCLUSIVE = 'ACCESS EXCLUSIVE';
const meta = (lock = EXCLUSIVE): LockImpact => ({ lock, blocks: lock === EXCLUSIVE ? 'reads-and-writes' : 'writes', work: 'metadata' });
const none: LockImpact = { lock: 'none', blocks: 'nothing', work: 'none' };

/** True when Postgres can change the column's type without reading or rewriting the table (binary-coercible widening). */
export function pgTypeChangeIsMetadataOnly(before: Column, after: Column): boolean {
  const b = before.type;
  const a = after.type;
  if (before.collation !== after.collation) return false;
  const textual = (k: string) => k === 'text' || k === 'varchar';
  // varchar(n) → varchar(m ≥ n) or text; text → unbounded varchar.
  if (textual(b.kind) && textual(a.kind)) return a.length === undefined || (b.length !== undefined && a.length >= b.length);
  // numeric(p, s) → numeric(p' ≥ p, s), or to unconstrained numeric.
  if (b.kind === 'numeric' && a.kind === 'numeric') return a.precision === undefined || (b.precision !== undefined && a.precision >= b.precision && (a.scale ?? 0) === (b.scale ?? 0));
  // bit varying(n) → bit varying(m ≥ n).
  if (b.kind === a.kind && b.raw.startsWith('bit varying') && a.raw.startsWith('bit varying')) return a.length === undefined || (b.length !== undefined && a.length >= b.length);
  return false;
}

/** A column whose default is volatile (or which is computed or an identity) fills every row when added. */
function addColumnRewrites(c: Column): boolean {
  if (c.generated !== null && c.generatedStored !== false) return true;
  if (c.identity) return true;
  const d = c.default;
  return !!d && /\b(nextval|random|gen_random_uuid|uuid_generate_v\d\w*|clock_timestamp|timeofday|txid_current|statement_timestamp)\s*\(/i.test(d);
}

type Impactor = (c: Change, o: RenderOptions) => LockImpact;

const impacts: Partial<Record<ChangeKind, Impactor>> = {
  createTable: () => none,
  createSchema: () => none,
  createExtension: () => none,
  alterExtension: () => none,
  createEnum: () => none,
  createDomain: () => none,
  createCompositeType: () => none,
  createSequence: () => none,
  createRoutine: () => none,
  replaceRoutine: () => none,
  createView: () => none,
  createMaterializedView: () => none,
  createEvent: () => none,
  // RENAME CONSTRAINT takes ACCESS EXCLUSIVE on the table for a catalog update.
  renameConstraint: () => meta('ACCESS EXCLUSIVE'),
  createCollation: () => none,
  dropCollation: () => none,
  // CREATE RULE and DROP RULE take ACCESS EXCLUSIVE on the table, briefly.
  createRule: () => meta('ACCESS EXCLUSIVE'),
  dropRule: () => meta('ACCESS EXCLUSIVE'),
  addEnumValue: () => none,
  renameEnumValue: () => none,
  grant: () => none,
  revoke: () => none,
  addColumn: (c) => (c.kind === 'addColumn' && addColumnRewrites(c.column) ? { lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'rewrite' } : meta()),
  alterColumnType: (c) => (c.kind === 'alterColumnType' && pgTypeChangeIsMetadataOnly(c.before, c.after) ? meta() : { lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'rewrite' }),
  alterColumnNullability: (c) => (c.kind === 'alterColumnNullability' && !c.after.nullable ? { lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'scan' } : meta()),
  alterColumnIdentity: (c) => (c.kind === 'alterColumnIdentity' && !c.before.identity ? { lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'scan' } : meta()),
  alterColumnGenerated: () => ({ lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'rewrite' }),
  alterTableOptions: () => ({ lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'rewrite' }),
  addCheck: (c, o) => (o.notValid || (c.kind === 'addCheck' && !c.check.validated) ? meta() : { lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'scan' }),
  // ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables: reads go on, writes wait.
  addForeignKey: (c, o) => (o.notValid || (c.kind === 'addForeignKey' && !c.foreignKey.validated) ? meta('SHARE ROW EXCLUSIVE') : { lock: 'SHARE ROW EXCLUSIVE', blocks: 'writes', work: 'scan' }),
  dropForeignKey: () => meta('SHARE ROW EXCLUSIVE'),
  validateConstraint: () => ({ lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', work: 'scan' }),
  addUnique: () => ({ lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'build' }),
  addPrimaryKey: () => ({ lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'build' }),
  addExclusion: () => ({ lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'build' }),
  createIndex: (_c, o) => (o.concurrently ? { lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', work: 'build' } : { lock: 'SHARE', blocks: 'writes', work: 'build' }),
  dropIndex: (_c, o) => (o.concurrently ? { lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', work: 'metadata' } : meta()),
  createTrigger: () => meta('SHARE ROW EXCLUSIVE'),
  enableTrigger: () => meta('SHARE ROW EXCLUSIVE'),
  disableTrigger: () => meta('SHARE ROW EXCLUSIVE'),
  setComment: () => ({ lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', work: 'metadata' }),
  // Every column of the enum's type is converted through text.
  replaceEnum: () => ({ lock: EXCLUSIVE, blocks: 'reads-and-writes', work: 'rewrite' }),
};

export function postgresLockImpact(change: Change, options: RenderOptions): LockImpact {
  return impacts[change.kind]?.(change, options) ?? meta();
}
