// The Plan: ordered phases of steps, each with forward and rollback SQL, a
// safety class, hazard codes and pre-checks. Plain JSON data (plan.json); it
// must never hold a live handle, and nothing in it may depend on the clock or
// the plumb version except the fields `createdAt` and `plumbVersion`, which
// the plan checksum leaves out.
import type { LockImpact } from '../diff/render-types.js';

/** Bumped only when the meaning of a plan changes; part of the hashed body. */
export const PLAN_FORMAT_VERSION = 1 as const;

export type SafetyClass = 'safe' | 'blocking' | 'data-dependent' | 'destructive';

/** What to do with the rows a pre-check finds. */
export type RemediationPolicy = 'abort' | 'nullify' | 'delete' | 'quarantine';

export const SAFETY_ORDER: Record<SafetyClass, number> = { safe: 0, blocking: 1, 'data-dependent': 2, destructive: 3 };

export type PhaseName =
  | 'namespaces'
  | 'types'
  | 'tables'
  | 'columns'
  | 'backfill'
  | 'cleanup'
  | 'constraints'
  | 'foreign-keys'
  | 'validate'
  | 'indexes'
  | 'indexes-concurrent'
  | 'dependents'
  | 'drops'
  | 'contract';

/**
 * Existing rows of a table given a new column's value in batches, each its
 * own transaction, walking the primary key from the journaled position:
 * writers wait only for the rows of one batch, and an interrupted backfill
 * resumes where it stopped.
 */
export interface Backfill {
  table: { schema: string; name: string };
  /** Primary key columns, walked in order. */
  key: string[];
  column: string;
  /** The value every existing row gets: the column's (volatile) default expression. */
  expression: string;
  batchSize: number;
  /** Only rows where this holds (SQL over the table's columns), besides those still NULL in `column`. */
  onlyWhere?: string;
}

/** One SQL statement of a step. */
export interface PlanStatement {
  /** For a backfill: a DO block that does the same in one go, for plan.sql and for people. */
  sql: string;
  /** Run by apply batch by batch instead of `sql`. */
  backfill?: Backfill;
  /**
   * Run first when this statement is retried after an interrupted,
   * non-transactional attempt (e.g. drop the invalid index a failed
   * CREATE INDEX CONCURRENTLY leaves behind).
   */
  onRetry?: string[];
  /**
   * The same change under weaker guarantees, tried in order when the server
   * refuses `sql` as not doable online (MySQL's ALGORITHM=INSTANT, then
   * INPLACE with LOCK=NONE, then the server's own choice); apply says which ran.
   */
  fallbacks?: string[];
}

export type PreCheckKind = 'orphans' | 'duplicates' | 'nulls' | 'check' | 'json' | 'enum' | 'cast';

/**
 * A query counting the rows that would make a step fail. `predicate` selects
 * the offending rows of `table` (aliased `t`); count, sample and remediation
 * statements are all derived from it, so they always agree.
 */
export interface PreCheck {
  id: string;
  kind: PreCheckKind;
  description: string;
  table: { schema: string; name: string };
  /** Columns whose values identify an offending row in the report (primary key, else the checked columns). */
  keyColumns: string[];
  /** Boolean SQL over alias `t`. */
  predicate: string;
  countSql: string;
  sampleSql: string;
  /** Columns `nullify` sets to NULL (absent when nullify makes no sense, e.g. NOT NULL). */
  nullifyColumns?: string[];
  /** Statements that must run in the session first (temporary helper functions). */
  setup?: string[];
}

export interface Hazard {
  code: string;
  message: string;
}

/**
 * The lock a step takes on an existing table, what it does to the rows while
 * holding it, and how long that may take. Absent for steps that touch no
 * existing table, and in plans made before plumb stated it.
 */
export interface StepImpact extends LockImpact {
  table: { schema: string; name: string; rows: number | null; bytes: number | null };
  /** Rough time the work takes from the table's size (docs/zero-downtime.md); 0 for catalog-only steps. */
  estimatedMs: number;
}

export interface PlanStep {
  /** Stable within a plan: `<phase-index>.<n>-<kind>`; used by --remediate and --allow. */
  id: string;
  kind: string;
  path: string;
  phase: PhaseName;
  summary: string;
  safety: SafetyClass;
  hazards: Hazard[];
  forward: PlanStatement[];
  rollback: PlanStatement[];
  preChecks: PreCheck[];
  remediation: RemediationPolicy;
  /** false when a statement cannot run inside a transaction (CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
  impact?: StepImpact;
  /**
   * For a validation: the id of the step that added the constraint NOT VALID.
   * Rows this step's pre-checks remediate are put back on rollback only after
   * that step is undone: until then the constraint refuses them.
   */
  validates?: string;
  /** For a step that loses data (drop table / column): what apply --backup copies first so rollback can restore it. */
  backup?: { table: { schema: string; name: string }; column?: string; key: string[] };
}

export interface PlanPhase {
  name: PhaseName;
  title: string;
  explanation: string;
  transactional: boolean;
  /** End the transaction after this phase (e.g. new enum labels must be committed before use). */
  commitAfter?: boolean;
  /**
   * Each step in a transaction of its own, committed before the next starts
   * (validations: the locks earlier steps took are released before a long
   * scan, and each validation's own lock is released right after it).
   */
  stepTransactions?: boolean;
  /**
   * Run only when asked (`apply --contract`), after the rest of the plan was
   * applied: the old columns an online type change left for readers to move off.
   */
  deferred?: boolean;
  steps: PlanStep[];
}

export interface PlanOptions {
  /** CREATE INDEX CONCURRENTLY in its own phase, outside any transaction. */
  concurrently?: boolean;
  /** Tables with at least this many estimated rows get NOT VALID + VALIDATE. */
  largeTableRows?: number;
  /** SET lock_timeout for every transactional phase, in ms. */
  lockTimeoutMs?: number;
  /** Rows per batch of a backfill (a new column with a volatile default on a large table; default 5000). */
  batchSize?: number;
  /** Per-step remediation, keyed by step id or by object path. */
  remediate?: Record<string, RemediationPolicy>;
  /** Schemas plumb considered when planning (the catalog checksum covers only these). */
  schemas?: string[];
  /** Destructive steps approved at plan time (recorded in the plan, shown in plan.md). */
  allow?: string[];
  /**
   * Type changes that would rewrite a large table go expand / contract instead
   * (new column, sync trigger, batched backfill, swap); implies concurrently.
   */
  online?: boolean;
}

/** The part of a plan that is hashed: no timestamps, no plumb version. */
export interface PlanBody {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  dialect: string;
  /** Checksum of the live catalog the plan was made from (drift detection). */
  catalogChecksum: string;
  /** Checksum of the catalog the plan should produce. */
  targetChecksum: string;
  specChecksum: string | null;
  options: Required<Pick<PlanOptions, 'concurrently' | 'largeTableRows' | 'lockTimeoutMs'>> & { schemas: string[]; online?: boolean };
  /** Destructive steps approved when the plan was made (`PH102:path`, a code, a step id, or `*` for all). */
  allow: string[];
  phases: PlanPhase[];
}

export interface Plan extends PlanBody {
  /** sha256 of the normalised PlanBody. */
  checksum: string;
  plumbVersion: string;
  createdAt: string;
}

export function planSteps(plan: Pick<PlanBody, 'phases'>): PlanStep[] {
  return plan.phases.flatMap((p) => p.steps);
}
