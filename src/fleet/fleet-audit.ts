// `fleet audit`: the library's audit on every target (bounded concurrency,
// per-target timeout), folded into one report: a grade per target and the
// findings by rule across the fleet. Reads only, like `audit`.
import { runAudit, type AuditOptions } from '../audit/audit.js';
import type { AuditResult, Grade, Severity } from '../audit/types.js';
import type { Catalog } from '../catalog/types.js';
import type { Connection } from '../drivers/connection.js';
import { runFleet, type RunFleetOptions, type TargetOutcome, type TargetStatus } from './run-fleet.js';
import type { FleetTarget, Labels } from './targets.js';

export interface FleetAuditOptions extends RunFleetOptions {
  /** Passed to each target's audit (rules, ignore, statement timeout, data…). */
  audit?: Omit<AuditOptions, 'onProgress' | 'specCatalog'>;
  /** The spec as a catalog for this target (DesiredCatalogs: realised once per binding, not once per target). */
  specCatalog?: (conn: Connection) => Promise<Catalog | undefined>;
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

export interface FleetAuditReport {
  formatVersion: 1;
  kind: 'fleet-audit';
  generatedAt: string;
  durationMs: number;
  summary: { targets: number; audited: number; unreachable: number; timeout: number; error: number; grades: Record<Grade, number>; findings: Record<Severity, number> };
  targets: FleetTargetAudit[];
  rules: FleetRuleSummary[];
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
  return summarizeFleetAudit(outcomes, { generatedAt: (options.now?.() ?? new Date()).toISOString(), durationMs: Date.now() - started });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sevRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Folds per-target outcomes into the fleet report. Pure. Targets sorted by name, rules by severity then targets hit. */
export function summarizeFleetAudit(outcomes: readonly TargetOutcome<AuditResult>[], meta: { generatedAt: string; durationMs: number }): FleetAuditReport {
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
  return {
    formatVersion: 1,
    kind: 'fleet-audit',
    generatedAt: meta.generatedAt,
    durationMs: meta.durationMs,
    summary: { targets: rows.length, audited: count('ok'), unreachable: count('unreachable'), timeout: count('timeout'), error: count('error'), grades, findings },
    targets: rows,
    rules,
  };
}
