// diff/plan/apply over the right schemas (issue #18): objects in schemas the
// spec does not mention are reported, never silently equal; --schema and
// --exclude-schema choose; an extensions-only spec drops no schema; and
// --from/--to compares two live databases (or a database and a spec) through
// the same diff and plan.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeScratchEngine } from '../../src/spec/spec-to-catalog.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';

const server = { name: 'server', kind: 'server' as const, url: pgServerUrl() };

describe('diff and plan scope, and --from/--to', () => {
  let dir: string;
  let a: FreshDb;
  let b: FreshDb;
  let spec: string;
  let extOnly: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plumb-scope-'));
    spec = join(dir, 'app.sql');
    await writeFile(spec, 'CREATE SCHEMA app; CREATE TABLE app.users (id bigint PRIMARY KEY, email text NOT NULL);\n');
    extOnly = join(dir, 'ext.yaml');
    await writeFile(extOnly, 'extensions: [citext]\n');
    a = await freshDatabase(server);
    b = await freshDatabase(server);
    await a.conn.exec(`CREATE SCHEMA app; CREATE TABLE app.users (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE SCHEMA audit; CREATE TABLE audit.log (id bigint, at timestamptz); CREATE TABLE public.notes (id int);`);
    await b.conn.exec(`CREATE SCHEMA app; CREATE TABLE app.users (id bigint PRIMARY KEY, email text);
      CREATE SCHEMA audit; CREATE TABLE audit.log (id bigint, at timestamptz, who text); CREATE TABLE public.notes (id int);`);
  }, 60_000);
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await disposeScratchEngine();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the schemas the spec does not mention (text warning, JSON notCompared), and --schema/--exclude-schema choose', async () => {
    const text = await runCli(['diff', '--db', a.url, '--spec', spec]);
    expect(text.code, text.out).toBe(0);
    expect(text.stdout).toMatch(/no drift/i);
    expect(text.stdout).toContain('warning: not compared: the spec does not mention schemas audit (1 object), public (1 object)');
    const json = await runCli(['diff', '--db', a.url, '--spec', spec, '--format', 'json', '--exclude-schema', 'audit']);
    expect(JSON.parse(json.stdout)).toMatchObject({ drift: false, notCompared: [{ schema: 'public', objects: 1 }] });
    // --schema widens the comparison to a schema the spec does not declare: its table is drift now.
    const wide = await runCli(['diff', '--db', a.url, '--spec', spec, '--schema', 'app', '--schema', 'audit', '--format', 'json']);
    expect(wide.code).toBe(1);
    expect(JSON.parse(wide.stdout).items.map((i: { kind: string; path: string }) => `${i.kind} ${i.path}`)).toEqual(['dropTable audit.log', 'dropSchema audit']);
  }, 120_000);

  it('an extensions-only spec plans no DROP SCHEMA public', async () => {
    const r = await runCli(['plan', '--db', a.url, '--spec', extOnly, '--format', 'sql', '--no-precheck']);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain('CREATE EXTENSION');
    expect(r.stdout).not.toMatch(/DROP SCHEMA/i);
    expect(r.stderr).toContain('warning: not compared');
  }, 120_000);

  it('--from/--to compares two live databases, and a database with a spec either way', async () => {
    const dbs = await runCli(['diff', '--from', a.url, '--to', b.url, '--format', 'json']);
    expect(dbs.code, dbs.out).toBe(1);
    expect(JSON.parse(dbs.stdout).items.map((i: { kind: string; path: string }) => `${i.kind} ${i.path}`)).toEqual(['addColumn audit.log.who', 'alterColumnNullability app.users.email']);
    const scoped = await runCli(['diff', '--from', a.url, '--to', b.url, '--exclude-schema', 'audit', '--format', 'json']);
    expect(JSON.parse(scoped.stdout).items.map((i: { path: string }) => i.path)).toEqual(['app.users.email']);
    const same = await runCli(['diff', '--from', a.url, '--to', a.url]);
    expect(same.code).toBe(0);
    // Database → spec is --db/--spec; spec → database reads it the other way.
    const back = await runCli(['diff', '--from', spec, '--to', b.url, '--schema', 'app', '--format', 'json']);
    expect(JSON.parse(back.stdout).items.map((i: { kind: string; path: string }) => `${i.kind} ${i.path}`)).toEqual(['alterColumnNullability app.users.email']);
    const plan = await runCli(['plan', '--from', b.url, '--to', a.url, '--format', 'sql', '--no-precheck']);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.stdout).toMatch(/ALTER TABLE "?audit"?\."?log"? DROP COLUMN "?who"?/);
    expect(plan.stdout).toMatch(/SET NOT NULL/);
    const bad = await runCli(['diff', '--from', a.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from needs --to');
  }, 180_000);
});
