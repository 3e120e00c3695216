// What a spec tells the diff beyond the desired catalog: declared renames
// (`renamedFrom`, `renamedLabels`) and which aspects it manages. Pure.
import type { DiffOptions, RenameHints } from '../diff/diff.js';
import { splitDotted } from './normalize-spec.js';
import { objectPath } from '../catalog/paths.js';
import type { Spec } from './types.js';
import { bindSchema } from './bind-target.js';

/** `old` or `schema.old` → a reference in `schema` by default. */
function ref(text: string, schema: string, bound: Readonly<Record<string, string>>) {
  const p = splitDotted(text);
  return p.length > 1 ? { schema: bindSchema(bound, p[0]!), name: p[1]! } : { schema, name: p[0]! };
}

/** `bound`: where the spec's schemas land on the connection (bind-target.ts), so hints name live schemas. */
export function renameHintsFromSpec(spec: Spec, bound: Readonly<Record<string, string>> = {}): RenameHints {
  const h: RenameHints = { tables: [], columns: [], enums: [], views: [], enumLabels: [] };
  for (const sp of spec.schemas) {
    const s = { name: bindSchema(bound, sp.name) };
    for (const t of sp.tables) {
      const to = { schema: s.name, name: t.name };
      for (const old of t.renamedFrom) h.tables.push({ from: ref(old, s.name, bound), to });
      for (const c of t.columns) for (const old of c.renamedFrom) h.columns.push({ table: to, from: old, to: c.name });
    }
    for (const v of sp.views) for (const old of v.renamedFrom) h.views.push({ from: ref(old, s.name, bound), to: { schema: s.name, name: v.name } });
    for (const e of sp.enums) {
      const to = { schema: s.name, name: e.name };
      for (const old of e.renamedFrom) h.enums.push({ from: ref(old, s.name, bound), to });
      for (const [label, old] of Object.entries(e.renamedLabels)) h.enumLabels.push({ enum: to, from: old, to: label });
    }
  }
  return h;
}

/** Declared USING expressions for column type changes, by target column path. */
export function columnUsingFromSpec(spec: Spec, bound: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of spec.schemas) for (const t of s.tables) for (const c of t.columns) if (c.using) out[objectPath(bindSchema(bound, s.name), t.name, c.name)] = c.using;
  return out;
}

/** Diff options for comparing a live catalog with this spec's catalog; `bound` as for renameHintsFromSpec. */
export function diffOptionsFromSpec(spec: Spec, bound: Readonly<Record<string, string>> = {}): DiffOptions {
  return { renames: renameHintsFromSpec(spec, bound), grants: spec.manage.grants, comments: spec.manage.comments, rls: spec.manage.rls, columnUsing: columnUsingFromSpec(spec, bound) };
}

/**
 * The schemas the spec speaks for: inspect only these on the live side
 * (undeclared schemas are left alone). `bound` maps spec schemas to where they
 * land on the connection (see bind-target.ts).
 */
export function specSchemaNames(spec: Spec, desired?: { schemas: { name: string }[] }, bound: Readonly<Record<string, string>> = {}): string[] {
  const names = new Set(spec.schemas.map((s) => bound[s.name] ?? s.name));
  for (const s of desired?.schemas ?? []) names.add(s.name);
  return [...names].sort();
}
