// Spec → Catalog by mapping alone (no engine): portable type strings resolved
// to the ColumnType the introspector would report, names and paths filled in.
// Expressions stay as written; specToCatalog passes this draft through a
// scratch engine so both sides of a diff went through the same printer. Pure.
import { CATALOG_VERSION } from '../catalog/types.js';
import type { Catalog, Column, ColumnType, Index, Schema, Sequence, Table, Trigger } from '../catalog/types.js';
import { objectPath } from '../catalog/paths.js';
import { normalizeCatalog } from '../catalog/normalize.js';
import { PlumbError } from '../errors.js';
import { quoteLiteral } from '../dialects/postgres/postgres-dialect.js';
import { pgIdent, resolvePgType, type NamedType } from '../dialects/postgres/postgres-render-types.js';
import { pgObjectName, splitDotted } from './normalize-spec.js';
import type { Spec, SpecDefault, SpecIndex, SpecSchema, SpecTable, SpecTrigger } from './types.js';

export function defaultSql(d: SpecDefault): string | null {
  if (d === null) return null;
  if (typeof d === 'number') return String(d);
  if (typeof d === 'boolean') return d ? 'true' : 'false';
  if (typeof d === 'object') return quoteLiteral(d.value);
  return d;
}

function sequenceDefaults(type: Sequence['type'], inc: string): Pick<Sequence, 'min' | 'max' | 'start'> {
  const max = type === 'smallint' ? '32767' : type === 'integer' ? '2147483647' : '9223372036854775807';
  const neg = inc.startsWith('-');
  if (neg) return { min: `-${max === '9223372036854775807' ? '9223372036854775808' : String(Number(max) + 1)}`, max: '-1', start: '-1' };
  return { min: '1', max, start: '1' };
}

interface Lookup {
  named: (schema: string | null, name: string, context: string) => NamedType | undefined;
  tables: Map<string, SpecTable>;
  native?: ((text: string) => ColumnType | undefined) | undefined;
}

/** `nativeType`: the spec's own engine's type spelling, tried before portable names (a spec that names its dialect). */
export function specToDraftCatalog(spec: Spec, nativeType?: (text: string) => ColumnType | undefined): Catalog {
  const named = new Map<string, NamedType>();
  for (const s of spec.schemas) {
    for (const e of s.enums) named.set(`${s.name}.${e.name}`, { schema: s.name, name: e.name, kind: 'enum' });
    for (const d of s.domains) named.set(`${s.name}.${d.name}`, { schema: s.name, name: d.name, kind: 'domain' });
    for (const c of s.compositeTypes) named.set(`${s.name}.${c.name}`, { schema: s.name, name: c.name, kind: 'composite' });
  }
  const lookup: Lookup = {
    named: (schema, name, context) => (schema ? named.get(`${schema}.${name}`) : (named.get(`${context}.${name}`) ?? named.get(`${spec.defaultSchema}.${name}`) ?? named.get(`public.${name}`))),
    tables: new Map(spec.schemas.flatMap((s) => s.tables.map((t) => [`${s.name}.${t.name}`, t] as const))),
    native: nativeType,
  };
  const schemas = spec.schemas.map((s) => draftSchema(s, lookup));
  qualifyDeclaredCollations(spec, schemas);
  return normalizeCatalog({
    catalogVersion: CATALOG_VERSION,
    dialect: 'postgres',
    serverVersion: '',
    serverMajor: 0,
    database: null,
    extensions: spec.extensions.map((e) => ({ name: e.name, schema: e.schema ?? 'public', version: e.version ?? '', ...(e.comment !== undefined ? { comment: e.comment } : {}) })),
    schemas,
    settings: {},
  });
}

/**
 * A column's bare collation name that the spec declares (`collation:
 * case_insensitive`) is that collation, found in the column's schema first:
 * named with its schema, as inspection names a collation that is not built in.
 */
function qualifyDeclaredCollations(spec: Spec, schemas: Catalog['schemas']): void {
  const declared = new Map<string, string[]>();
  for (const s of spec.schemas) for (const c of s.collations) declared.set(c.name, [...(declared.get(c.name) ?? []), s.name]);
  if (!declared.size) return;
  for (const s of schemas)
    for (const t of s.tables)
      for (const c of t.columns) {
        if (!c.collation || c.collation.includes('.') || c.collation.includes('"')) continue;
        const where = declared.get(c.collation);
        if (where) c.collation = `${pgIdent(where.includes(s.name) ? s.name : where[0]!)}.${pgIdent(c.collation)}`;
      }
}

