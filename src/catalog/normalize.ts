// Puts a catalog into its normal form: every list in a deterministic order,
// so the same database always serialises to the same bytes.
import { createHash } from 'node:crypto';
import type { Catalog, Schema, Table, View } from './types.js';

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function sortTable(t: Table): Table {
  return {
    ...t,
    columns: [...t.columns].sort((a, b) => a.ordinal - b.ordinal),
    uniques: [...t.uniques].sort(byName),
    foreignKeys: [...t.foreignKeys].sort(byName),
    checks: [...t.checks].sort(byName),
    exclusions: [...t.exclusions].sort(byName),
    indexes: [...t.indexes].sort(byName),
    triggers: [...t.triggers].sort(byName),
    policies: [...t.policies].sort(byName),
    grants: [...t.grants].map((g) => ({ ...g, privileges: [...g.privileges].sort() })).sort((a, b) => (a.grantee < b.grantee ? -1 : a.grantee > b.grantee ? 1 : 0)),
  };
}

function sortView(v: View): View {
  return {
    ...v,
    indexes: [...v.indexes].sort(byName),
    triggers: [...v.triggers].sort(byName),
    grants: [...v.grants].map((g) => ({ ...g, privileges: [...g.privileges].sort() })).sort((a, b) => (a.grantee < b.grantee ? -1 : a.grantee > b.grantee ? 1 : 0)),
  };
}

function sortSchema(s: Schema): Schema {
  return {
    ...s,
    tables: s.tables.map(sortTable).sort(byName),
    views: s.views.map(sortView).sort(byName),
    enums: [...s.enums].sort(byName),
    domains: [...s.domains].sort(byName),
    compositeTypes: [...s.compositeTypes].sort(byName),
    sequences: [...s.sequences].sort(byName),
    routines: [...s.routines].sort(byPath),
    events: [...s.events].sort(byName),
  };
}

export function normalizeCatalog(c: Catalog): Catalog {
  return {
    ...c,
    extensions: [...c.extensions].sort(byName),
    schemas: c.schemas.map(sortSchema).sort(byName),
    settings: Object.fromEntries(Object.entries(c.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/**
 * JSON with keys in a fixed order (sorted) at every level: the same catalog
 * gives the same bytes. Only objects whose keys are out of order are copied
 * (catalogs are built with sorted keys, so a 20 MB catalog is serialised in
 * place rather than copied first), and a value marked with markKeyOrdered is
 * not even walked.
 */
export function stableStringify(value: unknown, indent = 0): string {
  return JSON.stringify(value !== null && typeof value === 'object' && keyOrdered.has(value) ? value : inKeyOrder(value), null, indent);
}

/** Values whose every object lists its keys in sorted order (see markKeyOrdered). */
const keyOrdered = new WeakSet<object>();

/**
 * Records that every object in `v` already lists its keys in sorted order,
 * so that stableStringify serialises it without walking it first (on a
 * 2,000-table catalog the walk is ≈ 30 ms of a CLI inspect). For catalogs
 * their introspector builds so, and that nothing changes afterwards (catalog
 * objects are never mutated in place). Under vitest the claim is checked,
 * so that every test that inspects a database proves it for what it built.
 */
export function markKeyOrdered<T extends object>(v: T): T {
  if (process.env.VITEST && inKeyOrder(v) !== v) throw new Error('markKeyOrdered: the value has objects whose keys are not in sorted order');
  keyOrdered.add(v);
  return v;
}

/** `o` itself when its own keys are in sorted order, else a shallow copy whose keys are. */
export function withSortedKeys<T extends object>(o: T): T {
  let prev: string | undefined;
  for (const k in o) {
    if (prev !== undefined && !(prev < k)) return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
    prev = k;
  }
  return o;
}

/**
 * `v` itself when every object in it already lists its keys in sorted order,
 * else a copy that does (copying only the objects on the way to one that
 * does not). The result serialises exactly as sortKeys(v) does.
 */
function inKeyOrder(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = inKeyOrder(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  // Anything but a plain object (a Date, a class, a toJSON method) is taken apart as sortKeys always did.
  const proto: unknown = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return sortKeys(v);
  const o = v as Record<string, unknown>;
  let prev: string | undefined;
  let sorted = true;
  let changed: Map<string, unknown> | undefined;
  for (const k in o) {
    if (prev !== undefined && !(prev < k)) sorted = false;
    prev = k;
    const x = o[k];
    const y = inKeyOrder(x);
    if (y !== x) (changed ??= new Map()).set(k, y);
  }
  // Undefined values need no copy: JSON.stringify leaves them out just as sortKeys does.
  if (sorted && changed === undefined) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const x = changed?.has(k) ? changed.get(k) : o[k];
    if (x !== undefined) out[k] = x;
  }
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/**
 * Checksum of the catalog's structure: statistics (row estimates, sizes,
 * sequence positions) are left out so that plans stay valid while data moves,
 * and so are session settings (sql_mode, SQLite's per-connection
 * foreign_keys), which differ between connections to the same database.
 */
export function catalogChecksum(c: Catalog): string {
  const structural = {
    ...c,
    serverVersion: undefined,
    settings: undefined,
    schemas: c.schemas.map((s) => ({
      ...s,
      tables: s.tables.map((t) => ({ ...t, rowEstimate: undefined, rowsExact: undefined, totalBytes: undefined })),
      sequences: s.sequences.map((q) => ({ ...q, lastValue: undefined })),
    })),
  };
  return createHash('sha256').update(stableStringify(structural)).digest('hex');
}

/** Iterate every table of a catalog with its schema. */
export function* allTables(c: Catalog): Generator<Table> {
  for (const s of c.schemas) yield* s.tables;
}

export function findTable(c: Catalog, schema: string, name: string): Table | undefined {
  return c.schemas.find((s) => s.name === schema)?.tables.find((t) => t.name === name);
}

/**
 * A table with no columns, keys or dependents yet: what introspectors and
 * loaders fill in. Keys in sorted order, as stableStringify writes them, so
 * that a catalog built from it is serialised without a copy.
 */
export function emptyTable(schema: string, name: string, path: string, fields: Partial<Table> = {}): Table {
  // Optional fields (partitionOf …) come last in `fields`: put them in their place.
  return withSortedKeys({
    checks: [],
    columns: [],
    comment: null,
    exclusions: [],
    foreignKeys: [],
    grants: [],
    indexes: [],
    kind: 'table',
    name,
    owner: null,
    path,
    policies: [],
    primaryKey: null,
    rls: { enabled: false, forced: false },
    rowEstimate: null,
    schema,
    totalBytes: null,
    triggers: [],
    uniques: [],
    ...fields,
  });
}
