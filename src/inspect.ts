// Library entry point for introspection: URL or Connection in, Catalog out.
import type { Catalog } from './catalog/types.js';
import type { Connection } from './drivers/connection.js';
import { connect } from './drivers/connect.js';
// Only the connection's own dialect is loaded (CLI start-up): see dialects/registry.ts.
import { loadDialect } from './dialects/registry.js';
import type { InspectOptions } from './dialects/dialect.js';

export async function inspect(db: string | Connection | undefined, options: InspectOptions = {}): Promise<Catalog> {
  if (db && typeof db === 'object') return (await loadDialect(db.dialect)).introspect(db, options);
  const conn = await connect(db);
  try {
    return await (await loadDialect(conn.dialect)).introspect(conn, options);
  } finally {
    await conn.close();
  }
}
