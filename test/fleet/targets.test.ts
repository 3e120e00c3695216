// Targets files: the three sources, labels, --where, and clear errors that
// never show a password. The query source runs against the machine's Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { isPlumbError } from '../../src/errors.js';
import { parseTargetsFile, parseWhere, resolveTargets, selectTargets, staticTargets } from '../../src/fleet/targets.js';
import { pgServerUrl, uniqueName } from '../helpers/engines.js';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isPlumbError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('targets file', () => {
  it('reads listed targets and a template, with common, template and per-name labels', () => {
    const f = parseTargetsFile(
      `labels: { env: prod }
targets:
  - { url: "postgres://app:s3cret@db1/acme", labels: { tier: gold } }
template:
  url: postgres://app@db2/{name}
  labels: { region: eu }
  names: [globex, { name: "initech", labels: { tier: silver, region: us } }]
`,
      'fleet.yaml',
    );
    const ts = staticTargets(f);
    expect(ts.map((t) => [t.name, t.redacted, t.labels])).toEqual([
      ['acme', 'postgres://app:***@db1/acme', { env: 'prod', tier: 'gold' }],
      ['globex', 'postgres://app@db2/globex', { env: 'prod', region: 'eu' }],
      ['initech', 'postgres://app@db2/initech', { env: 'prod', region: 'us', tier: 'silver' }],
    ]);
    expect(ts[0]!.url).toBe('postgres://app:s3cret@db1/acme');
  });

  it('reads JSON and expands ${VAR} from the environment', () => {
    process.env.PLUMB_FLEET_TEST_PW = 'pw';
    const ts = staticTargets(parseTargetsFile('{"targets":[{"url":"postgres://u:${PLUMB_FLEET_TEST_PW}@h/d","name":"x"}]}', 'f.json'));
    expect(ts[0]!.url).toBe('postgres://u:pw@h/d');
    expect(errorOf(() => staticTargets(parseTargetsFile('targets: [{ url: "postgres://u:${PLUMB_NOPE_VAR}@h/d" }]', 'f.yaml')))).toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('PLUMB_NOPE_VAR is not set') });
  });

  it('rejects bad files with the place of the mistake and no password', () => {
    const bad = errorOf(() => parseTargetsFile('targets: [{ url: "postgres://u:topsecret@h/d", lables: {} }]', 'f.yaml'));
    expect(bad.code).toBe('E_CONFIG');
    expect(bad.message).toContain('targets[0]: unknown key `lables` (did you mean `labels`?)');
    expect(bad.message).not.toContain('topsecret');
    expect(errorOf(() => parseTargetsFile('template: { url: "postgres://h/db", names: [a] }', 'f.yaml')).message).toContain('{name}');
    expect(errorOf(() => parseTargetsFile('{}', 'f.yaml')).message).toContain('at least one of targets, template or query');
    expect(errorOf(() => parseTargetsFile('targets: [', 'f.yaml')).message).toContain('not valid YAML');
  });

  it('refuses two targets with one name', async () => {
    const f = parseTargetsFile('targets: [{ url: "postgres://h/a" }, { url: "postgres://u:pw@h2/a" }]', 'f.yaml');
    await expect(resolveTargets(f, 'f.yaml')).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('two targets are named "a"') });
    await expect(resolveTargets(f, 'f.yaml')).rejects.toMatchObject({ message: expect.not.stringContaining(':pw@') });
  });

  it('selects with --where: AND across flags, OR within one, != and name=', () => {
    const ts = staticTargets(
      parseTargetsFile('template: { url: "postgres://h/{name}", names: [{ name: a, labels: { tier: gold, region: eu } }, { name: b, labels: { tier: silver, region: eu } }, { name: c, labels: { tier: gold, region: us } }, d] }', 'f.yaml'),
    );
    const names = (w: string[]) => selectTargets(ts, w).map((t) => t.name);
    expect(names(['tier=gold'])).toEqual(['a', 'c']);
    expect(names(['tier=gold', 'region=eu'])).toEqual(['a']);
    expect(names(['tier=gold,silver'])).toEqual(['a', 'b', 'c']);
    expect(names(['tier!=gold'])).toEqual(['b', 'd']);
    expect(names(['name=d,b'])).toEqual(['b', 'd']);
    expect(errorOf(() => parseWhere('tier')).code).toBe('E_USAGE');
  });
});

describe('targets from a query on a control database', () => {
  const server = pgServerUrl();
  const schema = uniqueName('plumb_ctl');
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.tenants (slug text, conn text, tier text, active boolean);
      INSERT INTO ${schema}.tenants VALUES ('t1', 'postgres://app:pw1@h/t1', 'gold', true), ('t2', 'postgres://app@h/t2', NULL, true), ('t3', 'postgres://app@h/t3', 'gold', false)`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('turns rows into targets: url, name, and every other column a label', async () => {
    const f = parseTargetsFile(`query:\n  sql: SELECT conn AS url, slug AS name, tier FROM ${schema}.tenants WHERE active ORDER BY slug\n  labels: { source: crm }\n`, 'q.yaml');
    const ts = await resolveTargets(f, 'q.yaml', { control: server });
    expect(ts.map((t) => [t.name, t.redacted, t.labels])).toEqual([
      ['t1', 'postgres://app:***@h/t1', { source: 'crm', tier: 'gold' }],
      ['t2', 'postgres://app@h/t2', { source: 'crm' }],
    ]);
  });

  it('says what is wrong with the query, and needs a control database', async () => {
    const f = parseTargetsFile(`query: { sql: "SELECT slug FROM ${schema}.tenants" }`, 'q.yaml');
    await expect(resolveTargets(f, 'q.yaml', { control: server })).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('no text `url` column') });
    await expect(resolveTargets(f, 'q.yaml')).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('no control database') });
    const broken = parseTargetsFile(`query: { sql: "SELECT nope FROM nowhere_at_all" }`, 'q.yaml');
    await expect(resolveTargets(broken, 'q.yaml', { control: server })).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('the targets query failed') });
  });
});
