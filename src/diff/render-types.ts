// The contract between a Change and a dialect's SQL renderer. NOTE: the
// plan/apply engineer and the MySQL/SQLite renderers depend on these types —
// keep them stable. Types only.
import type { Catalog, Index, Table } from '../catalog/types.js';
import type { Change, ChangeOf } from './changes.js';

export interface RenderOptions {
  /** Add foreign keys and checks NOT VALID (validate later with a `validateConstraint` change). */
  notValid?: boolean;
  /** CREATE/DROP INDEX CONCURRENTLY (must then run outside a transaction). */
  concurrently?: boolean;
}

export interface RenderedChange {
  /** Statements that apply the change, in order, each without a trailing semicolon. */
  forward: string[];
  /** Statements that undo it, in order (empty when there is nothing to undo). */
  rollback: string[];
  /** True when a statement cannot run inside a transaction block (CONCURRENTLY, ALTER TYPE … ADD VALUE on old servers). */
  nonTransactional?: boolean;
  /** True when the rollback cannot give back lost data (the structure returns, the rows do not). */
  lossy?: boolean;
}

export type ChangeRenderer = (change: Change, options?: RenderOptions) => RenderedChange;

/** What other sessions must wait for while a step holds its lock. */
export type LockBlocks = 'nothing' | 'writes' | 'reads-and-writes';
/** Blocking strength, weakest first: `--max-lock` compares by it. */
export const LOCK_BLOCKS_ORDER: readonly LockBlocks[] = ['nothing', 'writes', 'reads-and-writes'];

/**
 * What a step does to the rows of the table it touches while holding its
 * lock: nothing (a new or unlocked object), catalog only, reads every row
 * (scan, e.g. validating a constraint), builds an index from every row,
 * writes every row again (rewrite), or writes every row in small batches,
 * each its own transaction (backfill: writers wait for one batch at most).
 */
export type LockWork = 'none' | 'metadata' | 'scan' | 'build' | 'rewrite' | 'backfill';

/** The lock a change takes on an existing table, as its dialect knows it. */
export interface LockImpact {
  /** The engine's own name of the strongest lock taken (`ACCESS EXCLUSIVE`, `LOCK=NONE`, …); `none` when none. */
  lock: string;
  blocks: LockBlocks;
  work: LockWork;
}

/**
 * A statement in the strongest online form the engine can be asked for in
 * the statement itself, and the weaker forms to try, in order, when the
 * server refuses it as not doable online (apply reports each fallback).
 */
export interface OnlineStatement {
  sql: string;
  fallbacks?: string[];
}

/**
 * A column type change done online (expand / contract): each part is a plan
 * step of its own. Names are the engine's identifiers, unquoted.
 */
export interface OnlineColumnChange {
  names: { column: string; added: string; old: string; sync: string; notNull: string };
  /** The lock each of the expand, swap and contract steps takes: briefly, catalog only. */
  impact: LockImpact;
  /** Add the new column and the trigger that keeps it in step with writes. */
  expand: { forward: string[]; rollback: string[] };
  /** Fill the new column of existing rows in batches: `column = expression` where `onlyWhere` holds. */
  backfill: { column: string; expression: string; onlyWhere: string };
  /** NOT NULL of the target column, through this check validated before the swap; null when nullable. */
  notNull: { name: string; expression: string; column: string } | null;
  /** Copies of the indexes that use the column, on the new column (built concurrently before the swap). */
  indexes: { index: Index }[];
  /** One short transaction: the new column takes the old one's name, indexes and default. */
  swap: { forward: string[]; rollback: string[] };
  /** Drop the old column (apply --contract), once nothing reads it. */
  contract: { forward: string[]; rollback: string[] };
}

/** Why a column cannot change type online (the plan then rewrites the table and says why). */
export interface OnlineColumnRefusal {
  refused: string;
}
