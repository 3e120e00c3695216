// Builds a Catalog from a live Postgres (13–18, PGlite included) with a
// handful of set-based pg_catalog queries in one read-only snapshot.
// Never writes; never runs a query per table.
import { CATALOG_VERSION } from '../../catalog/types.js';
import type {
  Catalog,
  CheckConstraint,
  Collation,
  Column,
  ColumnType,
  CompositeType,
  Domain,
  Enum,
  ExclusionConstraint,
  ColumnStorage,
  FkAction,
  ForeignKey,
  Grant,
  Index,
  IndexElement,
  Policy,
  PolicyCommand,
  Routine,
  RoutineKind,
  Schema,
  Sequence,
  Table,
  TableKind,
  Trigger,
  TriggerEvent,
  UniqueConstraint,
  View,
} from '../../catalog/types.js';
import { objectPath, pathPart } from '../../catalog/paths.js';
import { emptyTable, markKeyOrdered, normalizeCatalog, withSortedKeys } from '../../catalog/normalize.js';
import { stripOuterParens } from '../../catalog/expressions.js';
import type { Connection } from '../../drivers/connection.js';
import { settleAll } from '../../concurrency.js';
import { PlumbError } from '../../errors.js';
import { DEFAULT_CONNECTIONS, schemaIncluded, type InspectOptions } from '../dialect.js';
import { normalizePgType, type PgTypeFacts } from './postgres-types.js';
import * as Q from './postgres-queries.js';
import { canCopyRows, copyRows, type CopyFields } from './postgres-copy-rows.js';
import { canShareSnapshot, joinSnapshot } from './postgres-snapshot-lanes.js';
import { faithfulText, loadFaithfulText } from './postgres-faithful-text.js';

type R = Record<string, any>; // rows straight from pg_catalog

const STORAGE: Record<string, ColumnStorage> = { p: 'plain', e: 'external', x: 'extended', m: 'main' };
const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const POLICY_CMDS: Record<string, PolicyCommand> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };
const ROUTINE_KINDS: Record<string, RoutineKind> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };
const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;
const TABLE_KINDS: Record<string, TableKind> = { r: 'table', p: 'partitioned', f: 'foreign' };

/** Whether any row carries a plain deparse beside the pretty one (domain checks carry it inside their JSON). */
function hasPlainText(results: Record<string, R[]>): boolean {
  const has = (name: string, ...keys: string[]) => results[name]?.some((r) => keys.some((k) => r[k] != null));
  return !!(
    has('relations', 'viewdef_plain') ||
    has('columns', 'def_plain') ||
    has('constraints', 'expr_plain') ||
    has('indexes', 'predicate_plain', 'exprs_plain') ||
    has('triggers', 'def_plain') ||
    has('policies', 'using_plain', 'check_plain') ||
    results.types?.some((r) => r.domain_checks != null && String(r.domain_checks).includes('"plain" : "'))
  );
}

/** Heaviest first, so that a pool of sessions finishes together. */
function catalogQueries(major: number): [name: string, sql: string, fields?: CopyFields][] {
  return [
    ['columns', Q.versioned(Q.COLUMNS_SQL, major), Q.COLUMNS_FIELDS],
    ['relations', Q.versioned(Q.RELATIONS_SQL, major), Q.RELATIONS_FIELDS],
    ['constraints', Q.versioned(Q.CONSTRAINTS_SQL, major), Q.CONSTRAINTS_FIELDS],
    ['indexes', Q.versioned(Q.INDEXES_SQL, major), Q.INDEXES_FIELDS],
    ['sequences', Q.SEQUENCES_SQL, Q.SEQUENCES_FIELDS],
    ['columnTypes', Q.COLUMN_TYPES_SQL.replace('%TYPE_FILTER%', Q.COLUMN_TYPES_FILTER)],
    ['indexNames', Q.INDEX_NAMES_SQL],
    ['types', Q.TYPES_SQL],
    ['routines', Q.versioned(Q.ROUTINES_SQL, major)],
    ['triggers', Q.TRIGGERS_SQL],
    ['grants', Q.GRANTS_SQL],
    ['policies', Q.POLICIES_SQL],
    ['rules', Q.RULES_SQL],
    ['collations', Q.COLLATIONS_SQL],
    ['extensions', Q.EXTENSIONS_SQL],
    ['settings', Q.SETTINGS_SQL],
  ];
}

