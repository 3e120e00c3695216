import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { freshDatabase, sharedPgliteInstance, type FreshDb } from '../helpers/engines.js';
import { wrapPglite } from '../../src/drivers/pglite-driver.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { inspectLive, planFromSpec } from '../../src/plan/plan-spec.js';
import { parseSpecText } from '../../src/spec/load.js';
import { seed } from '../../src/seed/seed.js';
import { decryptValue, parseEncryptionKey, verifyPassword } from '../../src/seed/seed-crypto.js';
import { pgliteAndOneServer } from '../plan/plan-helpers.js';
import { rbacSpecYaml } from './seed-fixture.js';

const spec = parseSpecText(rbacSpecYaml, 'rbac.yaml');
const key = parseEncryptionKey(randomBytes(32).toString('base64'));

const engines = pgliteAndOneServer();


describe.each(engines)('seed on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    // The pristine shared PGlite normalises the spec (every use rolls back): no extra instance to start.
    const { plan } = await planFromSpec(db.conn, spec, { scratch: wrapPglite(await sharedPgliteInstance()) });
    await applyPlan(db.conn, plan);
  });
  afterAll(async () => db?.dispose());

  it('inserts once; the second run reports 0 inserted, 0 updated', async () => {
    const live = await inspectLive(db.conn, ['rbac']);
    const env = { PLUMB_TEST_ADMIN_PASSWORD: undefined };
    const first = await seed(db.conn, spec.seed, live, { key, env });
    expect(first.tables.map((t) => [t.table, t.inserted, t.updated, t.unchanged])).toEqual([
      ['rbac.core_roles', 4, 0, 0],
      ['rbac.core_permissions', 8, 0, 0],
      ['rbac.core_role_permissions', 5, 0, 0],
      ['rbac.core_users', 2, 0, 0],
    ]);
    // No password source: one is generated per inserted user and shown once.
    expect(first.generated.map((g) => g.key)).toEqual([{ email: 'admin@example.com' }, { email: 'ops@example.com' }]);
    const second = await seed(db.conn, spec.seed, live, { key, env });
    expect(second.tables.every((t) => t.inserted === 0 && t.updated === 0)).toBe(true);
    expect(second.generated).toEqual([]);

    const [admin] = await db.conn.query<{ api_token: string; password_hash: string }>(`SELECT api_token, password_hash FROM rbac.core_users WHERE email = 'admin@example.com'`);
    expect(admin!.api_token).toMatch(new RegExp(`^v1:${key.id}:`));
    expect(admin!.api_token).not.toContain('tok-secret');
    expect(decryptValue(key, admin!.api_token)).toBe('tok-secret-123');
    expect(verifyPassword(first.generated[0]!.secret, admin!.password_hash)).toBe(true);
    const mapped = await db.conn.query<{ r: string; p: string }>(`SELECT r.name AS r, p.code AS p FROM rbac.core_role_permissions rp JOIN rbac.core_roles r ON r.id = rp.role_id JOIN rbac.core_permissions p ON p.id = rp.permission_id ORDER BY 1, 2`);
    expect(mapped).toEqual([
      { r: 'admin', p: 'gauge.view' },
      { r: 'admin', p: 'system.admin' },
      { r: 'qc_operator', p: 'gauge.qc' },
      { r: 'viewer', p: 'gauge.reports' },
      { r: 'viewer', p: 'gauge.view' },
    ]);
  });

  it('updates only what differs, and a password from the environment replaces the hash once', async () => {
    const live = await inspectLive(db.conn, ['rbac']);
    await db.conn.exec(`UPDATE rbac.core_roles SET description = 'tampered' WHERE name = 'viewer'; UPDATE rbac.core_permissions SET settings = '{"level": 2}' WHERE code = 'gauge.view'`);
    const env = { PLUMB_TEST_ADMIN_PASSWORD: 'correct horse' };
    const r = await seed(db.conn, spec.seed, live, { key, env });
    expect(r.tables.map((t) => [t.table, t.inserted, t.updated])).toEqual([
      ['rbac.core_roles', 0, 1],
      ['rbac.core_permissions', 0, 1],
      ['rbac.core_role_permissions', 0, 0],
      ['rbac.core_users', 0, 2],
    ]);
    const again = await seed(db.conn, spec.seed, live, { key, env });
    expect(again.tables.every((t) => t.inserted === 0 && t.updated === 0)).toBe(true);
    const [u] = await db.conn.query<{ password_hash: string }>(`SELECT password_hash FROM rbac.core_users WHERE email = 'ops@example.com'`);
    expect(verifyPassword('correct horse', u!.password_hash)).toBe(true);
  });

  it('refuses encrypted columns without a key, and a dry run writes nothing', async () => {
    const live = await inspectLive(db.conn, ['rbac']);
    await expect(seed(db.conn, spec.seed, live, {})).rejects.toThrow(/no key was given/);
    await db.conn.exec(`DELETE FROM rbac.core_role_permissions; DELETE FROM rbac.core_roles WHERE name = 'user'`);
    const dry = await seed(db.conn, spec.seed, live, { key, env: { PLUMB_TEST_ADMIN_PASSWORD: 'correct horse' }, dryRun: true });
    expect(dry.tables.find((t) => t.table === 'rbac.core_roles')!.inserted).toBe(1);
    const [n] = await db.conn.query<{ n: string }>('SELECT count(*)::text AS n FROM rbac.core_roles');
    expect(n!.n).toBe('3');
  });
});
