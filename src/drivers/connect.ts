// Opens a Connection for a --db URL. The only place that picks a driver.
import { PlumbError } from '../errors.js';
import type { Connection } from './connection.js';
import { parseDbUrl, type DbTarget } from './url.js';

export type DriverFactory = (target: DbTarget) => Promise<Connection>;

/** Drivers registered by later dialect modules (mysql2, better-sqlite3). */
const extraDrivers = new Map<string, DriverFactory>();

export function registerDriver(name: 'mysql' | 'sqlite', factory: DriverFactory): void {
  extraDrivers.set(name, factory);
}

export async function connect(url: string | DbTarget | undefined): Promise<Connection> {
  const target = typeof url === 'object' ? url : parseDbUrl(url);
  switch (target.driver) {
    case 'pg': {
      const { connectPg } = await import('./pg-driver.js');
      return connectPg(target);
    }
    case 'pglite': {
      const { connectPglite } = await import('./pglite-driver.js');
      return connectPglite(target);
    }
    case 'mysql': {
      const { connectMysql } = await import('./mysql-driver.js');
      return connectMysql(target);
    }
    case 'sqlite': {
      const { connectSqlite } = await import('./sqlite-driver.js');
      return connectSqlite(target);
    }
    default: {
      const f = extraDrivers.get(target.driver);
      if (f) return f(target);
      throw new PlumbError(
        'E_DIALECT_UNAVAILABLE',
        `the ${target.dialect} dialect is not available yet (${target.redacted})`,
        'plumb currently connects to Postgres (postgres://…) and PGlite (pglite:); MySQL/MariaDB and SQLite are in progress',
      );
    }
  }
}
