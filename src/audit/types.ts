// The shapes every audit rule, the grader and every report share. A finding
// is data: JSON-serialisable, with a stable fingerprint for baselines.

export type Severity = 'error' | 'warning' | 'info';
export type Category = 'integrity' | 'security' | 'performance' | 'design' | 'drift';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const CATEGORIES: readonly Category[] = ['integrity', 'security', 'performance', 'design', 'drift'];

export interface Finding {
  /** Rule id, kebab-case, e.g. `foreign-key-without-index`. */
  rule: string;
  /** Stable numbered code, e.g. `PLB042`; never reused. */
  code: string;
  severity: Severity;
  category: Category;
  /** Object path (`schema.table.column`) the finding is about. */
  path: string;
  message: string;
  /** Facts behind the finding (counts, sample keys, index names…). Never secrets. */
  evidence?: Record<string, unknown>;
  /** SQL (or instructions) that would fix it, when it can be generated. */
  fix?: string;
  /** True when a data rule looked at a sample of a large table. */
  sampled?: boolean;
  /** With `sampled` on a large table: the rows read (from the start, by key) and the table's size (the planner's estimate; null when unknown). */
  sample?: { rowsRead: number; tableRows: number | null };
  /** sha256(rule + path + stable discriminator): what baselines match on. */
  fingerprint: string;
}

/** How data rules read the tables: `sample` (a large table's first rows by key) or `full` (every row). */
export type DataMode = 'sample' | 'full';

/** How much of the data the data rules read. */
export interface DataCoverage {
  mode: DataMode;
  /** Rows a data rule reads at most per table in sample mode. */
  sampleLimit: number;
  /** Tables the data rules read only in part (sample mode), by path: rows read, and the table's size (estimate; null when unknown). */
  sampledTables: { path: string; rowsRead: number; tableRows: number | null }[];
  /** Full mode: tables the shared pass read, every row. */
  tablesRead?: number;
  /** Full mode: rows the shared pass read, all tables together. */
  rowsRead?: number;
}

/** A check that could not run (missing capability, timeout, privilege) — reported, never silent. */
export interface SkippedCheck {
  rule: string;
  path?: string;
  reason: string;
}

export interface CategoryScore {
  category: Category;
  score: number;
  letter: Grade;
  counts: Record<Severity, number>;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface AuditResult {
  /** Version of this JSON shape (documented in docs/audit-json.md). */
  formatVersion: 1;
  tool: { name: 'plumb'; version: string };
  target: { dialect: string; serverVersion: string; database: string | null; url: string };
  generatedAt: string;
  durationMs: number;
  score: number;
  grade: Grade;
  categories: CategoryScore[];
  findings: Finding[];
  skipped: SkippedCheck[];
  /** Objects counted for normalisation of the score. */
  objects: { schemas: number; tables: number; columns: number; indexes: number; foreignKeys: number; views: number; routines: number };
  /** How much of the data the data rules read; absent when no data rule ran against a connection. */
  data?: DataCoverage;
  /** Findings left out because a baseline already holds them (`--baseline`); absent without a baseline. */
  suppressedByBaseline?: number;
  /** Rules that ran, with their metadata, so reports can link to docs. */
  rules: { id: string; code: string; title: string; category: Category; severity: Severity; helpUri: string }[];
}
