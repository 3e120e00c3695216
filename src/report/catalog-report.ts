// Human-readable renderings of a Catalog: a Markdown data dictionary (like
// the tables a DBA hands over) and a compact terminal summary. Pure.
import type { Catalog, Column, Index, Table } from '../catalog/types.js';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => '`' + s.replace(/`/g, "'").replace(/\r?\n/g, ' ') + '`';
/** An object's comment after its line in the data dictionary (constraints, indexes, triggers, policies). */
const remark = (o: { comment?: string }) => (o.comment ? ` — ${o.comment.replace(/\r?\n/g, ' ')}` : '');

export function formatBytes(n: number | null): string {
  if (n == null) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A row count as a reader must take it: exact, an estimate (~), or not known because the table was never analysed. */
export function formatRows(n: number | null, exact = false): string {
  return n == null ? 'not analysed' : `${exact ? '' : '~'}${Math.round(n).toLocaleString('en-US')}`;
}

export function indexDefinition(ix: Index): string {
  const els = ix.elements.map((e) => {
    let s = e.column ?? `(${e.expression})`;
    if (e.prefixLength) s += `(${e.prefixLength})`;
    if (e.opclass) s += ` ${e.opclass}`;
    if (e.descending) s += ' DESC';
    if (e.nullsFirst === true) s += ' NULLS FIRST';
    if (e.nullsFirst === false) s += ' NULLS LAST';
    return s;
  });
  let def = `${ix.unique ? 'UNIQUE ' : ''}${ix.method.toUpperCase()} (${els.join(', ')})`;
  if (ix.include.length) def += ` INCLUDE (${ix.include.join(', ')})`;
  if (ix.predicate) def += ` WHERE ${ix.predicate}`;
  if (!ix.valid) def += ' — INVALID';
  return def;
}

function columnFlags(t: Table, c: Column): string {
  const f: string[] = [];
  if (t.primaryKey?.columns.includes(c.name)) f.push('PK');
  if (t.foreignKeys.some((k) => k.columns.includes(c.name))) f.push('FK');
  if (t.uniques.some((u) => u.columns.length === 1 && u.columns[0] === c.name)) f.push('UQ');
  if (c.identity) f.push(`identity ${c.identity}`);
  if (c.autoIncrement) f.push('auto_increment');
  if (c.generated) f.push(`generated: ${c.generated}`);
  return f.join(', ');
}

/** Tables that reference `t`, for the "Referenced by" section. */
function referencedBy(cat: Catalog): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const s of cat.schemas)
    for (const t of s.tables)
      for (const fk of t.foreignKeys) {
        const key = `${fk.references.schema}.${fk.references.table}`;
        const list = m.get(key) ?? [];
        // The foreign key's own path names its table and tells two keys on the same columns apart.
        list.push(`${fk.path} (${fk.columns.join(', ')})`);
        m.set(key, list);
      }
  return m;
}

