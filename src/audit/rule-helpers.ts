// Small, pure helpers shared by catalog rules: iteration, index coverage,
// type comparison and name matching. Nothing here touches a database.
import type { Catalog, Column, ColumnType, Index, Schema, Table } from '../catalog/types.js';
import { matchesGlob } from '../dialects/dialect.js';

export function* tablesOf(c: Catalog): Generator<{ schema: Schema; table: Table }> {
  for (const schema of c.schemas) for (const table of schema.tables) yield { schema, table };
}

/** Partitions inherit their parent's definition; rules about definitions report the parent only. */
export function isPartition(t: Table): boolean {
  return t.kind === 'partition' || !!t.partitionOf;
}

/** Leading plain-column names of an index (stops at the first expression). */
export function leadingColumns(ix: Index): string[] {
  const out: string[] = [];
  for (const e of ix.elements) {
    if (!e.column) break;
    out.push(e.column);
  }
  return out;
}

/**
 * True when a partial index's predicate only excludes rows whose `columns` are
 * NULL (`fk IS NOT NULL [AND …]`): lookups by `fk = $1` never need those rows,
 * so the index still serves them (the planner proves the predicate from `=`).
 */
export function onlyNotNull(predicate: string, columns: readonly string[]): boolean {
  const unwrap = (e: string): string => {
    let x = e.trim();
    while (x.startsWith('(') && x.endsWith(')') && balanced(x.slice(1, -1))) x = x.slice(1, -1).trim();
    return x;
  };
  const parts = unwrap(predicate).split(/\s+AND\s+/i).map(unwrap);
  return parts.every((p) => {
    const m = /^(?:[`"]?)([^`"\s()]+)(?:[`"]?)\s+IS\s+NOT\s+NULL$/i.exec(p);
    return !!m && columns.includes(m[1]!);
  });
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * True when the index can serve lookups on `columns`: its first
 * columns.length key columns are exactly those columns (in any order), it is
 * valid and not partial (unless it only leaves out rows whose `columns` are
 * NULL). A composite PK or index led by the FK covers it.
 */
export function indexCovers(ix: Index, columns: readonly string[]): boolean {
  if (!ix.valid || (ix.predicate && !onlyNotNull(ix.predicate, columns))) return false;
  const lead = leadingColumns(ix).slice(0, columns.length);
  if (lead.length < columns.length) return false;
  const want = new Set(columns);
  return lead.every((c) => want.has(c));
}

export function tableHasCoveringIndex(t: Table, columns: readonly string[]): boolean {
  if (t.primaryKey && t.indexes.every((i) => !i.primary)) {
    // Engines that report the PK only as a constraint: treat it as an index.
    const lead = t.primaryKey.columns.slice(0, columns.length);
    if (lead.length === columns.length && lead.every((c) => columns.includes(c))) return true;
  }
  return t.indexes.some((ix) => indexCovers(ix, columns));
}

/** A comparable spelling of a column type (kind + size), ignoring engine spelling. */
export function typeKey(t: ColumnType): string {
  const parts: string[] = [t.kind];
  if (t.length !== undefined) parts.push(`len=${t.length}`);
  if (t.precision !== undefined && t.kind === 'numeric') parts.push(`p=${t.precision}`);
  if (t.scale !== undefined && t.kind === 'numeric') parts.push(`s=${t.scale}`);
  if (t.ref) parts.push(`ref=${t.ref}`);
  if (t.unsigned) parts.push('unsigned');
  if (t.element) parts.push(`of=${typeKey(t.element)}`);
  return parts.join(',');
}

export function column(t: Table, name: string): Column | undefined {
  return t.columns.find((c) => c.name === name);
}

/** Option value as a list of strings (accepts a single string too). */
export function stringList(v: unknown, fallback: string[] = []): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return [v];
  return fallback;
}

export function matchesAny(name: string, globs: readonly string[]): boolean {
  return globs.some((g) => matchesGlob(name, g));
}

/** Largest value an integer-kind column can hold, or null for other kinds. */
export function integerMax(kind: string): bigint | null {
  switch (kind) {
    case 'smallint':
      return 32767n;
    case 'int':
      return 2147483647n;
    case 'bigint':
      return 9223372036854775807n;
    case 'tinyint':
      return 127n;
    case 'mediumint':
      return 8388607n;
    default:
      return null;
  }
}

/** `api_key` → ['api', 'key']: snake, kebab and camel parts, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Singular forms to try for a table name (`categories` → `category`, `boxes` → `box`). */
export function singulars(name: string): string[] {
  const n = name.toLowerCase();
  const out = new Set([n]);
  if (n.endsWith('ies')) out.add(n.slice(0, -3) + 'y');
  if (n.endsWith('ses') || n.endsWith('xes') || n.endsWith('ches') || n.endsWith('shes')) out.add(n.replace(/es$/, ''));
  if (n.endsWith('s') && !n.endsWith('ss')) out.add(n.slice(0, -1));
  return [...out];
}

/** The expression `true` as engines print it (`true`, `(true)`, `1`). */
export function isAlwaysTrue(expr: string | null): boolean {
  if (expr === null) return false;
  const e = expr.replace(/\s+/g, '').replace(/^\(+|\)+$/g, '').toLowerCase();
  return e === 'true' || e === '1' || e === "'t'::boolean" || e === "'true'::boolean";
}
