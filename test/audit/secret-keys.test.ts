// Secrets never leak through the keys that identify rows (issue #20): when a
// table's key is itself a token, an API key or a session id, findings' sample
// keys, every report format, plan.md's pre-check samples and apply's abort
// message show it only as `redacted:<8 hex>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { renderAudit } from '../../src/report/audit-report.js';
import '../../src/report/html/register-html-format.js';
import { isSecretColumnName, redactRow, redactValue } from '../../src/catalog/sensitive-columns.js';
import { runPlanPreChecks } from '../../src/plan/plan-spec.js';
import { renderPlanMarkdown } from '../../src/plan/render-plan.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { planFor } from '../plan/plan-helpers.js';

const pglite = pgEngines().find((e) => e.kind === 'pglite')!;
const SECRETS = ['tok_live_AAAA1111secretvalue', 'tok_live_BBBB2222secretvalue', 'ak_SECRETKEY_1234567890'] as const;

describe('secret-named columns', () => {
  it('are recognised by name, and redaction is a stable short hash', () => {
    expect(['token', 'session_token', 'api_key', 'apiKey', 'session_id', 'password_hash', 'client_secret', 'refresh_tokens'].filter((n) => !isSecretColumnName(n))).toEqual([]);
    expect(['id', 'user_id', 'email', 'key', 'code', 'slug', 'monkey_count'].filter(isSecretColumnName)).toEqual([]);
    // Names that describe a secret (hatchet's auth__api_key__header_name holds `X-API-Key`) hold none.
    expect(['auth__api_key__header_name', 'signature_header_name', 'token_type', 'apiKeyName', 'password_hint', 'secret_format', 'otp_kind'].filter(isSecretColumnName)).toEqual([]);
    expect(['auth__api_key__key', 'webhook_signing_secret', 'auth_header_token', 'api_key_value'].filter((n) => !isSecretColumnName(n))).toEqual([]);
    expect(redactValue('abc')).toMatch(/^redacted:[0-9a-f]{8}$/);
    expect(redactValue(redactValue('abc'))).toBe(redactValue('abc'));
    expect(redactRow({ id: 1, token: 'x', note: null })).toEqual({ id: 1, token: redactValue('x'), note: null });
  });
});

describe('sample keys in audit reports (pglite)', () => {
  let db: FreshDb;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshDatabase(pglite);
    await db.conn.exec(`
      CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);
      INSERT INTO users VALUES (1, 'a@example.com');
      CREATE TABLE api_sessions (session_token text PRIMARY KEY, user_id int NOT NULL);
      INSERT INTO api_sessions VALUES ('${SECRETS[0]}', 99), ('${SECRETS[1]}', 98);
      CREATE TABLE api_clients (api_key text PRIMARY KEY, password text);
      INSERT INTO api_clients VALUES ('${SECRETS[2]}', 'hunter2plain');`);
    res = await audit(db.conn, { only: ['implied-foreign-key-orphans', 'password-not-hashed'] });
  });
  afterAll(async () => db?.dispose());

  it('findings keep a redacted key per row', () => {
    const orphans = res.findings.find((f) => f.rule === 'implied-foreign-key-orphans')!;
    expect(orphans.evidence?.sampleKeys).toEqual([redactValue(SECRETS[0]), redactValue(SECRETS[1])]);
    const clear = res.findings.find((f) => f.rule === 'password-not-hashed')!;
    expect(clear.evidence?.sampleKeys).toEqual([redactValue(SECRETS[2])]);
  });

  it.each(['json', 'sarif', 'md', 'text', 'junit', 'html'])('no secret key value appears in the %s report', async (format) => {
    const out = await renderAudit(res, format);
    for (const s of SECRETS) expect(out.includes(s), `${s} in ${format}`).toBe(false);
    expect(out.includes('hunter2plain')).toBe(false);
  });
});

describe('pre-check samples in plan.md and apply (pglite)', () => {
  let db: FreshDb;
  let scratch: FreshDb;

  beforeAll(async () => {
    [db, scratch] = await Promise.all([freshDatabase(pglite), freshDatabase(pglite)]);
    await db.conn.exec(`
      CREATE SCHEMA shop;
      CREATE TABLE shop.users (id int PRIMARY KEY);
      INSERT INTO shop.users VALUES (1);
      CREATE TABLE shop.sessions (session_token text PRIMARY KEY, user_id int);
      INSERT INTO shop.sessions VALUES ('${SECRETS[0]}', 99), ('${SECRETS[1]}', 1);`);
    await scratch.conn.exec(`
      CREATE SCHEMA shop;
      CREATE TABLE shop.users (id int PRIMARY KEY);
      CREATE TABLE shop.sessions (session_token text PRIMARY KEY, user_id int REFERENCES shop.users (id));`);
  });
  afterAll(async () => {
    await db?.dispose();
    await scratch?.dispose();
  });

  it('plan.md names the orphan by a redacted key, and apply aborts without printing it', async () => {
    const { plan } = await planFor(db.conn, scratch.conn, ['shop']);
    const results = await runPlanPreChecks(db.conn, plan);
    const md = renderPlanMarkdown(plan, results);
    expect(md).toContain(redactValue(SECRETS[0]));
    for (const s of SECRETS) expect(md.includes(s)).toBe(false);
    expect(JSON.stringify(results).includes(SECRETS[0])).toBe(false);
    const err = await applyPlan(db.conn, plan).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/redacted:[0-9a-f]{8}/);
    for (const s of SECRETS) expect(`${err?.message} ${JSON.stringify(err)}`.includes(s)).toBe(false);
  });
});
