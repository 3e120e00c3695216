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

/**
 * Where the engine has no schemas (SQLite), plumb's tables sit beside the user's
 * with the schema as a prefix: `plumb_journal`, `plumb_history`,
 * `plumb_quarantine_<schema>__<table>_<step>`. The plumb schema such a table stands for, if any.
 */
export function plumbSchemaOfTable(name: string): string | undefined {
  if (/^plumb_(journal|history)$/.test(name)) return 'plumb';
  return PLUMB_SCHEMAS.find((s) => s !== 'plumb' && name.startsWith(`${s}_`));
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
          // The append trigger is `zz_plumb_chain_append` (Postgres) or carries the table's name (MySQL, SQLite).
          const chained = t.triggers.some((tr) => /^(zz_)?plumb_chain_append(_|$)/.test(tr.name));
          if (!chained && !t.triggers.some((tr) => managedName(tr.name))) return t;
          const keep = declaredColumns(s.name, t.name);
          // A table chain install created itself is keyed by seq: a key column is the table's, not machinery.
          for (const col of t.primaryKey?.columns ?? []) keep.add(col);
          return {
            ...t,
            triggers: t.triggers.filter((tr) => !managedName(tr.name)),
            columns: chained ? t.columns.filter((col) => !CHAIN_COLUMNS.has(col.name) || keep.has(col.name)) : t.columns,
            indexes: chained ? t.indexes.filter((i) => !i.name.endsWith('_plumb_seq')) : t.indexes,
            // MySQL reports the seq index as a unique key.
            uniques: chained ? t.uniques.filter((u) => !u.name.endsWith('_plumb_seq')) : t.uniques,
          };
        }),
    })),
  };
}

/**
 * The paths of what plumb made itself in `c` — hash-chain functions and
 * triggers, the plumb_chain head table — so that an audit reports on the
 * database, not on plumb's machinery (which rules such as audit-log-mutable
 * must still see). A path is plumb's when listed or under a listed table. Pure.
 */
export function plumbObjectPaths(c: Catalog): (path: string) => boolean {
  const exact = new Set<string>();
  const tables: string[] = [];
  for (const s of c.schemas) {
    if (PLUMB_SCHEMAS.includes(s.name)) tables.push(s.name);
    for (const r of s.routines) if (managedName(r.name)) exact.add(r.path);
    for (const t of s.tables) {
      if (t.name === 'plumb_chain') tables.push(t.path);
      for (const tr of t.triggers) if (managedName(tr.name)) exact.add(tr.path);
    }
  }
  return (path) => exact.has(path) || tables.some((p) => path === p || path.startsWith(`${p}.`));
}
