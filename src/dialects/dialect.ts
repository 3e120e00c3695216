// The Dialect interface: everything that differs between engines lives behind
// it. Code outside src/dialects asks capabilities, never the dialect's name.
import type { Catalog, ColumnType, DialectName, Table } from '../catalog/types.js';
import type { Connection, TransactionOptions } from '../drivers/connection.js';
import type { DbTarget } from '../drivers/url.js';
import type { Change, ChangeOf } from '../diff/changes.js';
import type { LockImpact, OnlineColumnChange, OnlineColumnRefusal, OnlineStatement, RenderedChange, RenderOptions } from '../diff/render-types.js';

export interface Capabilities {
  /** DDL can run inside a transaction and be rolled back. */
  transactionalDdl: boolean;
  /** Named schemas (namespaces) inside one database. */
  schemas: boolean;
  enums: boolean;
  domains: boolean;
  rowLevelSecurity: boolean;
  partialIndexes: boolean;
  expressionIndexes: boolean;
  includeColumns: boolean;
  checkConstraints: boolean;
  exclusionConstraints: boolean;
  deferrableConstraints: boolean;
  /** Constraints can be added NOT VALID and validated later. */
  notValidConstraints: boolean;
  concurrentIndex: boolean;
  sequences: boolean;
  identityColumns: boolean;
  materializedViews: boolean;
  routines: boolean;
  triggers: boolean;
  /** Scheduled jobs inside the database (MySQL events). */
  events: boolean;
  grants: boolean;
  comments: boolean;
  /** Planner statistics (row estimates, index usage). */
  statistics: boolean;
}

export type CapabilityName = keyof Capabilities;

export interface InspectOptions {
  /** Only these schemas (exact names or globs with `*`). */
  schemas?: string[];
  excludeSchemas?: string[];
  /** Named schemas that do not exist are simply absent from the catalog (spec comparisons: the plan creates them). */
  ignoreMissingSchemas?: boolean;
  /** Called as each phase of introspection completes (for progress display). */
  onProgress?: (step: string, done: number, total: number) => void;
  /**
   * Sessions that read the same snapshot as the connection being inspected
   * (Dialect.openLanes): the dialect may spread its catalog queries over them.
   */
  lanes?: readonly Promise<Connection | null>[];
  /**
   * Sessions to spread the catalog queries over where the engine can share
   * one snapshot between them (Postgres servers; not PGlite): every query
   * still reads the same instant. Default 3; 1 = one session.
   */
  connections?: number;
  /**
   * Also read what only the engine's own DDL shows, at one query per table
   * (MySQL: SHOW CREATE TABLE for a key's stated USING and its creation
   * order). Spelling only, never compared by diff: `pull` and a spec's
   * realisation ask for it, so that what they write reads back the same.
   */
  exactDdl?: boolean;
}

/** Sessions a Postgres server's inspection or audit uses by default (InspectOptions.connections). */
export const DEFAULT_CONNECTIONS = 3;

/** Extra sessions on one transaction's snapshot (Dialect.openLanes). */
export interface SnapshotLanes {
  /** Each resolves to a session inside a READ ONLY transaction on the snapshot, or null if it could not join. */
  lanes: Promise<Connection | null>[];
  /** Ends the lanes' transactions and closes them (after any query in flight). */
  close(): Promise<void>;
}

