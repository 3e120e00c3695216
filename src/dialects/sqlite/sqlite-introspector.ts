// Builds a Catalog from an SQLite database: sqlite_schema plus the pragma
// table-valued functions (table_xinfo, foreign_key_list, index_list,
// index_xinfo) joined in five queries for the whole file; what SQLite keeps
// only as DDL text (checks, constraint names, COLLATE, generated expressions)
// comes from sqlite-ddl-parser. One schema: `main`. Never writes.
import { CATALOG_VERSION } from '../../catalog/types.js';
import type { Catalog, CheckConstraint, Column, FkAction, ForeignKey, Index, IndexElement, Schema, Table, Trigger, View } from '../../catalog/types.js';
import { objectPath } from '../../catalog/paths.js';
import { plumbSchemaOfTable } from '../../catalog/plumb-schemas.js';
import { emptyTable, normalizeCatalog } from '../../catalog/normalize.js';
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import { matchesGlob, schemaIncluded, type InspectOptions } from '../dialect.js';
import { parseCreateIndex, parseCreateTable, parseCreateTrigger, tokenize, viewBody, type ParsedTable } from './sqlite-ddl-parser.js';
import { normalizeSqliteType } from './sqlite-types.js';

type R = Record<string, any>;

export const SQLITE_SCHEMA = 'main';

const OBJECTS_SQL = `SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`;
const TABLE_LIST_SQL = `SELECT name, strict, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'`;
const COLUMNS_SQL = `
SELECT m.name AS tbl, p.cid, p.name, p.type, p."notnull" AS not_null, p.dflt_value, p.pk, p.hidden
FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, p.cid`;
const FOREIGN_KEYS_SQL = `
SELECT m.name AS tbl, f.id, f.seq, f."table" AS ref_table, f."from" AS col, f."to" AS ref_col, f.on_update, f.on_delete, f."match" AS match_option
FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, f.id, f.seq`;
const INDEXES_SQL = `
SELECT m.name AS tbl, il.name AS idx, il."unique" AS is_unique, il.origin, il.partial, ii.seqno, ii.cid, ii.name AS col, ii."desc" AS is_desc, ii.coll
FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND ii."key" = 1
ORDER BY m.name, il.name, ii.seqno`;
const SETTINGS_SQL = `
SELECT (SELECT foreign_keys FROM pragma_foreign_keys) AS foreign_keys,
       (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode,
       (SELECT user_version FROM pragma_user_version) AS user_version,
       (SELECT application_id FROM pragma_application_id) AS application_id,
       (SELECT encoding FROM pragma_encoding) AS encoding,
       (SELECT page_size FROM pragma_page_size) AS page_size,
       (SELECT auto_vacuum FROM pragma_auto_vacuum) AS auto_vacuum,
       (SELECT recursive_triggers FROM pragma_recursive_triggers) AS recursive_triggers,
       (SELECT file FROM pragma_database_list WHERE name = 'main') AS file,
       sqlite_version() AS version`;

const FK_ACTIONS: Record<string, FkAction> = { 'NO ACTION': 'no action', RESTRICT: 'restrict', CASCADE: 'cascade', 'SET NULL': 'set null', 'SET DEFAULT': 'set default' };

