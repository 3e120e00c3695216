// Two sides of a comparison, each a live database or a spec (`--from`/`--to`):
// database → spec is compareWithSpec itself; spec → database is the same
// comparison read the other way; database → database inspects both over the
// same schemas. Every way ends in the one diffCatalogs. Reads only.
import type { Catalog } from '../catalog/types.js';
import { PLUMB_SCHEMAS } from '../catalog/plumb-schemas.js';
import type { Change } from '../diff/changes.js';
import { diffCatalogs, type DiffOptions } from '../diff/diff.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import { PlumbError } from '../errors.js';
import { compareWithSpec, withSchemas, type CompareOptions, type OutsideSchema } from './compare-spec.js';
import { specToCatalog } from './spec-to-catalog.js';
import { schemaIncluded } from '../dialects/dialect.js';
import { diffOptionsFromSpec } from './spec-diff-options.js';
import type { Spec } from './types.js';

/** One side of a comparison. */
export type Endpoint = { db: Connection } | { spec: Spec };

export interface EndpointComparison {
  from: Catalog;
  to: Catalog;
  changes: Change[];
  /** The live schemas a database side was inspected over (what a plan for it records). */
  schemas: string[];
  /** Live schemas with objects a spec side does not mention (left out, reported). */
  outside: OutsideSchema[];
}

/** What a diff of two catalogs is told by a spec that is the "from" side: which aspects it manages, no renames. */
const managed = (spec: Spec): DiffOptions => ({ grants: spec.manage.grants, comments: spec.manage.comments, rls: spec.manage.rls });

export async function compareEndpoints(from: Endpoint, to: Endpoint, options: CompareOptions = {}): Promise<EndpointComparison> {
  if ('db' in from && 'spec' in to) {
    const c = await compareWithSpec(from.db, to.spec, options);
    return { from: c.current, to: c.desired, changes: c.changes, schemas: c.schemas, outside: c.outside };
  }
  if ('spec' in from && 'db' in to) {
    // The database made like the spec: the same comparison, its sides swapped.
    const c = await compareWithSpec(to.db, from.spec, options);
    return { from: c.desired, to: c.compared, changes: diffCatalogs(c.desired, c.compared, managed(from.spec)), schemas: c.schemas, outside: c.outside };
  }
  const scope = { schemas: options.schemas ?? [], excludeSchemas: [...(options.excludeSchemas ?? []), ...(options.includePlumb ? [] : PLUMB_SCHEMAS)] };
  if ('db' in from && 'db' in to) {
    if (from.db.dialect !== to.db.dialect) {
      throw new PlumbError('E_USAGE', `--from is ${from.db.dialect} and --to is ${to.db.dialect}: two databases are compared on one engine`, 'to move a schema between engines, pull a spec from one and plan it on the other');
    }
    const inspect = (conn: Connection) => getDialect(conn.dialect).introspect(conn, { ...scope, ignoreMissingSchemas: true });
    const [a, b] = await Promise.all([inspect(from.db), inspect(to.db)]);
    const schemas = [...new Set(a.schemas.map((s) => s.name))].sort();
    return { from: a, to: b, changes: diffCatalogs(a, b), schemas, outside: [] };
  }
  // Two specs, both normalised by the scratch engine.
  const fromSpec = (from as { spec: Spec }).spec;
  const toSpec = (to as { spec: Spec }).spec;
  const keep = (c: Catalog) => withSchemas(c, (n) => schemaIncluded(n, scope));
  const a = keep(await specToCatalog(fromSpec, options));
  const b = keep(await specToCatalog(toSpec, options));
  return { from: a, to: b, changes: diffCatalogs(a, b, diffOptionsFromSpec(toSpec)), schemas: a.schemas.map((s) => s.name), outside: [] };
}
