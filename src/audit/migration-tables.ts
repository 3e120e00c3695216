// Finds migration-tool bookkeeping tables in a catalog (alembic, Prisma,
// Flyway, golang-migrate, knex) for the drift rules.
import type { Catalog, Table } from '../catalog/types.js';

export function tablesNamed(c: Catalog, name: string, requiredColumns: string[] = []): Table[] {
  const out: Table[] = [];
  for (const s of c.schemas) for (const t of s.tables) if (t.name === name && requiredColumns.every((col) => t.columns.some((x) => x.name === col))) out.push(t);
  return out;
}
