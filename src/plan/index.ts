// The plan module's public surface.
export { buildPlan, detachDependentViews, stepIndex, DEFAULT_LARGE_TABLE_ROWS, DEFAULT_LOCK_TIMEOUT_MS, type BuildPlanInput } from './build-plan.js';
export { planChecksum, planBody } from './plan-checksum.js';
export { planFromSpec, runPlanPreChecks, inspectLive, specChecksum, PLUMB_SCHEMAS, type SpecPlan } from './plan-spec.js';
export { renderPlanMarkdown, renderPlanSql, renderPlanJson, type PreCheckResults } from './render-plan.js';
export { remediationSql, allowedPolicies, QUARANTINE_SCHEMA } from './remediation.js';
export { HAZARDS, type HazardMeta } from './hazards.js';
export { PLAN_FORMAT_VERSION, planSteps, type Plan, type PlanBody, type PlanPhase, type PlanStep, type PlanOptions, type PreCheck, type RemediationPolicy, type SafetyClass, type Hazard } from './types.js';
