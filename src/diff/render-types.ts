// The contract between a Change and a dialect's SQL renderer. NOTE: the
// plan/apply engineer and the MySQL/SQLite renderers depend on these types —
// keep them stable. Types only.
import type { Change } from './changes.js';

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
