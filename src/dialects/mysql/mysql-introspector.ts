// Builds a Catalog from a live MySQL 8 / MariaDB 10.6+ server with a dozen
// set-based information_schema queries. Each database is a catalog schema: the
// URL's database by default, `--schema` for others. Never writes; never runs a
// query per table unless asked for the exact DDL (`exactDdl`: SHOW CREATE
// TABLE, for what information_schema does not say).
import { CATALOG_VERSION } from '../../catalog/types.js';
import type {
  Catalog,
  CheckConstraint,
  Column,
  FkAction,
  ForeignKey,
  Grant,
  Index,
  IndexElement,
  Routine,
  ScheduledEvent,
  Schema,
  Table,
  TriggerEvent,
  View,
} from '../../catalog/types.js';
import { objectPath } from '../../catalog/paths.js';
import { plumbSchemaOfTable } from '../../catalog/plumb-schemas.js';
import { emptyTable, normalizeCatalog } from '../../catalog/normalize.js';
import { stripOuterParens as stripParens, type QuoteStyle } from '../../catalog/expressions.js';
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import { matchesGlob, schemaIncluded, type InspectOptions } from '../dialect.js';
import { normalizeMysqlType } from './mysql-types.js';
import * as Q from './mysql-queries.js';
import { mysqlRowTrigger } from './mysql-check-triggers.js';

type R = Record<string, any>; // rows straight from information_schema

const NUMERIC_KINDS = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'numeric', 'real', 'double', 'bool', 'bit', 'year']);

