// The SQLite dialect: capabilities, quoting, introspection. One schema
// (`main`); DDL is transactional, so a failed apply rolls back whole.
import type { Capabilities, Dialect, InspectOptions } from '../dialect.js';
import type { Connection } from '../../drivers/connection.js';
import { introspectSqlite } from './sqlite-introspector.js';
import { renderSqliteChange, type SqliteRenderOptions } from './sqlite-render.js';
import { lowerEnums } from '../../catalog/lower-enums.js';
import { withoutComments } from '../../catalog/without-comments.js';
import { SQLITE_HOME, openSqliteScratch } from './sqlite-scratch.js';
import { sqliteLockImpact } from './sqlite-lock-impact.js';

export const sqliteCapabilities: Capabilities = {
  transactionalDdl: true,
  schemas: false, // one schema, `main` (ATTACHed files are not inspected)
  enums: false, // enums become CHECK (col IN (…))
  domains: false,
  rowLevelSecurity: false,
  partialIndexes: true,
  expressionIndexes: true,
  includeColumns: false,
  checkConstraints: true,
  exclusionConstraints: false,
  deferrableConstraints: true, // foreign keys only
  notValidConstraints: false,
  concurrentIndex: false,
  sequences: false,
  identityColumns: false, // INTEGER PRIMARY KEY (rowid) instead
  materializedViews: false,
  routines: false,
  triggers: true,
  events: false,
  grants: false,
  comments: false,
  statistics: false, // sqlite_stat1 only after ANALYZE
};

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  capabilities: sqliteCapabilities,
  quoteIdent,
  // No schemas: `main` is implied, and naming it keeps statements valid on attached copies too.
  quoteQualified: (schema, name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  quoteLiteral,
  introspect: (conn: Connection, options?: InspectOptions) => introspectSqlite(conn, options),
  // A table rebuild needs the current definition: pass { catalog } (plumb plan does), or use renderSqliteChanges for a whole plan.
  render: (change, options) => renderSqliteChange(change, options as SqliteRenderOptions),
  lockImpact: (change) => sqliteLockImpact(change),
  // SQLite has no lock timeout statement; a busy timeout is a connection setting.
  scriptFrame: () => ({ begin: ['BEGIN;'], commit: ['COMMIT;'] }),
  homeSchema: () => SQLITE_HOME,
  // No enum types (they become CHECKs) and no comments (a spec's stay in the spec).
  adaptCatalog: (catalog) => withoutComments(lowerEnums(catalog)),
  openScratch: (_target, schemas) => openSqliteScratch(schemas),
};