export async function introspectPostgres(conn: Connection, options: InspectOptions = {}): Promise<Catalog> {
  const progress = options.onProgress ?? (() => undefined);
  // Only a session that is not already inside a transaction can export its snapshot.
  const [ver] = await conn.query<{ top: boolean; standby: boolean; v: string; n: string; db: string }>(
    "SELECT now() = statement_timestamp() AS top, pg_is_in_recovery() AS standby, current_setting('server_version') AS v, current_setting('server_version_num') AS n, current_database() AS db",
  );
  // Inside a caller's transaction (an audit) only the caller can give sessions on its snapshot (options.lanes).
  // Otherwise helpers connect now and join the snapshot this transaction exports with its first query;
  // each costs the server a backend start and an authentication, so none is opened when none can join.
  const extra = (options.connections ?? DEFAULT_CONNECTIONS) - 1;
  const exporting = !options.lanes && !!ver?.top && !ver.standby && canShareSnapshot(conn) && extra > 0;
  let exported: (id: string | null) => void = () => undefined;
  const own = exporting ? joinSnapshot(conn, extra, new Promise<string | null>((r) => (exported = r))) : undefined;
  const lanes = options.lanes ?? own?.lanes ?? [];
  let closing: Promise<void> | undefined;
  try {
    return await conn.transaction(
      async (tx) => {
        const serverVersion = ver?.v ?? '';
        const major = Math.floor(Number(ver?.n ?? 0) / 10000);
        // The snapshot is exported with the first query, saving a round trip before the helpers can start.
        const allSchemas = await tx.query<R>(exporting ? Q.SCHEMAS_EXPORTING_SQL : Q.SCHEMAS_SQL).catch((e: unknown) => {
          exported(null);
          throw e;
        });
        exported((allSchemas[0]?.snapshot as string | undefined) ?? null);
        const schemaRows = allSchemas.filter((s) => schemaIncluded(s.name, options));
        const denied = schemaRows.filter((s) => !s.usable).map((s) => s.name as string);
        if (denied.length && options.schemas?.length && options.schemas.every((p) => denied.includes(p))) {
          throw new PlumbError(
            'E_PERMISSION',
            `permission denied for schema ${denied.map((d) => `"${d}"`).join(', ')}`,
            'grant USAGE on the schema to the connecting role, or inspect another schema',
          );
        }
        const usable = schemaRows.filter((s) => s.usable);
        const oids = usable.map((s) => s.oid as number);
        const steps = catalogQueries(major);
        const total = steps.length + 1;
        const results: Record<string, R[]> = {};
        let next = 0;
        let done = 0;
        const work = async (c: Connection): Promise<void> => {
          while (next < steps.length) {
            const [name, sql, fields] = steps[next++]!;
            results[name] = fields && canCopyRows(c) ? await copyRows(c, sql, fields, oids) : await c.query<R>(sql, sql.includes('$1') ? [oids] : []);
            progress(name, ++done, total);
          }
        };
        const workers: Promise<void>[] = [work(tx), ...lanes.map((l) => l.then((c) => (c ? work(c) : undefined)))];
        // Wait for every session before failing, so that none is left mid-query.
        await settleAll(workers);
        // The helpers are done: they close while this session finishes and the catalog is assembled.
        closing = own?.close();
        // Handled here so that a failure before the finally below is not an unhandled rejection; the finally reports it.
        closing?.catch(() => undefined);
        const known = new Set(results.columnTypes!.map((t) => t.oid as number));
        const missing = [...new Set(results.columns!.map((c) => c.typid as number))].filter((oid) => !known.has(oid));
        if (missing.length) {
          const more = await tx.query<R>(Q.COLUMN_TYPES_SQL.replace('%TYPE_FILTER%', Q.COLUMN_TYPES_BY_OID_FILTER), [missing]);
          results.columnTypes!.push(...more);
        }
        const misfits = checksNotFittingSharedText(results.constraints!, results.columns!);
        if (misfits.length) {
          const own = new Map((await tx.query<R>(Q.CHECKS_BY_OID_SQL, [misfits.map((k) => k.oid)])).map((r) => [r.oid as number, r]));
          for (const k of misfits) {
            k.expr = own.get(k.oid)?.expr ?? k.expr;
            k.expr_plain = own.get(k.oid)?.expr_plain ?? null;
          }
        }
        if (hasPlainText(results)) await loadFaithfulText();
        const catalog = assemble(results, usable, {
          serverVersion,
          major,
          database: ver?.db ?? null,
          extensions: results.extensions!.map((e) => ({ ...(e.comment != null ? { comment: String(e.comment) } : {}), name: e.name, schema: e.schema, version: e.version })),
          settings: Object.fromEntries(results.settings!.map((s) => [s.name, s.setting])),
          deniedSchemas: denied,
        });
        progress('done', total, total);
        return catalog;
      },
      { readOnly: true, isolation: 'repeatable read' },
    );
  } finally {
    await (closing ?? own?.close());
  }
}

