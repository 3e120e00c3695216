// The commands end to end on a real server database (PGlite normalises the spec): plan writes its
// three files, apply --yes refuses nothing it should not, seed twice changes
// nothing the second time, verify exits 0 — then 1 once a constraint is gone.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import { rbacSpecYaml } from '../seed/seed-fixture.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { runCli } from '../helpers/cli.js';

const server = pgEngines().find((e) => e.kind === 'server');

let dir: string;
let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

describe.runIf(!!server)('plan → apply → seed → verify through the CLI', () => {
  let fresh: FreshDb;
  beforeAll(async () => {
    fresh = await freshDatabase(server!);
    dir = await mkdtemp(join(tmpdir(), 'plumb-cli-'));
    await writeFile(join(dir, 'spec.yaml'), rbacSpecYaml);
    process.env.PLUMB_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    process.env.PLUMB_TEST_ADMIN_PASSWORD = 'pw';
  });
  afterAll(async () => {
    delete process.env.PLUMB_ENCRYPTION_KEY;
    await fresh?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  // Each command starts (and stops) its own scratch PGlite, as a CLI run does: seconds each.
  it('runs the whole story', async () => {
    const db = fresh.url;
    const spec = join(dir, 'spec.yaml');
    expect(await plumb('plan', '--db', db, '--spec', spec, '--out', join(dir, 'plan')), out).toBe(0);
    const md = await readFile(join(dir, 'plan', 'plan.md'), 'utf8');
    expect(md).toMatch(/# Rebuild plan: \d+ step\(s\)/);
    const plan = JSON.parse(await readFile(join(dir, 'plan', 'plan.json'), 'utf8'));
    expect(plan.formatVersion).toBe(1);
    expect(await readFile(join(dir, 'plan', 'plan.sql'), 'utf8')).toMatch(/CREATE TABLE "rbac"."core_roles"/);

    expect(await plumb('apply', '--db', db, '--plan', join(dir, 'plan', 'plan.json'), '--yes'), out).toBe(0);
    expect(out).toMatch(/^applied: plan/m);
    expect(await plumb('seed', '--db', db, '--spec', spec), out).toBe(0);
    expect(out).toMatch(/rbac\.core_permissions\s+8\s+0\s+0/);
    expect(await plumb('seed', '--db', db, '--spec', spec), out).toBe(0);
    for (const t of ['core_roles', 'core_permissions', 'core_role_permissions', 'core_users']) expect(out).toMatch(new RegExp(`rbac\\.${t}\\s+0\\s+0\\s+\\d+`));
    expect(out).not.toMatch(/tok-secret/);
    expect(await plumb('verify', '--db', db, '--spec', spec), out).toBe(0);
    expect(out).toMatch(/0 failed/);

    // Re-applying an applied plan does nothing.
    expect(await plumb('apply', '--db', db, '--plan', join(dir, 'plan', 'plan.json'), '--yes'), out).toBe(0);
    expect(out).toMatch(/^already-applied/m);
    // A plan made now holds nothing; after drift, apply refuses it.
    expect(await plumb('plan', '--db', db, '--spec', spec, '--out', join(dir, 'plan2')), out).toBe(0);
    // Drift since planning: a new plan drops a column the spec lacks; --yes does not allow it.
    const conn = await connect(db);
    await conn.exec('ALTER TABLE rbac.core_users ADD COLUMN nickname text; ALTER TABLE rbac.core_permissions DROP CONSTRAINT core_permissions_module_check');
    await conn.close();
    expect(await plumb('verify', '--db', db, '--spec', spec, '-f', 'json'), out).toBe(1);
    expect(JSON.parse(out).failed).toBe(2);
    expect(await plumb('apply', '--db', db, '--plan', join(dir, 'plan2', 'plan.json'), '--yes'), out).toBe(5);
    expect(out).toMatch(/changed since the plan was made/);
    expect(await plumb('apply', '--db', db, '--spec', spec, '--yes'), out).toBe(5);
    expect(out).toMatch(/refusing 1 destructive step.*PH102 rbac\.core_users\.nickname/);
    expect(await plumb('apply', '--db', db, '--spec', spec, '--yes', '--allow', 'PH102:rbac.core_users.nickname'), out).toBe(0);
    expect(out).toMatch(/^applied: plan/m);
  }, 300_000);
});
