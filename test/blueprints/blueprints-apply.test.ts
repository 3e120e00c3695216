// All eight blueprints on every engine plumb applies to — Postgres (PGlite and
// a real server), MariaDB and SQLite (a file, foreign_keys=on, as an
// application opens it): plan + apply, hash-chain the audit log, seed (with
// the admin user the rbac notes ask the application for), verify (every check
// and probe passes), audit (no error), a second plan and a second seed change
// nothing; then rotate the settings key, all rows or none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, pgEngines, sharedPgliteInstance } from '../helpers/engines.js';
import { freshMysql, mysqlServer } from '../helpers/mysql.js';
import { freshSqlite } from '../helpers/sqlite.js';
import { wrapPglite } from '../../src/drivers/pglite-driver.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { audit } from '../../src/audit/audit.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { inspectLive, planFromSpec } from '../../src/plan/plan-spec.js';
import { parseSpecText } from '../../src/spec/load.js';
import { diffOptionsFromSpec } from '../../src/spec/spec-diff-options.js';
import { bindSeedTables, specSchemaMap } from '../../src/spec/bind-target.js';
import { liveSchemaNames } from '../../src/spec/compare-spec.js';
import type { Spec } from '../../src/spec/types.js';
import { seed } from '../../src/seed/seed.js';
import { encryptValue, decryptValue, parseEncryptionKey } from '../../src/seed/seed-crypto.js';
import { verify } from '../../src/verify/verify.js';
import { addToSpecText, blueprints, buildBlueprint } from '../../src/blueprints/index.js';
import { rotateKey } from '../../src/blueprints/rotate-key.js';
import { installChain } from '../../src/chain/install.js';
import { verifyChain } from '../../src/chain/verify.js';

/** All eight blueprints, plus the admin user and its ADMIN mapping that rbac leaves to the application. */
function blueprintSpec(params: Record<string, string>): Spec {
  let text = '';
  for (const b of blueprints) text = addToSpecText(text, buildBlueprint(b.name, params));
  const at = (t: string) => (params.schema ? `${params.schema}.${t}` : t);
  text = addToSpecText(text, {
    spec: {
      seed: [
        { table: 'core_users', ...(params.schema ? { schema: params.schema } : {}), key: ['username'], hash: { password_hash: { scheme: 'scrypt', env: 'PLUMB_ADMIN_PASSWORD' } }, rows: [{ username: 'admin', email: 'admin@example.com', password_hash: 'set-from-env' }] },
        { table: 'core_user_roles', ...(params.schema ? { schema: params.schema } : {}), key: ['user_id', 'role_id'], rows: [{ user_id: { $ref: at('core_users'), key: { username: 'admin' } }, role_id: { $ref: at('core_roles'), key: { name: 'ADMIN' } } }] },
      ],
    },
    satisfies: [],
    chains: [],
    notes: [],
  });
  return parseSpecText(text, 'blueprints.yaml');
}

const keyA = parseEncryptionKey(Buffer.alloc(32, 1).toString('base64'));
const keyB = parseEncryptionKey(Buffer.alloc(32, 2).toString('base64'));
const ENV = { PLUMB_ADMIN_PASSWORD: 'a-long-admin-passphrase' };

interface Engine {
  name: string;
  /** Postgres names a schema; MariaDB (a schema is a database, server-wide) and SQLite (one schema) use the spec's default. */
  params: Record<string, string>;
  open(): Promise<{ conn: Connection; dispose(): Promise<void> }>;
  /** The Postgres scratch engine that normalises the spec (MariaDB and SQLite realise it on their own engine). */
  scratch?(): Promise<Connection>;
}

const pg = pgEngines().filter((e, i, all) => e.kind === 'pglite' || e === all.find((x) => x.kind === 'server'));
const engines: Engine[] = [
  ...pg.map((e): Engine => ({ name: e.name, params: { prefix: 'core_', schema: 'app', usersTable: 'core_users' }, open: () => freshDatabase(e), scratch: async () => wrapPglite(await sharedPgliteInstance()) })),
  ...(mysqlServer() ? [{ name: 'mariadb', params: { prefix: 'core_', usersTable: 'core_users' }, open: () => freshMysql() }] : []),
  { name: 'sqlite', params: { prefix: 'core_', usersTable: 'core_users' }, open: () => freshSqlite({ file: true, foreignKeys: true }) },
];

