// Where a spec's schemas land on a given connection. A spec names its default
// schema `public` unless it says otherwise; on engines where the connection
// picks the namespace (MySQL's database in the URL, SQLite's `main`) that
// schema is the connection's. Pure.
import type { Dialect } from '../dialects/dialect.js';
import type { DbTarget } from '../drivers/url.js';
import { PlumbError } from '../errors.js';
import { isSeedRef, type Spec, type SpecSeedTable } from './types.js';

/** Spec schema → live schema, for the schemas that move (empty on Postgres). */
export function specSchemaMap(spec: Pick<Spec, 'defaultSchema' | 'schemas'>, d: Dialect, target: DbTarget | undefined): Record<string, string> {
  if (!d.homeSchema || !target) return {};
  const home = d.homeSchema(target);
  if (home === undefined) {
    if (!spec.schemas.some((s) => s.name === spec.defaultSchema)) return {};
    throw new PlumbError(
      'E_URL',
      `${target.redacted} names no database, and the spec's default schema "${spec.defaultSchema}" lands in the URL's database on ${d.name}`,
      `add the database to the URL, e.g. ${d.name}://user@host:3306/mydb`,
    );
  }
  return home === spec.defaultSchema ? {} : { [spec.defaultSchema]: home };
}

/** A name under the map. */
export const bindSchema = (map: Readonly<Record<string, string>>, name: string): string => map[name] ?? name;

/** Seed tables (and their `$ref`s to other tables) with their schemas bound. */
export function bindSeedTables(seed: readonly SpecSeedTable[], map: Readonly<Record<string, string>>): SpecSeedTable[] {
  if (!Object.keys(map).length) return [...seed];
  const ref = (v: unknown): unknown => {
    if (!isSeedRef(v)) return v;
    const dot = v.$ref.indexOf('.');
    return dot < 0 ? v : { ...v, $ref: `${bindSchema(map, v.$ref.slice(0, dot))}${v.$ref.slice(dot)}` };
  };
  return seed.map((t) => ({ ...t, schema: bindSchema(map, t.schema), rows: t.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, ref(v)]))) }));
}

/**
 * The map specSchemaMap gave, read back from the spec's realised catalog (for
 * code that holds the catalog but not the connection, like audit rules): the
 * default schema went to the one schema the catalog has and the spec does not name.
 */
export function boundSchemaMap(spec: Pick<Spec, 'defaultSchema' | 'schemas'>, realised: { schemas: readonly { name: string }[] }): Record<string, string> {
  const names = new Set(realised.schemas.map((s) => s.name));
  if (names.has(spec.defaultSchema) || !spec.schemas.some((s) => s.name === spec.defaultSchema)) return {};
  const home = [...names].filter((n) => !spec.schemas.some((s) => s.name === n));
  return home.length === 1 ? { [spec.defaultSchema]: home[0]! } : {};
}
