// `fleet diff|plan|verify`: each target compared with the spec (realised once
// per binding), its own plan built against its own catalog, and the drift
// matrix: which targets differ from the spec and how, grouped into variants
// (targets with the same differences). Reads only.
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/types.js';
import { stableStringify } from '../catalog/normalize.js';
import type { Change } from '../diff/changes.js';
import { describeChange } from '../diff/describe.js';
import { diffCatalogs } from '../diff/diff.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import { buildPlan } from '../plan/build-plan.js';
import { specChecksum } from '../plan/plan-spec.js';
import { planSteps, type Plan, type PlanOptions } from '../plan/types.js';
import { diffOptionsOn, inspectLive, liveSchemaNames } from '../spec/compare-spec.js';
import { bindSchema, specSchemaMap } from '../spec/bind-target.js';
import type { Spec } from '../spec/types.js';
import { verify, type VerifyReport } from '../verify/verify.js';
import type { DesiredCatalogs } from './desired-catalogs.js';
import { runFleet, type RunFleetOptions, type TargetOutcome, type TargetStatus } from './run-fleet.js';
import type { FleetTarget, Labels } from './targets.js';
import { homeNeutral, mapStrings } from './home-neutral.js';

/** The target inspected over the spec's schemas, and the changes that would make it match (as compareWithSpec, with the spec realised once). */
export async function compareTarget(conn: Connection, spec: Spec, desired: Catalog): Promise<{ live: Catalog; changes: Change[]; schemas: string[] }> {
  const schemas = liveSchemaNames(conn, spec, desired);
  const live = await inspectLive(conn, schemas.length ? schemas : [bindSchema(specSchemaMap(spec, getDialect(conn.dialect), conn.target), 'public')], desired);
  return { live, changes: diffCatalogs(live, desired, diffOptionsOn(conn, spec)), schemas };
}

/** This target's own plan, built against its own catalog (as planFromSpec). */
export async function planTarget(conn: Connection, spec: Spec, desired: Catalog, options: PlanOptions & { plumbVersion?: string; createdAt?: string } = {}): Promise<{ plan: Plan; changes: Change[] }> {
  const { live, changes, schemas } = await compareTarget(conn, spec, desired);
  const plan = buildPlan({
    changes,
    from: live,
    to: desired,
    dialect: getDialect(conn.dialect),
    specChecksum: specChecksum(spec),
    plumbVersion: options.plumbVersion,
    createdAt: options.createdAt ?? new Date().toISOString(),
    options: { concurrently: options.concurrently, largeTableRows: options.largeTableRows, lockTimeoutMs: options.lockTimeoutMs, remediate: options.remediate, allow: options.allow, schemas },
  });
  return { plan, changes };
}

/**
 * What the steps would do, independent of the target (its home schema read through `neutral`, its tables' sizes and
 * the time estimates made from them left out: one more row is not another migration): equal for tenants that need the
 * same migration. A size that changes the statements (NOT VALID on a large table) still changes the fingerprint.
 */
export function stepsFingerprint(plan: Pick<Plan, 'phases'>, neutral: (s: string) => string = (s) => s): string {
  const phases = plan.phases.map((p) => ({
    ...p,
    steps: p.steps.map(({ impact, ...step }) => (impact ? { ...step, impact: { ...impact, estimatedMs: null, table: { schema: impact.table.schema, name: impact.table.name } } } : step)),
  }));
  return createHash('sha256').update(stableStringify(mapStrings(phases, neutral))).digest('hex').slice(0, 16);
}

export interface FleetSpecTarget {
  name: string;
  url: string;
  labels: Labels;
  status: TargetStatus;
  durationMs: number;
  error?: string;
  /** Differences from the spec, described (`+ table public.invoices`), in diff order. */
  changes?: string[];
  /** Index into `variants` (targets with identical differences). */
  variant?: number;
  plan?: { checksum: string; steps: number; safety: Record<string, number>; hazards: string[]; fingerprint: string };
  verify?: { passed: number; failed: number; skipped: number; failures: string[] };
}

export interface FleetSpecReport {
  formatVersion: 1;
  kind: 'fleet-diff' | 'fleet-plan' | 'fleet-verify';
  spec: string;
  generatedAt: string;
  durationMs: number;
  summary: { targets: number; matching: number; drifted: number; unreachable: number; timeout: number; error: number; verifyFailed?: number };
  /** Distinct sets of differences, most common first; variant 0 with no changes is "matches the spec". */
  variants: { changes: string[]; targets: string[] }[];
  /** Every difference seen in the fleet, with the targets that have it: the drift matrix's columns. */
  matrix: { change: string; targets: string[] }[];
  targets: FleetSpecTarget[];
}

export type FleetSpecMode = 'diff' | 'plan' | 'verify';

export interface FleetSpecOptions extends RunFleetOptions {
  plumbVersion?: string;
  plan?: PlanOptions;
  verify?: { probes?: boolean; drift?: boolean };
  now?: () => Date;
}

interface Raw {
  changes: string[];
  plan?: FleetSpecTarget['plan'];
  verify?: FleetSpecTarget['verify'];
}

