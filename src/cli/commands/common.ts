// Options shared by commands, so every command spells them the same way.
import { Option } from 'commander';
import type { InspectOptions } from '../../dialects/dialect.js';

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
