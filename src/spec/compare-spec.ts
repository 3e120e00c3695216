// Live database × spec → the changes that would make the database match.
// The one place that inspects the target for a spec comparison, so `diff`,
// `plan` and `verify` scope it the same way. Reads only; never writes.
import type { Catalog, Schema } from '../catalog/types.js';
import { PLUMB_SCHEMAS, withoutPlumbObjects } from '../catalog/plumb-schemas.js';
import type { Change } from '../diff/changes.js';
import { diffCatalogs, type DiffOptions } from '../diff/diff.js';
import { PlumbError } from '../errors.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import { schemaIncluded } from '../dialects/dialect.js';
import { diffOptionsFromSpec, specSchemaNames } from './spec-diff-options.js';
import { bindSchema, specSchemaMap } from './bind-target.js';
import { specToCatalog, type SpecToCatalogOptions } from './spec-to-catalog.js';
import type { Spec } from './types.js';

export interface SpecComparison {
  /** The live database, inspected over `schemas` only. */
  current: Catalog;
  /** The spec as a catalog, normalised by the scratch engine. */
  desired: Catalog;
  changes: Change[];
  /** The part of `current` that was compared (its schemas in scope). */
  compared: Catalog;
  /** The live schemas `current` was inspected over (what a plan records, and apply inspects again). */
  schemas: string[];
  /** Live schemas with objects that were not compared: the spec does not mention them (reported, never taken as equal). */
  outside: OutsideSchema[];
}

/** A live schema left out of a comparison, and how many objects it holds. */
export interface OutsideSchema {
  schema: string;
  objects: number;
}

/** Which schemas a comparison covers: `schemas` (names or globs) instead of the spec's, less `excludeSchemas`. */
export interface SchemaScope {
  schemas?: string[];
  excludeSchemas?: string[];
}

/**
 * The live catalog over `schemas`, without plumb's own schemas and chain machinery (chain columns `declared` names are kept),
 * unless `includePlumb`.
 */
export async function inspectLive(conn: Connection, schemas: string[], declared?: Catalog, includePlumb = false): Promise<Catalog> {
  const catalog = await getDialect(conn.dialect).introspect(conn, { ...(schemas.length ? { schemas } : {}), ...(includePlumb ? {} : { excludeSchemas: [...PLUMB_SCHEMAS] }), ignoreMissingSchemas: true });
  // What `plumb chain install` added is plumb's, not drift from the spec.
  return includePlumb ? catalog : withoutPlumbObjects(catalog, declared);
}

export interface CompareOptions extends SpecToCatalogOptions, SchemaScope {
  /** Compare plumb's own objects too (history, journal, quarantine, chain tables, functions, triggers). */
  includePlumb?: boolean;
}

/** Where the spec's schemas land on this connection (bind-target.ts). */
const boundOn = (conn: Pick<Connection, 'dialect' | 'target'>, spec: Spec) => specSchemaMap(spec, getDialect(conn.dialect), conn.target);

/** The live schemas a spec speaks for on this connection (its default schema bound to the connection's). */
export function liveSchemaNames(conn: Pick<Connection, 'dialect' | 'target'>, spec: Spec, desired?: Catalog): string[] {
  return specSchemaNames(spec, desired, boundOn(conn, spec));
}

/** The spec's diff options (renames, USING) naming the schemas its objects have on this connection. */
export function diffOptionsOn(conn: Pick<Connection, 'dialect' | 'target'>, spec: Spec): DiffOptions {
  return diffOptionsFromSpec(spec, boundOn(conn, spec));
}

const objectCount = (s: Schema) =>
  s.tables.length + s.views.length + s.enums.length + s.domains.length + s.compositeTypes.length + s.sequences.length + s.routines.length + s.events.length;

/** `catalog` with only the schemas `keep` accepts. */
export function withSchemas(catalog: Catalog, keep: (name: string) => boolean): Catalog {
  return catalog.schemas.every((s) => keep(s.name)) ? catalog : { ...catalog, schemas: catalog.schemas.filter((s) => keep(s.name)) };
}