function resolve(text: string, lookup: Lookup, context: string): { type: ColumnType; serial?: 'integer' | 'bigint' | 'smallint' } {
  const native = lookup.native?.(text);
  if (native) return { type: native };
  const r = resolvePgType(text, (schema, name) => lookup.named(schema, name, context));
  // Neither portable nor declared: native text, left for the engine to judge.
  return r ?? { type: { kind: 'other', raw: text.trim() } };
}

function draftSchema(s: SpecSchema, lookup: Lookup): Schema {
  const sequences: Sequence[] = s.sequences.map((q) => {
    const d = sequenceDefaults(q.type, q.increment);
    const min = q.min ?? d.min;
    return {
      name: q.name,
      path: objectPath(s.name, q.name),
      type: q.type,
      start: q.start ?? (q.increment.startsWith('-') ? (q.max ?? d.max) : min),
      increment: q.increment,
      min,
      max: q.max ?? d.max,
      cache: q.cache,
      cycle: q.cycle,
      ownedBy: q.ownedBy ? ownedPath(q.ownedBy, s.name) : null,
      lastValue: null,
      comment: q.comment,
    };
  });
  const tables = s.tables.map((t) => draftTable(t, lookup, sequences));
  return {
    name: s.name,
    path: objectPath(s.name),
    owner: null,
    comment: s.comment,
    tables,
    views: s.views.map((v) => ({
      name: v.name,
      schema: s.name,
      path: objectPath(s.name, v.name),
      materialized: v.materialized,
      definition: v.sql,
      columns: [],
      comment: v.comment,
      securityInvoker: v.securityInvoker,
      checkOption: v.checkOption,
      owner: null,
      grants: v.grants.map(grant),
      indexes: v.indexes.map((i) => draftIndex(s.name, v.name, i)),
      triggers: [],
    })),
    enums: s.enums.map((e) => ({ name: e.name, path: objectPath(s.name, e.name), labels: [...e.labels], comment: e.comment })),
    domains: s.domains.map((d) => ({ name: d.name, path: objectPath(s.name, d.name), type: resolve(d.type, lookup, s.name).type, notNull: d.notNull, default: defaultSql(d.default), checks: d.checks.map((c) => ({ ...c })), comment: d.comment })),
    compositeTypes: s.compositeTypes.map((c) => ({ name: c.name, path: objectPath(s.name, c.name), attributes: c.attributes.map((a) => ({ name: a.name, type: resolve(a.type, lookup, s.name).type })), ...(c.range !== undefined ? { range: c.range } : {}), comment: c.comment })),
    sequences,
    routines: s.routines.map((r) => {
      const signature = argumentTypes(r.arguments);
      return {
        name: r.name,
        path: `${objectPath(s.name, r.name)}(${signature})`,
        kind: r.kind,
        arguments: r.arguments,
        signature,
        returns: r.returns,
        language: r.language,
        definition: r.body,
        securityDefiner: r.securityDefiner,
        volatility: r.kind === 'procedure' || r.kind === 'aggregate' ? null : r.volatility,
        config: [...r.config],
        owner: null,
        comment: r.comment,
      };
    }),
    events: s.events.map((e) => ({ name: e.name, path: objectPath(s.name, e.name), schedule: e.schedule, definition: e.definition, enabled: e.enabled, comment: e.comment })),
    collations: s.collations.map((c) => ({ ...c, path: objectPath(s.name, c.name) })),
    rules: s.rules.map((r) => ({ name: r.name, table: r.table, path: objectPath(s.name, r.table, r.name), definition: r.definition, comment: r.comment })),
  };
}

function ownedPath(ref: string, schema: string): string {
  const p = splitDotted(ref);
  return p.length >= 3 ? objectPath(p[0]!, p[1]!, p[2]!) : objectPath(schema, p[0]!, p[1] ?? '');
}

/** `a integer, b text DEFAULT 'x'` → `integer, text` (best effort; the engine's own spelling replaces it). */
function argumentTypes(args: string): string {
  if (!args.trim()) return '';
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of args) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out
    .map((a) => a.replace(/\s+(DEFAULT\b|=).*$/is, '').trim())
    .filter((a) => !/^OUT\s/i.test(a))
    .map((a) => a.replace(/^(IN|INOUT|VARIADIC)\s+/i, ''))
    .map((a) => {
      const parts = a.split(/\s+/);
      return parts.length > 1 ? parts.slice(1).join(' ') : a;
    })
    .join(', ');
}