/** information_schema text can arrive as Buffer on some server/charset combinations. */
function str(v: unknown): string | null {
  if (v == null) return null;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** The character set a collation belongs to: `utf8mb4_unicode_ci` → `utf8mb4`. */
export function charsetOfCollation(collation: string | null | undefined): string | null {
  if (!collation) return null;
  return collation === 'binary' ? 'binary' : (collation.split('_')[0] ?? null);
}

export async function introspectMysql(conn: Connection, options: InspectOptions = {}): Promise<Catalog> {
  const progress = options.onProgress ?? (() => undefined);
  return conn.transaction(
    async (tx) => {
      const [settingsRow] = await tx.query<R>(Q.SETTINGS_SQL);
      const version = str(settingsRow?.version) ?? (await conn.serverVersion());
      const opt = Q.optionalColumns(await tx.query<{ t: string; c: string }>(Q.OPTIONAL_COLUMNS_SQL));
      const allSchemas = await tx.query<R>(Q.SCHEMAS_SQL(opt));
      const urlDb = str(settingsRow?.db);
      const chosen = allSchemas.filter((s) => {
        const name = String(s.name);
        if (options.schemas?.length) return options.schemas.some((p) => matchesGlob(name, p)) && schemaIncluded(name, options);
        if (urlDb) return name === urlDb && schemaIncluded(name, options);
        return !Q.SYSTEM_SCHEMAS.has(name) && schemaIncluded(name, options);
      });
      if (options.schemas?.length && !chosen.length && !options.ignoreMissingSchemas) {
        throw new PlumbError(
          'E_NO_DATABASE',
          `no database matches --schema ${options.schemas.join(', ')}`,
          'on MySQL/MariaDB each database is a schema: list them with SHOW DATABASES (the user needs a privilege on a database to see it)',
        );
      }
      const names = chosen.map((s) => String(s.name));
      const steps: [string, string][] = [
        ['tables', Q.TABLES_SQL],
        ['columns', Q.COLUMNS_SQL],
        ['indexes', Q.INDEXES_SQL(opt)],
        ['foreignKeys', Q.FOREIGN_KEYS_SQL],
        ['checks', opt.checkConstraintsTable ? Q.CHECKS_SQL(opt) : ''],
        ['views', Q.VIEWS_SQL],
        ['routines', Q.ROUTINES_SQL],
        ['parameters', Q.PARAMETERS_SQL],
        ['triggers', Q.TRIGGERS_SQL],
        ['events', Q.EVENTS_SQL],
        ['tablePrivileges', Q.TABLE_PRIVILEGES_SQL],
        ['schemaPrivileges', Q.SCHEMA_PRIVILEGES_SQL],
      ];
      await refuseHiddenObjects(tx, names);
      const results: Record<string, R[]> = {};
      let done = 0;
      const total = steps.length + (options.exactDdl ? 2 : 1);
      for (const [name, sql] of steps) {
        results[name] = names.length && sql ? await tx.query<R>(sql, [names]) : [];
        progress(name, ++done, total);
      }
      if (options.exactDdl) {
        results.keys = await keysAsCreated(tx, results.tables!);
        progress('keys', ++done, total);
      }
      const catalog = withoutStoreTables(assemble(results, chosen, settingsRow ?? {}, version), options);
      progress('done', total, total);
      return catalog;
    },
    { readOnly: true },
  );
}

/**
 * A catalog missing what the user may not see (foreign keys, view bodies)
 * would be written into a spec, or planned against, as if it did not exist
 * (applying it as an admin drops the keys): refuse, naming the grant that
 * shows it.
 */
async function refuseHiddenObjects(tx: Connection, schemas: readonly string[]): Promise<void> {
  if (!schemas.length) return;
  const rows = await tx.query<R>(Q.HIDDEN_OBJECTS_SQL, [schemas, schemas]);
  if (!rows.length) return;
  const fks = rows.filter((r) => str(r.kind) === 'foreign key');
  const views = rows.filter((r) => str(r.kind) === 'view');
  const [who] = await tx.query<R>('SELECT CURRENT_USER() AS u');
  const u = str(who?.u) ?? '';
  const at = u.lastIndexOf('@');
  const grantee = at > 0 ? `'${u.slice(0, at)}'@'${u.slice(at + 1)}'` : `'${u}'`;
  const grants = (privilege: string, rows: R[]) => [...new Set(rows.map((r) => String(str(r.sch))))].map((d) => `GRANT ${privilege} ON \`${d.replace(/`/g, '``')}\`.* TO ${grantee};`);
  const hidden: string[] = [];
  const hints: string[] = [];
  if (fks.length) {
    hidden.push(`${fks.length} foreign key(s) (e.g. ${str(fks[0]!.sch)}.${str(fks[0]!.tbl)}.${str(fks[0]!.name)}; the server shows a table's constraints only to a user with a privilege other than SELECT on it)`);
    hints.push(...grants('REFERENCES', fks));
  }
  if (views.length) {
    hidden.push(`the definition of ${views.length} view(s) (e.g. ${str(views[0]!.sch)}.${str(views[0]!.tbl)})`);
    hints.push(...grants('SHOW VIEW', views));
  }
  throw new PlumbError(
    'E_PERMISSION',
    `${hidden.join(' and ')} are hidden from ${grantee}: plumb will not inspect, write a spec from, or plan against a catalog without them`,
    `${hints.join(' ')} (these let the user see definitions; they change no data)`,
  );
}

/**
 * Each key as SHOW CREATE TABLE lists it: its position (creation order within
 * its kind) and the method its DDL names (`KEY k (a) USING BTREE`), which the
 * server keeps and repeats while information_schema reports BTREE either way
 * (and BTREE for a stated HASH on InnoDB). One row per key: schema, table,
 * index name, position, method or null.
 */
async function keysAsCreated(tx: Connection, tables: R[]): Promise<R[]> {
  const out: R[] = [];
  for (const t of tables) {
    if (t.type === 'VIEW') continue;
    const [row] = await tx.query<R>(`SHOW CREATE TABLE ${qi(String(t.sch))}.${qi(String(t.name))}`);
    const ddl = str(row?.['Create Table']) ?? '';
    let position = 0;
    for (const line of ddl.split('\n')) {
      const m = /^\s*(?:PRIMARY KEY|(?:UNIQUE |FULLTEXT |SPATIAL |VECTOR )?KEY `((?:[^`]|``)+)`) \(/.exec(line);
      if (!m) continue;
      const method = / USING (BTREE|HASH|RTREE)\b/.exec(line.replace(/ COMMENT '(?:[^'\\]|''|\\.)*',?$/, ''))?.[1];
      out.push({ sch: t.sch, tbl: t.name, name: m[1] === undefined ? 'PRIMARY' : m[1].replace(/``/g, '`'), position: ++position, method: method?.toLowerCase() ?? null });
    }
  }
  return out;
}

