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
