// The plan checksum: sha256 of the normalised plan body (format version
// inside; no timestamps, no plumb version), so upgrading plumb never changes
// the checksum of a plan already applied (liquibase#4720, flyway#2027).
import { createHash } from 'node:crypto';
import { stableStringify } from '../catalog/normalize.js';
import type { Plan, PlanBody, PlanPhase, PlanStep } from './types.js';

export function planBody(plan: PlanBody | Plan): PlanBody {
  const { formatVersion, dialect, catalogChecksum, targetChecksum, specChecksum, options, allow, phases } = plan;
  return { formatVersion, dialect, catalogChecksum, targetChecksum, specChecksum, options, allow, phases };
}

/**
 * A step's table size, row estimate and duration estimate describe the
 * database when the plan was made, not what the plan does: they stay out of
 * the checksum, so the same changes planned for a table of another size
 * (another tenant, or an hour later) are the same plan. The lock and the work
 * stay in: `--max-lock` and `--no-rewrite` decide on them.
 */
function withoutSizes(step: PlanStep): PlanStep {
  if (!step.impact) return step;
  const { lock, blocks, work, table } = step.impact;
  return { ...step, impact: { lock, blocks, work, table: { schema: table.schema, name: table.name } } as PlanStep['impact'] };
}

export function planChecksum(plan: PlanBody | Plan): string {
  const body = planBody(plan);
  const phases: PlanPhase[] = body.phases.map((p) => ({ ...p, steps: p.steps.map(withoutSizes) }));
  return createHash('sha256').update(stableStringify({ ...body, phases })).digest('hex');
}
