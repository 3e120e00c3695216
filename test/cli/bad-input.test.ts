// Bad input to `plumb inspect` in a real process: one clear line, a hint, a
// non-zero exit, no stack trace, and never the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import { announceMissing, pgServerUrl, uniqueName, withDatabase } from '../helpers/engines.js';
import { runCliProcess } from '../helpers/cli.js';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from src/ (as `npm run dev` does), with a clean environment for the URL. */
function plumb(args: string[]): Promise<Outcome> {
  return runCliProcess(args, { PLUMB_DB: '' });
}

/** The contract for every expected failure. */
function expectCleanFailure(o: Outcome, code: string, exit: number, secret?: string): void {
  const lines = o.stderr.trim().split('\n');
  expect(lines, o.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^error \\[${code}\\] \\S`));
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(o.code).toBe(exit);
  expect(o.stdout).toBe('');
  expect(o.stderr).not.toMatch(/\n\s+at /);
  if (secret) expect(o.stdout + o.stderr).not.toContain(secret);
}

describe('plumb inspect with bad input', () => {
  const server = pgServerUrl();
  const embedded = inject('embeddedPgUrl');
  const password = `Pw-${uniqueName('s3cr3t')}`;
  const role = uniqueName('plumb_nousage');
  const schema = uniqueName('plumb_private');
  let roleUrl = '';

  beforeAll(async () => {
    if (!server) return;
    const admin = await connect(server);
    try {
      await admin.exec(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'; CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int);`);
    } finally {
      await admin.close();
    }
    const u = new URL(server);
    u.username = role;
    u.password = password;
    roleUrl = u.toString();
  });

  afterAll(async () => {
    if (!server) return;
    const admin = await connect(server);
    try {
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP ROLE IF EXISTS ${role};`);
    } finally {
      await admin.close();
    }
  });

  it('unreachable host', async () => {
    const o = await plumb(['inspect', '--db', `postgres://postgres:${password}@127.0.0.1:1/postgres`]);
    expectCleanFailure(o, 'E_CONNECT', 3, password);
    expect(o.stderr).toContain('cannot connect to 127.0.0.1:1: connection refused');
  });

  it('wrong password (embedded server, which checks passwords)', async () => {
    if (!embedded) return announceMissing('pg-embedded', 'wrong-password test needs the embedded server (the machine server trusts 127.0.0.1)');
    const u = new URL(embedded);
    u.password = password;
    const o = await plumb(['inspect', '--db', u.toString()]);
    expectCleanFailure(o, 'E_AUTH', 3, password);
    expect(o.stderr).toContain('authentication failed for user "postgres"');
  });

  it('unknown scheme', async () => {
    const o = await plumb(['inspect', '--db', `oracle://scott:${password}@db.example/orcl`]);
    expectCleanFailure(o, 'E_URL', 2, password);
    expect(o.stderr).toContain('unknown database URL scheme "oracle:"');
  });

  it('missing database', async () => {
    const u = new URL(withDatabase(roleUrl || server, 'plumb_no_such_database'));
    const o = await plumb(['inspect', '--db', u.toString()]);
    expectCleanFailure(o, 'E_NO_DATABASE', 3, password);
    expect(o.stderr).toContain('database "plumb_no_such_database" does not exist');
  });

  it('permission-denied schema', async () => {
    const o = await plumb(['inspect', '--db', roleUrl, '--schema', schema]);
    expectCleanFailure(o, 'E_PERMISSION', 4, password);
    expect(o.stderr).toContain(`permission denied for schema "${schema}"`);
  });

  it('a malformed URL never echoes its password', async () => {
    const o = await plumb(['inspect', '--db', `postgres://me:${password}@[bad-host/x`]);
    expectCleanFailure(o, 'E_URL', 2, password);
  });
});
