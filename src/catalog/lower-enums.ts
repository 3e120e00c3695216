// Rewrites enum-typed columns for engines without named enum types: as
// varchar + CHECK (label list) (SQL Server, SQLite), or as inline column enums
// (MySQL `ENUM('a','b')`). Pure: catalog in, catalog out.
import type { Catalog, CheckConstraint as Check, Column, Enum, Schema, Table } from './types.js';
import { objectPath } from './paths.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
/** A default spelled for the named type (`'a'::mood`) loses the cast. */
const uncast = (d: string | null) => d?.replace(/::[\w".]+$/, '') ?? null;

/** Rewrites every column typed by a named enum with `f` (which may add checks); drops the named enums. */
function rewriteEnumColumns(catalog: Catalog, f: (c: Column, e: Enum, t: Table, s: Schema, checks: Check[]) => Column): Catalog {
  const enums = new Map<string, Enum>();
  for (const s of catalog.schemas) for (const e of s.enums) enums.set(`${s.name}.${e.name}`, e);
  if (!enums.size) return catalog;
  return {
    ...catalog,
    schemas: catalog.schemas.map((s) => ({
      ...s,
      enums: [],
      tables: s.tables.map((t) => {
        const checks = [...t.checks];
        const columns = t.columns.map((c) => {
          const e = c.type.kind === 'enum' && c.type.ref ? enums.get(c.type.ref) : undefined;
          return e ? f(c, e, t, s, checks) : c;
        });
        return { ...t, columns, checks: checks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
      }),
    })),
  };
}

export function lowerEnums(catalog: Catalog): Catalog {
  return rewriteEnumColumns(catalog, (c, e, t, s, checks) => {
    const length = Math.max(1, ...e.labels.map((l) => l.length));
    const name = `${t.name}_${c.name}_check`;
    if (!checks.some((k) => k.name === name)) {
      checks.push({ name, path: objectPath(s.name, t.name, name), expression: `${ident(c.name)} IN (${e.labels.map(quote).join(', ')})`, columns: [c.name], validated: true });
    }
    return { ...c, type: { kind: 'varchar', raw: `character varying(${length})`, length }, default: uncast(c.default) };
  });
}

/** Named enum types become inline column enums (MySQL). */
export function inlineEnums(catalog: Catalog): Catalog {
  return rewriteEnumColumns(catalog, (c, e) => {
    const { ref: _ref, ...type } = c.type;
    return { ...c, type: { ...type, raw: `enum(${e.labels.map(quote).join(',')})`, labels: [...e.labels] }, default: uncast(c.default) };
  });
}
