// Dialects registered at run time, and each built-in dialect loaded on its
// own: `plumb inspect` on Postgres must not load the MySQL, SQLite and SQL
// Server code. Holds no dialect code itself.
import type { DialectName } from '../catalog/types.js';
import { PlumbError } from '../errors.js';
import type { Dialect } from './dialect.js';

const registered = new Map<DialectName, Dialect>();

/** Adds a dialect, or replaces a built-in one, for getDialect and loadDialect alike. */
export function registerDialect(d: Dialect): void {
  registered.set(d.name, d);
}

export function registeredDialect(name: DialectName): Dialect | undefined {
  return registered.get(name);
}

export function unknownDialect(name: string): PlumbError {
  return new PlumbError('E_DIALECT_UNAVAILABLE', `the ${name} dialect is not available yet`, 'plumb supports postgres, mysql (MariaDB), sqlite, and mssql (render-only)');
}

/** The dialect `name`, importing only its own module. */
export async function loadDialect(name: DialectName): Promise<Dialect> {
  const r = registered.get(name);
  if (r) return r;
  switch (name) {
    case 'postgres':
      return (await import('./postgres/postgres-dialect.js')).postgresDialect;
    case 'mysql':
      return (await import('./mysql/mysql-dialect.js')).mysqlDialect;
    case 'sqlite':
      return (await import('./sqlite/sqlite-dialect.js')).sqliteDialect;
    case 'mssql':
      return (await import('./mssql/mssql-dialect.js')).mssqlDialect;
    default:
      throw unknownDialect(name);
  }
}
