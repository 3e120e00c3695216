// The set of values a status-like column is declared to hold: from a CHECK
// `IN (…)` / `= ANY (ARRAY[…])` on it, an enum type named after it, or the
// same-named column of another table (enum-typed or checked). Pure catalog
// reading; the rules compare the data against it.
import type { Catalog, CheckConstraint, Column, Table } from '../../catalog/types.js';
import { singulars } from '../rule-helpers.js';

export interface DeclaredSet {
  values: string[];
  /** Where the set comes from, e.g. `check gauges_status_check`, `enum public.gauge_status`. */
  source: string;
  /** True when the engine already enforces it on this very column (validated CHECK, enum type). */
  enforcedHere: boolean;
}

function literals(list: string): string[] {
  const out: string[] = [];
  for (const m of list.matchAll(/'((?:[^']|'')*)'/g)) out.push(m[1]!.replace(/''/g, "'"));
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Literal values of a CHECK that confines `column` to a list. Handles
 * Postgres' `(col)::text = ANY ((ARRAY['a'::varchar, …])::text[])`, plain
 * `col IN ('a', 'b')` (MySQL, SQLite) and `col = 'a' OR col = 'b'` chains.
 * Null when the expression is anything else.
 */
export function checkInList(expression: string, column: string): string[] | null {
  const ref = `\\(*[\`"\\[]?${escapeRe(column)}[\`"\\]]?\\)*(?:::[a-z ]+(?:\\(\\d+\\))?)?`;
  const anyArray = new RegExp(`(?:^|[^\\w])${ref}\\s*=\\s*ANY\\s*\\(\\s*\\(*\\s*ARRAY\\s*\\[([^\\]]*)\\]`, 'i');
  const inList = new RegExp(`(?:^|[^\\w])${ref}\\s+IN\\s*\\(([^)]*)\\)`, 'i');
  const m = anyArray.exec(expression) ?? inList.exec(expression);
  if (m) {
    const vals = literals(m[1]!);
    return vals.length ? vals : null;
  }
  const parts = expression.split(/\s+OR\s+/i);
  const eq = new RegExp(`^\\(*\\s*${ref}\\s*=\\s*('(?:[^']|'')*')(?:::[a-z ]+)?\\s*\\)*$`, 'i');
  const vals: string[] = [];
  for (const p of parts) {
    const e = eq.exec(p.trim());
    if (!e) return null;
    vals.push(...literals(e[1]!));
  }
  return parts.length > 1 && vals.length ? vals : null;
}

function checkSet(checks: readonly CheckConstraint[], column: string): { values: string[]; check: CheckConstraint } | null {
  for (const k of checks) {
    const values = checkInList(k.expression, column);
    if (values) return { values, check: k };
  }
  return null;
}

function enumLabels(c: Catalog, ref: string): string[] | undefined {
  for (const s of c.schemas) for (const e of s.enums) if (e.path === ref || `${s.name}.${e.name}` === ref) return e.labels;
  return undefined;
}

/** Values a column is confined to by its own type (enum type or inline labels). */
function typeSet(c: Catalog, col: Column): string[] | undefined {
  if (col.type.labels?.length) return col.type.labels;
  if (col.type.kind === 'enum' && col.type.ref) return enumLabels(c, col.type.ref);
  return undefined;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** The declared value set of `table.column`, or null when nothing declares one (or declarations disagree). */
export function declaredSet(c: Catalog, table: Table, column: Column): DeclaredSet | null {
  const own = typeSet(c, column);
  if (own) return { values: own, source: column.type.ref ? `enum ${column.type.ref}` : `type of ${column.path}`, enforcedHere: true };
  const ck = checkSet(table.checks, column.name);
  if (ck) return { values: ck.values, source: `check ${ck.check.name}${ck.check.validated ? '' : ' (NOT VALID)'}`, enforcedHere: ck.check.validated };
  // An enum type named after the column: `status`, `gauge_status`, `gauges_status`.
  const schema = c.schemas.find((s) => s.name === table.schema);
  const names = new Set([column.name, `${table.name}_${column.name}`, ...singulars(table.name).map((s) => `${s}_${column.name}`)].map((n) => n.toLowerCase()));
  const en = schema?.enums.find((e) => names.has(e.name.toLowerCase()));
  if (en) return { values: en.labels, source: `enum ${en.path}`, enforcedHere: false };
  // The same column name elsewhere, enum-typed or checked; only when every declaration agrees.
  const found: { values: string[]; source: string }[] = [];
  for (const s of c.schemas)
    for (const t of s.tables) {
      if (t === table) continue;
      const other = t.columns.find((x) => x.name === column.name);
      if (!other) continue;
      const ts = typeSet(c, other);
      if (ts) found.push({ values: ts, source: `type of ${other.path}` });
      const oc = checkSet(t.checks, column.name);
      if (oc) found.push({ values: oc.values, source: `check ${oc.check.name} on ${t.path}` });
    }
  if (!found.length || !found.every((f) => sameSet(f.values, found[0]!.values))) return null;
  return { values: found[0]!.values, source: found[0]!.source, enforcedHere: false };
}
