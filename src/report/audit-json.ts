// The audit as JSON: the AuditResult itself with keys in a fixed order, so the
// same audit gives the same bytes. Shape documented in docs/audit-json.md.
import type { AuditResult } from '../audit/types.js';
import { stableStringify } from '../catalog/normalize.js';

export function renderAuditJson(r: AuditResult): string {
  return stableStringify(r, 2) + '\n';
}
