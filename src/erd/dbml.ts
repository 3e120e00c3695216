// DBML (dbdiagram.io's language) for a catalog selection, so a design can move
// between plumb and dbdiagram-style tools. Everything @dbml/core cannot hold
// (checks, partial-index predicates, triggers) goes into notes, never lost silently.
import type { Catalog, Column, Enum, Index, Table } from '../catalog/types.js';
import { selectErd, type ErdSelection } from './erd-graph.js';

/** A DBML quoted identifier. */
/** A line of the project note that carries one domain (DBML has none) as JSON: `plumb domain {…}`. */
export const DBML_DOMAIN_PREFIX = 'plumb domain ';

export function dbmlIdent(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A DBML single-quoted string (triple-quoted when it spans lines). */
export function dbmlString(s: string): string {
  if (/[\r\n]/.test(s)) return `'''${s.replace(/\\/g, '\\\\').replace(/'''/g, "\\'''")}'''`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const qualified = (schema: string, name: string) => `${dbmlIdent(schema)}.${dbmlIdent(name)}`;

/** Maps an engine's default expression to a DBML default: number, boolean, null, string or `expression`. */
export function dbmlDefault(def: string): string {
  const d = def.trim();
  if (/^-?\d+(\.\d+)?$/.test(d)) return d;
  if (/^\(?-?\d+(\.\d+)?\)?::[\w\s]+$/.test(d)) return d.replace(/^\(?(-?\d+(?:\.\d+)?)\)?::.*$/, '$1');
  if (/^(true|false)$/i.test(d)) return d.toLowerCase();
  if (/^null$/i.test(d)) return 'null';
  const str = /^'((?:[^']|'')*)'(?:::[\w\s."[\]]+)?$/.exec(d);
  if (str) return dbmlString(str[1]!.replace(/''/g, "'"));
  return '`' + d.replace(/`/g, "'") + '`';
}

function columnType(c: Column, enums: Map<string, Enum>): string {
  if (c.type.kind === 'enum' && c.type.ref && enums.has(c.type.ref)) {
    const e = enums.get(c.type.ref)!;
    const schema = c.type.ref.slice(0, c.type.ref.length - e.name.length - 1) || 'public';
    // Plain words stay unquoted: the older DBML parser accepts only `schema.enum` here.
    return /^\w+$/.test(schema) && /^\w+$/.test(e.name) ? `${schema}.${e.name}` : qualified(schema, e.name);
  }
  return dbmlIdent(c.type.raw);
}

