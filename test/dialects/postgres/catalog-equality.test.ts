// The same DDL gives the same catalog on PGlite 18 and a real Postgres 18
// server, apart from what names the server (version, database, sizes).
import { describe, expect, it } from 'vitest';
import { freshDatabase, pgEngines } from '../../helpers/engines.js';
import { introspectPostgres } from '../../../src/dialects/postgres/postgres-introspector.js';
import { stableStringify } from '../../../src/catalog/normalize.js';
import type { Catalog } from '../../../src/catalog/types.js';
import { CORE_DDL, hostileDdl } from './catalog-fixture.js';

/** Blank what legitimately differs between two engines of the same major version. */
function comparable(c: Catalog): string {
  return stableStringify(
    {
      ...c,
      serverVersion: '',
      database: '',
      // The build number and two defaults PGlite ships differently (TimeZone `UTC`,
      // search_path `public`) are the engine's, not the DDL's; every other setting must agree.
      settings: { ...c.settings, server_version_num: '', TimeZone: '', search_path: '' },
      schemas: c.schemas.map((s) => ({ ...s, tables: s.tables.map((t) => ({ ...t, totalBytes: 0 })) })),
    },
    1,
  );
}

const engines = pgEngines();
const pglite = engines.find((e) => e.kind === 'pglite')!;
const pg18 = engines.find((e) => e.name === 'pg18-embedded');

describe('catalog equality across engines', () => {
  it.runIf(pg18)('PGlite 18 and embedded Postgres 18 agree on the same DDL', async () => {
    const catalogs: Catalog[] = [];
    for (const engine of [pglite, pg18!]) {
      const db = await freshDatabase(engine);
      try {
        await db.conn.exec(CORE_DDL);
        await db.conn.exec(hostileDdl());
        catalogs.push(await introspectPostgres(db.conn));
      } finally {
        await db.dispose();
      }
    }
    const [a, b] = catalogs as [Catalog, Catalog];
    expect(a.serverMajor).toBe(18);
    expect(b.serverMajor).toBe(18);
    expect(a.schemas.flatMap((s) => s.tables).length).toBeGreaterThan(8);
    expect(comparable(a)).toBe(comparable(b));
  });
});
