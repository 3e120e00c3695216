// Dialect registry: maps a dialect name to its implementation, every built-in
// loaded up front for getDialect's synchronous callers. Run-time
// registrations live in registry.ts, which can also load one dialect alone.
import type { DialectName } from '../catalog/types.js';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './postgres/postgres-dialect.js';
import { mysqlDialect } from './mysql/mysql-dialect.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';
import { mssqlDialect } from './mssql/mssql-dialect.js';
import { registeredDialect, unknownDialect } from './registry.js';

const builtIn = new Map<DialectName, Dialect>([
  ['postgres', postgresDialect],
  ['mysql', mysqlDialect],
  ['sqlite', sqliteDialect],
  ['mssql', mssqlDialect],
]);

export { registerDialect, loadDialect } from './registry.js';

export function getDialect(name: DialectName): Dialect {
  const d = registeredDialect(name) ?? builtIn.get(name);
  if (!d) throw unknownDialect(name);
  return d;
}

export type { Dialect, Capabilities, CapabilityName, InspectOptions } from './dialect.js';