function indexLine(ix: Index): string | null {
  const els = ix.elements.map((e) => (e.column ? dbmlIdent(e.column) : '`' + (e.expression ?? '').replace(/`/g, "'") + '`'));
  if (!els.length) return null;
  const settings: string[] = [];
  if (ix.primary) settings.push('pk');
  if (ix.unique && !ix.primary) settings.push('unique');
  settings.push(`name: ${dbmlString(ix.name)}`);
  if (ix.method === 'btree' || ix.method === 'hash') settings.push(`type: ${ix.method}`);
  const extra: string[] = [];
  if (ix.predicate) extra.push(`where ${ix.predicate}`);
  if (ix.include.length) extra.push(`include (${ix.include.join(', ')})`);
  if (ix.method !== 'btree' && ix.method !== 'hash') extra.push(`using ${ix.method}`);
  if (extra.length) settings.push(`note: ${dbmlString(extra.join('; '))}`);
  return `(${els.join(', ')}) [${settings.join(', ')}]`;
}

function tableBlock(t: Table, enums: Map<string, Enum>, onlyColumns?: Set<string>): string[] {
  const out: string[] = [`Table ${qualified(t.schema, t.name)} {`];
  const pk = t.primaryKey?.columns ?? [];
  const singleUnique = new Set(t.uniques.filter((u) => u.columns.length === 1).map((u) => u.columns[0]!));
  for (const c of t.columns) {
    if (onlyColumns && !onlyColumns.has(c.name)) continue;
    const s: string[] = [];
    if (pk.length === 1 && pk[0] === c.name) s.push('pk');
    if (c.identity || c.autoIncrement || /^nextval\(/i.test(c.default ?? '')) s.push('increment');
    if (!c.nullable && !(pk.length === 1 && pk[0] === c.name)) s.push('not null');
    if (singleUnique.has(c.name)) s.push('unique');
    if (c.default != null && !/^nextval\(/i.test(c.default)) s.push(`default: ${dbmlDefault(c.default)}`);
    if (c.comment) s.push(`note: ${dbmlString(c.comment)}`);
    out.push(`  ${dbmlIdent(c.name)} ${columnType(c, enums)}${s.length ? ` [${s.join(', ')}]` : ''}`);
  }
  if (!onlyColumns) {
    const lines: string[] = [];
    if (pk.length > 1) lines.push(`(${pk.map(dbmlIdent).join(', ')}) [pk, name: ${dbmlString(t.primaryKey!.name)}]`);
    for (const u of t.uniques) if (u.columns.length > 1) lines.push(`(${u.columns.map(dbmlIdent).join(', ')}) [unique, name: ${dbmlString(u.name)}]`);
    // Indexes that only back a constraint are already said by pk / unique above.
    for (const ix of t.indexes) {
      if (ix.constraint) continue;
      const l = indexLine(ix);
      if (l) lines.push(l);
    }
    if (lines.length) out.push('', '  indexes {', ...lines.map((l) => `    ${l}`), '  }');
    const notes: string[] = [];
    if (t.comment) notes.push(t.comment);
    for (const ck of t.checks) notes.push(`check ${ck.name}: ${ck.expression}`);
    if (notes.length) out.push('', `  Note: ${dbmlString(notes.join('\n'))}`);
  }
  out.push('}');
  return out;
}

/** DBML for the whole catalog, one schema, or one table's neighbourhood. @dbml/core parses it. */
export function toDbml(catalog: Catalog, sel: ErdSelection = {}): string {
  const g = selectErd(catalog, sel);
  const byPath = new Map(catalog.schemas.flatMap((s) => s.tables.map((t) => [t.path, t] as const)));
  const enums = new Map(catalog.schemas.flatMap((s) => s.enums.map((e) => [e.path, e] as const)));
  const out: string[] = [];
  const dbType = { postgres: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', mssql: 'SQL Server' }[catalog.dialect];
  // DBML has no domains: the ones the shown columns use ride in the project note, one line each, and come back on reading.
  const domains = new Map(catalog.schemas.flatMap((s) => s.domains.map((d) => [d.path, d] as const)));
  const usedDomains = new Set<string>();
  for (const n of g.nodes) for (const c of byPath.get(n.id)?.columns ?? []) if (c.type.kind === 'domain' && c.type.ref && domains.has(c.type.ref)) usedDomains.add(c.type.ref);
  const domainLines = [...usedDomains].sort().map((path) => {
    const d = domains.get(path)!;
    return `${DBML_DOMAIN_PREFIX}${JSON.stringify({ schema: path.slice(0, path.length - d.name.length - 1), name: d.name, type: d.type.raw, notNull: d.notNull, default: d.default, checks: d.checks, comment: d.comment })}`;
  });
  const note = [`generated by plumb from ${catalog.dialect} ${catalog.serverVersion}`, ...domainLines].join('\n');
  out.push(`Project ${dbmlIdent(catalog.database ?? 'plumb')} {`, `  database_type: ${dbmlString(dbType)}`, `  Note: ${dbmlString(note)}`, '}', '');
  // Enums the shown columns use, so the file parses on its own.
  const used = new Set<string>();
  for (const n of g.nodes) for (const c of byPath.get(n.id)?.columns ?? []) if (c.type.kind === 'enum' && c.type.ref && enums.has(c.type.ref)) used.add(c.type.ref);
  for (const path of [...used].sort()) {
    const e = enums.get(path)!;
    out.push(`Enum ${qualified(path.slice(0, path.length - e.name.length - 1), e.name)} {`, ...e.labels.map((l) => `  ${dbmlIdent(l)}`), '}', '');
  }
  for (const n of g.nodes) {
    const t = byPath.get(n.id);
    if (!t) continue;
    out.push(...tableBlock(t, enums, n.external ? new Set(n.columns.map((c) => c.name)) : undefined), '');
  }
  for (const e of g.edges) {
    const from = byPath.get(e.from);
    const to = byPath.get(e.to);
    if (!from || !to) continue;
    const cols = (cs: string[]) => (cs.length === 1 ? dbmlIdent(cs[0]!) : `(${cs.map(dbmlIdent).join(', ')})`);
    const settings: string[] = [];
    if (e.onDelete !== 'no action') settings.push(`delete: ${e.onDelete}`);
    if (e.onUpdate !== 'no action') settings.push(`update: ${e.onUpdate}`);
    out.push(
      `Ref ${dbmlIdent(e.name)}: ${qualified(from.schema, from.name)}.${cols(e.columns)} ${e.oneToOne ? '-' : '>'} ${qualified(to.schema, to.name)}.${cols(e.refColumns)}${settings.length ? ` [${settings.join(', ')}]` : ''}`,
    );
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
