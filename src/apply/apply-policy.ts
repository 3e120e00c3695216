// Decides which steps apply may run: remediation per step (plan default,
// overridden by --remediate) and which destructive steps are not allowed yet.
// `--yes` is not an input here on purpose: confirming never allows data loss.
import type { PlanStep, RemediationPolicy } from '../plan/types.js';

export function effectivePolicy(step: PlanStep, overrides: Record<string, RemediationPolicy> | undefined): RemediationPolicy {
  return overrides?.[step.id] ?? overrides?.[step.path] ?? step.remediation;
}

/** Hazard codes that make a step destructive, including the remediation chosen for it. */
export function destructiveCodes(step: PlanStep, policy: RemediationPolicy): string[] {
  const codes = step.hazards.filter((h) => /^PH/.test(h.code)).map((h) => h.code);
  if (step.preChecks.length) {
    if (policy === 'delete') codes.push('PH107');
    if (policy === 'nullify') codes.push('PH108');
  }
  return [...new Set(codes)];
}

export interface Refusal {
  step: PlanStep;
  codes: string[];
}

export function isAllowed(step: PlanStep, codes: string[], allow: string[]): boolean {
  return codes.every((code) => allow.some((a) => a === code || a === `${code}:${step.path}` || a === step.id || a === step.path));
}

export function destructiveRefusals(steps: PlanStep[], policyOf: (s: PlanStep) => RemediationPolicy, o: { allow?: string[]; allowDestructive?: boolean }): Refusal[] {
  if (o.allowDestructive) return [];
  const out: Refusal[] = [];
  for (const step of steps) {
    const codes = destructiveCodes(step, policyOf(step));
    if (codes.length && !isAllowed(step, codes, o.allow ?? [])) out.push({ step, codes });
  }
  return out;
}
