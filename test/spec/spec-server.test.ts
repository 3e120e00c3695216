// A spec normalised by the scratch PGlite (Postgres 17) against a live server
// of another major version: pulled from the server, it must show no drift,
// although the two print some SQL differently (Postgres 16+ drops the
// qualifier of single-relation view columns, older servers keep it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeChange } from '../../src/diff/describe.js';
import { introspectPostgres } from '../../src/dialects/postgres/postgres-introspector.js';
import { catalogToSpecInput, specInputToYaml } from '../../src/spec/catalog-to-spec.js';
import { compareWithSpec } from '../../src/spec/compare-spec.js';
import { parseSpecText } from '../../src/spec/load.js';
import { disposeScratchEngine } from '../../src/spec/spec-to-catalog.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const servers = pgEngines().filter((e) => e.kind === 'server');
const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'roundtrip.sql'), 'utf8').replace(
  'CREATE ROLE plumb_reader;',
  () => "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plumb_reader') THEN CREATE ROLE plumb_reader; END IF; END $$;",
);

describe.each(servers)('a pulled spec shows no drift on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    await db.conn.exec(fixture);
  });
  afterAll(async () => {
    await db?.dispose();
    await disposeScratchEngine();
  });

  it('server → pull → PGlite-normalised spec → diff against the server is empty', async () => {
    const live = await introspectPostgres(db.conn, { schemas: ['app', 'public'] });
    const spec = parseSpecText(specInputToYaml(catalogToSpecInput(live)), 'pulled.yaml');
    const { changes, desired } = await compareWithSpec(db.conn, spec);
    expect(desired.serverVersion).not.toBe('');
    expect(changes.map(describeChange)).toEqual([]);
  });
});

if (!servers.length) it.skip('needs a Postgres server (PLUMB_TEST_PG_URL or the embedded one): none in this run', () => undefined);
