// The schemas plumb itself writes to (apply journal and history, quarantined
// rows, backups). Audits and diffs leave them out unless asked for by name.
import type { InspectOptions } from '../dialects/dialect.js';

export const PLUMB_SCHEMAS: readonly string[] = ['plumb', 'plumb_quarantine', 'plumb_backup'];

/** Inspect options that skip plumb's own schemas, unless the caller named schemas explicitly. */
export function withoutPlumbSchemas(o: InspectOptions = {}): InspectOptions {
  if (o.schemas?.length) return o;
  return { ...o, excludeSchemas: [...(o.excludeSchemas ?? []), ...PLUMB_SCHEMAS] };
}
