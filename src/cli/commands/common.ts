// Options shared by commands, so every command spells them the same way.
import { Option } from 'commander';
import { DEFAULT_CONNECTIONS, type InspectOptions } from '../../dialects/dialect.js';
import { parseDbUrl, type DbTarget } from '../../drivers/url.js';
import { PlumbError } from '../../errors.js';

export function dbOption(): Option {
  return new Option('--db <url>', 'database URL (required): postgres://…, mysql://…, sqlite:./file.db, pglite:./dir, pglite: (in memory)').env('PLUMB_DB');
}

/**
 * The --db / PLUMB_DB target, or a usage error. Never a silent default: a CI job
 * that forgets PLUMB_DB must fail, not audit an empty in-memory database.
 */
export function requireDb(db: string | undefined, example: string, options: { create?: boolean | undefined } = { create: false }): DbTarget {
  if (db === undefined || db.trim() === '')
    throw new PlumbError('E_USAGE', 'no database given: pass --db URL or set PLUMB_DB (pglite: for an in-memory database)', `for example: ${example}`);
  const target = parseDbUrl(db);
  // Only commands that create databases (apply, seed) may create a SQLite file, and only when asked.
  return options.create === undefined ? target : { ...target, create: options.create };
}

/** `--create`: apply and seed may create a missing SQLite file (same as `?mode=rwc`). */
export function createOption(): Option {
  return new Option('--create', 'create the SQLite file if it does not exist (same as sqlite:./file.db?mode=rwc); other engines: ignored');
}

/** `--connections N`: sessions sharing one snapshot (Postgres servers). */
export function connectionsOption(): Option {
  return new Option('--connections <n>', 'server sessions to spread the read-only queries over, all on one snapshot (Postgres servers; 1 = one session)')
    .default(DEFAULT_CONNECTIONS)
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 16) throw new PlumbError('E_USAGE', `--connections ${v}: expected a whole number from 1 to 16`, 'for example: --connections 1 on a busy primary');
      return n;
    });
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

/** `--schema` as diff, plan and apply take it (repeatable, globs allowed). */
export function schemaOption(): Option {
  return new Option('--schema <name...>', "compare only these schemas, instead of the spec's (repeatable; `*` globs allowed)");
}

/** `--exclude-schema` as diff, plan and apply take it. */
export function excludeSchemaOption(): Option {
  return new Option('--exclude-schema <name...>', 'leave these schemas out of the comparison (repeatable; `*` globs allowed)');
}

/** The scope --schema / --exclude-schema give a comparison. */
export function schemaScope(o: SchemaFlags): { schemas?: string[]; excludeSchemas?: string[] } {
  return { ...(o.schema?.length ? { schemas: o.schema } : {}), ...(o.excludeSchema?.length ? { excludeSchemas: o.excludeSchema } : {}) };
}

/** A --from / --to value: a database URL (scheme first) or else a spec path. */
export function isDbUrl(value: string): boolean {
  return /^(postgres|postgresql|pglite|mysql|mariadb|sqlite):/i.test(value.trim());
}