/** apply's journal and history sit in the target database (plumb_journal, plumb_history): excluding the `plumb` schema leaves them out. */
function withoutStoreTables(cat: Catalog, options: InspectOptions): Catalog {
  if (schemaIncluded('plumb', { excludeSchemas: options.excludeSchemas ?? [] })) return cat;
  const store = (name: string) => plumbSchemaOfTable(name) === 'plumb';
  if (!cat.schemas.some((s) => s.tables.some((t) => store(t.name)))) return cat;
  return { ...cat, schemas: cat.schemas.map((s) => ({ ...s, tables: s.tables.filter((t) => !store(t.name)) })) };
}

function emptySchema(name: string, comment: string | null): Schema {
  return { name, path: objectPath(name), owner: null, comment, tables: [], views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [] };
}

const FK_ACTIONS: Record<string, FkAction> = {
  // InnoDB checks NO ACTION immediately, exactly like RESTRICT: one spelling keeps diffs quiet.
  'NO ACTION': 'no action',
  RESTRICT: 'no action',
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
};

function assemble(res: Record<string, R[]>, schemaRows: R[], settingsRow: R, version: string): Catalog {
  const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  const schemas = new Map<string, Schema>();
  for (const s of schemaRows) schemas.set(String(s.name), emptySchema(String(s.name), str(s.comment) || null));
  const key = (sch: unknown, tbl: unknown) => `${sch}\u0000${tbl}`;
  const tables = new Map<string, Table>();
  const views = new Map<string, View>();

  for (const r of res.tables!) {
    const schema = schemas.get(String(r.sch));
    if (!schema) continue;
    const name = String(r.name);
    const path = objectPath(schema.name, name);
    if (r.type === 'VIEW') continue; // views come from VIEWS below
    const collation = str(r.collation);
    const t: Table = emptyTable(schema.name, name, path, {
      comment: str(r.comment) || null,
      rowEstimate: r.row_count == null ? null : Number(r.row_count),
      totalBytes: r.bytes == null ? null : Number(r.bytes),
      options: {},
    });
    if (r.engine) t.options!.engine = String(r.engine);
    const rowFormat = /\brow_format=(\w+)/i.exec(str(r.create_options) ?? '')?.[1];
    if (rowFormat) t.options!.rowFormat = rowFormat.toUpperCase();
    if (collation) {
      t.options!.collation = collation;
      t.options!.charset = charsetOfCollation(collation)!;
    }
    schema.tables.push(t);
    tables.set(key(schema.name, name), t);
  }

  for (const r of res.views!) {
    const schema = schemas.get(String(r.sch));
    if (!schema) continue;
    const name = String(r.name);
    const co = String(r.check_option ?? 'NONE').toUpperCase();
    const v: View = {
      name,
      schema: schema.name,
      path: objectPath(schema.name, name),
      materialized: false,
      definition: (str(r.def) ?? '').trim(),
      columns: [],
      comment: null,
      securityInvoker: String(r.security).toUpperCase() === 'INVOKER',
      checkOption: co === 'LOCAL' ? 'local' : co === 'CASCADED' ? 'cascaded' : null,
      owner: str(r.definer),
      grants: [],
      indexes: [],
      triggers: [],
    };
    schema.views.push(v);
    views.set(key(schema.name, name), v);
  }

  // MariaDB implements JSON as LONGTEXT + a column-level CHECK (json_valid(col)) named after the column.
  const jsonChecks = new Set<string>();
  for (const r of res.checks!) {
    if (String(r.level).toLowerCase() !== 'column') continue;
    const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(str(r.clause)).trim());
    if (m && m[1]!.replace(/``/g, '`') === String(r.name)) jsonChecks.add(`${key(r.sch, r.tbl)}\u0000${r.name}`);
  }

  for (const c of [...res.columns!].sort((a, b) => Number(a.num) - Number(b.num))) {
    const k = key(c.sch, c.tbl);
    const view = views.get(k);
    const type = normalizeMysqlType({
      dataType: String(c.data_type),
      columnType: str(c.column_type) ?? String(c.data_type),
      charLength: c.char_length == null ? null : Number(c.char_length),
      precision: c.num_precision == null ? null : Number(c.num_precision),
      scale: c.num_scale == null ? null : Number(c.num_scale),
    });
    // Spelled as MySQL spells it (raw `json`), so a LONGTEXT that only holds JSON by convention differs from it in a diff.
    if (jsonChecks.has(`${k}\u0000${c.name}`)) Object.assign(type, { kind: 'json', raw: 'json' });
    if (view) {
      view.columns.push({ name: String(c.name), type });
      continue;
    }
    const t = tables.get(k);
    if (!t) continue;
    const extra = String(str(c.extra) ?? '');
    const genExpr = str(c.gen_expr);
    const generated = /\bGENERATED\b/i.test(extra) && genExpr ? genExpr : null;
    const col: Column = {
      name: String(c.name),
      path: objectPath(t.schema, t.name, String(c.name)),
      ordinal: Number(c.num),
      type,
      nullable: String(c.nullable).toUpperCase() === 'YES',
      default: generated ? null : normalizeDefault(str(c.def), extra, type.kind, flavor),
      identity: null,
      generated,
      collation: null,
      comment: str(c.comment) || null,
    };
    if (/\bauto_increment\b/i.test(extra)) col.autoIncrement = true;
    if (/\bINVISIBLE\b/i.test(extra)) col.invisible = true;
    if (generated) col.generatedStored = /\b(STORED|PERSISTENT)\b/i.test(extra);
    const onUpdate = /\bon update ([^,]+)/i.exec(extra)?.[1];
    if (onUpdate) col.onUpdate = onUpdate.trim();
    // Like Postgres, record a collation/charset only where it departs from the table's default.
    // JSON's utf8mb4_bin collation on MariaDB is part of the type, not a choice.
    const coll = type.kind === 'json' ? null : str(c.collation);
    if (coll && coll !== t.options?.collation) col.collation = coll;
    const cs = type.kind === 'json' ? null : str(c.charset);
    if (cs && cs !== t.options?.charset) col.charset = cs;
    t.columns.push(col);
  }

  // Indexes: one row per element, ordered by index then position.
  const indexes = new Map<string, Index>();
  for (const r of res.indexes!) {
    const t = tables.get(key(r.sch, r.tbl));
    if (!t) continue;
    const name = String(r.name);
    const ik = `${key(r.sch, r.tbl)}\u0000${name}`;
    let idx = indexes.get(ik);
    if (!idx) {
      const unique = Number(r.non_unique) === 0;
      const primary = name === 'PRIMARY';
      const method = String(r.method ?? 'BTREE').toLowerCase();
      idx = {
        name,
        path: objectPath(t.schema, t.name, name),
        elements: [],
        unique,
        primary,
        method,
        predicate: null,
        include: [],
        valid: true,
        constraint: primary || unique ? name : null,
      };
      // MySQL stores "no comment" as ''.
      if (r.comment) idx.comment = String(r.comment);
      indexes.set(ik, idx);
      t.indexes.push(idx);
    }
    const col = str(r.col);
    const el: IndexElement = col ? { column: col } : { expression: stripOuterParens(str(r.expr) ?? '') };
    if (String(r.dir ?? '').toUpperCase() === 'D') el.descending = true;
    if (r.sub_part != null) el.prefixLength = Number(r.sub_part);
    idx.elements.push(el);
  }
  for (const r of res.keys ?? []) {
    const idx = indexes.get(`${key(r.sch, r.tbl)}\u0000${r.name}`);
    if (!idx) continue;
    idx.position = Number(r.position);
    if (r.method == null) continue;
    idx.method = String(r.method);
    idx.explicitMethod = true;
  }
  for (const [ik, idx] of indexes) {
    const t = tables.get(ik.split('\u0000').slice(0, 2).join('\u0000'))!;
    const columns = idx.elements.map((e) => e.column ?? e.expression ?? '');
    if (idx.primary) t.primaryKey = { name: idx.name, path: idx.path, columns };
    else if (idx.unique) t.uniques.push({ name: idx.name, path: idx.path, columns });
  }

  const fks = new Map<string, ForeignKey>();
  for (const r of res.foreignKeys!) {
    const t = tables.get(key(r.sch, r.tbl));
    if (!t) continue;
    const fk0 = `${key(r.sch, r.tbl)}\u0000${r.name}`;
    let fk = fks.get(fk0);
    if (!fk) {
      fk = {
        name: String(r.name),
        path: objectPath(t.schema, t.name, String(r.name)),
        columns: [],
        references: { schema: String(r.ref_schema), table: String(r.ref_table), columns: [] },
        onDelete: FK_ACTIONS[String(r.on_delete).toUpperCase()] ?? 'no action',
        onUpdate: FK_ACTIONS[String(r.on_update).toUpperCase()] ?? 'no action',
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
      };
      fks.set(fk0, fk);
      t.foreignKeys.push(fk);
    }
    fk.columns.push(String(r.col));
    fk.references.columns.push(String(r.ref_col));
  }

  for (const r of res.checks!) {
    const t = tables.get(key(r.sch, r.tbl));
    if (!t || jsonChecks.has(`${key(r.sch, r.tbl)}\u0000${r.name}`)) continue;
    const expression = stripOuterParens(str(r.clause) ?? '');
    const ck: CheckConstraint = {
      name: String(r.name),
      path: objectPath(t.schema, t.name, String(r.name)),
      expression,
      columns: t.columns.filter((c) => referencesColumn(expression, c.name)).map((c) => c.name),
      validated: String(r.enforced ?? 'YES').toUpperCase() !== 'NO',
    };
    t.checks.push(ck);
  }

  for (const r of res.triggers!) {
    const t = tables.get(key(r.tsch, r.tbl));
    if (!t) continue;
    const timing = String(r.timing).toLowerCase() === 'before' ? 'before' : 'after';
    const event = String(r.event).toLowerCase() as TriggerEvent;
    t.triggers.push(mysqlRowTrigger(t, String(r.name), timing, event, str(r.body) ?? ''));
  }

  const params = new Map<string, R[]>();
  for (const p of res.parameters!) {
    const k = `${key(p.sch, p.name)}\u0000${String(p.type).toUpperCase()}`;
    let list = params.get(k);
    if (!list) params.set(k, (list = []));
    list.push(p);
  }
  for (const r of res.routines!) {
    const schema = schemas.get(String(r.sch));
    if (!schema) continue;
    const kind = String(r.type).toUpperCase() === 'PROCEDURE' ? 'procedure' : 'function';
    const ps = params.get(`${key(r.sch, r.name)}\u0000${kind.toUpperCase()}`) ?? [];
    const args = ps.map((p) => [kind === 'procedure' ? str(p.mode) : null, qi(String(p.pname)), str(p.dtd)].filter(Boolean).join(' ')).join(', ');
    const signature = ps.map((p) => String(str(p.dtd))).join(', ');
    const rt: Routine = {
      name: String(r.name),
      path: `${objectPath(schema.name, String(r.name))}(${signature})`,
      kind,
      arguments: args,
      signature,
      returns: kind === 'function' ? str(r.ret_type) : null,
      language: 'sql',
      definition: str(r.body) ?? '',
      securityDefiner: String(r.security).toUpperCase() === 'DEFINER',
      volatility: String(r.is_det).toUpperCase() === 'YES' ? 'immutable' : 'volatile',
      config: [],
      owner: str(r.definer),
      comment: str(r.comment) || null,
    };
    schema.routines.push(rt);
  }

  for (const r of res.events!) {
    const schema = schemas.get(String(r.sch));
    if (!schema) continue;
    const ev: ScheduledEvent = {
      name: String(r.name),
      path: objectPath(schema.name, String(r.name)),
      schedule: eventSchedule(r),
      definition: str(r.body) ?? '',
      enabled: String(r.status).toUpperCase() === 'ENABLED',
      comment: str(r.comment) || null,
    };
    schema.events.push(ev);
  }

  const grants = new Map<Table, Map<string, Grant>>();
  for (const r of res.tablePrivileges!) {
    const t = tables.get(key(r.sch, r.tbl));
    if (!t) continue;
    let m = grants.get(t);
    if (!m) grants.set(t, (m = new Map()));
    let g = m.get(String(r.grantee));
    if (!g) m.set(String(r.grantee), (g = { grantee: String(r.grantee), privileges: [] }));
    g.privileges.push(String(r.privilege));
    if (String(r.grantable).toUpperCase() === 'YES') g.grantable = true;
  }
  for (const [t, m] of grants) t.grants = [...m.values()];

  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(settingsRow)) {
    if (k === 'db' || k === 'version' || v == null) continue;
    settings[k] = String(str(v));
  }
  settings['plumb.flavor'] = flavor;
  // Database-wide grants (Schema has no grants field): `grantee PRIV,PRIV` per database.
  const schemaGrants = new Map<string, Map<string, string[]>>();
  for (const r of res.schemaPrivileges!) {
    let m = schemaGrants.get(String(r.sch));
    if (!m) schemaGrants.set(String(r.sch), (m = new Map()));
    const list = m.get(String(r.grantee)) ?? [];
    list.push(String(r.privilege));
    m.set(String(r.grantee), list);
  }
  for (const [sch, m] of schemaGrants) {
    settings[`plumb.schema_grants.${sch}`] = [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, p]) => `${g} ${p.sort().join(',')}`).join('; ');
  }
  for (const s of schemaRows) {
    if (s.charset) settings[`plumb.schema_charset.${s.name}`] = String(s.charset);
    if (s.collation) settings[`plumb.schema_collation.${s.name}`] = String(s.collation);
  }

  const major = Number(/^(\d+)/.exec(version)?.[1] ?? 0);
  return normalizeCatalog({
    catalogVersion: CATALOG_VERSION,
    dialect: 'mysql',
    serverVersion: version,
    serverMajor: major,
    database: str(settingsRow.db),
    extensions: [],
    schemas: [...schemas.values()],
    settings,
  });
}

