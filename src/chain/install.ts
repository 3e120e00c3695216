// `plumb chain install` as a library call: resolve the table and defaults,
// then let the engine's chain dialect create the table, head row and triggers.
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { parseColumnDefs, type InstallResult } from './chain-dialect.js';
import { chainDialectFor } from './dialects/index.js';
import { resolveTable } from './verify.js';

export interface InstallOptions {
  table: string;
  schema?: string;
  /** Column definitions for a new table (`actor text, action text not null`); default: a generic audit log. */
  columns?: string;
  /** Add a nullable `signature` column (hashed with the row). */
  signature?: boolean;
  /** Default `<schema>.<table>`. Part of every hash: rows cannot be spliced between chains. */
  chainId?: string;
  /** Order of the rows a table already has (default: its primary key). */
  orderBy?: string[];
}

export async function installChain(conn: Connection, options: InstallOptions): Promise<InstallResult> {
  const d = chainDialectFor(conn);
  const ref = await resolveTable(conn, options.table, options.schema);
  if (!ref.table) throw new PlumbError('E_USAGE', 'a table name is required', 'pass --table audit_log');
  const chainId = options.chainId ?? `${ref.schema}.${ref.table}`;
  const columns = options.columns ? parseColumnDefs(options.columns) : d.defaultColumns;
  return d.install(conn, { ref, chainId, columns, signature: options.signature ?? false, ...(options.orderBy ? { orderBy: options.orderBy } : {}) });
}
