// Spec → Catalog in normal form. For Postgres the draft catalog (and any plain
// SQL in the spec) is created inside a transaction on a scratch PGlite and
// inspected, then rolled back: the engine parses and prints every default,
// check, view and routine, so a diff against a live database compares like
// with like. Never touches the target database.
import { randomBytes } from 'node:crypto';
import type { Catalog, DialectName } from '../catalog/types.js';
import { changeActions, type Change } from '../diff/changes.js';
import { diffCatalogs } from '../diff/diff.js';
import type { Connection } from '../drivers/connection.js';
import { connect } from '../drivers/connect.js';
import { PlumbError } from '../errors.js';
import { introspectPostgres } from '../dialects/postgres/postgres-introspector.js';
import { quoteIdent } from '../dialects/postgres/postgres-dialect.js';
import { renderPostgresChange } from '../dialects/postgres/postgres-render.js';
import { specToDraftCatalog } from './spec-draft-catalog.js';
import { renameSchemas } from '../catalog/rename-schemas.js';
import type { Dialect } from '../dialects/dialect.js';
import { getDialect } from '../dialects/index.js';
import type { DbTarget } from '../drivers/url.js';
import { specSchemaMap } from './bind-target.js';
import { realizeOnEngine } from './realize-on-engine.js';
import { prepareSqlScript, type PreparedSqlScript } from './sql-script.js';
import type { Spec } from './types.js';

export interface SpecToCatalogOptions {
  dialect?: DialectName;
  /**
   * The live database the catalog will be compared with: the spec's default
   * schema lands in its home schema (MySQL's database, SQLite's `main`), and
   * MySQL normalises the spec on scratch databases on its server.
   */
  target?: DbTarget;
  /** A server for MySQL's scratch databases other than the target's (PLUMB_DEV_URL). */
  devTarget?: DbTarget;
  /**
   * The engine that normalises the spec: a Connection to an empty scratch
   * Postgres (PGlite), `false` for the draft mapping alone, or undefined for
   * a shared in-process PGlite started on first use.
   */
  scratch?: Connection | false;
}

let sharedScratch: Promise<Connection> | undefined;
let sharedExtensions = new Set<string>();

/** Contrib extensions PGlite bundles, by extension name → module under `@electric-sql/pglite/contrib/`. */
const PGLITE_CONTRIB: Record<string, string> = Object.fromEntries(
  ['amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent']
    .map((n) => [n, n] as [string, string])
    .concat([['uuid-ossp', 'uuid_ossp']]),
);

/**
 * The in-process scratch PGlite (started once; every use rolls back). It is
 * started with the contrib extensions asked for; asking for one it lacks
 * starts a new one with all of them.
 */
export async function scratchEngine(extensions: readonly string[] = []): Promise<Connection> {
  const wanted = extensions.filter((e) => PGLITE_CONTRIB[e]);
  if (sharedScratch && wanted.every((e) => sharedExtensions.has(e))) return sharedScratch;
  if (sharedScratch) await disposeScratchEngine();
  const all = new Set([...sharedExtensions, ...wanted]);
  sharedExtensions = all;
  sharedScratch = all.size ? startPglite([...all]) : connect('pglite:');
  return sharedScratch;
}

async function startPglite(extensions: string[]): Promise<Connection> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { wrapPglite, pgliteParsers } = await import('../drivers/pglite-driver.js');
  const loaded: Record<string, unknown> = {};
  for (const e of extensions) {
    const mod = PGLITE_CONTRIB[e]!;
    const m = (await import(`@electric-sql/pglite/contrib/${mod}`)) as Record<string, unknown>;
    loaded[mod] = m[mod];
  }
  const db = await PGlite.create(undefined, { parsers: pgliteParsers, extensions: loaded as never });
  return wrapPglite(db, { driver: 'pglite', dialect: 'postgres', redacted: 'pglite:' }, true);
}

/** Close the shared scratch engine (CLI commands call this before exiting). */
export async function disposeScratchEngine(): Promise<void> {
  const s = sharedScratch;
  sharedScratch = undefined;
  sharedExtensions = new Set();
  if (s) await (await s).close();
}

class Rollback extends Error {
  constructor(readonly catalog: Catalog) {
    super('rollback');
  }
}

