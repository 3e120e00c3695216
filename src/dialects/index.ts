// Dialect registry: the one place that maps a dialect name to its implementation.
import type { DialectName } from '../catalog/types.js';
import { PlumbError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './postgres/postgres-dialect.js';
import { mysqlDialect } from './mysql/mysql-dialect.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';
import { mssqlDialect } from './mssql/mssql-dialect.js';

const dialects = new Map<DialectName, Dialect>([
  ['postgres', postgresDialect],
  ['mysql', mysqlDialect],
  ['sqlite', sqliteDialect],
  ['mssql', mssqlDialect],
]);

export function registerDialect(d: Dialect): void {
  dialects.set(d.name, d);
}

export function getDialect(name: DialectName): Dialect {
  const d = dialects.get(name);
  if (!d) throw new PlumbError('E_DIALECT_UNAVAILABLE', `the ${name} dialect is not available yet`, 'plumb supports postgres, mysql (MariaDB), sqlite, and mssql (render-only)');
  return d;
}

export type { Dialect, Capabilities, CapabilityName, InspectOptions } from './dialect.js';
