// The schemas and objects plumb itself creates (apply journal and history, quarantined
// rows, backups, hash-chain machinery). Audits and diffs leave them out unless asked for.
import type { InspectOptions } from '../dialects/dialect.js';
import type { Catalog } from './types.js';

export const PLUMB_SCHEMAS: readonly string[] = ['plumb', 'plumb_quarantine', 'plumb_backup'];

/** Inspect options that skip plumb's own schemas, unless the caller named schemas explicitly. */
export function withoutPlumbSchemas(o: InspectOptions = {}): InspectOptions {
  if (o.schemas?.length) return o;
  return { ...o, excludeSchemas: [...(o.excludeSchemas ?? []), ...PLUMB_SCHEMAS] };
}

const CHAIN_COLUMNS = new Set(['seq', 'previous_hash', 'row_hash', 'hash_version', 'signature']);
const managedName = (name: string) => /^(zz_)?plumb_/.test(name);

/**
 * The catalog without what `plumb chain install` adds (chain columns, the seq
 * index, plumb_* triggers and functions, the plumb_chain head table), so that
 * comparing a chained database with its spec shows no drift. Pure.
 */
export function withoutPlumbObjects(c: Catalog, declared?: Catalog): Catalog {
  // Chain columns a spec declares itself (the audit-log blueprint does) are the spec's, not plumb's.
  const declaredColumns = (schema: string, table: string) =>
    new Set(declared?.schemas.find((s) => s.name === schema)?.tables.find((t) => t.name === table)?.columns.map((col) => col.name) ?? []);
  return {
    ...c,
    schemas: c.schemas.map((s) => ({
      ...s,
      routines: s.routines.filter((r) => !managedName(r.name)),
      tables: s.tables
        .filter((t) => t.name !== 'plumb_chain')
        .map((t) => {
          const chained = t.triggers.some((tr) => tr.name === 'zz_plumb_chain_append');
          if (!chained && !t.triggers.some((tr) => managedName(tr.name))) return t;
          const keep = declaredColumns(s.name, t.name);
          return {
            ...t,
            triggers: t.triggers.filter((tr) => !managedName(tr.name)),
            columns: chained ? t.columns.filter((col) => !CHAIN_COLUMNS.has(col.name) || keep.has(col.name)) : t.columns,
            indexes: chained ? t.indexes.filter((i) => !i.name.endsWith('_plumb_seq')) : t.indexes,
          };
        }),
    })),
  };
}