/**
 * The check rows whose text was deparsed on another table (see CONSTRAINTS_SQL)
 * where a column the check reads has another name than there.
 */
function checksNotFittingSharedText(constraints: R[], columns: R[]): R[] {
  const shared = constraints.filter((k) => k.type === 'c' && k.expr_rel != null && k.expr_rel !== k.rel);
  if (!shared.length) return [];
  const rels = new Set<number>();
  for (const k of shared) rels.add(k.rel).add(k.expr_rel);
  const names = new Map<number, Map<number, string>>();
  for (const c of columns) {
    if (!rels.has(c.rel)) continue;
    let m = names.get(c.rel);
    if (!m) names.set(c.rel, (m = new Map()));
    m.set(Number(c.num), c.name);
  }
  // System columns (negative attnums) have the same names in every table.
  const fits = (k: R): boolean =>
    arr<number>(k.conkey).every((n) => {
      const attnum = Number(n);
      if (attnum < 0) return true;
      const own = names.get(k.rel)?.get(attnum);
      return own !== undefined && own === names.get(k.expr_rel)?.get(attnum);
    });
  return shared.filter((k) => !fits(k));
}

interface Meta {
  serverVersion: string;
  major: number;
  database: string | null;
  extensions: Catalog['extensions'];
  settings: Record<string, string>;
  deniedSchemas: string[];
}

/*
 * Every object below is written with its keys in sorted order, and one that
 * gets an optional key after it is built goes through withSortedKeys: the
 * catalog is marked as such (markKeyOrdered), and stableStringify (inspect
 * --format json) serialises it as it is, without a walk over it first.
 */
function emptySchema(row: R): Schema {
  return {
    collations: [],
    comment: row.comment ?? null,
    compositeTypes: [],
    domains: [],
    enums: [],
    events: [],
    name: row.name,
    owner: row.owner ?? null,
    path: objectPath(row.name),
    routines: [],
    rules: [],
    sequences: [],
    tables: [],
    views: [],
  };
}

/** `o` with its COMMENT, in key order, when it has one (the catalog leaves the key out otherwise). */
function commented<T extends object>(o: T, comment: string | null | undefined): T {
  return comment == null ? o : withSortedKeys({ ...o, comment });
}

/** pg arrays arrive as JS arrays from pg and PGlite; `{a,b}` text only from odd casts. */
function arr<T = string>(v: unknown): T[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v as T[];
  if (typeof v === 'string' && v.startsWith('{')) {
    const inner = v.slice(1, -1);
    return (inner ? inner.split(',') : []) as T[];
  }
  return [v as T];
}

