// Catalog → spec input (what `plumb pull` writes): every object with its
// explicit name, types in Postgres' own spelling, expressions as the engine
// printed them, so pull → apply to an empty database → inspect round-trips.
// Pure: the command layer writes the file.
import { Document, isScalar, isSeq, visit } from 'yaml';
import type { Catalog, Column, ColumnType, Index, Schema, Sequence, Table, Trigger } from '../catalog/types.js';
import { splitPath } from '../catalog/paths.js';
import { renameSchemas } from '../catalog/rename-schemas.js';
import { pgIdent } from '../dialects/postgres/postgres-render-types.js';
import { pgObjectName } from './normalize-spec.js';
import type { SpecColumnInput, SpecInput, SpecTableInput } from './types.js';

type SchemaInput = Extract<NonNullable<SpecInput['schemas']>[number], object>;

/** Type text a spec can carry for `t` as seen from `schema`. */
export function specTypeText(t: ColumnType, schema: string): string {
  if (t.kind === 'array' && t.element) return `${specTypeText(t.element, schema)}[]`;
  if (t.ref && (t.kind === 'enum' || t.kind === 'domain' || t.kind === 'composite' || t.kind === 'range')) {
    const [s, ...rest] = splitRef(t.ref);
    const n = rest.join('.');
    if (s === 'pg_catalog') return t.raw;
    return s === schema ? pgIdent(n) : `${pgIdent(s!)}.${pgIdent(n)}`;
  }
  return t.raw;
}

function splitRef(ref: string): string[] {
  const i = ref.indexOf('.');
  return [ref.slice(0, i), ref.slice(i + 1)];
}

const SERIAL_BY_TYPE: Record<string, string> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };
const SEQ_MAX: Record<string, string> = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' };

/** The sequence a `serial` column would have made, if `c` is exactly that. */
function serialOf(t: Table, c: Column, seqs: Map<string, Sequence>): Sequence | undefined {
  if (!c.default || c.identity || c.type.kind === 'array') return undefined;
  const name = pgObjectName(t.name, c.name, 'seq');
  const q = seqs.get(name);
  if (!q || q.ownedBy !== c.path) return undefined;
  const ref = t.schema === 'public' ? pgIdent(name) : `${pgIdent(t.schema)}.${pgIdent(name)}`;
  if (c.default !== `nextval('${ref.replace(/'/g, "''")}'::regclass)`) return undefined;
  if (q.type !== c.type.raw || !SERIAL_BY_TYPE[q.type]) return undefined;
  const standard = q.start === '1' && q.increment === '1' && q.min === '1' && q.max === SEQ_MAX[q.type] && q.cache === '1' && !q.cycle;
  return standard ? q : undefined;
}

