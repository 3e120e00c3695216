import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { freshDatabase, sharedPgliteInstance, type FreshDb } from '../helpers/engines.js';
import { wrapPglite } from '../../src/drivers/pglite-driver.js';
import type { Catalog } from '../../src/catalog/types.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { inspectLive, planFromSpec } from '../../src/plan/plan-spec.js';
import { parseSpecText } from '../../src/spec/load.js';
import { diffOptionsFromSpec } from '../../src/spec/spec-diff-options.js';
import { seed } from '../../src/seed/seed.js';
import { parseEncryptionKey } from '../../src/seed/seed-crypto.js';
import { verify } from '../../src/verify/verify.js';
import { renderVerify } from '../../src/verify/verify-report.js';
import { rbacSpecYaml } from '../seed/seed-fixture.js';
import { contentChecksum, pgliteAndOneServer } from '../plan/plan-helpers.js';

const spec = parseSpecText(rbacSpecYaml, 'rbac.yaml');
const key = parseEncryptionKey(randomBytes(32).toString('base64'));

const engines = pgliteAndOneServer();

describe.each(engines)('verify on $name', (engine) => {
  let db: FreshDb;
  let target: Catalog;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    const p = await planFromSpec(db.conn, spec, { scratch: wrapPglite(await sharedPgliteInstance()) });
    target = p.target;
    await applyPlan(db.conn, p.plan);
    await seed(db.conn, spec.seed, await inspectLive(db.conn, ['rbac']), { key, env: { PLUMB_TEST_ADMIN_PASSWORD: 'pw' } });
  });
  afterAll(async () => db?.dispose());

  const run = async () =>
    verify(db.conn, { checks: spec.verify, target, live: await inspectLive(db.conn, ['rbac']), diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });

  it('passes every check and probe, and leaves no trace', async () => {
    const before = await contentChecksum(db.conn, ['rbac']);
    const r = await run();
    expect(r.results.filter((x) => x.status !== 'pass')).toEqual([]);
    // 4 spec checks + drift + probes: NOT NULL ×9, keys ×7, foreign keys ×2, check ×1.
    expect(r.results.filter((x) => x.kind === 'probe').length).toBe(19);
    expect(await contentChecksum(db.conn, ['rbac'])).toEqual(before);
    expect(renderVerify(r, 'junit')).toContain('failures="0"');
  });

  it('catches a missing constraint: the probe insert succeeds and verify fails', async () => {
    await db.conn.exec('ALTER TABLE rbac.core_permissions DROP CONSTRAINT core_permissions_module_check; ALTER TABLE rbac.core_role_permissions DROP CONSTRAINT core_role_permissions_permission_id_fkey; ALTER TABLE rbac.core_users ALTER COLUMN email DROP NOT NULL');
    const before = await contentChecksum(db.conn, ['rbac']);
    const r = await run();
    const failed = r.results.filter((x) => x.status === 'fail').map((x) => `${x.kind} ${x.name}`);
    // The user probe (999, 999) is still rejected by the role foreign key, which is intact.
    expect([...failed].sort()).toEqual([
      'drift no drift against the spec',
      'probe NOT NULL core_users.email',
      'probe check core_permissions_module_check',
      'probe foreign key core_role_permissions_permission_id_fkey',
    ]);
    expect(r.results.find((x) => x.name === 'check core_permissions_module_check')!.detail).toMatch(/accepted/);
    expect(await contentChecksum(db.conn, ['rbac'])).toEqual(before);
    expect(renderVerify(r, 'text')).toMatch(/4 failed/);
  });
});
