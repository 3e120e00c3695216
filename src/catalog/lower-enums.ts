// Rewrites enum-typed columns as varchar + CHECK (label list) for engines
// without enum types (SQL Server, SQLite). Pure: catalog in, catalog out.
import type { Catalog, Column, Enum } from './types.js';
import { objectPath } from './paths.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);

export function lowerEnums(catalog: Catalog): Catalog {
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
        const columns = t.columns.map((c): Column => {
          const e = c.type.kind === 'enum' && c.type.ref ? enums.get(c.type.ref) : undefined;
          if (!e) return c;
          const length = Math.max(1, ...e.labels.map((l) => l.length));
          const name = `${t.name}_${c.name}_check`;
          if (!checks.some((k) => k.name === name)) {
            checks.push({ name, path: objectPath(s.name, t.name, name), expression: `${ident(c.name)} IN (${e.labels.map(quote).join(', ')})`, columns: [c.name], validated: true });
          }
          const def = c.default?.replace(/::[\w".]+$/, '') ?? null;
          return { ...c, type: { kind: 'varchar', raw: `character varying(${length})`, length }, default: def };
        });
        return { ...t, columns, checks: checks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
      }),
    })),
  };
}
