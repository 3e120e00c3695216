// The settings-auth worked example (seed 003), the README's story through the
// library on both engines the example claims — Postgres (PGlite and a real
// server) and SQLite (the report's local fallback): apply the one portable
// spec, seed 4 roles / 13 permissions / 23 role mappings and AES-256-GCM
// encrypted settings (`v1:` envelopes), seed again (nothing changes), verify.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import type { Connection } from '../../src/drivers/connection.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { inspectLive } from '../../src/plan/plan-spec.js';
import { decryptValue, parseEncryptionKey } from '../../src/seed/seed-crypto.js';
import { seed } from '../../src/seed/seed.js';
import { loadSpec } from '../../src/spec/load.js';
import { diffOptionsFromSpec } from '../../src/spec/spec-diff-options.js';
import { bindSeedTables, specSchemaMap } from '../../src/spec/bind-target.js';
import { liveSchemaNames } from '../../src/spec/compare-spec.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { verify } from '../../src/verify/verify.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { freshSqlite } from '../helpers/sqlite.js';

const KEY = parseEncryptionKey(randomBytes(32).toString('base64'));
const ENV = { PLUMB_ADMIN_PASSWORD: 'choose-one' };

let spec: Spec;
let pgDesired: Catalog;
beforeAll(async () => {
  spec = await loadSpec('examples/settings-auth/spec.yaml');
  // The spec normalised once, on a clone of this file's one PGlite (cheaper than a second cold start).
  const scratch = await freshDatabase(pgEngines()[0]!);
  try {
    pgDesired = await specToCatalog(spec, { scratch: scratch.conn });
  } finally {
    await scratch.dispose();
  }
}, 300_000);

const count = async (conn: Connection, sql: string) => Number(Object.values((await conn.query(sql))[0]!)[0]);

/** apply → seed → seed again → verify, asserting what the README promises. */
async function story(conn: Connection): Promise<void> {
  // SQLite: the spec lands in `main` and is normalised on an in-memory SQLite.
  const desired = conn.dialect === 'postgres' ? pgDesired : await specToCatalog(spec, { dialect: conn.dialect, target: conn.target });
  const schemas = liveSchemaNames(conn, spec, desired);
  const seedTables = bindSeedTables(spec.seed, specSchemaMap(spec, getDialect(conn.dialect), conn.target));
  const from = await inspectLive(conn, schemas);
  const changes = diffCatalogs(from, desired, diffOptionsFromSpec(spec));
  const plan = buildPlan({ changes, from, to: desired, dialect: getDialect(conn.dialect), createdAt: new Date().toISOString(), options: { schemas } });
  expect((await applyPlan(conn, plan)).outcome).toBe('applied');

  const live = await inspectLive(conn, schemas);
  expect(live.schemas.flatMap((s) => s.tables).length).toBe(10);
  await seed(conn, seedTables, live, { key: KEY, env: ENV });
  const again = await seed(conn, seedTables, live, { key: KEY, env: ENV });
  expect(again.tables.map((x) => [x.table, x.inserted, x.updated])).toEqual(again.tables.map((x) => [x.table, 0, 0]));

  expect(await count(conn, 'SELECT COUNT(*) FROM roles')).toBe(4);
  expect(await count(conn, 'SELECT COUNT(*) FROM permissions')).toBe(13);
  expect(await count(conn, 'SELECT COUNT(*) FROM role_permissions')).toBe(23);
  const settings = await conn.query<{ key: string; value_encrypted: string }>('SELECT key, value_encrypted FROM settings ORDER BY key');
  expect(settings.map((s) => s.key)).toEqual(['auth.max_failed_logins', 'auth.session_ttl_minutes', 'smtp.password']);
  for (const s of settings) expect(s.value_encrypted).toMatch(/^v1:[0-9a-f]{8}:/);
  expect(decryptValue(KEY, settings.find((s) => s.key === 'smtp.password')!.value_encrypted)).toBe('example-smtp-password');

  const report = await verify(conn, { checks: spec.verify, target: desired, live: await inspectLive(conn, schemas), diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });
  // Nothing fails; the spec's own checks all pass (probes plumb cannot build a row for are skipped, as the CLI reports).
  const failed = report.results.filter((x) => x.status === 'fail');
  expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
  const own = report.results.filter((x) => x.kind !== 'probe' && x.kind !== 'drift');
  expect(own.filter((x) => x.status !== 'pass'), JSON.stringify(own, null, 1)).toEqual([]);
  expect(own.length).toBe(spec.verify.length);
  expect(report.results.find((x) => x.kind === 'drift')?.status).toBe('pass');
  expect(report.passed).toBeGreaterThanOrEqual(spec.verify.length);
}

const engines = pgEngines().filter((e, i) => i === 0 || e.kind === 'server').slice(0, 2);

describe.each(engines)('settings-auth on Postgres ($name)', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  }, 60_000);
  afterAll(async () => db?.dispose());

  it('apply → seed (4 roles, 13 permissions, 23 mappings, encrypted settings) → seed again → verify', async () => {
    await story(db.conn);
  }, 300_000);
});

describe('settings-auth on SQLite (the report\'s fallback)', () => {
  // The spec's default schema (`public`) is SQLite's `main` (src/spec/bind-target.ts).
  // Opened as the application opens it: SQLite enforces foreign keys only where the connection asks.
  it('apply → seed → seed again → verify on the same spec', async () => {
    const db = await freshSqlite({ file: true, foreignKeys: true });
    try {
      await story(db.conn);
    } finally {
      await db.dispose();
    }
  }, 60_000);
});
