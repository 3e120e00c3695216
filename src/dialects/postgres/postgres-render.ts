// Postgres DDL for each Change: forward statements and the rollback that
// returns the catalog to where it was. Identifiers always go through
// quoteIdent; literals through quoteLiteral. An exhaustive map over
// Change['kind'] makes a missing kind a compile error. Never executes anything.
import type { Collation, Column, Domain, ForeignKey, Grant, Index, Policy, RewriteRule, Routine, Sequence, Table, Trigger, View } from '../../catalog/types.js';
import { splitPath } from '../../catalog/paths.js';
import type { Change, ChangeOf, ChangeVisitor, EnumUsage, ObjectRef, TableRef, TableStorage } from '../../diff/changes.js';
import type { RenderedChange, RenderOptions } from '../../diff/render-types.js';
import { PlumbError } from '../../errors.js';
import { quoteIdent as q, quoteLiteral as lit } from './postgres-dialect.js';
import { pgTypeSql } from './postgres-render-types.js';

const qn = (schema: string, name: string) => `${q(schema)}.${q(name)}`;
const qt = (t: TableRef) => qn(t.schema, t.name);
const alter = (t: TableRef) => `ALTER TABLE ${qt(t)}`;

/** `schema.name` ref as stored on ColumnType/Trigger → quoted SQL. */
function qref(ref: string): string {
  const parts = splitPath(ref);
  return parts.length >= 2 ? qn(parts[0]!, parts.slice(1).join('.')) : q(parts[0]!);
}

const ACTION_SQL: Record<ForeignKey['onDelete'], string> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