describe.each(engines)('blueprints applied on $name', (engine) => {
  const spec = blueprintSpec(engine.params);
  let conn: Connection;
  let dispose: () => Promise<void>;
  const applied: string[] = [];
  /** Where the spec's tables live on this connection (`app`; the MariaDB database; SQLite's `main`). */
  let home = '';
  const d = () => getDialect(conn.dialect);
  const at = (table: string) => d().quoteQualified(home, table);
  const ph = (i: number) => (conn.dialect === 'postgres' ? `$${i}` : '?');

  beforeAll(async () => {
    ({ conn, dispose } = await engine.open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('apply, chain, seed, verify and audit; a second plan and a second seed change nothing', async () => {
    const options = engine.scratch ? { scratch: await engine.scratch() } : {};
    const p = await planFromSpec(conn, spec, options);
    const result = await applyPlan(conn, p.plan);
    applied.push(p.plan.checksum);
    expect(result.outcome).toBe('applied');

    const schemas = liveSchemaNames(conn, spec, p.target);
    expect(schemas).toHaveLength(1);
    home = schemas[0]!;
    expect(p.target.schemas.find((s) => s.name === home)?.tables).toHaveLength(13);
    for (const c of buildBlueprint('audit-log', engine.params).chains) await installChain(conn, { schema: home, table: c });

    const seedTables = bindSeedTables(spec.seed, specSchemaMap(spec, d(), conn.target));
    const s1 = await seed(conn, seedTables, await inspectLive(conn, schemas), { key: keyA, env: ENV });
    const inserted = Object.fromEntries(s1.tables.map((t) => [t.table.split('.').pop(), t.inserted]));
    expect(inserted).toEqual({ core_roles: 4, core_permissions: 16, core_role_permissions: 27, core_users: 1, core_user_roles: 1 });
    await conn.exec(`INSERT INTO ${at('core_audit_logs')} (action, entity_type, entity_id) VALUES ('seed', 'core_roles', 'all')`);

    const live = await inspectLive(conn, schemas, p.target);
    const r = await verify(conn, { checks: spec.verify, target: p.target, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });
    const notPassed = r.results.filter((x) => x.status !== 'pass').map((x) => `${x.status} ${x.kind} ${x.name}: ${x.detail}`);
    expect(notPassed).toEqual([]);
    expect(r.results.filter((x) => x.kind !== 'probe' && x.kind !== 'drift')).toHaveLength(spec.verify.length);
    expect(r.results.filter((x) => x.kind === 'probe').length).toBeGreaterThan(100);
    expect((await verifyChain(conn, { schema: home, table: 'core_audit_logs' })).ok).toBe(true);

    const findings = (await audit(conn, { spec, specCatalog: p.target, inspect: { schemas } })).findings;
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([]);

    const again = await planFromSpec(conn, spec, options);
    expect(again.changes).toEqual([]);
    const s2 = await seed(conn, seedTables, await inspectLive(conn, schemas), { key: keyA, env: ENV });
    expect(s2.tables.map((t) => [t.table, t.inserted, t.updated])).toEqual(s2.tables.map((t) => [t.table, 0, 0]));
  });

  it('rotates the settings key in one transaction (all rows or none)', async () => {
    expect(home).not.toBe('');
    const key = d().quoteIdent('key');
    for (const [k, v] of [['smtp.password', 'hunter2'], ['api.token', 'abc']] as const) {
      await conn.query(`INSERT INTO ${at('core_settings')} (${key}, environment, value_encrypted, key_id, is_encrypted, is_secret) VALUES (${ph(1)}, 'production', ${ph(2)}, ${ph(3)}, true, true)`, [k, encryptValue(keyA, v), keyA.id]);
    }
    const r = await rotateKey(conn, { schema: home, table: 'core_settings', columns: ['value_encrypted'], keyIdColumn: 'key_id', from: keyA, to: keyB });
    expect(r).toEqual({ rows: 2, values: 2, alreadyRotated: 0 });
    const rows = await conn.query<{ v: string; k: string }>(`SELECT value_encrypted AS v, key_id AS k FROM ${at('core_settings')} ORDER BY ${key}`);
    expect(rows.map((x) => [decryptValue(keyB, x.v), x.k])).toEqual([
      ['abc', keyB.id],
      ['hunter2', keyB.id],
    ]);
    // A rerun changes nothing.
    expect(await rotateKey(conn, { schema: home, table: 'core_settings', columns: ['value_encrypted'], keyIdColumn: 'key_id', from: keyA, to: keyB })).toEqual({ rows: 0, values: 0, alreadyRotated: 2 });
    // A value under an unknown key aborts the whole rotation: nothing changes.
    await conn.query(`INSERT INTO ${at('core_settings')} (${key}, environment, value_encrypted, key_id, is_encrypted) VALUES ('x', 'production', ${ph(1)}, 'other', true)`, [encryptValue(keyA, 'x')]);
    const keyC = parseEncryptionKey(Buffer.alloc(32, 3).toString('base64'));
    await expect(rotateKey(conn, { schema: home, table: 'core_settings', columns: ['value_encrypted'], keyIdColumn: 'key_id', from: keyB, to: keyC })).rejects.toThrow(/cannot be decrypted/);
    const after = await conn.query<{ k: string }>(`SELECT key_id AS k FROM ${at('core_settings')} WHERE ${key} <> 'x'`);
    expect(after.map((x) => x.k)).toEqual([keyB.id, keyB.id]);
  });
});
