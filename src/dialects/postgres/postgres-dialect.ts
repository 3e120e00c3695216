// The Postgres dialect: capabilities, quoting, introspection (PGlite included).
import type { Capabilities, Dialect, InspectOptions } from '../dialect.js';
import type { Connection } from '../../drivers/connection.js';
import { introspectPostgres } from './postgres-introspector.js';
import { renderPostgresChange } from './postgres-render.js';
import { openPostgresLanes } from './postgres-snapshot-lanes.js';
import { postgresOnlineColumn } from './postgres-online-column.js';
import { postgresLockImpact } from './postgres-lock-impact.js';
import { singlePostgresStatement } from './postgres-statements.js';

export const postgresCapabilities: Capabilities = {
  transactionalDdl: true,
  schemas: true,
  enums: true,
  domains: true,
  rowLevelSecurity: true,
  partialIndexes: true,
  expressionIndexes: true,
  includeColumns: true,
  checkConstraints: true,
  exclusionConstraints: true,
  deferrableConstraints: true,
  notValidConstraints: true,
  concurrentIndex: true,
  sequences: true,
  identityColumns: true,
  materializedViews: true,
  routines: true,
  triggers: true,
  events: false,
  grants: true,
  comments: true,
  statistics: true,
};

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return value.includes('\\') ? `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${value.replace(/'/g, "''")}'`;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  // verify's checks: one statement each (a server's simple protocol would run a smuggled `COMMIT; …`).
  specStatement: (sql) => singlePostgresStatement(sql),
  capabilities: postgresCapabilities,
  quoteIdent,
  quoteQualified: (schema, name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  quoteLiteral,
  introspect: (conn: Connection, options?: InspectOptions) => introspectPostgres(conn, options),
  render: (change, options) => renderPostgresChange(change, options),
  lockImpact: (change, options) => postgresLockImpact(change, options),
  onlineColumn: postgresOnlineColumn,
  openLanes: (tx, count, options) => openPostgresLanes(tx, count, options),
};