export function columnSql(c: Column): string {
  const parts = [q(c.name), pgTypeSql(c.type)];
  if (c.collation) parts.push(`COLLATE ${qCollation(c.collation)}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated}) ${c.generatedStored === false ? 'VIRTUAL' : 'STORED'}`);
  if (c.identity) parts.push(`GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  if (c.default !== null && !c.generated) parts.push(`DEFAULT ${c.default}`);
  if (!c.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

/** Collations print as `"C"` or `pg_catalog."C"`-style names; quote unless already qualified/quoted. */
export function qCollation(name: string): string {
  return name.includes('"') || name.includes('.') ? name : q(name);
}

function fkSql(fk: ForeignKey, notValid: boolean): string {
  let s = `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${qn(fk.references.schema, fk.references.table)} (${fk.references.columns.map(q).join(', ')})`;
  if (fk.match === 'full') s += ' MATCH FULL';
  if (fk.onUpdate !== 'no action') s += ` ON UPDATE ${ACTION_SQL[fk.onUpdate]}`;
  if (fk.onDelete !== 'no action') s += ` ON DELETE ${ACTION_SQL[fk.onDelete]}`;
  if (fk.deferrable) s += fk.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE';
  if (notValid || !fk.validated) s += ' NOT VALID';
  return s;
}

function checkSql(c: { name: string; expression: string; noInherit?: boolean }, notValid: boolean): string {
  return `CONSTRAINT ${q(c.name)} CHECK (${c.expression})${c.noInherit ? ' NO INHERIT' : ''}${notValid ? ' NOT VALID' : ''}`;
}

function uniqueSql(u: Table['uniques'][number]): string {
  return `CONSTRAINT ${q(u.name)} UNIQUE${u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${u.columns.map(q).join(', ')})${u.deferrable ? (u.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE') : ''}`;
}

function exclusionSql(x: Table['exclusions'][number]): string {
  if (/^EXCLUDE\b/i.test(x.definition)) return `CONSTRAINT ${q(x.name)} ${x.definition}`;
  const els = x.elements.map((e) => `${/^\w+$/.test(e.expression) ? q(e.expression) : `(${e.expression})`} WITH ${e.operator}`).join(', ');
  return `CONSTRAINT ${q(x.name)} EXCLUDE USING ${x.method} (${els})${x.predicate ? ` WHERE (${x.predicate})` : ''}`;
}

export function createIndexSql(table: TableRef, idx: Index, concurrently = false): string {
  const els = idx.elements.map((e) => {
    let s = e.column !== undefined ? q(e.column) : `(${e.expression})`;
    if (e.collation) s += ` COLLATE ${qCollation(e.collation)}`;
    if (e.opclass) s += ` ${e.opclass}`;
    if (e.descending) s += ' DESC';
    if (e.nullsFirst !== undefined) s += e.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
    return s;
  });
  let s = `CREATE ${idx.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${q(idx.name)} ON ${qt(table)}`;
  if (idx.method && idx.method !== 'btree') s += ` USING ${idx.method}`;
  s += ` (${els.join(', ')})`;
  if (idx.include.length) s += ` INCLUDE (${idx.include.map(q).join(', ')})`;
  if (idx.nullsNotDistinct) s += ' NULLS NOT DISTINCT';
  if (idx.predicate) s += ` WHERE ${idx.predicate}`;
  return s;
}

const dropIndexSql = (schema: string, idx: Index, concurrently = false, ifExists = false) => `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${ifExists ? 'IF EXISTS ' : ''}${qn(schema, idx.name)}`;

export function createTableSql(t: Table): string {
  const ref = { schema: t.schema, name: t.name };
  if (t.kind === 'partition' && t.partitionOf) {
    return `CREATE TABLE ${qt(ref)} PARTITION OF ${qref(t.partitionOf)} ${t.partitionBound ?? 'DEFAULT'}`;
  }
  const items = [...t.columns].sort((a, b) => a.ordinal - b.ordinal).map(columnSql);
  if (t.primaryKey) items.push(`CONSTRAINT ${q(t.primaryKey.name)} PRIMARY KEY (${t.primaryKey.columns.map(q).join(', ')})`);
  for (const u of t.uniques) items.push(uniqueSql(u));
  // A check added NOT VALID stays not valid: it is added after the table (createTableSqls).
  for (const c of t.checks) if (c.validated) items.push(checkSql(c, false));
  for (const x of t.exclusions) items.push(exclusionSql(x));
  let s = `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${qt(ref)} (\n  ${items.join(',\n  ')}\n)`;
  if (t.kind === 'partitioned' && t.partitionKey) s += ` PARTITION BY ${t.partitionKey}`;
  if (t.storageParameters?.length) s += ` WITH (${t.storageParameters.join(', ')})`;
  return s;
}

/** CREATE TABLE and what it cannot say inline: column STORAGE, checks that stay NOT VALID. */
export function createTableSqls(t: Table): string[] {
  const ref = { schema: t.schema, name: t.name };
  const out = [createTableSql(t)];
  if (t.kind === 'partition' && t.partitionOf) return out;
  for (const c of t.columns) out.push(...columnStorageSql(ref, c));
  for (const c of t.checks) if (!c.validated) out.push(`${alter(ref)} ADD ${checkSql(c, true)}`);
  return out;
}

/** What a column's definition cannot say inline: STORAGE, STATISTICS, COMPRESSION (when set). */
function columnStorageSql(t: TableRef, c: Column): string[] {
  const out: string[] = [];
  if (c.storage) out.push(`${alter(t)} ALTER COLUMN ${q(c.name)} SET STORAGE ${c.storage.toUpperCase()}`);
  if (c.statistics !== undefined) out.push(`${alter(t)} ALTER COLUMN ${q(c.name)} SET STATISTICS ${c.statistics}`);
  if (c.compression) out.push(`${alter(t)} ALTER COLUMN ${q(c.name)} SET COMPRESSION ${c.compression}`);
  return out;
}

/** From one way of storing a table to another. */
function tableStorageSql(t: TableRef, before: TableStorage, after: TableStorage): string[] {
  const out: string[] = [];
  if (before.unlogged !== after.unlogged) out.push(`${alter(t)} SET ${after.unlogged ? 'UNLOGGED' : 'LOGGED'}`);
  const nameOf = (p: string) => p.slice(0, p.indexOf('='));
  const reset = before.parameters.map(nameOf).filter((n) => !after.parameters.some((p) => nameOf(p) === n));
  if (reset.length) out.push(`${alter(t)} RESET (${reset.join(', ')})`);
  const set = after.parameters.filter((p) => !before.parameters.includes(p));
  if (set.length) out.push(`${alter(t)} SET (${set.join(', ')})`);
  for (const [c, s] of Object.entries(after.columns)) {
    if (before.columns[c] === s) continue;
    if (s !== 'default') out.push(`${alter(t)} ALTER COLUMN ${q(c)} SET STORAGE ${s.toUpperCase()}`);
    else {
      // Back to the type's own storage: SET STORAGE DEFAULT exists only from Postgres 16.
      const storageOfType = `(SELECT CASE ty.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid WHERE a.attrelid = ${lit(qt(t))}::regclass AND a.attname = ${lit(c)})`;
      out.push(`DO $plumb$ BEGIN EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET STORAGE %s', ${lit(qt(t))}, ${lit(c)}, ${storageOfType}); END $plumb$`);
    }
  }
  for (const [c, n] of Object.entries(after.statistics ?? {})) if (before.statistics?.[c] !== n) out.push(`${alter(t)} ALTER COLUMN ${q(c)} SET STATISTICS ${n}`);
  for (const [c, m] of Object.entries(after.compression ?? {})) if (before.compression?.[c] !== m) out.push(`${alter(t)} ALTER COLUMN ${q(c)} SET COMPRESSION ${m === 'default' ? 'DEFAULT' : m}`);
  return out;
}

/** Everything that recreates a table's structure after a drop (data is not restored). */
function recreateTableSql(t: Table): string[] {
  const ref = { schema: t.schema, name: t.name };
  const out = createTableSqls(t);
  for (const fk of t.foreignKeys) out.push(`${alter(ref)} ADD ${fkSql(fk, false)}`);
  for (const i of t.indexes) if (!i.constraint) out.push(createIndexSql(ref, i));
  for (const tr of t.triggers) out.push(...createTriggerSql(ref, tr));
  for (const p of t.policies) out.push(createPolicySql(ref, p));
  if (t.rls.enabled) out.push(`${alter(ref)} ENABLE ROW LEVEL SECURITY`);
  if (t.rls.forced) out.push(`${alter(ref)} FORCE ROW LEVEL SECURITY`);
  for (const g of t.grants) out.push(grantSql({ kind: 'table', schema: t.schema, name: t.name }, g));
  if (t.comment !== null) out.push(commentSql({ kind: 'table', schema: t.schema, name: t.name }, t.comment));
  for (const c of t.columns) if (c.comment !== null) out.push(commentSql({ kind: 'column', schema: t.schema, name: t.name, member: c.name }, c.comment));
  return out;
}

function createTriggerSql(t: TableRef, tr: Trigger): string[] {
  let def = tr.definition?.trim();
  if (!def) {
    const events = tr.events.map((e) => e.toUpperCase()).join(' OR ');
    const fn = tr.function ?? '';
    const m = /^(.*)\((.*)\)$/s.exec(fn);
    const fnName = m ? m[1]! : fn;
    def = `CREATE TRIGGER ${q(tr.name)} ${tr.timing.toUpperCase()} ${events} ON ${qt(t)} FOR EACH ${tr.level.toUpperCase()}${tr.when ? ` WHEN (${tr.when})` : ''} EXECUTE FUNCTION ${qref(fnName)}()`;
  }
  const out = [def];
  if (!tr.enabled) out.push(`${alter(t)} DISABLE TRIGGER ${q(tr.name)}`);
  else if (tr.firing === 'replica') out.push(`${alter(t)} ENABLE REPLICA TRIGGER ${q(tr.name)}`);
  else if (tr.firing === 'always') out.push(`${alter(t)} ENABLE ALWAYS TRIGGER ${q(tr.name)}`);
  return out;
}

const roleSql = (r: string) => (r.toLowerCase() === 'public' ? 'PUBLIC' : q(r));

function createPolicySql(t: TableRef, p: Policy): string {
  let s = `CREATE POLICY ${q(p.name)} ON ${qt(t)} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command.toUpperCase()} TO ${(p.roles.length ? p.roles : ['public']).map(roleSql).join(', ')}`;
  if (p.using) s += ` USING (${p.using})`;
  if (p.withCheck) s += ` WITH CHECK (${p.withCheck})`;
  return s;
}

function alterPolicySql(t: TableRef, p: Policy): string {
  let s = `ALTER POLICY ${q(p.name)} ON ${qt(t)} TO ${(p.roles.length ? p.roles : ['public']).map(roleSql).join(', ')}`;
  if (p.using) s += ` USING (${p.using})`;
  if (p.withCheck) s += ` WITH CHECK (${p.withCheck})`;
  return s;
}

function objectSql(o: ObjectRef): string {
  switch (o.kind) {
    case 'schema':
      return `SCHEMA ${q(o.name)}`;
    case 'table':
      return `TABLE ${qn(o.schema, o.name)}`;
    case 'column':
      return `COLUMN ${qn(o.schema, o.name)}.${q(o.member ?? '')}`;
    case 'view':
      return `VIEW ${qn(o.schema, o.name)}`;
    case 'materializedView':
      return `MATERIALIZED VIEW ${qn(o.schema, o.name)}`;
    case 'index':
      return `INDEX ${qn(o.schema, o.name)}`;
    case 'enum':
    case 'compositeType':
      return `TYPE ${qn(o.schema, o.name)}`;
    case 'domain':
      return `DOMAIN ${qn(o.schema, o.name)}`;
    case 'sequence':
      return `SEQUENCE ${qn(o.schema, o.name)}`;
    case 'routine':
      return `${o.routineKind === 'procedure' ? 'PROCEDURE' : o.routineKind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION'} ${qn(o.schema, o.name)}(${o.signature ?? ''})`;
    case 'constraint':
      return `CONSTRAINT ${q(o.member ?? '')} ON ${qn(o.schema, o.name)}`;
    case 'trigger':
      return `TRIGGER ${q(o.member ?? '')} ON ${qn(o.schema, o.name)}`;
    case 'policy':
      return `POLICY ${q(o.member ?? '')} ON ${qn(o.schema, o.name)}`;
    case 'rule':
      return `RULE ${q(o.member ?? '')} ON ${qn(o.schema, o.name)}`;
    case 'extension':
      return `EXTENSION ${q(o.name)}`;
    case 'event':
      throw new PlumbError('E_PLAN', `Postgres has no scheduled events (${o.schema}.${o.name})`, 'remove the event from the spec, or schedule it with pg_cron');
  }
}

/** A rule's CREATE RULE (its definition) and its comment. */
function createRuleSql(schema: string, rule: RewriteRule): string[] {
  return [rule.definition, ...(rule.comment !== null ? [commentSql({ kind: 'rule', schema, name: rule.table, member: rule.name }, rule.comment)] : [])];
}

const dropRuleSql = (schema: string, rule: RewriteRule) => `DROP RULE ${q(rule.name)} ON ${qn(schema, rule.table)}`;

function createCollationSql(schema: string, c: Collation): string {
  const opts = [`provider = ${c.provider}`];
  if (c.provider === 'libc') opts.push(`lc_collate = ${lit(c.locale)}`, `lc_ctype = ${lit(c.lcCtype ?? c.locale)}`);
  else opts.push(`locale = ${lit(c.locale)}`);
  if (!c.deterministic) opts.push('deterministic = false');
  if (c.rules !== undefined) opts.push(`rules = ${lit(c.rules)}`);
  return `CREATE COLLATION ${qn(schema, c.name)} (${opts.join(', ')})`;
}

function commentSql(o: ObjectRef, text: string | null): string {
  return `COMMENT ON ${objectSql(o)} IS ${text === null ? 'NULL' : lit(text)}`;
}

/** Target of GRANT: relations (tables, views, matviews) take `TABLE`. */
function grantTarget(o: ObjectRef): string {
  switch (o.kind) {
    case 'table':
    case 'view':
    case 'materializedView':
      return `TABLE ${qn(o.schema, o.name)}`;
    case 'sequence':
      return `SEQUENCE ${qn(o.schema, o.name)}`;
    case 'schema':
      return `SCHEMA ${q(o.name)}`;
    case 'routine':
      return `${o.routineKind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qn(o.schema, o.name)}(${o.signature ?? ''})`;
    case 'enum':
    case 'domain':
    case 'compositeType':
      return `TYPE ${qn(o.schema, o.name)}`;
    default:
      throw new PlumbError('E_PLAN', `cannot grant on a ${o.kind}`, 'grant on the table, view, sequence, schema, routine or type instead');
  }
}

function grantSql(o: ObjectRef, g: Grant): string {
  return `GRANT ${g.privileges.join(', ')} ON ${grantTarget(o)} TO ${roleSql(g.grantee)}${g.grantable ? ' WITH GRANT OPTION' : ''}`;
}

function revokeSql(o: ObjectRef, g: Grant): string {
  return `REVOKE ${g.privileges.join(', ')} ON ${grantTarget(o)} FROM ${roleSql(g.grantee)}`;
}

function viewSql(v: View, replace: boolean): string {
  const body = v.definition.trim().replace(/;\s*$/, '');
  if (v.materialized) return `CREATE MATERIALIZED VIEW ${qn(v.schema, v.name)} AS\n${body}\nWITH DATA`;
  const opts = v.securityInvoker ? ' WITH (security_invoker = true)' : '';
  const check = v.checkOption ? `\nWITH ${v.checkOption.toUpperCase()} CHECK OPTION` : '';
  return `CREATE ${replace ? 'OR REPLACE ' : ''}VIEW ${qn(v.schema, v.name)}${opts} AS\n${body}${check}`;
}

/** Statements that recreate a view with everything hanging off it. */
function recreateViewSql(v: View): string[] {
  const out = [viewSql(v, false)];
  const ref = { schema: v.schema, name: v.name };
  for (const i of v.indexes) out.push(createIndexSql(ref, i));
  for (const tr of v.triggers) out.push(...createTriggerSql(ref, tr));
  const kind = v.materialized ? 'materializedView' : 'view';
  for (const g of v.grants) out.push(grantSql({ kind, schema: v.schema, name: v.name }, g));
  if (v.comment !== null) out.push(commentSql({ kind, schema: v.schema, name: v.name }, v.comment));
  return out;
}

function dollarQuote(body: string): string {
  let tag = '$plumb$';
  for (let i = 1; body.includes(tag); i++) tag = `$plumb${i}$`;
  return `${tag}${body}${tag}`;
}

function configSql(entry: string): string {
  const eq = entry.indexOf('=');
  const key = entry.slice(0, eq);
  const value = entry.slice(eq + 1);
  // search_path lists stay unquoted so each element is its own schema name.
  const v = /^[\w\s,."$]*$/.test(value) && value.trim() !== '' ? value : lit(value);
  return `SET ${key} = ${v}`;
}

export function routineSql(r: Routine, replace: boolean): string {
  const def = r.definition.trim();
  // Postgres stores the full CREATE statement (pg_get_functiondef: STRICT, PARALLEL, COST … included).
  if (/^CREATE\b/i.test(def)) return replace ? def.replace(/^CREATE\s+(OR\s+REPLACE\s+)?/i, 'CREATE OR REPLACE ') : def;
  if (r.kind === 'aggregate') {
    throw new PlumbError('E_PLAN', `cannot render aggregate ${r.path}`, 'create aggregates with a plain .sql file in the spec');
  }
  const head = `CREATE ${replace ? 'OR REPLACE ' : ''}${r.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qn(schemaOf(r), r.name)}(${r.arguments})`;
  const parts = [head];
  if (r.kind !== 'procedure' && r.returns) parts.push(`RETURNS ${r.returns}`);
  parts.push(`LANGUAGE ${r.language}`);
  if (r.kind === 'window') parts.push('WINDOW');
  if (r.kind !== 'procedure' && r.volatility) parts.push(r.volatility.toUpperCase());
  if (r.securityDefiner) parts.push('SECURITY DEFINER');
  for (const c of r.config) parts.push(configSql(c));
  parts.push(`AS ${dollarQuote(r.definition)}`);
  return parts.join('\n');
}

/**
 * A body is checked when it is created (SQL against the tables, PL/pgSQL's
 * `%ROWTYPE` declarations too) unless check_function_bodies is off, as pg_dump
 * sets it: the planner creates routines with the types, before the tables
 * their defaults, checks and declarations name. SQL-standard bodies are always
 * checked, and wait for the tables.
 */
function uncheckedBody(r: Routine, sql: string): string[] {
  if (/^\s*CREATE\b/i.test(r.definition) && !/\nAS\s+(\$|')/.test(r.definition)) return [sql];
  return ['SET LOCAL check_function_bodies = off', sql, 'RESET check_function_bodies'];
}

const schemaOf = (r: Routine) => splitPath(r.path.slice(0, r.path.lastIndexOf('(')))[0]!;
const dropRoutineSql = (r: Routine) => `DROP ${r.kind === 'procedure' ? 'PROCEDURE' : r.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION'} ${qn(schemaOf(r), r.name)}(${r.signature})`;
const routineRef = (r: Routine): ObjectRef => ({ kind: 'routine', schema: schemaOf(r), name: r.name, signature: r.signature, routineKind: r.kind });

function sequenceOptions(s: Sequence, base?: Sequence): string[] {
  const out: string[] = [];
  if (!base || base.type !== s.type) out.push(`AS ${s.type}`);
  if (!base || base.increment !== s.increment) out.push(`INCREMENT BY ${s.increment}`);
  if (!base || base.min !== s.min) out.push(`MINVALUE ${s.min}`);
  if (!base || base.max !== s.max) out.push(`MAXVALUE ${s.max}`);
  if (!base || base.start !== s.start) out.push(`START WITH ${s.start}`);
  if (!base || base.cache !== s.cache) out.push(`CACHE ${s.cache}`);
  if (!base || base.cycle !== s.cycle) out.push(s.cycle ? 'CYCLE' : 'NO CYCLE');
  return out;
}

function ownedBySql(ownedBy: string | null): string {
  if (!ownedBy) return 'OWNED BY NONE';
  const [s, t, c] = splitPath(ownedBy);
  return `OWNED BY ${qn(s!, t!)}.${q(c!)}`;
}

function createSequenceSql(s: Sequence): string[] {
  const [schema] = splitPath(s.path);
  const out = [`CREATE SEQUENCE ${qn(schema!, s.name)} ${sequenceOptions(s).join(' ')}`];
  if (s.ownedBy) out.push(`ALTER SEQUENCE ${qn(schema!, s.name)} ${ownedBySql(s.ownedBy)}`);
  return out;
}

function alterSequenceSql(before: Sequence, after: Sequence): string[] {
  const [schema] = splitPath(after.path);
  const opts = sequenceOptions(after, before);
  if (before.ownedBy !== after.ownedBy) opts.push(ownedBySql(after.ownedBy));
  return opts.length ? [`ALTER SEQUENCE ${qn(schema!, after.name)} ${opts.join(' ')}`] : [];
}

function domainSql(d: Domain): string {
  const [schema] = splitPath(d.path);
  let s = `CREATE DOMAIN ${qn(schema!, d.name)} AS ${pgTypeSql(d.type)}`;
  if (d.default !== null) s += ` DEFAULT ${d.default}`;
  if (d.notNull) s += ' NOT NULL';
  for (const c of d.checks) s += ` CONSTRAINT ${q(c.name)} CHECK (${c.expression})`;
  return s;
}

function alterDomainSql(before: Domain, after: Domain): string[] {
  const [schema] = splitPath(after.path);
  const name = qn(schema!, after.name);
  const out: string[] = [];
  if (before.default !== after.default) out.push(after.default === null ? `ALTER DOMAIN ${name} DROP DEFAULT` : `ALTER DOMAIN ${name} SET DEFAULT ${after.default}`);
  if (before.notNull !== after.notNull) out.push(`ALTER DOMAIN ${name} ${after.notNull ? 'SET' : 'DROP'} NOT NULL`);
  const bc = new Map(before.checks.map((c) => [c.name, c.expression]));
  const ac = new Map(after.checks.map((c) => [c.name, c.expression]));
  for (const [n, e] of bc) if (ac.get(n) !== e) out.push(`ALTER DOMAIN ${name} DROP CONSTRAINT ${q(n)}`);
  for (const [n, e] of ac) if (bc.get(n) !== e) out.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${q(n)} CHECK (${e})`);
  return out;
}

function compositeSql(schema: string, name: string, attrs: { name: string; type: Column['type'] }[], range?: string): string {
  if (range !== undefined) return `CREATE TYPE ${qn(schema, name)} AS RANGE (${range})`;
  return `CREATE TYPE ${qn(schema, name)} AS (${attrs.map((a) => `${q(a.name)} ${pgTypeSql(a.type)}`).join(', ')})`;
}

function alterCompositeSql(before: ChangeOf<'alterCompositeType'>['before'], after: ChangeOf<'alterCompositeType'>['after']): string[] {
  const [schema] = splitPath(after.path);
  // A range type cannot be altered: it is made again.
  if (before.range !== undefined || after.range !== undefined) return [`DROP TYPE ${qref(before.path)}`, compositeSql(schema!, after.name, after.attributes, after.range)];
  const bm = new Map(before.attributes.map((a) => [a.name, a.type]));
  const am = new Map(after.attributes.map((a) => [a.name, a.type]));
  const actions: string[] = [];
  for (const a of before.attributes) if (!am.has(a.name)) actions.push(`DROP ATTRIBUTE ${q(a.name)}`);
  for (const a of after.attributes) {
    const b = bm.get(a.name);
    if (!b) actions.push(`ADD ATTRIBUTE ${q(a.name)} ${pgTypeSql(a.type)}`);
    else if (pgTypeSql(b) !== pgTypeSql(a.type)) actions.push(`ALTER ATTRIBUTE ${q(a.name)} TYPE ${pgTypeSql(a.type)}`);
  }
  return actions.length ? [`ALTER TYPE ${qn(schema!, after.name)} ${actions.join(', ')}`] : [];
}

/** Rebuild an enum as `labels`: rename the old aside, create, convert every column through text, drop the old. */
function rebuildEnumSql(schema: string, name: string, labels: string[], columns: EnumUsage[]): string[] {
  const old = `${name}__plumb_old`;
  const out = [`ALTER TYPE ${qn(schema, name)} RENAME TO ${q(old)}`, `CREATE TYPE ${qn(schema, name)} AS ENUM (${labels.map(lit).join(', ')})`];
  for (const u of columns) {
    const col = q(u.column);
    if (u.default !== null) out.push(`${alter(u.table)} ALTER COLUMN ${col} DROP DEFAULT`);
    const target = `${qn(schema, name)}${u.array ? '[]' : ''}`;
    out.push(`${alter(u.table)} ALTER COLUMN ${col} TYPE ${target} USING ${col}::text${u.array ? '[]' : ''}::${target}`);
    if (u.default !== null) out.push(`${alter(u.table)} ALTER COLUMN ${col} SET DEFAULT ${u.default.replace(new RegExp(`::${escapeRe(q(old))}|::${escapeRe(old)}\\b`, 'g'), `::${qn(schema, name)}`)}`);
  }
  out.push(`DROP TYPE ${qn(schema, old)}`);
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function alterColumnTypeSql(t: TableRef, from: Column, to: Column, using: string | null): string[] {
  const col = q(to.name);
  const out: string[] = [];
  // A default that mentions the old type cannot be cast automatically: drop it around the change.
  if (from.default !== null) out.push(`${alter(t)} ALTER COLUMN ${col} DROP DEFAULT`);
  const ty = pgTypeSql(to.type);
  let s = `${alter(t)} ALTER COLUMN ${col} TYPE ${ty}`;
  if (to.collation) s += ` COLLATE ${qCollation(to.collation)}`;
  s += ` USING ${using ?? `${col}::${ty}`}`;
  out.push(s);
  if (to.default !== null) out.push(`${alter(t)} ALTER COLUMN ${col} SET DEFAULT ${to.default}`);
  return out;
}

function identitySql(t: TableRef, from: Column, to: Column): string[] {
  const col = q(to.name);
  if (!to.identity) return [`${alter(t)} ALTER COLUMN ${col} DROP IDENTITY`];
  if (!from.identity) {
    const out: string[] = [];
    if (from.default !== null) out.push(`${alter(t)} ALTER COLUMN ${col} DROP DEFAULT`);
    out.push(`${alter(t)} ALTER COLUMN ${col} ADD GENERATED ${to.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
    // Existing rows hold values: start the new sequence after them.
    out.push(`SELECT setval(pg_get_serial_sequence(${lit(qt(t))}, ${lit(to.name)}), COALESCE((SELECT max(${col}) FROM ${qt(t)}), 0) + 1, false)`);
    return out;
  }
  return [`${alter(t)} ALTER COLUMN ${col} SET GENERATED ${to.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`];
}

function generatedSql(t: TableRef, from: Column, to: Column): { sql: string[]; lossy: boolean } {
  const col = q(to.name);
  if (from.generated && !to.generated) {
    const out = [`${alter(t)} ALTER COLUMN ${col} DROP EXPRESSION`];
    if (to.default !== null) out.push(`${alter(t)} ALTER COLUMN ${col} SET DEFAULT ${to.default}`);
    return { sql: out, lossy: false };
  }
  // A new or changed expression: drop and add (generated values are recomputed; a plain column's values are lost).
  return { sql: [`${alter(t)} DROP COLUMN ${col}, ADD COLUMN ${columnSql(to)}`], lossy: !from.generated };
}

type Renderers = ChangeVisitor<RenderedChange> & { options: RenderOptions };
const r = (forward: string[], rollback: string[], extra: Partial<RenderedChange> = {}): RenderedChange => ({ forward, rollback, ...extra });

function renderers(o: RenderOptions): Renderers {
  return {
    options: o,
    createSchema: (c) => r([`CREATE SCHEMA ${q(c.schema.name)}`, ...(c.schema.comment !== null ? [commentSql({ kind: 'schema', schema: c.schema.name, name: c.schema.name }, c.schema.comment)] : [])], [`DROP SCHEMA ${q(c.schema.name)}`]),
    dropSchema: (c) => r([`DROP SCHEMA ${q(c.schema.name)}`], [`CREATE SCHEMA ${q(c.schema.name)}`, ...(c.schema.comment !== null ? [commentSql({ kind: 'schema', schema: c.schema.name, name: c.schema.name }, c.schema.comment)] : [])]),
    createExtension: (c) => r([`CREATE EXTENSION IF NOT EXISTS ${q(c.extension.name)}${c.extension.schema ? ` SCHEMA ${q(c.extension.schema)}` : ''}${c.extension.version ? ` VERSION ${lit(c.extension.version)}` : ''}`], [`DROP EXTENSION IF EXISTS ${q(c.extension.name)}`]),
    // Back again only where the extension ships a downgrade script; the step says so (hazard EX101).
    alterExtension: (c) => r([`ALTER EXTENSION ${q(c.extension.name)} UPDATE TO ${lit(c.extension.version)}`], [`ALTER EXTENSION ${q(c.extension.name)} UPDATE TO ${lit(c.before.version)}`]),
    dropExtension: (c) => r([`DROP EXTENSION ${q(c.extension.name)}`], [`CREATE EXTENSION IF NOT EXISTS ${q(c.extension.name)}${c.extension.schema ? ` SCHEMA ${q(c.extension.schema)}` : ''}`], { lossy: true }),
    createTable: (c) => r(createTableSqls(c.table), [`DROP TABLE ${qt(c.table)}`]),
    dropTable: (c) => r([`DROP TABLE ${qt(c.table)}`], recreateTableSql(c.table), { lossy: true }),
    renameTable: (c) => r(renameRel('TABLE', c.from, c.to), renameRel('TABLE', c.to, c.from)),
    // Engines and per-table character sets are MySQL's: a Postgres database has one encoding, fixed at creation.
    alterTableOptions: (c) => {
      throw new PlumbError('E_PLAN', `Postgres has no table engine or table character set (${c.path})`, 'state engine/charset/collation only for MySQL targets; a Postgres database has one encoding, set when it is created');
    },
    alterTableStorage: (c) => r(tableStorageSql(c.table, c.before, c.after), tableStorageSql(c.table, c.after, c.before)),
    addColumn: (c) => r([`${alter(c.table)} ADD COLUMN ${columnSql(c.column)}`, ...columnStorageSql(c.table, c.column)], [`${alter(c.table)} DROP COLUMN ${q(c.column.name)}`]),
    dropColumn: (c) => r([`${alter(c.table)} DROP COLUMN ${q(c.column.name)}`], [`${alter(c.table)} ADD COLUMN ${columnSql(c.column)}`, ...columnStorageSql(c.table, c.column), ...(c.column.comment !== null ? [commentSql({ kind: 'column', schema: c.table.schema, name: c.table.name, member: c.column.name }, c.column.comment)] : [])], { lossy: true }),
    renameColumn: (c) => r([`${alter(c.table)} RENAME COLUMN ${q(c.from)} TO ${q(c.to)}`], [`${alter(c.table)} RENAME COLUMN ${q(c.to)} TO ${q(c.from)}`]),
    alterColumnType: (c) => r(alterColumnTypeSql(c.table, c.before, c.after, c.using), alterColumnTypeSql(c.table, c.after, c.before, c.rollbackUsing)),
    alterColumnNullability: (c) => {
      const set = (col: Column) => `${alter(c.table)} ALTER COLUMN ${q(col.name)} ${col.nullable ? 'DROP' : 'SET'} NOT NULL`;
      return r([set(c.after)], [set(c.before)]);
    },
    alterColumnVisibility: (c) => {
      throw new PlumbError('E_PLAN', `Postgres has no invisible columns (${c.path})`, 'remove `invisible` from the column for Postgres targets');
    },
    alterColumnDefault: (c) => {
      const set = (col: Column) => `${alter(c.table)} ALTER COLUMN ${q(col.name)} ${col.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${col.default}`}`;
      return r([set(c.after)], [set(c.before)]);
    },
    alterColumnIdentity: (c) => {
      const back = identitySql(c.table, c.after, c.before).filter((s) => !s.startsWith('SELECT setval'));
      if (!c.before.identity && c.before.default !== null) back.push(`${alter(c.table)} ALTER COLUMN ${q(c.before.name)} SET DEFAULT ${c.before.default}`);
      return r(identitySql(c.table, c.before, c.after), back);
    },
    alterColumnGenerated: (c) => {
      const f = generatedSql(c.table, c.before, c.after);
      const b = generatedSql(c.table, c.after, c.before);
      return r(f.sql, b.sql, { lossy: f.lossy || b.lossy });
    },
    addPrimaryKey: (c) => r([`${alter(c.table)} ADD CONSTRAINT ${q(c.primaryKey.name)} PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.primaryKey.name)}`]),
    dropPrimaryKey: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.primaryKey.name)}`], [`${alter(c.table)} ADD CONSTRAINT ${q(c.primaryKey.name)} PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`]),
    addUnique: (c) => r([`${alter(c.table)} ADD ${uniqueSql(c.unique)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.unique.name)}`]),
    dropUnique: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.unique.name)}`], [`${alter(c.table)} ADD ${uniqueSql(c.unique)}`]),
    addForeignKey: (c) => r([`${alter(c.table)} ADD ${fkSql(c.foreignKey, !!o.notValid)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.foreignKey.name)}`]),
    dropForeignKey: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.foreignKey.name)}`], [`${alter(c.table)} ADD ${fkSql(c.foreignKey, !!o.notValid)}`]),
    addCheck: (c) => r([`${alter(c.table)} ADD ${checkSql(c.check, !!o.notValid || !c.check.validated)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.check.name)}`]),
    dropCheck: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.check.name)}`], [`${alter(c.table)} ADD ${checkSql(c.check, !!o.notValid || !c.check.validated)}`]),
    addExclusion: (c) => r([`${alter(c.table)} ADD ${exclusionSql(c.exclusion)}`], [`${alter(c.table)} DROP CONSTRAINT ${q(c.exclusion.name)}`]),
    dropExclusion: (c) => r([`${alter(c.table)} DROP CONSTRAINT ${q(c.exclusion.name)}`], [`${alter(c.table)} ADD ${exclusionSql(c.exclusion)}`]),
    // Validation cannot be undone in place: a constraint the database had NOT VALID is dropped and added back so.
    validateConstraint: (c) =>
      r(
        [`${alter(c.table)} VALIDATE CONSTRAINT ${q(c.constraint)}`],
        c.notValid ? [`${alter(c.table)} DROP CONSTRAINT ${q(c.constraint)}`, `${alter(c.table)} ADD ${'foreignKey' in c.notValid ? fkSql(c.notValid.foreignKey, true) : checkSql(c.notValid.check, true)}`] : [],
      ),
    // IF EXISTS on the way back: a partition's index goes with its parent's, which the rollback drops first.
    createIndex: (c) => r([createIndexSql(c.table, c.index, !!o.concurrently), ...(c.index.comment !== undefined ? [commentSql({ kind: 'index', schema: c.table.schema, name: c.index.name }, c.index.comment)] : [])], [dropIndexSql(c.table.schema, c.index, !!o.concurrently, true)], o.concurrently ? { nonTransactional: true } : {}),
    dropIndex: (c) => r([dropIndexSql(c.table.schema, c.index, !!o.concurrently)], [createIndexSql(c.table, c.index, !!o.concurrently)], o.concurrently ? { nonTransactional: true } : {}),
    renameConstraint: (c) => r([`${alter(c.table)} RENAME CONSTRAINT ${q(c.from)} TO ${q(c.to)}`], [`${alter(c.table)} RENAME CONSTRAINT ${q(c.to)} TO ${q(c.from)}`]),
    renameIndex: (c) => r([`ALTER INDEX ${qn(c.table.schema, c.from)} RENAME TO ${q(c.index.name)}`], [`ALTER INDEX ${qn(c.table.schema, c.index.name)} RENAME TO ${q(c.from)}`]),
    createEnum: (c) => r([`CREATE TYPE ${qref(c.enum.path)} AS ENUM (${c.enum.labels.map(lit).join(', ')})`], [`DROP TYPE ${qref(c.enum.path)}`]),
    dropEnum: (c) => r([`DROP TYPE ${qref(c.enum.path)}`], [`CREATE TYPE ${qref(c.enum.path)} AS ENUM (${c.enum.labels.map(lit).join(', ')})`]),
    addEnumValue: (c) => {
      const [schema] = splitPath(c.enum.path);
      const pos = c.before !== null ? ` BEFORE ${lit(c.before)}` : c.after !== null ? ` AFTER ${lit(c.after)}` : '';
      const without = c.enum.labels.filter((l) => l !== c.value);
      return r([`ALTER TYPE ${qref(c.enum.path)} ADD VALUE ${lit(c.value)}${pos}`], rebuildEnumSql(schema!, c.enum.name, without, c.columns));
    },
    renameEnumValue: (c) => r([`ALTER TYPE ${qref(c.enum.path)} RENAME VALUE ${lit(c.from)} TO ${lit(c.to)}`], [`ALTER TYPE ${qref(c.enum.path)} RENAME VALUE ${lit(c.to)} TO ${lit(c.from)}`]),
    replaceEnum: (c) => {
      const [schema] = splitPath(c.after.path);
      return r(rebuildEnumSql(schema!, c.after.name, c.after.labels, c.columns), rebuildEnumSql(schema!, c.before.name, c.before.labels, c.columns));
    },
    renameEnum: (c) => {
      const [bs] = splitPath(c.before.path);
      const [as] = splitPath(c.after.path);
      return r(renameType(bs!, c.before.name, as!, c.after.name), renameType(as!, c.after.name, bs!, c.before.name));
    },
    createDomain: (c) => r([domainSql(c.domain)], [`DROP DOMAIN ${qref(c.domain.path)}`]),
    dropDomain: (c) => r([`DROP DOMAIN ${qref(c.domain.path)}`], [domainSql(c.domain)]),
    alterDomain: (c) => r(alterDomainSql(c.before, c.after), alterDomainSql(c.after, c.before)),
    createCompositeType: (c) => r([compositeSql(splitPath(c.type.path)[0]!, c.type.name, c.type.attributes, c.type.range)], [`DROP TYPE ${qref(c.type.path)}`]),
    dropCompositeType: (c) => r([`DROP TYPE ${qref(c.type.path)}`], [compositeSql(splitPath(c.type.path)[0]!, c.type.name, c.type.attributes, c.type.range)]),
    alterCompositeType: (c) => r(alterCompositeSql(c.before, c.after), alterCompositeSql(c.after, c.before)),
    createView: (c) => r([viewSql(c.view, false)], [`DROP VIEW ${qn(c.view.schema, c.view.name)}`]),
    replaceView: (c) =>
      r(
        [viewSql(c.after, true), ...viewOptionChanges(c.before, c.after)],
        // OR REPLACE cannot drop the columns the forward step appended: going back re-creates the view.
        c.after.columns.length > c.before.columns.length ? [`DROP VIEW ${qn(c.after.schema, c.after.name)}`, ...recreateViewSql(c.before)] : [viewSql(c.before, true), ...viewOptionChanges(c.after, c.before)],
      ),
    dropView: (c) => r([`DROP VIEW ${qn(c.view.schema, c.view.name)}`], recreateViewSql(c.view)),
    renameView: (c) => r(renameRel(c.materialized ? 'MATERIALIZED VIEW' : 'VIEW', c.from, c.to), renameRel(c.materialized ? 'MATERIALIZED VIEW' : 'VIEW', c.to, c.from)),
    createMaterializedView: (c) => r([viewSql(c.view, false)], [`DROP MATERIALIZED VIEW ${qn(c.view.schema, c.view.name)}`]),
    dropMaterializedView: (c) => r([`DROP MATERIALIZED VIEW ${qn(c.view.schema, c.view.name)}`], recreateViewSql(c.view)),
    createSequence: (c) => r(createSequenceSql(c.sequence), [`DROP SEQUENCE ${qref(c.sequence.path)}`]),
    alterSequence: (c) => r(alterSequenceSql(c.before, c.after), alterSequenceSql(c.after, c.before)),
    dropSequence: (c) => r([`DROP SEQUENCE ${qref(c.sequence.path)}`], createSequenceSql(c.sequence), { lossy: true }),
    createRoutine: (c) => r(uncheckedBody(c.routine, routineSql(c.routine, false)), [dropRoutineSql(c.routine)]),
    replaceRoutine: (c) => r(uncheckedBody(c.after, routineSql(c.after, true)), uncheckedBody(c.before, routineSql(c.before, true))),
    dropRoutine: (c) => r([dropRoutineSql(c.routine)], [routineSql(c.routine, false), ...(c.routine.comment !== null ? [commentSql(routineRef(c.routine), c.routine.comment)] : [])]),
    createTrigger: (c) => r(createTriggerSql(c.table, c.trigger), [`DROP TRIGGER ${q(c.trigger.name)} ON ${qt(c.table)}`]),
    dropTrigger: (c) => r([`DROP TRIGGER ${q(c.trigger.name)} ON ${qt(c.table)}`], createTriggerSql(c.table, c.trigger)),
    enableTrigger: (c) => r([`${alter(c.table)} ENABLE ${c.trigger.firing === 'replica' ? 'REPLICA ' : c.trigger.firing === 'always' ? 'ALWAYS ' : ''}TRIGGER ${q(c.trigger.name)}`], [`${alter(c.table)} DISABLE TRIGGER ${q(c.trigger.name)}`]),
    disableTrigger: (c) => r([`${alter(c.table)} DISABLE TRIGGER ${q(c.trigger.name)}`], [`${alter(c.table)} ENABLE ${c.trigger.firing === 'replica' ? 'REPLICA ' : c.trigger.firing === 'always' ? 'ALWAYS ' : ''}TRIGGER ${q(c.trigger.name)}`]),
    createEvent: (c) => unsupportedEvent(c.event.name),
    createCollation: (c) => r([createCollationSql(c.schema, c.collation)], [`DROP COLLATION ${qn(c.schema, c.collation.name)}`]),
    dropCollation: (c) => r([`DROP COLLATION ${qn(c.schema, c.collation.name)}`], [createCollationSql(c.schema, c.collation)]),
    // The definition is the whole CREATE RULE; a comment comes after it.
    createRule: (c) => r(createRuleSql(c.schema, c.rule), [dropRuleSql(c.schema, c.rule)]),
    dropRule: (c) => r([dropRuleSql(c.schema, c.rule)], createRuleSql(c.schema, c.rule)),
    dropEvent: (c) => unsupportedEvent(c.event.name),
    enableRls: (c) => r([`${alter(c.table)} ENABLE ROW LEVEL SECURITY`], [`${alter(c.table)} DISABLE ROW LEVEL SECURITY`]),
    disableRls: (c) => r([`${alter(c.table)} DISABLE ROW LEVEL SECURITY`], [`${alter(c.table)} ENABLE ROW LEVEL SECURITY`]),
    forceRls: (c) => r([`${alter(c.table)} ${c.force ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`], [`${alter(c.table)} ${c.force ? 'NO FORCE' : 'FORCE'} ROW LEVEL SECURITY`]),
    createPolicy: (c) => r([createPolicySql(c.table, c.policy)], [`DROP POLICY ${q(c.policy.name)} ON ${qt(c.table)}`]),
    dropPolicy: (c) => r([`DROP POLICY ${q(c.policy.name)} ON ${qt(c.table)}`], [createPolicySql(c.table, c.policy)]),
    alterPolicy: (c) => r([alterPolicySql(c.table, c.after)], [alterPolicySql(c.table, c.before)]),
    grant: (c) => r([grantSql(c.target, c.grant)], [revokeSql(c.target, c.grant)]),
    revoke: (c) => r([revokeSql(c.target, c.grant)], [grantSql(c.target, c.grant)]),
    setComment: (c) => r([commentSql(c.target, c.after)], [commentSql(c.target, c.before)]),
  };
}

function viewOptionChanges(before: View, after: View): string[] {
  // CREATE OR REPLACE VIEW keeps reloptions it is not given: reset security_invoker explicitly.
  if (before.securityInvoker && !after.securityInvoker) return [`ALTER VIEW ${qn(after.schema, after.name)} RESET (security_invoker)`];
  return [];
}

function renameRel(kind: string, from: TableRef, to: TableRef): string[] {
  const out: string[] = [];
  let cur = from;
  if (from.schema !== to.schema) {
    out.push(`ALTER ${kind} ${qt(cur)} SET SCHEMA ${q(to.schema)}`);
    cur = { schema: to.schema, name: from.name };
  }
  if (from.name !== to.name) out.push(`ALTER ${kind} ${qt(cur)} RENAME TO ${q(to.name)}`);
  return out;
}

function renameType(fromSchema: string, fromName: string, toSchema: string, toName: string): string[] {
  const out: string[] = [];
  let schema = fromSchema;
  if (fromSchema !== toSchema) {
    out.push(`ALTER TYPE ${qn(fromSchema, fromName)} SET SCHEMA ${q(toSchema)}`);
    schema = toSchema;
  }
  if (fromName !== toName) out.push(`ALTER TYPE ${qn(schema, fromName)} RENAME TO ${q(toName)}`);
  return out;
}

function unsupportedEvent(name: string): never {
  throw new PlumbError('E_PLAN', `Postgres has no scheduled events (event ${name})`, 'remove the event from the spec, or schedule the job with pg_cron');
}

const defaultRenderers = renderers({});

/** Forward and rollback SQL for one change. */
export function renderPostgresChange(change: Change, options: RenderOptions = {}): RenderedChange {
  const table = options.notValid || options.concurrently ? renderers(options) : defaultRenderers;
  return (table[change.kind] as (c: Change) => RenderedChange)(change);
}

/** The kinds this renderer handles: all of them (the map above is exhaustive). */
export const postgresRenderedKinds = Object.keys(defaultRenderers).filter((k) => k !== 'options');
