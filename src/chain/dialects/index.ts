// Picks the chain implementation for a connection's engine.
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import type { ChainDialect } from '../chain-dialect.js';
import { mysqlChain } from './mysql-chain.js';
import { postgresChain } from './postgres-chain.js';
import { sqliteChain } from './sqlite-chain.js';

const byDialect: Record<string, ChainDialect> = { postgres: postgresChain, mysql: mysqlChain, sqlite: sqliteChain };

export function chainDialectFor(conn: Connection): ChainDialect {
  const d = byDialect[conn.dialect];
  if (!d) throw new PlumbError('E_DIALECT_UNAVAILABLE', `plumb chain does not support ${conn.dialect} yet`, 'use Postgres, MySQL/MariaDB or SQLite');
  return d;
}
