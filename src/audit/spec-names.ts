// Reads the names a spec declares (routines, triggers, events) without
// depending on the spec module's types: any Catalog-shaped object works.
export interface DeclaredNames {
  routines: Set<string>;
  triggers: Set<string>;
  events: Set<string>;
}

type Named = { name?: unknown };
type SchemaLike = { name?: unknown; routines?: Named[]; events?: Named[]; tables?: { name?: unknown; triggers?: Named[] }[] };

/** `schema.name` keys declared by the spec, or null when no spec (or no schemas in it) was given. */
export function declaredNames(spec: unknown): DeclaredNames | null {
  const schemas = (spec as { schemas?: SchemaLike[] } | null | undefined)?.schemas;
  if (!Array.isArray(schemas)) return null;
  const out: DeclaredNames = { routines: new Set(), triggers: new Set(), events: new Set() };
  for (const s of schemas) {
    const sn = String(s.name ?? '');
    for (const r of s.routines ?? []) out.routines.add(`${sn}.${String(r.name)}`);
    for (const e of s.events ?? []) out.events.add(`${sn}.${String(e.name)}`);
    for (const t of s.tables ?? []) for (const tr of t.triggers ?? []) out.triggers.add(`${sn}.${String(t.name)}.${String(tr.name)}`);
  }
  return out;
}