const grant = (g: { grantee: string; privileges: string[]; grantable: boolean }) => ({ grantee: g.grantee, privileges: [...g.privileges].sort(), ...(g.grantable ? { grantable: true } : {}) });

function draftIndex(schema: string, table: string, i: SpecIndex): Index {
  const idx: Index = {
    name: i.name,
    path: objectPath(schema, table, i.name),
    elements: i.elements.map(({ length, ...e }) => (length !== undefined ? { ...e, prefixLength: length } : { ...e })),
    unique: i.unique,
    primary: false,
    method: i.method,
    predicate: i.where,
    include: [...i.include],
    valid: true,
    constraint: null,
  };
  if (i.nullsNotDistinct) idx.nullsNotDistinct = true;
  if (i.comment !== null && i.comment !== undefined) idx.comment = i.comment;
  if (i.using) idx.explicitMethod = true;
  if (i.implicitName) idx.implicitName = true;
  return idx;
}

function triggerDefinition(schema: string, table: string, t: SpecTrigger): string {
  const events = t.events.map((e) => (e === 'update' && t.updateOf.length ? `UPDATE OF ${t.updateOf.map(pgIdent).join(', ')}` : e.toUpperCase())).join(' OR ');
  const [fs, fn] = splitDotted(t.function);
  const fnSql = fn === undefined ? pgIdent(fs!) : `${pgIdent(fs!)}.${pgIdent(fn)}`;
  const args = t.arguments.map((a) => quoteLiteral(a)).join(', ');
  return `CREATE TRIGGER ${pgIdent(t.name)} ${t.timing.toUpperCase()} ${events} ON ${pgIdent(schema)}.${pgIdent(table)}${t.referencing ? ` REFERENCING ${t.referencing}` : ''} FOR EACH ${t.level.toUpperCase()}${t.when ? ` WHEN (${t.when})` : ''} EXECUTE FUNCTION ${fnSql}(${args})`;
}