export function renderCatalogMarkdown(cat: Catalog): string {
  const out: string[] = [];
  const tableCount = cat.schemas.reduce((n, s) => n + s.tables.length, 0);
  out.push(`# Data dictionary${cat.database ? `: ${cat.database}` : ''}`, '');
  out.push(`${cat.dialect} ${cat.serverVersion} · ${cat.schemas.length} schemas · ${tableCount} tables`, '');
  if (cat.extensions.length) out.push(`Extensions: ${cat.extensions.map((e) => `${e.name} ${e.version}`).join(', ')}`, '');
  out.push('| Schema | Tables | Views | Enums | Routines | Sequences |', '|---|---:|---:|---:|---:|---:|');
  for (const s of cat.schemas) out.push(`| ${esc(s.name)} | ${s.tables.length} | ${s.views.length} | ${s.enums.length} | ${s.routines.length} | ${s.sequences.length} |`);
  out.push('');
  const refs = referencedBy(cat);
  for (const s of cat.schemas) {
    out.push(`## Schema ${code(s.name)}`, '');
    if (s.comment) out.push(s.comment, '');
    if (s.tables.length) {
      out.push('| Table | Kind | Rows (est.) | Size | Comment |', '|---|---|---:|---:|---|');
      for (const t of s.tables) out.push(`| ${esc(t.name)} | ${t.kind} | ${formatRows(t.rowEstimate, t.rowsExact)} | ${formatBytes(t.totalBytes)} | ${esc(t.comment ?? '')} |`);
      out.push('');
    }
    for (const t of s.tables) {
      out.push(`### ${code(t.path)}`, '');
      if (t.comment) out.push(t.comment, '');
      const facts = [`${t.kind}`, `rows ${formatRows(t.rowEstimate, t.rowsExact)}`, `size ${formatBytes(t.totalBytes)}`];
      if (t.rls.enabled) facts.push(`RLS enabled${t.rls.forced ? ' (forced)' : ''}`);
      if (t.partitionOf) facts.push(`partition of ${t.partitionOf} ${t.partitionBound ?? ''}`);
      if (t.options?.engine) facts.push(`engine ${t.options.engine}`);
      if (t.options?.charset) facts.push(`charset ${t.options.charset}`);
      out.push(facts.join(' · '), '');
      out.push('| # | Column | Type | Null | Default | Keys | Comment |', '|---:|---|---|---|---|---|---|');
      for (const c of t.columns)
        out.push(`| ${c.ordinal} | ${esc(c.name)} | ${code(c.type.raw)} | ${c.nullable ? 'yes' : 'no'} | ${c.default ? code(c.default) : ''} | ${esc(columnFlags(t, c))} | ${esc(c.comment ?? '')} |`);
      out.push('');
      const lines: string[] = [];
      if (t.primaryKey) lines.push(`- Primary key ${code(t.primaryKey.name)}: (${t.primaryKey.columns.join(', ')})${remark(t.primaryKey)}`);
      for (const u of t.uniques) lines.push(`- Unique ${code(u.name)}: (${u.columns.join(', ')})${remark(u)}`);
      for (const fk of t.foreignKeys)
        lines.push(
          `- Foreign key ${code(fk.name)}: (${fk.columns.join(', ')}) → ${fk.references.schema}.${fk.references.table} (${fk.references.columns.join(', ')}) on delete ${fk.onDelete}, on update ${fk.onUpdate}${fk.validated ? '' : ' — NOT VALID'}${remark(fk)}`,
        );
      for (const ck of t.checks) lines.push(`- Check ${code(ck.name)}: ${code(ck.expression)}${ck.validated ? '' : ' — NOT VALID'}${remark(ck)}`);
      for (const ex of t.exclusions) lines.push(`- Exclusion ${code(ex.name)}: ${code(ex.definition)}${remark(ex)}`);
      for (const ix of t.indexes) lines.push(`- Index ${code(ix.name)}: ${code(indexDefinition(ix))}${ix.constraint ? ` (backs ${ix.constraint})` : ''}${remark(ix)}`);
      for (const tg of t.triggers) lines.push(`- Trigger ${code(tg.name)}: ${tg.timing} ${tg.events.join(' or ')} for each ${tg.level}${tg.function ? ` → ${tg.function}` : ''}${tg.enabled ? '' : ' — DISABLED'}${remark(tg)}`);
      for (const p of t.policies) lines.push(`- Policy ${code(p.name)}: ${p.permissive ? 'permissive' : 'restrictive'} ${p.command} to ${p.roles.join(', ')}${p.using ? ` using ${code(p.using)}` : ''}${p.withCheck ? ` with check ${code(p.withCheck)}` : ''}${remark(p)}`);
      for (const g of t.grants) lines.push(`- Grant to ${code(g.grantee)}: ${g.privileges.join(', ')}`);
      for (const r of refs.get(`${t.schema}.${t.name}`) ?? []) lines.push(`- Referenced by ${code(r)}`);
      if (lines.length) out.push(...lines, '');
    }
    for (const v of s.views) {
      out.push(`### ${code(v.path)} (${v.materialized ? 'materialized view' : 'view'})`, '');
      if (v.comment) out.push(v.comment, '');
      out.push('```sql', v.definition, '```', '');
    }
    if (s.enums.length) {
      out.push('#### Enums', '');
      for (const e of s.enums) out.push(`- ${code(e.name)}: ${e.labels.map((l) => code(l)).join(', ')}`);
      out.push('');
    }
    if (s.routines.length) {
      out.push('#### Routines', '');
      for (const r of s.routines) out.push(`- ${r.kind} ${code(r.path)} ${r.language}${r.returns ? ` returns ${code(r.returns)}` : ''}${r.securityDefiner ? ' — SECURITY DEFINER' : ''}`);
      out.push('');
    }
    if (s.sequences.length) {
      out.push('#### Sequences', '');
      for (const q of s.sequences) out.push(`- ${code(q.name)} ${q.type}${q.ownedBy ? ` owned by ${q.ownedBy}` : ''}${q.lastValue ? ` (last value ${q.lastValue})` : ''}`);
      out.push('');
    }
    if (s.events.length) {
      out.push('#### Scheduled events', '');
      for (const e of s.events) out.push(`- ${code(e.name)} ${e.schedule}${e.enabled ? '' : ' — DISABLED'}`);
      out.push('');
    }
  }
  return out.join('\n');
}

export function renderCatalogText(cat: Catalog): string {
  const out: string[] = [];
  const count = (f: (s: Catalog['schemas'][number]) => number) => cat.schemas.reduce((n, s) => n + f(s), 0);
  out.push(`${cat.dialect} ${cat.serverVersion}${cat.database ? ` · database ${cat.database}` : ''}`);
  out.push(
    `${cat.schemas.length} schemas · ${count((s) => s.tables.length)} tables · ${count((s) => s.tables.reduce((n, t) => n + t.columns.length, 0))} columns · ${count((s) => s.tables.reduce((n, t) => n + t.indexes.length, 0))} indexes · ${count((s) => s.tables.reduce((n, t) => n + t.foreignKeys.length, 0))} foreign keys · ${count((s) => s.views.length)} views · ${count((s) => s.routines.length)} routines`,
  );
  for (const s of cat.schemas) {
    out.push('', `${s.name}`);
    for (const t of s.tables) {
      out.push(`  ${t.name}  (${t.columns.length} columns, ${formatRows(t.rowEstimate, t.rowsExact)} rows, ${formatBytes(t.totalBytes)})`);
      for (const c of t.columns) out.push(`    ${c.name.padEnd(24)} ${c.type.raw}${c.nullable ? '' : ' not null'}${c.default ? ` default ${c.default}` : ''}`);
    }
    for (const v of s.views) out.push(`  ${v.name}  (${v.materialized ? 'materialized view' : 'view'}, ${v.columns.length} columns)`);
  }
  return out.join('\n') + '\n';
}
