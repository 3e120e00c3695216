// The spec realised as a catalog once per distinct binding (dialect and the
// schema the spec's default schema lands in), not once per target: a fleet of
// 200 Postgres tenants realises the spec once. Realisations run one at a time
// because they share the scratch engine. Never touches a target.
import type { Catalog } from '../catalog/types.js';
import type { Connection } from '../drivers/connection.js';
import type { DbTarget } from '../drivers/url.js';
import { getDialect } from '../dialects/index.js';
import { specSchemaMap } from '../spec/bind-target.js';
import { specToCatalog } from '../spec/spec-to-catalog.js';
import type { Spec } from '../spec/types.js';

export class DesiredCatalogs {
  private readonly cache = new Map<string, Promise<Catalog>>();
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    readonly spec: Spec,
    private readonly devTarget?: DbTarget,
  ) {}

  /** The desired catalog for this connection's dialect and binding. */
  for(conn: Pick<Connection, 'dialect' | 'target'>): Promise<Catalog> {
    const d = getDialect(conn.dialect);
    const home = d.homeSchema?.(conn.target);
    const key = JSON.stringify([conn.dialect, specSchemaMap(this.spec, d, conn.target), home ?? null]);
    let p = this.cache.get(key);
    if (!p) {
      const run = () => specToCatalog(this.spec, { dialect: conn.dialect, target: conn.target, ...(this.devTarget ? { devTarget: this.devTarget } : {}) });
      p = this.queue.then(run, run);
      this.queue = p.catch(() => undefined);
      this.cache.set(key, p);
    }
    return p;
  }
}
