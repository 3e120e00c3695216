// Library entry point for introspection: URL or Connection in, Catalog out.
import type { Catalog } from './catalog/types.js';
import type { Connection } from './drivers/connection.js';
import { connect } from './drivers/connect.js';
import { parseDbUrl, type DbTarget } from './drivers/url.js';
// Only the connection's own dialect is loaded (CLI start-up): see dialects/registry.ts.
import { loadDialect } from './dialects/registry.js';
import type { InspectOptions } from './dialects/dialect.js';

export async function inspect(db: string | DbTarget | Connection | undefined, options: InspectOptions = {}): Promise<Catalog> {
  if (db && typeof db === 'object' && 'query' in db) return (await loadDialect(db.dialect)).introspect(db, options);
  const target = typeof db === 'object' ? db : parseDbUrl(db);
  // The dialect's code loads while the server authenticates the connection.
  const loading = loadDialect(target.dialect);
  loading.catch(() => undefined);
  const conn = await connect(target);
  try {
    const dialect = conn.dialect === target.dialect ? await loading : await loadDialect(conn.dialect);
    return await dialect.introspect(conn, options);
  } finally {
    await conn.close();
  }
}