/**
 * Live schemas holding objects, other than `compared`, plumb's own and the
 * excluded ones: what a comparison over `compared` leaves out.
 */
export async function outsideSchemas(conn: Connection, compared: string[], excludeSchemas: string[] = []): Promise<OutsideSchema[]> {
  const rest = await getDialect(conn.dialect).introspect(conn, { excludeSchemas: [...compared, ...PLUMB_SCHEMAS, ...excludeSchemas] });
  return rest.schemas
    .filter((s) => !compared.includes(s.name))
    .map((s) => ({ schema: s.name, objects: objectCount(s) }))
    .filter((o) => o.objects > 0)
    .sort((a, b) => (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : 0));
}

/**
 * Roles the spec grants to (and names in policies) must exist on a Postgres
 * target before anything is planned: otherwise apply would stop at its
 * grants phase, with the phases before it already applied.
 */
async function requireRoles(conn: Connection, desired: Catalog, manage: Spec['manage']): Promise<void> {
  if (conn.dialect !== 'postgres') return;
  const named = new Set<string>();
  for (const s of desired.schemas) {
    for (const t of s.tables) {
      if (manage.grants) for (const g of t.grants) named.add(g.grantee);
      if (manage.rls) for (const p of t.policies) for (const r of p.roles) named.add(r);
    }
    if (manage.grants) for (const v of s.views) for (const g of v.grants) named.add(g.grantee);
  }
  const wanted = [...named].filter((r) => !/^(public|current_user|current_role|session_user)$/i.test(r));
  if (!wanted.length) return;
  const have = new Set((await conn.query<{ r: string }>('SELECT rolname AS r FROM pg_roles WHERE rolname = ANY($1::text[])', [wanted])).map((x) => String(x.r)));
  const missing = wanted.filter((r) => !have.has(r)).sort();
  if (!missing.length) return;
  throw new PlumbError(
    'E_SPEC',
    `the spec grants to ${missing.length === 1 ? 'a role' : 'roles'} the database does not have: ${missing.join(', ')}`,
    `create ${missing.length === 1 ? 'it' : 'them'} first (CREATE ROLE ${missing[0]} NOLOGIN; roles are server-wide, not part of a schema), or leave grants out of the comparison: manage: { grants: false } in a YAML spec (a .sql file can be included from one)`,
  );
}

export async function compareWithSpec(conn: Connection, spec: Spec, options: CompareOptions = {}): Promise<SpecComparison> {
  const { includePlumb = false, schemas: only, excludeSchemas = [], ...scratch } = options;
  const desiredAll = await specToCatalog(spec, { dialect: conn.dialect, target: conn.target, ...scratch });
  if (spec.manage.grants || spec.manage.rls) await requireRoles(conn, desiredAll, spec.manage);
  const bound = boundOn(conn, spec);
  const scope = { schemas: only ?? [], excludeSchemas };
  const inScope = (name: string) => schemaIncluded(name, scope);
  const desired = withSchemas(desiredAll, inScope);
  const named = only?.length ? only : specSchemaNames(spec, desiredAll, bound).filter(inScope);
  // A spec that names no schema (extensions only) compares none; its home schema is still inspected, so a plan has something to check drift on.
  const schemas = named.length ? named : [bindSchema(bound, 'public')];
  const inspected = await inspectLive(conn, schemas, desired, includePlumb);
  const compared = withSchemas(inspected, (name) => !!named.length && inScope(name));
  // A schema the spec declares but the database lacks is absent from `current`: the diff creates it.
  const changes = diffCatalogs(compared, desired, diffOptionsFromSpec(spec, bound));
  // Named schemas (--schema) are the user's choice of scope: nothing else is reported.
  const outside = only?.length ? [] : await outsideSchemas(conn, named, excludeSchemas);
  return { current: inspected, compared, desired, changes, schemas, outside };
}
