// Renames schemas throughout a catalog: every `schema` field, every object path
// and type reference that starts with a renamed schema. Used to land a spec's
// default schema in the connected MySQL database or SQLite's `main`, and to map
// scratch databases back. Pure: catalog in, catalog out; never guesses.
import type { Catalog } from './types.js';
import { pathPart } from './paths.js';
import { normalizeCatalog } from './normalize.js';

/** Fields holding a path (`schema.object…`) or a qualified name whose first part is a schema. */
const PATH_KEYS = new Set(['path', 'ref', 'ownedBy']);

export interface RenameSchemasOptions {
  /** Also replace these exact substrings in every string (quoted names inside definitions the engine printed). */
  text?: Record<string, string>;
}

export function renameSchemas(catalog: Catalog, map: Readonly<Record<string, string>>, options: RenameSchemasOptions = {}): Catalog {
  const entries = Object.entries(map).filter(([a, b]) => a !== b);
  const text = Object.entries(options.text ?? {}).filter(([a, b]) => a !== b);
  if (!entries.length && !text.length) return catalog;
  const byName = new Map(entries);
  const prefixes = entries.map(([a, b]) => [pathPart(a), pathPart(b)] as const);
  const renamePath = (p: string): string => {
    for (const [a, b] of prefixes) {
      if (p === a) return b;
      if (p.startsWith(`${a}.`)) return b + p.slice(a.length);
    }
    return p;
  };
  const renameText = (s: string): string => text.reduce((acc, [a, b]) => acc.split(a).join(b), s);
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key === 'schema') return byName.get(v) ?? v;
      if (key && PATH_KEYS.has(key)) return renamePath(v);
      return text.length ? renameText(v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  // A schema's own `name` is the one `name` that is a schema name.
  const schemas = catalog.schemas.map((s) => ({ ...(walk(s) as Catalog['schemas'][number]), name: byName.get(s.name) ?? s.name }));
  const extensions = catalog.extensions.map((e) => ({ ...e, schema: byName.get(e.schema) ?? e.schema }));
  // Schemas are listed by name: a renamed one may move.
  return normalizeCatalog({ ...catalog, schemas, extensions });
}