export async function fleetSpec(mode: FleetSpecMode, targets: readonly FleetTarget[], spec: Spec, desired: DesiredCatalogs, specName: string, options: FleetSpecOptions = {}): Promise<FleetSpecReport> {
  const started = Date.now();
  const outcomes = await runFleet(
    targets,
    async (conn): Promise<Raw> => {
      const target = await desired.for(conn);
      // Each MySQL tenant's own database name reads {db}: tenants with the same differences form one variant.
      const neutral = homeNeutral(conn.target);
      const described = (changes: Change[]) => changes.map((c) => neutral(describeChange(c)));
      if (mode === 'plan') {
        const { plan, changes } = await planTarget(conn, spec, target, { ...options.plan, ...(options.plumbVersion ? { plumbVersion: options.plumbVersion } : {}) });
        const steps = planSteps(plan);
        const safety: Record<string, number> = {};
        for (const s of steps) safety[s.safety] = (safety[s.safety] ?? 0) + 1;
        const hazards = [...new Set(steps.flatMap((s) => s.hazards.map((h) => `${h.code}:${neutral(s.path)}`)))].sort();
        return { changes: described(changes), plan: { checksum: plan.checksum, steps: steps.length, safety, hazards, fingerprint: stepsFingerprint(plan, neutral) } };
      }
      const { live, changes } = await compareTarget(conn, spec, target);
      if (mode === 'diff') return { changes: described(changes) };
      const report: VerifyReport = await verify(conn, { checks: spec.verify, target, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsOn(conn, spec)) }, options.verify ?? {});
      const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.name}${r.detail ? `: ${r.detail}` : ''}`);
      return { changes: described(changes), verify: { passed: report.passed, failed: report.failed, skipped: report.skipped, failures } };
    },
    options,
  );
  return summarizeFleetSpec(mode, outcomes, { spec: specName, generatedAt: (options.now?.() ?? new Date()).toISOString(), durationMs: Date.now() - started });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type FleetDrift = Pick<FleetSpecReport, 'variants' | 'matrix'>;

/**
 * Pure: targets (sorted by name) with their differences → the variants (targets with the same differences, most
 * common first) and the drift matrix (each difference with the targets that have it); sets each row's `variant`.
 */
export function groupDrift(rows: { name: string; changes?: string[]; variant?: number }[]): FleetDrift {
  const byKey = new Map<string, { changes: string[]; targets: string[] }>();
  const matrix = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.changes) continue;
    const key = JSON.stringify(r.changes);
    let v = byKey.get(key);
    if (!v) byKey.set(key, (v = { changes: r.changes, targets: [] }));
    v.targets.push(r.name);
    for (const c of r.changes) matrix.set(c, [...(matrix.get(c) ?? []), r.name]);
  }
  const variants = [...byKey.values()].sort((a, b) => b.targets.length - a.targets.length || a.changes.length - b.changes.length || cmp(JSON.stringify(a.changes), JSON.stringify(b.changes)));
  const index = new Map(variants.map((v, i) => [JSON.stringify(v.changes), i]));
  for (const r of rows) if (r.changes) r.variant = index.get(JSON.stringify(r.changes))!;
  return { variants, matrix: [...matrix.entries()].map(([change, targets]) => ({ change, targets })).sort((a, b) => b.targets.length - a.targets.length || cmp(a.change, b.change)) };
}

/** Pure: outcomes → report with variants and the drift matrix. */
export function summarizeFleetSpec(mode: FleetSpecMode, outcomes: readonly TargetOutcome<Raw>[], meta: { spec: string; generatedAt: string; durationMs: number }): FleetSpecReport {
  const rows: FleetSpecTarget[] = outcomes.map((o) => ({
    name: o.target.name,
    url: o.target.redacted,
    labels: o.target.labels,
    status: o.status,
    durationMs: Math.round(o.durationMs),
    ...(o.error ? { error: o.error } : {}),
    ...(o.value ? { changes: o.value.changes } : {}),
    ...(o.value?.plan ? { plan: o.value.plan } : {}),
    ...(o.value?.verify ? { verify: o.value.verify } : {}),
  }));
  rows.sort((a, b) => cmp(a.name, b.name));
  const { variants, matrix } = groupDrift(rows);
  const count = (s: TargetStatus) => rows.filter((r) => r.status === s).length;
  const matching = rows.filter((r) => r.changes && r.changes.length === 0).length;
  return {
    formatVersion: 1,
    kind: `fleet-${mode}`,
    spec: meta.spec,
    generatedAt: meta.generatedAt,
    durationMs: meta.durationMs,
    summary: {
      targets: rows.length,
      matching,
      drifted: rows.filter((r) => r.changes && r.changes.length > 0).length,
      unreachable: count('unreachable'),
      timeout: count('timeout'),
      error: count('error'),
      ...(mode === 'verify' ? { verifyFailed: rows.filter((r) => r.verify && r.verify.failed > 0).length } : {}),
    },
    variants,
    matrix,
    targets: rows,
  };
}