function assemble(res: Record<string, R[]>, schemaRows: R[], meta: Meta): Catalog {
  const schemas = new Map<number, Schema>();
  for (const s of schemaRows) schemas.set(s.oid, emptySchema(s));

  interface Rel {
    schema: Schema;
    name: string;
    /** objectPath(schema, name): child paths extend it (same result as objectPath with three parts). */
    path: string;
    table?: Table;
    view?: View;
    cols: Map<number, Column>;
    /** attnum → collation oid, for the columns that have one (index elements show a collation only where it differs). */
    collations: Map<number, number>;
  }
  const rels = new Map<number, Rel>();
  // Column names repeat across tables: quote each distinct name once.
  const parts = new Map<string, string>();
  const childPath = (rel: Rel, name: string): string => {
    let p = parts.get(name);
    if (p === undefined) parts.set(name, (p = pathPart(name)));
    return `${rel.path}.${p}`;
  };
  for (const r of res.relations!) {
    const schema = schemas.get(r.nsp);
    if (!schema) continue;
    const path = objectPath(schema.name, r.name);
    const rel: Rel = { schema, name: r.name, path, cols: new Map(), collations: new Map() };
    const reloptions = arr(r.reloptions);
    if (r.kind === 'v' || r.kind === 'm') {
      const checkOpt = reloptions.find((o) => o.startsWith('check_option='))?.split('=')[1];
      rel.view = {
        checkOption: checkOpt === 'local' || checkOpt === 'cascaded' ? checkOpt : null,
        columns: [],
        comment: r.comment ?? null,
        definition: faithfulText(String(r.viewdef ?? '').trim(), r.viewdef_plain?.trim(), 'statement'),
        grants: [],
        indexes: [],
        materialized: r.kind === 'm',
        name: r.name,
        owner: r.owner ?? null,
        path,
        schema: schema.name,
        securityInvoker: reloptions.some((o) => /^security_invoker=(true|on|1)$/i.test(o)),
        triggers: [],
      };
      schema.views.push(rel.view);
    } else {
      rel.table = emptyTable(schema.name, r.name, path, {
        comment: r.comment ?? null,
        kind: r.is_partition ? 'partition' : (TABLE_KINDS[r.kind] ?? 'table'),
        owner: r.owner ?? null,
        rls: { enabled: !!r.rls, forced: !!r.rls_forced },
        // Postgres 13 reports a never-analysed table as 0 rows with 0 pages; 14+ says -1.
        rowEstimate:
          r.reltuples == null || Number(r.reltuples) < 0 || (meta.major < 14 && Number(r.reltuples) === 0 && Number(r.relpages) === 0) ? null : Number(r.reltuples),
        totalBytes: r.bytes == null ? null : Number(r.bytes),
        ...(r.is_partition ? { partitionOf: r.parent ?? null, partitionBound: r.bound ?? null } : {}),
        ...(r.kind === 'p' ? { partitionKey: r.partkey ?? null } : {}),
        ...(arr(r.inherits).length ? { inherits: arr(r.inherits) } : {}),
        ...(r.persistence === 'u' ? { unlogged: true } : {}),
        ...(reloptions.length ? { storageParameters: reloptions } : {}),
      });
      schema.tables.push(rel.table);
    }
    rels.set(r.oid, rel);
  }

  const typeFacts = (r: R, prefix = ''): PgTypeFacts => ({
    formatted: r[prefix + 'formatted'],
    typname: r[prefix + 'typname'],
    typtype: r[prefix + 'typtype'],
    typschema: r[prefix + 'typschema'],
    typmod: Number(r[prefix + 'typmod'] ?? -1),
  });

  const columnTypes = new Map<number, R>(res.columnTypes!.map((t) => [t.oid, t]));
  // Thousands of columns share a few dozen (type, typmod) pairs: each is normalised once and its
  // ColumnType shared (catalog objects are never mutated in place).
  const typeCache = new Map<number, Map<number, ColumnType>>();
  const typeOf = (c: R): ColumnType => {
    const typmod = Number(c.typmod ?? -1);
    let byMod = typeCache.get(c.typid);
    if (!byMod) typeCache.set(c.typid, (byMod = new Map()));
    let type = byMod.get(typmod);
    if (!type) {
      const t = columnTypes.get(c.typid) ?? {};
      const facts: PgTypeFacts = { formatted: c.formatted, typname: t.typname, typtype: t.typtype, typschema: t.typschema, typmod };
      if (t.elem_typname) facts.element = { formatted: '', typname: t.elem_typname, typtype: t.elem_typtype, typschema: t.elem_typschema, typmod: -1 };
      byMod.set(typmod, (type = normalizePgType(facts)));
    }
    return type;
  };
  for (const c of res.columns!) {
    const rel = rels.get(c.rel);
    if (!rel) continue;
    const type = typeOf(c);
    if (c.collid) rel.collations.set(Number(c.num), Number(c.collid));
    if (rel.view) {
      rel.view.columns.push({ name: c.name, type });
      rel.cols.set(Number(c.num), { name: c.name } as Column);
      continue;
    }
    const def = c.def == null ? null : faithfulText(c.def, c.def_plain, 'expression');
    const col: Column = {
      collation: c.collation ?? null,
      comment: c.comment ?? null,
      default: c.generated ? null : def,
      generated: c.generated ? stripOuterParens(def ?? '') : null,
      identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by default' : null,
      name: c.name,
      nullable: !c.notnull,
      ordinal: Number(c.num),
      path: childPath(rel, c.name),
      type,
    };
    const storage = c.storage ? STORAGE[String(c.storage)] : undefined;
    const statistics = c.stats != null ? Number(c.stats) : undefined;
    const compression = c.compression != null ? String(c.compression) === 'l' ? 'lz4' : String(c.compression) === 'p' ? 'pglz' : String(c.compression) : undefined;
    const extra = { ...(c.generated ? { generatedStored: c.generated === 's' } : {}), ...(storage ? { storage } : {}), ...(statistics !== undefined ? { statistics } : {}), ...(compression ? { compression } : {}) };
    const built = Object.keys(extra).length ? withSortedKeys({ ...col, ...extra }) : col;
    rel.table!.columns.push(built);
    rel.cols.set(built.ordinal, built);
  }
  // View columns arrive unordered; keep their attnum order.
  for (const rel of rels.values()) {
    if (rel.view) {
      const order = [...rel.cols.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c.name);
      rel.view.columns.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    }
  }

  const colNames = (rel: Rel | undefined, nums: unknown): string[] =>
    arr<number>(nums).map((n) => rel?.cols.get(Number(n))?.name ?? `#${n}`);

  for (const k of res.constraints!) {
    const rel = rels.get(k.rel);
    const t = rel?.table;
    if (!rel || !t) continue;
    const path = childPath(rel, k.name);
    const columns = colNames(rel, k.conkey);
    switch (k.type) {
      case 'p':
        t.primaryKey = commented({ columns, name: k.name, path }, k.comment);
        break;
      case 'u': {
        const u: UniqueConstraint = { columns, name: k.name, path };
        if (k.nulls_not_distinct) u.nullsNotDistinct = true;
        if (k.deferrable) u.deferrable = true;
        if (k.deferred) u.initiallyDeferred = true;
        t.uniques.push(commented(withSortedKeys(u), k.comment));
        break;
      }
      case 'f': {
        const fk: ForeignKey = {
          columns,
          deferrable: !!k.deferrable,
          initiallyDeferred: !!k.deferred,
          name: k.name,
          onDelete: FK_ACTIONS[k.on_delete] ?? 'no action',
          onUpdate: FK_ACTIONS[k.on_update] ?? 'no action',
          path,
          references: { columns: k.ref_columns ? arr(k.ref_columns) : colNames(rels.get(k.ref_rel), k.confkey), schema: k.ref_schema, table: k.ref_table },
          validated: !!k.validated,
        };
        if (k.match === 'f') fk.match = 'full';
        t.foreignKeys.push(commented(fk.match ? withSortedKeys(fk) : fk, k.comment));
        break;
      }
      case 'c': {
        const ck: CheckConstraint = { columns, expression: stripOuterParens(faithfulText(String(k.expr ?? ''), k.expr_plain, 'expression')), name: k.name, path, validated: !!k.validated };
        if (k.noinherit) ck.noInherit = true;
        t.checks.push(commented(ck.noInherit ? withSortedKeys(ck) : ck, k.comment));
        break;
      }
      case 'x': {
        const def = String(k.def ?? '');
        const ex: ExclusionConstraint = { name: k.name, path, ...parseExclusion(def) };
        t.exclusions.push(commented(withSortedKeys(ex), k.comment));
        break;
      }
    }
  }
  // Indexes: one row per index with pg_index's element arrays; key columns first, then INCLUDE columns.
  const constraintOfIndex = new Map<number, string>();
  for (const k of res.constraints!) if (k.index_oid != null) constraintOfIndex.set(k.index_oid, k.name);
  const opclassName = new Map<number, string>();
  const collationName = new Map<number, string>();
  for (const r of res.indexNames!) (r.kind === 'opclass' ? opclassName : collationName).set(Number(r.oid), r.name);
  for (const r of res.indexes!) {
    const rel = rels.get(r.rel);
    if (!rel) continue;
    const idx: Index = {
      constraint: constraintOfIndex.get(r.oid) ?? null,
      elements: [],
      include: [],
      method: r.method,
      name: r.name,
      path: childPath(rel, r.name),
      predicate: r.predicate == null ? null : stripOuterParens(faithfulText(r.predicate, r.predicate_plain, 'expression')),
      primary: !!r.is_primary,
      unique: !!r.is_unique,
      valid: !!r.is_valid,
    };
    const keys = arr<number>(r.keys);
    const nkey = Number(r.nkey);
    const options = arr<number>(r.options);
    const opclasses = arr<number>(r.opclasses);
    const collations = arr<number>(r.collations);
    const exprsPlain = arr<string | null>(r.exprs_plain);
    const exprs = arr<string | null>(r.exprs).map((e, k) => (e == null ? e : faithfulText(e, exprsPlain[k], 'expression')));
    for (let k = 0; k < keys.length; k++) {
      const attnum = Number(keys[k]);
      const colName = attnum > 0 ? (rel.cols.get(attnum)?.name ?? `#${attnum}`) : undefined;
      if (k >= nkey) {
        if (colName) idx.include.push(colName);
        continue;
      }
      const opt = Number(options[k] ?? 0);
      // A collation is shown where it is not the column's own (an expression's: the database default, oid 100).
      const collid = Number(collations[k] ?? 0);
      const collation = collid !== 0 && collid !== (attnum > 0 ? (rel.collations.get(attnum) ?? 0) : 100) ? collationName.get(collid) : undefined;
      const opclass = opclassName.get(Number(opclasses[k]));
      // Keys set in sorted order.
      const el: IndexElement = {};
      if (collation) el.collation = collation;
      if (colName) el.column = colName;
      if (opt & 1) el.descending = true;
      if (!colName) el.expression = String(exprs[k] ?? '');
      // NULLS FIRST is the default for DESC; record only departures from the default.
      if (!!(opt & 2) !== !!(opt & 1)) el.nullsFirst = !!(opt & 2);
      if (opclass) el.opclass = opclass;
      idx.elements.push(el);
    }
    (rel.table?.indexes ?? rel.view?.indexes)?.push(commented(r.nulls_not_distinct ? withSortedKeys({ ...idx, nullsNotDistinct: true }) : idx, r.comment));
  }

  for (const r of res.triggers!) {
    const rel = rels.get(r.rel);
    (rel?.table ?? rel?.view)?.triggers.push(commented(trigger(r, rel!.schema.name, rel!.name), r.comment));
  }

  for (const r of res.policies!) {
    const rel = rels.get(r.rel);
    if (!rel?.table) continue;
    const p: Policy = {
      command: POLICY_CMDS[r.cmd] ?? 'all',
      name: r.name,
      path: childPath(rel, r.name),
      permissive: !!r.permissive,
      roles: arr(r.roles),
      using: r.using_expr == null ? null : stripOuterParens(faithfulText(r.using_expr, r.using_plain, 'expression')),
      withCheck: r.check_expr == null ? null : stripOuterParens(faithfulText(r.check_expr, r.check_plain, 'expression')),
    };
    rel.table.policies.push(commented(p, r.comment));
  }

  const grants = new Map<number, Map<string, Grant>>();
  for (const r of res.grants!) {
    let m = grants.get(r.rel);
    if (!m) grants.set(r.rel, (m = new Map()));
    let g = m.get(r.grantee);
    if (!g) m.set(r.grantee, (g = { grantee: r.grantee, privileges: [] }));
    g.privileges.push(r.privilege);
    if (r.grantable) g.grantable = true;
  }
  for (const [oid, m] of grants) {
    const rel = rels.get(oid);
    const target = rel?.table ?? rel?.view;
    if (target) target.grants = [...m.values()].map((g) => (g.grantable ? withSortedKeys(g) : g));
  }

  for (const r of res.types!) {
    const schema = schemas.get(r.nsp);
    if (!schema) continue;
    const path = objectPath(schema.name, r.name);
    if (r.typtype === 'e') {
      const e: Enum = { comment: r.comment ?? null, labels: arr(r.labels), name: r.name, path };
      schema.enums.push(e);
    } else if (r.typtype === 'd') {
      const d: Domain = {
        checks: arr(r.domain_checks).map((j) => {
          const o = JSON.parse(j) as { name: string; expression: string; plain: string | null };
          return { expression: stripOuterParens(faithfulText(o.expression ?? '', o.plain, 'expression')), name: o.name };
        }),
        comment: r.comment ?? null,
        default: r.def ?? null,
        name: r.name,
        notNull: !!r.notnull,
        path,
        type: normalizePgType(typeFacts(r, 'base_')),
      };
      schema.domains.push(d);
    } else {
      const ct: CompositeType = {
        attributes: arr(r.attributes).map((j) => {
          const a = JSON.parse(j) as R;
          return { name: a.name, type: normalizePgType(typeFacts(a)) as ColumnType };
        }),
        comment: r.comment ?? null,
        name: r.name,
        path,
      };
      schema.compositeTypes.push(r.typtype === 'r' ? withSortedKeys({ ...ct, range: String(r.range_options ?? '') }) : ct);
    }
  }

  for (const r of res.sequences!) {
    const schema = schemas.get(r.nsp);
    if (!schema) continue;
    const ownerRel = r.owner_rel ? rels.get(r.owner_rel) : undefined;
    const ownerCol = ownerRel?.cols.get(Number(r.owner_col));
    const seq: Sequence = {
      cache: r.cache,
      comment: r.comment ?? null,
      cycle: !!r.cycle,
      increment: r.increment,
      lastValue: r.last_value ?? null,
      max: r.max,
      min: r.min,
      name: r.name,
      ownedBy: ownerRel && ownerCol ? (ownerCol.path ?? childPath(ownerRel, ownerCol.name)) : null,
      path: objectPath(schema.name, r.name),
      start: r.start,
      type: r.type,
    };
    schema.sequences.push(seq);
  }

  for (const r of res.routines!) {
    const schema = schemas.get(r.nsp);
    if (!schema) continue;
    const rt: Routine = {
      arguments: r.args ?? '',
      comment: r.comment ?? null,
      config: arr(r.config),
      definition: String(r.body ?? ''),
      kind: ROUTINE_KINDS[r.kind] ?? 'function',
      language: r.language,
      name: r.name,
      owner: r.owner ?? null,
      path: `${objectPath(schema.name, r.name)}(${r.signature ?? ''})`,
      returns: r.returns ?? null,
      securityDefiner: !!r.security_definer,
      signature: r.signature ?? '',
      volatility: VOLATILITY[r.volatility as keyof typeof VOLATILITY] ?? null,
    };
    schema.routines.push(rt);
  }

  for (const c of res.collations ?? []) {
    const schema = schemas.get(c.nsp);
    if (!schema) continue;
    const provider = c.provider === 'i' ? 'icu' : c.provider === 'b' ? 'builtin' : 'libc';
    const locale = String((provider === 'libc' ? c.lc_collate : c.locale) ?? '');
    const co: Collation = { deterministic: c.deterministic !== false, locale, name: c.name, path: objectPath(schema.name, c.name), provider };
    if (provider === 'libc' && c.lc_ctype != null && c.lc_ctype !== c.lc_collate) co.lcCtype = String(c.lc_ctype);
    if (c.icu_rules != null) co.rules = String(c.icu_rules);
    schema.collations!.push(withSortedKeys(co));
  }

  for (const r of res.rules ?? []) {
    const schema = schemas.get(r.nsp);
    if (!schema) continue;
    schema.rules!.push({ comment: r.comment ?? null, definition: String(r.def), name: r.name, path: objectPath(schema.name, r.rel, r.name), table: r.rel });
  }

  const settings = { ...meta.settings };
  if (meta.deniedSchemas.length) settings['plumb.denied_schemas'] = meta.deniedSchemas.join(',');
  return markKeyOrdered(
    normalizeCatalog({
      catalogVersion: CATALOG_VERSION,
      database: meta.database,
      dialect: 'postgres',
      extensions: meta.extensions,
      schemas: [...schemas.values()],
      serverMajor: meta.major,
      serverVersion: meta.serverVersion,
      settings,
    }),
  );
}

