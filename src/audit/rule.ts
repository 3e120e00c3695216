// The contract every audit rule implements (ESLint-style: metadata beside
// `check`). Catalog rules read only ctx.catalog; data rules run bounded,
// read-only queries through ctx.query and must never write.
import type { Catalog, DialectName } from '../catalog/types.js';
import type { Capabilities, CapabilityName } from '../dialects/dialect.js';
import type { Category, Finding, Severity } from './types.js';
import type { PassProbe } from './data/table-pass.js';

export interface RuleMeta {
  /** kebab-case id; the rule's file is `src/audit/rules/<id>.ts`, its doc `docs/rules/<id>.md`. */
  id: string;
  /** Stable number: `PLB` + 3 digits, never reused (see src/audit/rules/codes.md). */
  code: string;
  title: string;
  category: Category;
  severity: Severity;
  /** Dialects the rule applies to; omit for every dialect. */
  dialects?: DialectName[];
  /** Capabilities the database must have; the rule is skipped with a reason otherwise. */
  requires?: CapabilityName[];
  /** True when the rule reads table data (not just the catalog). */
  data?: boolean;
  /** Markdown: why it matters, a failing example and a passing example (```sql blocks). */
  docs: { description: string; bad: string; good: string; remediation: string };
  /** Per-rule options with their defaults (documented in the rule doc). */
  options?: Record<string, unknown>;
  /** false for opt-in rules (enable them in plumb.config); default true. */
  enabledByDefault?: boolean;
  /**
   * How the test suite runs docs.bad / docs.good as the rule's fixture (each in
   * its own schema, on search_path). `options` strings equal to `$schema` are
   * replaced by that schema's name; `bad`/`good` replace the docs' SQL when
   * the example cannot run as written; `skip` says why it cannot run at all.
   */
  fixture?: { options?: Record<string, unknown>; bad?: string; good?: string; skip?: string };
}

/** What a rule reports; the engine adds rule, code, category, default severity and fingerprint. */
export interface RuleReport {
  path: string;
  message: string;
  evidence?: Record<string, unknown>;
  fix?: string;
  sampled?: boolean;
  /** Override the rule's severity for this one finding (e.g. info when only sampled). */
  severity?: Severity;
  /** Extra discriminator for the fingerprint when one path can have several findings. */
  key?: string;
}

export interface RuleContext {
  catalog: Catalog;
  /** The rule's options merged over its defaults. */
  options: Record<string, unknown>;
  /** Read-only query in the audit's READ ONLY transaction (statement timeout applies). Absent for catalog-only audits. */
  query?: <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<T[]>;
  /**
   * How many ctx.query calls can run at once (sessions sharing the audit's
   * snapshot); more wait their turn. Absent: 1.
   */
  parallelism?: number;
  /** What the audited engine can do (set by the engine; for choosing fix SQL). */
  capabilities?: Capabilities;
  /** Dialect helpers for building data queries. */
  quoteIdent(name: string): string;
  quoteQualified(schema: string, name: string): string;
  /** Row count above which data rules must sample (TABLESAMPLE / LIMIT) and say so (sample mode only). */
  sampleThreshold: number;
  /**
   * `sample` (default): a large table is read up to sampleThreshold rows by
   * key. `full`: every row is read; the engine runs the rules' probes
   * (Rule.probes) in one pass per table, which passCounts waits for
   * (data/table-pass.ts).
   */
  dataMode?: 'sample' | 'full';
  /** Names of tables/routines/events declared by the spec, when a spec was given (for drift rules). */
  spec?: unknown;
  /** The spec realised as a catalog (src/spec specToCatalog), when a spec was given: what spec-difference diffs against. */
  specCatalog?: Catalog;
  /**
   * State shared by the rules of one audit run (set by the engine), for data
   * helpers that read once what several rules need (data/table-profile.ts).
   * Absent when a rule is run on its own: the helpers then just compute.
   */
  memo?: Map<string, unknown>;
  report(r: RuleReport): void;
  /** Record that part of the check could not run (timeout, privilege) — the audit continues. */
  skip(reason: string, path?: string): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void | Promise<void>;
  /**
   * Data rules: the per-row aggregates `check` will ask for in full mode
   * (tablePass), so that the engine reads every table once for all rules.
   * Pure (catalog and options only). Absent: the rule reads on its own.
   */
  probes?(ctx: RuleContext): PassProbe[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
