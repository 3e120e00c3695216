// Live database × spec → the changes that would make the database match.
// The one place that inspects the target for a spec comparison, so `diff`,
// `plan` and `verify` scope it the same way. Reads only; never writes.
import type { Catalog } from '../catalog/types.js';
import { PLUMB_SCHEMAS, withoutPlumbObjects } from '../catalog/plumb-schemas.js';
import type { Change } from '../diff/changes.js';
import { diffCatalogs, type DiffOptions } from '../diff/diff.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import { diffOptionsFromSpec, specSchemaNames } from './spec-diff-options.js';
import { bindSchema, specSchemaMap } from './bind-target.js';
import { specToCatalog, type SpecToCatalogOptions } from './spec-to-catalog.js';
import type { Spec } from './types.js';

export interface SpecComparison {
  /** The live database, inspected over the spec's schemas only. */
  current: Catalog;
  /** The spec as a catalog, normalised by the scratch engine. */
  desired: Catalog;
  changes: Change[];
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

export interface CompareOptions extends SpecToCatalogOptions {
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

export async function compareWithSpec(conn: Connection, spec: Spec, options: CompareOptions = {}): Promise<SpecComparison> {
  const { includePlumb = false, ...scratch } = options;
  const desired = await specToCatalog(spec, { dialect: conn.dialect, target: conn.target, ...scratch });
  const bound = boundOn(conn, spec);
  const schemas = specSchemaNames(spec, desired, bound);
  const current = await inspectLive(conn, schemas.length ? schemas : [bindSchema(bound, 'public')], desired, includePlumb);
  // A schema the spec declares but the database lacks is absent from `current`: the diff creates it.
  const changes = diffCatalogs(current, desired, diffOptionsFromSpec(spec, bound));
  return { current, desired, changes };
}