function indexInput(i: Index) {
  return {
    name: i.name,
    columns: i.elements.map((e) => {
      const base = e.column !== undefined ? { column: e.column } : { expression: e.expression ?? '' };
      if (!e.descending && e.nullsFirst === undefined && !e.opclass && !e.collation && e.prefixLength === undefined && e.column !== undefined) return e.column;
      return {
        ...base,
        ...(e.descending ? { descending: true } : {}),
        ...(e.nullsFirst !== undefined ? { nullsFirst: e.nullsFirst } : {}),
        ...(e.opclass ? { opclass: e.opclass } : {}),
        ...(e.collation ? { collation: e.collation } : {}),
        ...(e.prefixLength !== undefined ? { length: e.prefixLength } : {}),
      };
    }),
    ...(i.unique ? { unique: true } : {}),
    ...(i.predicate ? { where: i.predicate } : {}),
    ...(i.include.length ? { include: i.include } : {}),
    // Where the engine keeps key order (MySQL), an unstated method is the engine's choice (MEMORY: hash) and is left to it.
    ...(statedUsing(i) ? { using: statedUsing(i) } : i.method !== 'btree' && !(i.position !== undefined && i.method === 'hash') ? { method: i.method } : {}),
    ...(i.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    ...(i.comment !== undefined ? { comment: i.comment } : {}),
  };
}

function triggerInput(t: Trigger) {
  // MySQL and SQLite triggers carry their statements inline.
  if (t.function === null && t.body !== null) return { name: t.name, timing: t.timing, events: t.events, level: t.level, body: t.body, ...(t.when ? { when: t.when } : {}), ...(t.enabled ? {} : { enabled: false }) };
  const fn = (t.function ?? '').replace(/\(.*\)$/s, '');
  const argText = /EXECUTE (?:FUNCTION|PROCEDURE) [^(]+\((.*)\)\s*$/s.exec(t.definition)?.[1] ?? '';
  const args = [...argText.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
  const updateOf = /\bUPDATE OF (.+?) (?:OR|ON)\b/s.exec(t.definition)?.[1];
  const referencing = /\bREFERENCING (.+?) FOR EACH\b/s.exec(t.definition)?.[1];
  return {
    name: t.name,
    timing: t.timing,
    events: t.events,
    level: t.level,
    function: fn,
    ...(args.length ? { arguments: args } : {}),
    ...(updateOf ? { updateOf: updateOf.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')) } : {}),
    ...(referencing ? { referencing } : {}),
    ...(t.when ? { when: t.when } : {}),
    ...(t.enabled ? {} : { enabled: false }),
  };
}

/**
 * A unique key whose index says more than its columns (MySQL: prefix lengths,
 * a stated USING, its place among the keys) is written as a unique index.
 */
function uniqueAsIndex(t: Table, name: string): boolean {
  const idx = t.indexes.find((i) => i.constraint === name && !i.primary);
  return !!idx && (!!idx.explicitMethod || idx.position !== undefined || idx.elements.some((e) => e.prefixLength !== undefined));
}

/** The primary key, with what its index adds (MySQL prefix lengths, a stated USING). */
function primaryKeyInput(t: Table, pk: NonNullable<Table['primaryKey']>) {
  const idx = t.indexes.find((i) => i.primary);
  const lengths = Object.fromEntries((idx?.elements ?? []).filter((e) => e.column !== undefined && e.prefixLength !== undefined).map((e) => [e.column!, e.prefixLength!]));
  const using = idx ? statedUsing(idx) : undefined;
  return { name: pk.name, columns: pk.columns, ...(Object.keys(lengths).length ? { lengths } : {}), ...(using ? { using } : {}) };
}

/** MySQL's stated `USING BTREE|HASH`, when the DDL has one. */
function statedUsing(i: Index): 'btree' | 'hash' | undefined {
  return i.explicitMethod && (i.method === 'btree' || i.method === 'hash') ? i.method : undefined;
}

/** Keys in the order they were created where the engine keeps it (MySQL), else by name. */
const byPosition = (a: Index, b: Index) => (a.position ?? 0) - (b.position ?? 0);

function tableInput(t: Table, seqs: Map<string, Sequence>, serialSeqs: Set<string>): SpecTableInput {
  const columns: SpecColumnInput[] = [...t.columns]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((c) => {
      const serial = serialOf(t, c, seqs);
      if (serial) serialSeqs.add(serial.name);
      return {
        name: c.name,
        type: serial ? SERIAL_BY_TYPE[serial.type]! : specTypeText(c.type, t.schema),
        ...(c.nullable || serial ? {} : { nullable: false }),
        ...(c.default !== null && !serial ? { default: c.default } : {}),
        ...(c.identity ? { identity: c.identity } : {}),
        ...(c.autoIncrement ? { autoIncrement: true } : {}),
        ...(c.generated ? { generated: { expression: c.generated, stored: c.generatedStored !== false } } : {}),
        ...(c.charset ? { charset: c.charset } : {}),
        ...(c.collation ? { collation: c.collation } : {}),
        ...(c.onUpdate ? { onUpdate: c.onUpdate } : {}),
        ...(c.invisible ? { invisible: true } : {}),
        ...(c.storage ? { storage: c.storage } : {}),
        ...(c.statistics !== undefined ? { statistics: c.statistics } : {}),
        ...(c.compression ? { compression: c.compression as 'pglz' | 'lz4' } : {}),
        ...(c.comment !== null ? { comment: c.comment } : {}),
      };
    });
  return {
    name: t.name,
    ...(t.comment !== null ? { comment: t.comment } : {}),
    columns,
    ...(t.primaryKey ? { primaryKey: primaryKeyInput(t, t.primaryKey) } : {}),
    ...(t.uniques.some((u) => !uniqueAsIndex(t, u.name)) ? { uniques: t.uniques.filter((u) => !uniqueAsIndex(t, u.name)).map((u) => ({ name: u.name, columns: u.columns, ...(u.nullsNotDistinct ? { nullsNotDistinct: true } : {}), ...(u.deferrable ? { deferrable: true } : {}), ...(u.initiallyDeferred ? { initiallyDeferred: true } : {}) })) } : {}),
    ...(t.foreignKeys.length
      ? {
          foreignKeys: t.foreignKeys.map((f) => ({
            name: f.name,
            columns: f.columns,
            references: { schema: f.references.schema, table: f.references.table, columns: f.references.columns },
            ...(f.onDelete !== 'no action' ? { onDelete: f.onDelete } : {}),
            ...(f.onUpdate !== 'no action' ? { onUpdate: f.onUpdate } : {}),
            ...(f.deferrable ? { deferrable: true } : {}),
            ...(f.initiallyDeferred ? { initiallyDeferred: true } : {}),
            ...(f.match === 'full' ? { match: 'full' as const } : {}),
            ...(f.validated ? {} : { validated: false }),
          })),
        }
      : {}),
    ...(t.checks.length ? { checks: t.checks.map((c) => ({ name: c.name, expression: c.expression, ...(c.noInherit ? { noInherit: true } : {}), ...(c.validated ? {} : { validated: false }) })) } : {}),
    ...(t.exclusions.length ? { exclusions: t.exclusions.map((x) => ({ name: x.name, using: x.method, elements: x.elements, ...(x.predicate ? { where: x.predicate } : {}) })) } : {}),
    ...(t.indexes.some((i) => !i.constraint || uniqueAsIndex(t, i.name)) ? { indexes: t.indexes.filter((i) => !i.constraint || uniqueAsIndex(t, i.name)).sort(byPosition).map(indexInput) } : {}),
    ...(t.triggers.length ? { triggers: t.triggers.map(triggerInput) } : {}),
    ...(t.policies.length ? { policies: t.policies.map((p) => ({ name: p.name, command: p.command, permissive: p.permissive, roles: p.roles, ...(p.using ? { using: p.using } : {}), ...(p.withCheck ? { withCheck: p.withCheck } : {}) })) } : {}),
    ...(t.rls.enabled || t.rls.forced ? { rls: { enabled: t.rls.enabled, forced: t.rls.forced } } : {}),
    ...(t.grants.length ? { grants: t.grants.map((g) => ({ grantee: g.grantee, privileges: g.privileges, ...(g.grantable ? { grantable: true } : {}) })) } : {}),
    ...(t.unlogged ? { unlogged: true } : {}),
    ...(t.storageParameters?.length ? { storageParameters: t.storageParameters } : {}),
    ...(t.kind === 'partitioned' && t.partitionKey ? { partitionBy: t.partitionKey } : {}),
    ...(t.kind === 'partition' && t.partitionOf ? { partitionOf: t.partitionOf, ...(t.partitionBound ? { partitionBound: t.partitionBound } : {}) } : {}),
    ...(t.options?.engine ? { engine: t.options.engine } : {}),
    ...(t.options?.charset ? { charset: t.options.charset } : {}),
    ...(t.options?.collation ? { collation: t.options.collation } : {}),
    ...(t.options?.rowFormat ? { rowFormat: t.options.rowFormat } : {}),
  };
}

function schemaInput(s: Schema): SchemaInput {
  const seqs = new Map(s.sequences.map((q) => [q.name, q]));
  const serialSeqs = new Set<string>();
  const identityCols = new Set(s.tables.flatMap((t) => t.columns.filter((c) => c.identity).map((c) => c.path)));
  const tables = s.tables.filter((t) => t.kind === 'table' || t.kind === 'partitioned' || t.kind === 'partition').map((t) => tableInput(t, seqs, serialSeqs));
  const sequences = s.sequences
    .filter((q) => !serialSeqs.has(q.name) && !(q.ownedBy && identityCols.has(q.ownedBy)))
    .map((q) => {
      const ownedBy = q.ownedBy ? splitPath(q.ownedBy) : null;
      return {
        name: q.name,
        type: q.type as 'smallint' | 'integer' | 'bigint',
        start: q.start,
        increment: q.increment,
        min: q.min,
        max: q.max,
        cache: q.cache,
        ...(q.cycle ? { cycle: true } : {}),
        ...(ownedBy ? { ownedBy: ownedBy[0] === s.name ? `${ownedBy[1]}.${ownedBy[2]}` : `${ownedBy[0]}.${ownedBy[1]}.${ownedBy[2]}` } : {}),
        ...(q.comment !== null ? { comment: q.comment } : {}),
      };
    });
  const out: SchemaInput = { name: s.name };
  if (s.comment !== null) out.comment = s.comment;
  if (s.enums.length) out.enums = s.enums.map((e) => ({ name: e.name, labels: e.labels, ...(e.comment !== null ? { comment: e.comment } : {}) }));
  if (s.domains.length)
    out.domains = s.domains.map((d) => ({
      name: d.name,
      type: specTypeText(d.type, s.name),
      ...(d.notNull ? { notNull: true } : {}),
      ...(d.default !== null ? { default: d.default } : {}),
      ...(d.checks.length ? { checks: d.checks.map((c) => ({ name: c.name, expression: c.expression })) } : {}),
      ...(d.comment !== null ? { comment: d.comment } : {}),
    }));
  if (s.compositeTypes.length) {
    out.compositeTypes = s.compositeTypes.map((c) => ({
      name: c.name,
      ...(c.range !== undefined ? { range: c.range } : { attributes: c.attributes.map((a) => ({ name: a.name, type: specTypeText(a.type, s.name) })) }),
      ...(c.comment !== null ? { comment: c.comment } : {}),
    }));
  }
  if (sequences.length) out.sequences = sequences;
  if (tables.length) out.tables = tables;
  if (s.views.length)
    out.views = s.views.map((v) => ({
      name: v.name,
      sql: v.definition.trim().replace(/;\s*$/, ''),
      ...(v.materialized ? { materialized: true } : {}),
      ...(v.securityInvoker ? { securityInvoker: true } : {}),
      ...(v.checkOption ? { checkOption: v.checkOption } : {}),
      ...(v.comment !== null ? { comment: v.comment } : {}),
      ...(v.indexes.length ? { indexes: v.indexes.map(indexInput) } : {}),
      ...(v.grants.length ? { grants: v.grants.map((g) => ({ grantee: g.grantee, privileges: g.privileges, ...(g.grantable ? { grantable: true } : {}) })) } : {}),
    }));
  if (s.collations?.length)
    out.collations = s.collations.map((c) => ({ name: c.name, ...(c.provider !== 'icu' ? { provider: c.provider } : {}), locale: c.locale, ...(c.lcCtype !== undefined ? { lcCtype: c.lcCtype } : {}), ...(c.deterministic ? {} : { deterministic: false }), ...(c.rules !== undefined ? { rules: c.rules } : {}) }));
  if (s.rules?.length) out.rules = s.rules.map((r) => ({ name: r.name, table: r.table, definition: r.definition, ...(r.comment !== null ? { comment: r.comment } : {}) }));
  if (s.events.length) out.events = s.events.map((e) => ({ name: e.name, schedule: e.schedule, definition: e.definition, ...(e.enabled ? {} : { enabled: false }), ...(e.comment !== null ? { comment: e.comment } : {}) }));
  // An aggregate is written as its CREATE AGGREGATE statement (its definition); a window function has no spec form yet.
  const routines = s.routines.filter((r) => r.kind === 'function' || r.kind === 'procedure' || (r.kind === 'aggregate' && /^CREATE\s+AGGREGATE\b/i.test(r.definition)));
  if (routines.length) out.routines = routines.map(routineInput);
  return out;
}

function routineInput(r: Schema['routines'][number]): NonNullable<SchemaInput['routines']>[number] {
  if (r.kind === 'aggregate') return { name: r.name, kind: 'aggregate', ...(r.arguments ? { arguments: r.arguments } : {}), body: r.definition, ...(r.comment !== null ? { comment: r.comment } : {}) };
  return {
    name: r.name,
    kind: r.kind as 'function' | 'procedure',
    ...(r.arguments ? { arguments: r.arguments } : {}),
    ...(r.returns && r.kind === 'function' ? { returns: r.returns } : {}),
    language: r.language,
    body: r.definition,
    ...(r.securityDefiner ? { securityDefiner: true } : {}),
    ...(r.volatility && r.volatility !== 'volatile' ? { volatility: r.volatility } : {}),
    ...(r.config.length ? { config: r.config } : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  };
}

export interface CatalogToSpecOptions {
  /**
   * The schema the connection itself chose (MySQL: the URL's database). It is
   * written as the spec's default schema, unnamed, so the spec lands in
   * whatever database it is planned against; its name is taken out of the
   * definitions the engine qualified with it (`db`.`table` in a view).
   */
  home?: string;
  /** How the engine quotes a name (to find `home` in printed definitions). */
  quoteIdent?: (name: string) => string;
}

/** The spec's default schema, where objects that name no schema go. */
const DEFAULT_SCHEMA = 'public';

/** A spec (input form) describing `catalog` exactly. */
export function catalogToSpecInput(catalog: Catalog, options: CatalogToSpecOptions = {}): SpecInput {
  const manageGrants = catalog.schemas.some((s) => s.tables.some((t) => t.grants.length) || s.views.some((v) => v.grants.length));
  const home = options.home !== undefined && options.home !== DEFAULT_SCHEMA && catalog.schemas.some((s) => s.name === options.home) && !catalog.schemas.some((s) => s.name === DEFAULT_SCHEMA) ? options.home : undefined;
  const cat = home === undefined ? catalog : renameSchemas(catalog, { [home]: DEFAULT_SCHEMA }, { text: options.quoteIdent ? { [`${options.quoteIdent(home)}.`]: '' } : {} });
  const schemas = cat.schemas.map(schemaInput);
  const homeBody = home === undefined ? undefined : schemas.find((s) => s.name === DEFAULT_SCHEMA);
  if (homeBody) for (const t of homeBody.tables ?? []) for (const f of t.foreignKeys ?? []) if (f.references.schema === DEFAULT_SCHEMA) delete f.references.schema;
  const others = schemas.filter((s) => s !== homeBody);
  const { name: _home, ...body } = homeBody ?? { name: '' };
  return {
    version: 1,
    dialect: catalog.dialect,
    ...(cat.extensions.some((e) => e.name !== 'plpgsql') ? { extensions: cat.extensions.filter((e) => e.name !== 'plpgsql').map((e) => ({ name: e.name, schema: e.schema, ...(e.comment !== undefined ? { comment: e.comment } : {}) })) } : {}),
    ...(others.length || !homeBody ? { schemas: others } : {}),
    ...body,
    ...(manageGrants ? {} : { manage: { grants: false } }),
  };
}

/** YAML text for a spec, with a header saying where it came from. */
export function specInputToYaml(input: SpecInput, header?: string): string {
  const doc = new Document(input, { aliasDuplicateObjects: false });
  // Short lists of plain values (labels, key columns, privileges) read best on one line.
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.length <= 8 && node.items.every((i) => isScalar(i) && typeof i.value !== 'string' ? true : isScalar(i) && String(i.value).length <= 40 && !/[\n#:]/.test(String(i.value)))) node.flow = true;
    },
  });
  const body = doc.toString({ lineWidth: 0 });
  return (header ? header.split('\n').map((l) => `# ${l}`).join('\n') + '\n' : '') + body;
}
