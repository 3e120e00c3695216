// The plan checksum: sha256 of the normalised plan body (format version
// inside; no timestamps, no plumb version), so upgrading plumb never changes
// the checksum of a plan already applied (liquibase#4720, flyway#2027).
import { createHash } from 'node:crypto';
import { stableStringify } from '../catalog/normalize.js';
import type { Plan, PlanBody } from './types.js';

export function planBody(plan: PlanBody | Plan): PlanBody {
  const { formatVersion, dialect, catalogChecksum, targetChecksum, specChecksum, options, allow, phases } = plan;
  return { formatVersion, dialect, catalogChecksum, targetChecksum, specChecksum, options, allow, phases };
}

export function planChecksum(plan: PlanBody | Plan): string {
  return createHash('sha256').update(stableStringify(planBody(plan))).digest('hex');
}