function trigger(r: R, schema: string, table: string): Trigger {
  const type = Number(r.type);
  const events: TriggerEvent[] = [];
  if (type & 4) events.push('insert');
  if (type & 16) events.push('update');
  if (type & 8) events.push('delete');
  if (type & 32) events.push('truncate');
  const def = faithfulText(String(r.def ?? ''), r.def_plain, 'statement');
  const whenText = /\bWHEN (\(.*\)) EXECUTE (?:FUNCTION|PROCEDURE)\b/s.exec(def)?.[1];
  const when = whenText == null ? null : stripOuterParens(whenText);
  const t: Trigger = {
    body: null,
    definition: def,
    enabled: r.enabled !== 'D',
    events,
    function: `${objectPath(r.fn_schema, r.fn_name)}(${r.fn_args ?? ''})`,
    level: type & 1 ? 'row' : 'statement',
    name: r.name,
    path: objectPath(schema, table, r.name),
    timing: type & 2 ? 'before' : type & 64 ? 'instead of' : 'after',
    when,
  };
  if (r.enabled === 'R') t.firing = 'replica';
  if (r.enabled === 'A') t.firing = 'always';
  return t;
}

/**
 * Splits `EXCLUDE USING gist (during WITH &&, room WITH =) WHERE (room > 0)`
 * into method, elements and predicate, respecting nested parentheses.
 */
export function parseExclusion(def: string): Omit<ExclusionConstraint, 'name' | 'path'> {
  const m = /^EXCLUDE USING (\S+) \(/.exec(def);
  const open = m ? m[0].length - 1 : -1;
  const close = open >= 0 ? closingParen(def, open) : -1;
  const list = close > open ? def.slice(open + 1, close) : '';
  const rest = close > open ? def.slice(close + 1).trim() : '';
  const where = /^(?:INCLUDE \(.*?\)\s*)?(?:WITH \(.*?\)\s*)?(?:USING INDEX TABLESPACE \S+\s*)?WHERE (.*)$/s.exec(rest)?.[1];
  return {
    method: m?.[1] ?? 'gist',
    definition: def,
    elements: splitTopLevel(list).map((e) => {
      const w = /^(.*) WITH (\S+)$/s.exec(e.trim());
      return { expression: stripOuterParens(w?.[1] ?? e.trim()), operator: w?.[2] ?? '' };
    }),
    predicate: where == null ? null : stripOuterParens(where),
  };
}

/** Index of the parenthesis closing the one at `open`, skipping quoted text; -1 if none. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Split on commas that are not inside parentheses or quotes. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (s.slice(start).trim()) out.push(s.slice(start));
  return out;
}