export async function specToCatalog(spec: Spec, options: SpecToCatalogOptions = {}): Promise<Catalog> {
  const dialect = options.dialect ?? spec.dialect ?? 'postgres';
  const native = spec.dialect === dialect ? getDialect(dialect).nativeType : undefined;
  const draft = specToDraftCatalog(spec, native);
  return statedExtensionVersions(spec, markImplicitNames(draft, await realize(spec, draft, dialect, options)));
}

/**
 * An extension's version (and comment) is the one the spec states, else none
 * (any installed version will do): the scratch engine's own is not the spec's wish.
 */
function statedExtensionVersions(spec: Spec, catalog: Catalog): Catalog {
  if (!catalog.extensions.length) return catalog;
  const stated = new Map(spec.extensions.map((e) => [e.name, e]));
  return {
    ...catalog,
    extensions: catalog.extensions.map(({ comment: realised, ...e }) => {
      const s = stated.get(e.name);
      // A comment read back is one the spec's SQL set (inspection leaves out the extension's own).
      const comment = s?.comment ?? realised;
      return { ...e, version: s?.version ?? '', ...(comment !== undefined ? { comment } : {}) };
    }),
  };
}

/**
 * The engine prints every index and constraint with a name; which of those
 * names the spec left to plumb is known only from the draft, and carried over by table and
 * name (schemas may have been bound to the target's).
 */
function markImplicitNames(draft: Catalog, catalog: Catalog): Catalog {
  type Named = { name: string; implicitName?: boolean };
  const named = (t: Catalog['schemas'][number]['tables'][number]): Named[] => [...t.indexes, ...t.uniques, ...t.checks, ...t.foreignKeys, ...t.exclusions];
  const implicit = new Set(draft.schemas.flatMap((s) => s.tables.flatMap((t) => named(t).filter((o) => o.implicitName).map((o) => `${t.name}\0${o.name}`))));
  if (!implicit.size) return catalog;
  for (const s of catalog.schemas) for (const t of s.tables) for (const o of named(t)) if (implicit.has(`${t.name}\0${o.name}`)) o.implicitName = true;
  return catalog;
}

