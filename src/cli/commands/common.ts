// Options shared by commands, so every command spells them the same way.
import { Option } from 'commander';
import type { InspectOptions } from '../../dialects/dialect.js';
import { parseDbUrl, type DbTarget } from '../../drivers/url.js';

export function dbOption(): Option {
  return new Option('--db <url>', 'database URL: postgres://…, pglite: (memory), pglite:./dir, mysql://…, sqlite:./file.db').env('PLUMB_DB');
}

export interface SchemaFlags {
  schema?: string[];
  excludeSchema?: string[];
}

export function schemaOptions(o: SchemaFlags): InspectOptions {
  const r: InspectOptions = {};
  if (o.schema?.length) r.schemas = o.schema;
  if (o.excludeSchema?.length) r.excludeSchemas = o.excludeSchema;
  return r;
}

/**
 * PLUMB_DEV_URL: the server where a spec is normalised for MySQL (scratch
 * databases), when it must not be the target's own server.
 */
export function devTarget(): { devTarget?: DbTarget } {
  const url = process.env.PLUMB_DEV_URL;
  return url ? { devTarget: parseDbUrl(url) } : {};
}
