// A spec's draft catalog created in a scratch space of the target's own engine
// (SQLite in memory, scratch databases on a MySQL server) and inspected back,
// so defaults, checks, views and types are compared as that engine prints
// them. The plan that builds it is plumb's own, so what loads here is what
// `apply` will run. Never touches the target database.
import type { Catalog } from '../catalog/types.js';
import { renameSchemas } from '../catalog/rename-schemas.js';
import type { Dialect, ScratchSpace } from '../dialects/dialect.js';
import type { DbTarget } from '../drivers/url.js';
import { diffCatalogs } from '../diff/diff.js';
import { PlumbError } from '../errors.js';
import { buildPlan } from '../plan/build-plan.js';
import { planSteps } from '../plan/types.js';
import type { Spec } from './types.js';

/**
 * Realises `draft` (already bound to the target's schemas and adapted to the
 * dialect) on the engine and returns the inspected catalog, in `draft`'s schema
 * names. Undefined when the dialect has no scratch space to offer here.
 */
export async function realizeOnEngine(d: Dialect, draft: Catalog, server: DbTarget | undefined, home: string | undefined, manage: Spec['manage'], sql: Spec['sql'] = []): Promise<Catalog | undefined> {
  if (!d.openScratch) return undefined;
  // A .sql spec's objects land in the home schema (the URL's database), which the draft may not name.
  const schemas = [...new Set([...draft.schemas.map((s) => s.name), ...(sql.length && home !== undefined ? [home] : [])])];
  const scratch: ScratchSpace | undefined = await d.openScratch(server, schemas, home);
  if (!scratch) return undefined;
  const back = Object.fromEntries(Object.entries(scratch.names).map(([name, there]) => [there, name]));
  const named = (s: string) => Object.entries(back).reduce((acc, [a, b]) => acc.split(a).join(b), s);
  try {
    const there = renameSchemas(draft, scratch.names);
    // The scratch schemas exist already (empty): the plan only fills them.
    const empty: Catalog = { ...there, extensions: [], settings: {}, schemas: there.schemas.map((s) => ({ ...s, tables: [], views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [], rules: [], collations: [] })) };
    const changes = diffCatalogs(empty, there, { extensions: false, exactNames: true, grants: manage.grants, comments: manage.comments, rls: manage.rls });
    const plan = buildPlan({ changes, from: empty, to: there, dialect: d, createdAt: '1970-01-01T00:00:00.000Z' });
    for (const step of planSteps(plan)) {
      for (const st of step.forward) {
        try {
          await scratch.conn.exec(st.sql);
        } catch (e) {
          const msg = ((e as Error).message ?? String(e)).replace(/\s*\(while running:.*$/s, '');
          // The scratch space's own refusals (a smuggled statement) carry their hint; the engine's errors get the type-mapping one.
          const hint = e instanceof PlumbError && e.code === 'E_SPEC' && e.hint ? e.hint : `check the types, defaults and expressions of ${step.path} against docs/type-mapping.md: each must be valid ${d.name}`;
          throw new PlumbError('E_SPEC', named(`the spec does not load into ${d.name}: ${step.summary}: ${msg}`), named(hint));
        }
      }
    }
    for (const f of sql) {
      if (!scratch.runScript) throw new PlumbError('E_SPEC', `${f.source}: ${d.name} takes no plain SQL specs`, 'declare the objects in YAML/JSON/TypeScript');
      await scratch.runScript(f.text, f.source);
    }
    // Exact DDL: the keys' order and stated USING carry into the plan that applies this catalog.
    const raw = await d.introspect(scratch.conn, { schemas: Object.values(scratch.names), exactDdl: true });
    const inspected = scratch.restore ? scratch.restore(raw) : raw;
    // Definitions the engine printed name the scratch schema (MySQL qualifies views): name the real one.
    const text = Object.fromEntries(Object.entries(back).filter(([a, b]) => a !== b).map(([a, b]) => [d.quoteIdent(a), d.quoteIdent(b)]));
    return keepStatedOptions({ ...renameSchemas(inspected, back, { text }), database: draft.database }, draft);
  } finally {
    await scratch.dispose();
  }
}

/**
 * Table options (engine, charset, collation …) the draft does not state are
 * the scratch space's defaults, not the spec's wishes: they are left out, so
 * the diff compares only what the spec (or the dialect's portable defaults)
 * asked for. A collation the spec never named is no reason to rebuild a table.
 * Tables of a `.sql` spec keep all of theirs.
 */
function keepStatedOptions(inspected: Catalog, draft: Catalog): Catalog {
  const stated = new Map(draft.schemas.flatMap((s) => s.tables.map((t) => [`${s.name}.${t.name}`, t.options] as const)));
  return {
    ...inspected,
    schemas: inspected.schemas.map((s) => ({
      ...s,
      tables: s.tables.map((t) => {
        // A table a .sql spec created states its options in its DDL: the server printed what it was told.
        if (!stated.has(`${s.name}.${t.name}`)) return t;
        const want = stated.get(`${s.name}.${t.name}`);
        const { options, ...rest } = t;
        if (!options || !want) return rest;
        const kept = Object.fromEntries(Object.entries(options).filter(([k]) => k in want));
        return Object.keys(kept).length ? { ...rest, options: kept } : rest;
      }),
    })),
  };
}