async function realize(spec: Spec, draft: Catalog, dialect: DialectName, options: SpecToCatalogOptions): Promise<Catalog> {
  if (dialect !== 'postgres') return specToEngineCatalog(spec, { ...draft, dialect }, getDialect(dialect), options);
  if (options.scratch === false) {
    if (spec.sql.length) throw new PlumbError('E_SPEC', 'a spec with plain SQL needs a scratch engine to read it', 'run with the Postgres dialect (PGlite is built in)');
    return draft;
  }
  const scripts = await prepareScripts(spec);
  const extensions = [...new Set([...spec.extensions.map((e) => e.name), ...scripts.flatMap((s) => s.extensions.map((e) => e.name))])];
  if (options.scratch) return realizeOnScratch(options.scratch, draft, spec, scripts);
  const lacking = extensions.filter((e) => !PGLITE_CONTRIB[e] && e !== 'plpgsql');
  // PGlite is built without lz4: a column compressed with it is read on a real server too.
  const lz4 = draft.schemas.some((s) => s.tables.some((t) => t.columns.some((c) => c.compression === 'lz4'))) || scripts.some((f) => f.statements.some((st) => /\bCOMPRESSION\s+"?lz4\b/i.test(st.sql)));
  if (lacking.length || lz4) return realizeOnDevDatabase(draft, spec, scripts, lacking, options, lz4 ? ['lz4 column compression'] : []);
  return realizeOnScratch(await scratchEngine(extensions), draft, spec, scripts);
}

type PreparedScript = PreparedSqlScript & { source: string };

async function prepareScripts(spec: Pick<Spec, 'sql'>): Promise<PreparedScript[]> {
  return Promise.all(spec.sql.map(async (f) => ({ source: f.source, ...(await prepareSqlScript(f.text, f.source)) })));
}

/**
 * Extensions PGlite does not bundle (pg_stat_statements, postgis, vector …):
 * the spec is realised in a scratch database created on a real server — the
 * dev server (PLUMB_DEV_URL / --dev-url), else the target's own — and that
 * database is always dropped afterwards.
 */
async function realizeOnDevDatabase(draft: Catalog, spec: Spec, scripts: PreparedScript[], lacking: string[], options: SpecToCatalogOptions, features: string[] = []): Promise<Catalog> {
  const server = [options.devTarget, options.target].find((t) => t?.driver === 'pg');
  const names = [...(lacking.length ? [`the extension${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}`] : []), ...features].join(' and ');
  const hint = `set PLUMB_DEV_URL (or pass --dev-url) to a Postgres server that has ${lacking.length ? 'the extension installed' : 'it'} and where this user may create databases: plumb realises the spec in a scratch database there and drops it afterwards`;
  if (!server?.connectionString) {
    throw new PlumbError('E_SPEC', `the spec needs ${names}, which the built-in scratch engine (PGlite) does not have`, hint);
  }
  const admin = await connect(server);
  // The process id in the name tells which plumb left a database behind, should one survive a kill -9.
  const db = `plumb_scratch_${process.pid}_${randomBytes(4).toString('hex')}`;
  let created = false;
  const drop = async () => {
    if (created) await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`);
    created = false;
  };
  // Drop the scratch database, then let the signal take its course (the CLI says what was interrupted).
  const onSignal = (signal: NodeJS.Signals) => void drop().finally(() => process.kill(process.pid, signal));
  try {
    const avail = new Set((await admin.query<{ name: string }>('SELECT name FROM pg_available_extensions WHERE name = ANY($1::text[])', [lacking])).map((r) => String(r.name)));
    const missing = lacking.filter((e) => !avail.has(e));
    if (missing.length) {
      throw new PlumbError('E_SPEC', `the spec needs the extension${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which neither PGlite nor the server ${server.redacted} provides`, hint);
    }
    try {
      await admin.exec(`CREATE DATABASE ${quoteIdent(db)}`);
    } catch (e) {
      throw new PlumbError('E_PERMISSION', `the spec needs ${names}, and plumb cannot create a scratch database on ${server.redacted}: ${(e as Error).message}`, hint);
    }
    created = true;
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const u = new URL(server.connectionString);
    u.pathname = `/${db}`;
    const conn = await connect(u.toString());
    try {
      return await realizeOnScratch(conn, draft, spec, scripts);
    } finally {
      await conn.close();
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    try {
      await drop();
    } finally {
      await admin.close();
    }
  }
}

/** Bound to the target's schemas, adapted to the engine, and (where the engine offers a scratch space) printed by it. */
async function specToEngineCatalog(spec: Spec, draft: Catalog, d: Dialect, options: SpecToCatalogOptions): Promise<Catalog> {
  if (spec.sql.length && d.name !== 'mysql') throw new PlumbError('E_SPEC', `a spec with plain SQL is read by Postgres or MySQL/MariaDB, and this target is ${d.name}`, 'declare the objects in YAML/JSON/TypeScript to use the spec on other engines');
  const bound = renameSchemas(draft, specSchemaMap(spec, d, options.target));
  const adapted = d.adaptCatalog?.(bound) ?? bound;
  const needsServer = () =>
    new PlumbError('E_SPEC', `a spec with plain SQL is read by a ${d.name} server, and this command has none`, 'give --db (the spec is loaded into scratch databases on its server) or set PLUMB_DEV_URL');
  if (options.scratch === false) {
    if (spec.sql.length) throw needsServer();
    return adapted;
  }
  const home = options.target ? d.homeSchema?.(options.target) : undefined;
  const realized = await realizeOnEngine(d, adapted, options.devTarget ?? options.target, home, spec.manage, spec.sql);
  if (!realized && spec.sql.length) throw needsServer();
  return realized ?? adapted;
}

interface Unit {
  label: string;
  sql: string[];
  /** A session setting (SET …) the engine may not know: its failure is no reason to refuse the spec. */
  optional?: boolean;
}

/**
 * Create `draft` (and the spec's SQL) on the scratch engine inside one
 * transaction, inspect, roll back. Statements that fail because something they
 * need comes later (a default calling a function declared further down) are
 * retried until no more progress is made.
 */
export async function realizeOnScratch(conn: Connection, draft: Catalog, spec: Pick<Spec, 'sql' | 'schemas' | 'extensions'>, prepared?: PreparedScript[]): Promise<Catalog> {
  const scripts = prepared ?? (await prepareScripts(spec));
  try {
    await conn.transaction(async (tx) => {
      const base = await introspectPostgres(tx);
      const roles = new Set<string>();
      for (const s of draft.schemas) {
        for (const t of s.tables) {
          for (const g of t.grants) roles.add(g.grantee);
          for (const p of t.policies) for (const r of p.roles) roles.add(r);
        }
        for (const v of s.views) for (const g of v.grants) roles.add(g.grantee);
      }
      for (const r of roles) {
        if (r.toLowerCase() === 'public') continue;
        const [hit] = await tx.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [r]);
        if (!hit) await tx.exec(`CREATE ROLE ${quoteIdent(r)}`);
      }
      const units: Unit[] = [];
      for (const e of spec.extensions) units.push({ label: `extension ${e.name}`, sql: [`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)}${e.schema ? ` SCHEMA ${quoteIdent(e.schema)}` : ''}`] });
      const changes: Change[] = diffCatalogs(base, draft, { extensions: false, exactNames: true }).filter(
        // Only creation: nothing of the scratch's own (plpgsql, public's comment) is to be removed.
        (c) => changeActions[c.kind] !== 'drop' && c.kind !== 'revoke' && !(c.kind === 'setComment' && c.target.kind === 'schema' && c.after === null),
      );
      // A partition's own indexes and foreign keys before its parent's, which then attach them instead of cloning clashing ones.
      const partitions = new Set(draft.schemas.flatMap((s) => s.tables.filter((t) => t.kind === 'partition').map((t) => `${s.name}.${t.name}`)));
      const keyOrIndex = (c: Change) => c.kind === 'createIndex' || c.kind === 'addForeignKey';
      const onPartition = (c: Change) => keyOrIndex(c) && 'table' in c && partitions.has(`${c.table.schema}.${c.table.name}`);
      const ordered = partitions.size ? [...changes.filter((c) => !keyOrIndex(c)), ...changes.filter(onPartition), ...changes.filter((c) => keyOrIndex(c) && !onPartition(c))] : changes;
      for (const c of ordered) units.push({ label: `${c.kind} ${c.path}`, sql: renderPostgresChange(c).forward });
      // One unit per statement: one that needs something declared further down is retried after it.
      for (const f of scripts) {
        for (const st of f.statements) units.push({ label: `${f.source}:${st.line}`, sql: [st.sql], ...(st.node === 'VariableSetStmt' ? { optional: true } : {}) });
      }
      await runWithRetry(tx, units);
      // A spec's SET (pg_dump's empty search_path) must not change how the catalog is printed.
      if (scripts.length) await tx.exec('RESET ALL');
      const declared = new Set(spec.schemas.map((s) => s.name));
      const after = await introspectPostgres(tx);
      const keep = after.schemas.filter((s) => declared.has(s.name) || (s.name !== 'public' ? !base.schemas.some((b) => b.name === s.name) : hasObjects(s)));
      throw new Rollback({ ...after, schemas: keep });
    });
  } catch (e) {
    if (e instanceof Rollback) return e.catalog;
    throw e;
  }
  throw new PlumbError('E_INTERNAL', 'scratch realisation ended without a catalog');
}

function hasObjects(s: Catalog['schemas'][number]): boolean {
  return s.tables.length + s.views.length + s.enums.length + s.domains.length + s.compositeTypes.length + s.sequences.length + s.routines.length > 0;
}

async function runWithRetry(tx: Connection, units: Unit[]): Promise<void> {
  let pending = units;
  let lastErrors: { unit: Unit; error: unknown }[] = [];
  for (let pass = 0; pending.length && pass < 8; pass++) {
    const failed: Unit[] = [];
    let createdRole = false;
    lastErrors = [];
    for (const u of pending) {
      try {
        await tx.transaction(async (sp) => {
          for (const s of u.sql) await sp.exec(s);
        });
      } catch (error) {
        failed.push(u);
        lastErrors.push({ unit: u, error });
        // Plain SQL may GRANT to or write policies for roles that exist on the real cluster (Supabase's
        // anon/authenticated): create them on the scratch engine (rolled back with everything else) and retry.
        const role = /role "([^"]+)" does not exist/.exec((error as Error).message ?? '')?.[1];
        if (role) {
          await tx.exec(`CREATE ROLE ${quoteIdent(role)}`).catch(() => undefined);
          createdRole = true;
        }
      }
    }
    if (failed.length === pending.length && !createdRole) break;
    pending = failed;
  }
  lastErrors = lastErrors.filter((e) => !e.unit.optional);
  if (lastErrors.length && pending.length) {
    const first = lastErrors[0]!;
    const msg = (first.error as Error).message ?? String(first.error);
    throw new PlumbError(
      'E_SPEC',
      `the spec does not load into Postgres: ${first.unit.label}: ${msg.replace(/\s*\(while running:.*$/s, '')}${lastErrors.length > 1 ? ` (and ${lastErrors.length - 1} more)` : ''}`,
      'check the type names, expressions and SQL in the spec; every statement must be valid Postgres',
    );
  }
}