function draftTable(t: SpecTable, lookup: Lookup, sequences: Sequence[]): Table {
  const s = t.schema;
  const columns: Column[] = t.columns.map((c, i) => {
    const r = resolve(c.type, lookup, s);
    let def = defaultSql(c.default);
    if (r.serial) {
      // serial = integer + an owned sequence + a nextval default, exactly as Postgres expands it.
      const seqName = pgObjectName(t.name, c.name, 'seq');
      if (!sequences.some((q) => q.name === seqName)) {
        const d = sequenceDefaults(r.serial, '1');
        sequences.push({ name: seqName, path: objectPath(s, seqName), type: r.serial, start: '1', increment: '1', min: d.min, max: d.max, cache: '1', cycle: false, ownedBy: objectPath(s, t.name, c.name), lastValue: null, comment: null });
      }
      const seqRef = s === 'public' ? pgIdent(seqName) : `${pgIdent(s)}.${pgIdent(seqName)}`;
      def = `nextval(${quoteLiteral(seqRef)}::regclass)`;
    }
    const col: Column = {
      name: c.name,
      path: objectPath(s, t.name, c.name),
      ordinal: i + 1,
      type: r.type,
      nullable: r.serial ? false : c.nullable,
      default: c.generated ? null : def,
      identity: c.identity,
      generated: c.generated ? c.generated.expression : null,
      collation: c.collation,
      comment: c.comment,
    };
    if (c.generated) col.generatedStored = c.generated.stored;
    if (c.storage) col.storage = c.storage;
    if (c.statistics !== undefined) col.statistics = c.statistics;
    if (c.compression) col.compression = c.compression;
    if (c.charset) col.charset = c.charset;
    if (c.onUpdate) col.onUpdate = c.onUpdate;
    if (c.invisible) col.invisible = true;
    if (c.autoIncrement) col.autoIncrement = true;
    return col;
  });
  const pkOf = (schema: string, table: string): string[] => {
    const target = lookup.tables.get(`${schema}.${table}`);
    if (!target?.primaryKey) {
      throw new PlumbError('E_SPEC', `a foreign key of ${s}.${t.name} references ${schema}.${table} without naming columns, and that table declares no primary key`, 'name the referenced columns: `references: { table, columns: [id] }`');
    }
    return target.primaryKey.columns;
  };
  const table: Table = {
    name: t.name,
    schema: s,
    path: objectPath(s, t.name),
    kind: t.partitionOf ? 'partition' : t.partitionBy ? 'partitioned' : 'table',
    ...(t.partitionBy ? { partitionKey: t.partitionBy } : {}),
    ...(t.partitionOf ? { partitionOf: t.partitionOf, partitionBound: t.partitionBound ?? 'DEFAULT' } : {}),
    comment: t.comment,
    rowEstimate: null,
    totalBytes: null,
    columns,
    primaryKey: t.primaryKey ? { name: t.primaryKey.name, path: objectPath(s, t.name, t.primaryKey.name), columns: [...t.primaryKey.columns] } : null,
    uniques: t.uniques.map((u) => ({ name: u.name, path: objectPath(s, t.name, u.name), columns: [...u.columns], ...(u.nullsNotDistinct ? { nullsNotDistinct: true } : {}), ...(u.deferrable ? { deferrable: true } : {}), ...(u.initiallyDeferred ? { initiallyDeferred: true } : {}), ...(u.implicitName ? { implicitName: true } : {}) })),
    foreignKeys: t.foreignKeys.map((f) => ({
      name: f.name,
      path: objectPath(s, t.name, f.name),
      columns: [...f.columns],
      references: { schema: f.references.schema, table: f.references.table, columns: f.references.columns ?? pkOf(f.references.schema, f.references.table) },
      onDelete: f.onDelete,
      onUpdate: f.onUpdate,
      deferrable: f.deferrable,
      initiallyDeferred: f.initiallyDeferred,
      validated: f.validated,
      ...(f.match === 'full' ? { match: 'full' as const } : {}),
      ...(f.implicitName ? { implicitName: true } : {}),
    })),
    checks: t.checks.map((c) => ({ name: c.name, path: objectPath(s, t.name, c.name), expression: c.expression, columns: [], validated: c.validated, ...(c.noInherit ? { noInherit: true } : {}), ...(c.implicitName ? { implicitName: true } : {}) })),
    exclusions: t.exclusions.map((x) => {
      const els = x.elements.map((e) => `${/^\w+$/.test(e.expression) ? e.expression : `(${e.expression})`} WITH ${e.operator}`).join(', ');
      return { name: x.name, path: objectPath(s, t.name, x.name), method: x.using, definition: `EXCLUDE USING ${x.using} (${els})${x.where ? ` WHERE (${x.where})` : ''}`, elements: x.elements.map((e) => ({ ...e })), predicate: x.where, ...(x.implicitName ? { implicitName: true } : {}) };
    }),
    // Keys are created in the order the spec lists them (MySQL keeps that order).
    indexes: t.indexes.map((i, n) => ({ ...draftIndex(s, t.name, i), position: n + 1 })),
    triggers: t.triggers.map(
      (tr): Trigger => ({
        name: tr.name,
        path: objectPath(s, t.name, tr.name),
        timing: tr.timing,
        events: [...tr.events],
        level: tr.level,
        // An inline body (MySQL, SQLite) has no function; each engine writes its own CREATE TRIGGER around it.
        function: tr.body !== undefined ? null : `${tr.function}()`,
        body: tr.body ?? null,
        when: tr.when,
        enabled: tr.enabled,
        definition: tr.body !== undefined ? '' : triggerDefinition(s, t.name, tr),
      }),
    ),
    policies: t.policies.map((p) => ({ name: p.name, path: objectPath(s, t.name, p.name), command: p.command, permissive: p.permissive, roles: [...p.roles], using: p.using, withCheck: p.withCheck })),
    rls: { ...t.rls },
    grants: t.grants.map(grant),
    owner: null,
    ...(t.unlogged ? { unlogged: true } : {}),
    ...(t.storageParameters?.length ? { storageParameters: [...t.storageParameters] } : {}),
  };
  // A primary key with MySQL prefix lengths or a stated method has its index spelled out.
  const pk = t.primaryKey;
  if (pk && (pk.lengths || pk.using)) {
    table.indexes.push({
      name: pk.name,
      path: objectPath(s, t.name, pk.name),
      elements: pk.columns.map((c) => (pk.lengths?.[c] !== undefined ? { column: c, prefixLength: pk.lengths[c]! } : { column: c })),
      unique: true,
      primary: true,
      method: pk.using ?? 'btree',
      predicate: null,
      include: [],
      valid: true,
      constraint: pk.name,
      ...(pk.using ? { explicitMethod: true } : {}),
    });
  }
  const options = Object.fromEntries(Object.entries({ engine: t.engine, charset: t.charset, collation: t.collation, rowFormat: t.rowFormat }).filter(([, v]) => v !== undefined));
  if (Object.keys(options).length) table.options = options;
  return table;
}