export interface Dialect {
  readonly name: DialectName;
  readonly capabilities: Capabilities;
  quoteIdent(name: string): string;
  /** Quote a possibly schema-qualified name: `"s"."t"`. */
  quoteQualified(schema: string, name: string): string;
  quoteLiteral(value: string): string;
  introspect(conn: Connection, options?: InspectOptions): Promise<Catalog>;
  /** Forward and rollback SQL for one Change (identifiers quoted by this dialect). Absent until the dialect has a renderer. */
  render?(change: Change, options?: RenderOptions): RenderedChange;
  /**
   * The lock a change takes on the existing table it touches, and what it does
   * to its rows meanwhile, rendered with `options`. Only asked for changes to
   * tables that exist before the plan. Absent: plans state no lock impact.
   */
  lockImpact?(change: Change, options: RenderOptions): LockImpact;
  /**
   * One rendered statement of a change to an existing table, asking the
   * engine for the online form its lock impact promises (MySQL's ALGORITHM /
   * LOCK clauses), with the weaker forms to fall back to. Absent: as rendered.
   */
  onlineDdl?(sql: string, impact: LockImpact): OnlineStatement;
  /**
   * A column type change as expand / contract steps (`plan --online`), or why
   * this column cannot change online. Absent: type changes rewrite the table.
   */
  onlineColumn?(change: ChangeOf<'alterColumnType'>, live: Table, target: Table, from: Catalog, to: Catalog): OnlineColumnChange | OnlineColumnRefusal;
  /**
   * How a written SQL script (plan.sql) is framed for this engine's own
   * client: `session` once at the top, `begin`/`commit` around a
   * transactional phase (empty where DDL is not transactional), and
   * `statement` writing one statement (DELIMITER around compound bodies).
   * Absent: Postgres' BEGIN / SET LOCAL lock_timeout / COMMIT.
   */
  scriptFrame?(lockTimeoutMs: number): { begin: string[]; commit: string[]; session?: string[]; statement?(sql: string): string[] };
  /**
   * Where a spec's default schema (`public` unless it says otherwise) lands on
   * this connection: MySQL's database from the URL, SQLite's `main`. Absent:
   * spec schemas keep their names (Postgres).
   */
  homeSchema?(target: DbTarget): string | undefined;
  /**
   * Session statements under which this engine reads SQL written in a spec
   * (verify checks: standard "quoted" identifiers, || concatenation), and those
   * that restore the session. Absent: the engine reads standard SQL as it is.
   */
  standardSqlSession?: { enter: string[]; leave: string[] };
  /**
   * The one statement a spec's SQL (a verify check) holds, or an E_SPEC error
   * when it holds more, or one that commits on its own and so would escape
   * the transaction verify rolls back. Absent: run as written.
   */
  specStatement?(sql: string): string | Promise<string>;
  /** A portable catalog as this engine must receive it (enums inlined or lowered to checks). Absent: unchanged. */
  adaptCatalog?(catalog: Catalog): Catalog;
  /**
   * A type written in this engine's own spelling (MySQL `mediumint(8)`,
   * `timestamp`, `tinyint(1)`), as its introspector would report it; undefined
   * when the text is not one. A spec that names this dialect speaks its
   * types first, portable names second. Absent: portable names only.
   */
  nativeType?(text: string): ColumnType | undefined;
  /**
   * An empty scratch space of this engine to create a spec in and inspect it,
   * so that both sides of a diff were printed by the same engine (Postgres
   * uses the in-process PGlite instead). `target` is the live database's
   * server (MySQL creates scratch databases beside it); `schemas` are the
   * schemas to make room for, `home` the one unqualified names resolve in.
   * Undefined when it needs a server and has none.
   */
  openScratch?(target: DbTarget | undefined, schemas: readonly string[], home: string | undefined): Promise<ScratchSpace | undefined>;
  /**
   * Up to `count` more sessions that read exactly what `tx` reads (a
   * top-level REPEATABLE READ transaction), for spreading read-only queries
   * over several server backends; `options` are their limits (timeouts).
   * Absent, or no lanes: the engine cannot share a snapshot between sessions.
   */
  openLanes?(tx: Connection, count: number, options: TransactionOptions): Promise<SnapshotLanes>;
}

/** Scratch schemas on a scratch connection; dispose() removes them. */
export interface ScratchSpace {
  conn: Connection;
  /** Schema as named in the catalog to realise → its name in the scratch space. */
  names: Record<string, string>;
  /**
   * Undoes, on the inspected catalog (scratch names), what the scratch space
   * changed to keep the spec inert there (MySQL creates events disabled).
   */
  restore?(inspected: Catalog): Catalog;
  /**
   * Runs a `.sql` spec's text in the scratch space (in the home schema), the
   * way the engine's own client would load the file, under the same rule as
   * every other statement there. Absent: the engine takes no `.sql` specs.
   */
  runScript?(text: string, source: string): Promise<ScriptReport>;
  dispose(): Promise<void>;
}

export interface ScriptReport {
  statements: number;
  /** What the loader left out (row data, transaction control …), counted by reason. */
  skipped: Record<string, number>;
}

/** Glob match for schema filters: `*` matches any run of characters. */
export function matchesGlob(name: string, pattern: string): boolean {
  if (!pattern.includes('*')) return name === pattern;
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(name);
}

export function schemaIncluded(name: string, o: InspectOptions): boolean {
  if (o.schemas?.length && !o.schemas.some((p) => matchesGlob(name, p))) return false;
  if (o.excludeSchemas?.some((p) => matchesGlob(name, p))) return false;
  return true;
}
