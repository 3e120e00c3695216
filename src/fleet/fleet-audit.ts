// `fleet audit`: the library's audit on every target (bounded concurrency,
// per-target timeout), folded into one report: a grade per target and the
// findings by rule across the fleet. Reads only, like `audit`.
import { runAudit, type AuditOptions } from '../audit/audit.js';
import type { AuditResult, Grade, Severity } from '../audit/types.js';
import type { Catalog } from '../catalog/types.js';
import type { Connection } from '../drivers/connection.js';
import { runFleet, type RunFleetOptions, type TargetOutcome, type TargetStatus } from './run-fleet.js';
import type { FleetTarget, Labels } from './targets.js';
import { parseDbUrl } from '../drivers/url.js';
import type { FleetApplyReport } from './fleet-apply.js';
import { groupDrift, type FleetDrift } from './fleet-spec.js';
import { homeNeutral } from './home-neutral.js';

export interface FleetAuditOptions extends RunFleetOptions {
  /** Passed to each target's audit (rules, ignore, statement timeout, data…). */
  audit?: Omit<AuditOptions, 'onProgress' | 'specCatalog'>;
  /** The spec as a catalog for this target (DesiredCatalogs: realised once per binding, not once per target). */
  specCatalog?: (conn: Connection) => Promise<Catalog | undefined>;
  /** The spec's name as the report shows it: with it, the report has a drift section. */
  specName?: string;
  now?: () => Date;
}

export interface FleetTargetAudit {
  name: string;
  url: string;
  labels: Labels;
  status: TargetStatus;
  durationMs: number;
  grade?: Grade;
  score?: number;
  counts?: Record<Severity, number>;
  error?: string;
  /** The full audit (absent when the target could not be audited). */
  result?: AuditResult;
}

export interface FleetRuleSummary {
  rule: string;
  code: string;
  severity: Severity;
  title: string;
  findings: number;
  /** Names of the targets with at least one finding of this rule (sorted). */
  targets: string[];
}

const SPEC_DIFFERENCE = 'spec-difference';

export interface FleetAuditReport {
  formatVersion: 1;
  kind: 'fleet-audit';
  generatedAt: string;
  durationMs: number;
  summary: { targets: number; audited: number; unreachable: number; timeout: number; error: number; grades: Record<Grade, number>; findings: Record<Severity, number> };
  targets: FleetTargetAudit[];
  rules: FleetRuleSummary[];
  /** With a spec: which targets differ from it and how (their spec-difference findings, grouped as fleet diff groups them). */
  drift?: { spec: string; matching: number; drifted: number } & FleetDrift;
  /** With a rollout named (--rollout): its state, per target, and its timeline, read from the control database. */
  rollout?: FleetApplyReport;
}

/** Audits every target; an unreachable or slow target is reported in the result, never thrown. */
export async function fleetAudit(targets: readonly FleetTarget[], options: FleetAuditOptions = {}): Promise<FleetAuditReport> {
  const started = Date.now();
  const outcomes = await runFleet(
    targets,
    async (conn) => {
      const specCatalog = await options.specCatalog?.(conn);
      // The fleet is the parallelism: one session per target keeps the server's connection count at --concurrency.
      return (await runAudit(conn, { connections: 1, ...options.audit, ...(specCatalog ? { specCatalog } : {}) })).result;
    },
    options,
  );
  return summarizeFleetAudit(outcomes, { generatedAt: (options.now?.() ?? new Date()).toISOString(), durationMs: Date.now() - started, ...(options.specName ? { spec: options.specName } : {}) });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sevRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Folds per-target outcomes into the fleet report. Pure. Targets sorted by name, rules by severity then targets hit. */
export function summarizeFleetAudit(outcomes: readonly TargetOutcome<AuditResult>[], meta: { generatedAt: string; durationMs: number; spec?: string }): FleetAuditReport {
  const grades: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0, F: 0 };
  const findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<string, FleetRuleSummary>();
  const rows: FleetTargetAudit[] = [];
  for (const o of outcomes) {
    const r = o.value;
    const row: FleetTargetAudit = { name: o.target.name, url: o.target.redacted, labels: o.target.labels, status: o.status, durationMs: Math.round(o.durationMs) };
    if (o.error) row.error = o.error;
    if (r) {
      const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
      for (const f of r.findings) counts[f.severity]++;
      Object.assign(row, { grade: r.grade, score: r.score, counts, result: { ...r, target: { ...r.target, url: o.target.redacted } } });
      grades[r.grade]++;
      for (const s of Object.keys(counts) as Severity[]) findings[s] += counts[s];
      const meta = new Map(r.rules.map((x) => [x.id, x]));
      for (const f of r.findings) {
        let s = byRule.get(f.rule);
        if (!s) byRule.set(f.rule, (s = { rule: f.rule, code: f.code, severity: f.severity, title: meta.get(f.rule)?.title ?? f.rule, findings: 0, targets: [] }));
        s.findings++;
        if (sevRank[f.severity] < sevRank[s.severity]) s.severity = f.severity;
        if (s.targets[s.targets.length - 1] !== o.target.name && !s.targets.includes(o.target.name)) s.targets.push(o.target.name);
      }
    }
    rows.push(row);
  }
  rows.sort((a, b) => cmp(a.name, b.name));
  const rules = [...byRule.values()].map((s) => ({ ...s, targets: [...s.targets].sort(cmp) }));
  rules.sort((a, b) => sevRank[a.severity] - sevRank[b.severity] || b.targets.length - a.targets.length || cmp(a.rule, b.rule));
  const count = (s: TargetStatus) => rows.filter((r) => r.status === s).length;
  const drift = meta.spec === undefined ? undefined : driftOf(rows, meta.spec);
  return {
    ...(drift ? { drift } : {}),
    formatVersion: 1,
    kind: 'fleet-audit',
    generatedAt: meta.generatedAt,
    durationMs: meta.durationMs,
    summary: { targets: rows.length, audited: count('ok'), unreachable: count('unreachable'), timeout: count('timeout'), error: count('error'), grades, findings },
    targets: rows,
    rules,
  };
}

/** The drift section: each audited target's differences from the spec (its spec-difference findings, its own database read as {db}). */
function driftOf(rows: readonly FleetTargetAudit[], spec: string): NonNullable<FleetAuditReport['drift']> {
  const prefix = 'differs from the spec: ';
  const withChanges = rows
    .filter((r) => r.result)
    .map((r) => {
      const neutral = homeNeutral(parseDbUrl(r.url));
      return { name: r.name, changes: r.result!.findings.filter((f) => f.rule === SPEC_DIFFERENCE).map((f) => neutral(f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message)) };
    });
  const { variants, matrix } = groupDrift(withChanges);
  return { spec, matching: withChanges.filter((r) => !r.changes.length).length, drifted: withChanges.filter((r) => r.changes.length).length, variants, matrix };
}