/**
 * Defaults in one spelling for both servers: MariaDB already prints SQL
 * (`'abc'`, `0`, `current_timestamp()`, `NULL`); MySQL 8 prints literals bare
 * and flags expressions with DEFAULT_GENERATED.
 */
function normalizeDefault(def: string | null, extra: string, kind: string, flavor: string): string | null {
  if (def == null) return null;
  if (flavor === 'mariadb') return def === 'NULL' ? null : def;
  if (/\bDEFAULT_GENERATED\b/i.test(extra)) return def;
  if (NUMERIC_KINDS.has(kind) && /^[-+]?\d/.test(def)) return def;
  if (/^b'[01]*'$/.test(def)) return def;
  return `'${def.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function eventSchedule(r: R): string {
  if (String(r.type).toUpperCase() === 'ONE TIME') return `AT '${str(r.execute_at)}'`;
  // STARTS is left out: the server fills it with the creation time, which would make every catalog differ.
  const every = `EVERY ${str(r.interval_value)} ${String(str(r.interval_field)).replace(/_/g, ' ')}`;
  return r.ends ? `${every} ENDS '${str(r.ends)}'` : every;
}

function qi(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** Does the expression mention the column (bare or back-quoted)? */
function referencesColumn(expr: string, col: string): boolean {
  if (expr.includes(qi(col))) return true;
  if (!/^\w+$/.test(col)) return false;
  return new RegExp(`(^|[^\\w\`.])${col}($|[^\\w\`])`, 'i').test(expr.replace(/'(?:[^']|'')*'/g, "''"));
}

/** MySQL prints expressions with backticks and backslash escapes inside quotes. */
const stripOuterParens = (s: string) => stripParens(s, MYSQL_QUOTES);
const MYSQL_QUOTES: QuoteStyle = { quotes: "'\"`", backslashEscapes: true };