export async function introspectSqlite(conn: Connection, options: InspectOptions = {}): Promise<Catalog> {
  if (options.schemas?.length && !options.schemas.some((p) => matchesGlob(SQLITE_SCHEMA, p))) {
    throw new PlumbError('E_USAGE', `SQLite has one schema, "main" (asked for ${options.schemas.join(', ')})`, 'omit --schema for SQLite, or pass --schema main');
  }
  const progress = options.onProgress ?? (() => undefined);
  return conn.transaction(
    async (tx) => {
      const steps: [string, string][] = [
        ['objects', OBJECTS_SQL],
        ['tableList', TABLE_LIST_SQL],
        ['columns', COLUMNS_SQL],
        ['foreignKeys', FOREIGN_KEYS_SQL],
        ['indexes', INDEXES_SQL],
        ['settings', SETTINGS_SQL],
      ];
      const res: Record<string, R[]> = {};
      let done = 0;
      for (const [name, sql] of steps) {
        res[name] = await tx.query<R>(sql);
        progress(name, ++done, steps.length + 2);
      }
      const hasStat1 = (await tx.query<R>(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'`)).length > 0;
      res.stats = hasStat1 ? await tx.query<R>(`SELECT tbl, MAX(CAST(stat AS INTEGER)) AS stat FROM sqlite_stat1 GROUP BY tbl`) : [];
      // SQLite keeps no row estimate unless ANALYZE ran: count instead, exactly, reading at most EXACT_COUNT_LIMIT + 1 rows a table.
      res.counts = [];
      for (const o of res.objects!) {
        if (o.type !== 'table' || /^CREATE\s+VIRTUAL\b/i.test(String(o.sql ?? ''))) continue;
        const [c] = await tx.query<R>(`SELECT count(*) AS n FROM (SELECT 1 FROM ${quoteSqliteIdent(String(o.name))} LIMIT ${EXACT_COUNT_LIMIT + 1})`);
        res.counts.push({ tbl: o.name, n: c?.n });
      }
      progress('statistics', ++done, steps.length + 2);
      const cat = withoutExcludedPlumbTables(assemble(res), options);
      progress('done', ++done, steps.length + 2);
      return cat;
    },
    { readOnly: true },
  );
}

/** plumb's tables stand for its schemas (SQLite has one): excluding `plumb` leaves out plumb_journal and plumb_history, and so on. */
function withoutExcludedPlumbTables(cat: Catalog, options: InspectOptions): Catalog {
  const hidden = (name: string) => {
    const s = plumbSchemaOfTable(name);
    return s !== undefined && !schemaIncluded(s, { excludeSchemas: options.excludeSchemas ?? [] });
  };
  if (!cat.schemas.some((s) => s.tables.some((t) => hidden(t.name)))) return cat;
  return { ...cat, schemas: cat.schemas.map((s) => ({ ...s, tables: s.tables.filter((t) => !hidden(t.name)) })) };
}

/** Tables are counted exactly up to this many rows (a bounded read each); larger ones keep ANALYZE's estimate. */
export const EXACT_COUNT_LIMIT = 100_000;

const quoteSqliteIdent = (n: string) => `"${n.replace(/"/g, '""')}"`;

function rowsOf(count: number | undefined, estimate: number | undefined): { rowEstimate: number | null; rowsExact?: true } {
  if (count !== undefined && Number.isFinite(count) && count <= EXACT_COUNT_LIMIT) return { rowEstimate: count, rowsExact: true };
  return { rowEstimate: estimate ?? null };
}

function assemble(res: Record<string, R[]>): Catalog {
  const settingsRow = res.settings![0] ?? {};
  const schema: Schema = { name: SQLITE_SCHEMA, path: objectPath(SQLITE_SCHEMA), owner: null, comment: null, tables: [], views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [] };
  const tables = new Map<string, { t: Table; parsed: ParsedTable }>();
  const views = new Map<string, View>();
  const tableList = new Map(res.tableList!.map((r) => [String(r.name), r]));
  const stats = new Map(res.stats!.map((r) => [String(r.tbl), Number(String(r.stat).split(' ')[0])]));
  const counts = new Map((res.counts ?? []).map((r) => [String(r.tbl), Number(r.n)]));
  const objects = res.objects!;
  const sqlByKey = new Map(objects.map((o) => [`${o.type}\u0000${o.name}`, String(o.sql ?? '')]));
  const sqlOf = (type: string, name: string) => sqlByKey.get(`${type}\u0000${name}`) ?? '';

  for (const o of objects) {
    const name = String(o.name);
    const sql = String(o.sql ?? '');
    if (o.type === 'table') {
      if (/^CREATE\s+VIRTUAL\b/i.test(sql)) continue; // virtual tables (FTS, R*Tree) are modules, not tables
      const parsed = parseCreateTable(sql);
      const tl = tableList.get(name);
      const t: Table = emptyTable(SQLITE_SCHEMA, name, objectPath(SQLITE_SCHEMA, name), {
        // An exact count up to the bound; beyond it ANALYZE's estimate, if any.
        ...rowsOf(counts.get(name), stats.get(name)),
        options: {},
      });
      if (tl ? Number(tl.strict) === 1 : parsed.strict) t.options!.strict = true;
      if (tl ? Number(tl.wr) === 1 : parsed.withoutRowid) t.options!.withoutRowid = true;
      schema.tables.push(t);
      tables.set(name, { t, parsed });
    } else if (o.type === 'view') {
      const v: View = {
        name,
        schema: SQLITE_SCHEMA,
        path: objectPath(SQLITE_SCHEMA, name),
        materialized: false,
        definition: viewBody(sql),
        columns: [],
        comment: null,
        securityInvoker: true,
        checkOption: null,
        owner: null,
        grants: [],
        indexes: [],
        triggers: [],
      };
      schema.views.push(v);
      views.set(name, v);
    }
  }

  // Columns; PK order comes from table_xinfo.pk (1-based position in the key).
  const pkCols = new Map<string, { pos: number; name: string }[]>();
  for (const c of res.columns!) {
    const tbl = String(c.tbl);
    const type = normalizeSqliteType(String(c.type ?? ''));
    const view = views.get(tbl);
    if (view) {
      view.columns.push({ name: String(c.name), type });
      continue;
    }
    const entry = tables.get(tbl);
    if (!entry) continue;
    const { t, parsed } = entry;
    const hidden = Number(c.hidden);
    if (hidden === 1) continue; // hidden columns of virtual tables
    const pc = parsed.columns.find((p) => p.name.toLowerCase() === String(c.name).toLowerCase());
    const col: Column = {
      name: String(c.name),
      path: objectPath(SQLITE_SCHEMA, t.name, String(c.name)),
      ordinal: Number(c.cid) + 1,
      type,
      nullable: Number(c.not_null) === 0,
      default: c.dflt_value == null ? null : String(c.dflt_value),
      identity: null,
      generated: hidden === 2 || hidden === 3 ? (pc?.generated ?? '') : null,
      collation: pc?.collation ?? null,
      comment: null,
    };
    if (col.generated !== null) col.generatedStored = hidden === 3;
    if (Number(c.pk) > 0) {
      const list = pkCols.get(tbl) ?? [];
      list.push({ pos: Number(c.pk), name: col.name });
      pkCols.set(tbl, list);
    }
    if (pc?.autoIncrement) col.autoIncrement = true;
    t.columns.push(col);
  }

  for (const [tbl, { t, parsed }] of tables) {
    const cols = (pkCols.get(tbl) ?? []).sort((a, b) => a.pos - b.pos).map((p) => p.name);
    if (cols.length) {
      const name = parsed.pk?.name ?? `${t.name}_pkey`;
      t.primaryKey = { name, path: objectPath(SQLITE_SCHEMA, t.name, name), columns: cols };
      // A lone INTEGER PRIMARY KEY is the rowid: SQLite assigns it like an identity column.
      const only = cols.length === 1 ? t.columns.find((c) => c.name === cols[0]) : undefined;
      if (only && /^INTEGER$/i.test(only.type.raw) && !t.options?.withoutRowid) {
        only.nullable = false;
        if (!only.autoIncrement) only.identity = 'by default';
      }
    }
    // PRIMARY KEY columns of a rowid table may hold NULL in SQLite (a historic bug kept for compatibility); report them as declared.
    const used = new Set<string>();
    const unique = (base: string) => {
      let n = base;
      for (let i = 1; used.has(n); i++) n = `${base}${i}`;
      used.add(n);
      return n;
    };
    if (t.primaryKey) used.add(t.primaryKey.name);
    for (const ck of parsed.checks) {
      const names = identifiersOf(ck.expression);
      const columns = t.columns.filter((c) => names.has(c.name) || names.has(c.name.toUpperCase())).map((c) => c.name);
      const name = ck.name ?? unique(ck.column ? `${t.name}_${ck.column}_check` : columns.length ? `${t.name}_${firstMentioned(ck.expression, columns)}_check` : `${t.name}_check`);
      used.add(name);
      const c: CheckConstraint = { name, path: objectPath(SQLITE_SCHEMA, t.name, name), expression: ck.expression.trim(), columns, validated: true };
      t.checks.push(c);
    }
  }

  // Foreign keys: the pragma numbers them in reverse declaration order and has no names; match the DDL by columns.
  const fkGroups = new Map<string, R[]>();
  for (const r of res.foreignKeys!) {
    const k = `${r.tbl}\u0000${r.id}`;
    const list = fkGroups.get(k) ?? [];
    list.push(r);
    fkGroups.set(k, list);
  }
  for (const rows of fkGroups.values()) {
    const first = rows[0]!;
    const entry = tables.get(String(first.tbl));
    if (!entry) continue;
    const { t, parsed } = entry;
    const columns = rows.map((r) => String(r.col));
    const refTable = String(first.ref_table);
    let refColumns = rows.map((r) => (r.ref_col == null ? null : String(r.ref_col)));
    if (refColumns.some((c) => c === null)) {
      // REFERENCES parent without columns: the parent's primary key.
      const parentPk = (pkCols.get(refTable) ?? [...pkCols.entries()].find(([k]) => k.toLowerCase() === refTable.toLowerCase())?.[1] ?? []).sort((a, b) => a.pos - b.pos).map((p) => p.name);
      refColumns = parentPk.length === columns.length ? parentPk : refColumns.map((c) => c ?? '');
    }
    const declared = parsed.foreignKeys.find((f) => sameCols(f.columns, columns) && f.table.toLowerCase() === refTable.toLowerCase());
    const name = declared?.name ?? `${t.name}_${columns.join('_')}_fkey`;
    const fk: ForeignKey = {
      name,
      path: objectPath(SQLITE_SCHEMA, t.name, name),
      columns,
      references: { schema: SQLITE_SCHEMA, table: refTable, columns: refColumns as string[] },
      onDelete: FK_ACTIONS[String(first.on_delete).toUpperCase()] ?? 'no action',
      onUpdate: FK_ACTIONS[String(first.on_update).toUpperCase()] ?? 'no action',
      deferrable: false,
      initiallyDeferred: false,
      validated: true,
    };
    if (declared?.deferrable) {
      fk.deferrable = true;
      fk.initiallyDeferred = declared.deferrable === 'deferred';
    }
    t.foreignKeys.push(fk);
  }

  // Indexes: one row per key column; origin 'pk' / 'u' back a constraint, 'c' is CREATE INDEX.
  const idxMap = new Map<string, { idx: Index; origin: string; tbl: string }>();
  for (const r of res.indexes!) {
    const entry = tables.get(String(r.tbl));
    if (!entry) continue;
    const k = `${r.tbl}\u0000${r.idx}`;
    let e = idxMap.get(k);
    if (!e) {
      e = {
        idx: {
          name: String(r.idx),
          path: objectPath(SQLITE_SCHEMA, entry.t.name, String(r.idx)),
          elements: [],
          unique: Number(r.is_unique) === 1,
          primary: r.origin === 'pk',
          method: 'btree',
          predicate: null,
          include: [],
          valid: true,
          constraint: null,
        },
        origin: String(r.origin),
        tbl: String(r.tbl),
      };
      idxMap.set(k, e);
    }
    const el: IndexElement = r.col != null ? { column: String(r.col) } : { expression: '' };
    if (Number(r.is_desc) === 1) el.descending = true;
    if (r.coll && String(r.coll).toUpperCase() !== 'BINARY') el.collation = String(r.coll);
    e.idx.elements.push(el);
  }
  for (const { idx, origin, tbl } of idxMap.values()) {
    const { t, parsed } = tables.get(tbl)!;
    if (origin === 'c') {
      const p = parseCreateIndex(sqlOf('index', idx.name));
      idx.elements.forEach((el, i) => {
        if (el.column === undefined) el.expression = p.elements[i] ?? '';
      });
      idx.predicate = p.predicate;
    } else {
      // Autoindexes are named sqlite_autoindex_t_N: give them the constraint's name, like Postgres.
      const cols = idx.elements.map((e) => e.column ?? '');
      if (origin === 'pk' && t.primaryKey) {
        idx.name = t.primaryKey.name;
      } else {
        const declared = parsed.uniques.find((u) => sameCols(u.columns, cols) && u.name);
        idx.name = declared?.name ?? `${t.name}_${cols.join('_')}_key`;
        t.uniques.push({ name: idx.name, path: objectPath(SQLITE_SCHEMA, t.name, idx.name), columns: cols });
      }
      idx.path = objectPath(SQLITE_SCHEMA, t.name, idx.name);
      idx.constraint = idx.name;
    }
    t.indexes.push(idx);
  }

  for (const o of objects) {
    if (o.type !== 'trigger') continue;
    const target = tables.get(String(o.tbl_name))?.t ?? views.get(String(o.tbl_name));
    if (!target) continue;
    const sql = String(o.sql ?? '');
    const p = parseCreateTrigger(sql);
    const tr: Trigger = {
      name: String(o.name),
      path: objectPath(SQLITE_SCHEMA, target.name, String(o.name)),
      timing: p.timing,
      events: p.events,
      level: 'row',
      function: null,
      body: p.body,
      when: p.when,
      enabled: true,
      definition: sql,
    };
    target.triggers.push(tr);
  }

  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(settingsRow)) {
    if (v == null || k === 'version' || k === 'file') continue;
    settings[k] = String(v);
  }
  const file = settingsRow.file ? String(settingsRow.file) : '';
  const version = String(settingsRow.version ?? '');
  return normalizeCatalog({
    catalogVersion: CATALOG_VERSION,
    dialect: 'sqlite',
    serverVersion: version,
    serverMajor: Number(version.split('.')[0] ?? 3),
    database: file ? (file.split(/[\\/]/).pop() ?? file) : ':memory:',
    extensions: [],
    schemas: [schema],
    settings,
  });
}


function sameCols(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
}

/** Identifiers an expression mentions: quoted ones as written, bare words upper-cased (SQLite names are case-insensitive). */
function identifiersOf(expr: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokenize(expr)) if (t.type === 'ident' || t.type === 'word') out.add(t.value);
  return out;
}

function firstMentioned(expr: string, cols: string[]): string {
  for (const t of tokenize(expr)) {
    const hit = cols.find((c) => (t.type === 'ident' && t.value === c) || (t.type === 'word' && t.value === c.toUpperCase()));
    if (hit) return hit;
  }
  return cols[0]!;
}
