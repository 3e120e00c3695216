// The `plumb chain` commands end to end on a Postgres server: exit codes
// 0 intact / 1 broken / 2 cannot verify, key files, signed anchors.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';

async function plumb(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await run(['node', 'plumb', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

describe('plumb chain CLI', () => {
  let db: FreshDb;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase({ name: 'server', kind: 'server', url: pgServerUrl() });
    dir = mkdtempSync(join(tmpdir(), 'plumb-chain-cli-'));
  });
  afterAll(async () => {
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('install, sign-key, anchor, verify: 0 when intact, 1 when broken, 2 when it cannot verify', async () => {
    const install = await plumb('chain', 'install', '--db', db.url, '--table', 'audit.events');
    expect(install.code).toBe(0);
    expect(install.out).toMatch(/created audit\.events/);
    await db.conn.exec(`INSERT INTO audit.events (actor, action) SELECT 'u' || g, 'login' FROM generate_series(1, 50) g`);

    const keys = await plumb('chain', 'sign-key', 'generate', '--out', dir);
    expect(keys.code).toBe(0);
    expect(statSync(join(dir, 'plumb-chain.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'plumb-chain.pub'), 'utf8')).toMatch(/BEGIN PUBLIC KEY/);
    expect((await plumb('chain', 'sign-key', 'generate', '--out', dir)).code).toBe(2);

    const anchorFile = join(dir, 'events.anchor.json');
    expect((await plumb('chain', 'anchor', '--db', db.url, '--table', 'audit.events', '--out', anchorFile, '--key', join(dir, 'plumb-chain.key'))).code).toBe(0);
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8'));
    expect(anchor.seq).toBe('50');
    expect(anchor.signature).toBeTruthy();

    const ok = await plumb('chain', 'verify', '--db', db.url, '--table', 'audit.events', '--anchor', anchorFile, '--public-key', join(dir, 'plumb-chain.pub'));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/INTACT/);
    expect(ok.out).toMatch(/signature valid-pinned/);
    const noAnchor = await plumb('chain', 'verify', '--db', db.url, '--table', 'audit.events', '--format', 'json');
    expect(noAnchor.code).toBe(0);
    expect(JSON.parse(noAnchor.out).notes[0]).toMatch(/tail truncation/);

    await db.conn.exec(`SET session_replication_role = replica; UPDATE audit.events SET actor = 'mallory' WHERE seq = 17; SET session_replication_role = origin`);
    const broken = await plumb('chain', 'verify', '--db', db.url, '--table', 'audit.events');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN: 1 problem\(s\); first at seq 17: edited/);
    expect((await plumb('chain', 'anchor', '--db', db.url, '--table', 'audit.events', '--out', join(dir, 'x.json'))).code).toBe(1);

    expect((await plumb('chain', 'verify', '--db', db.url, '--table', 'audit.nope')).code).toBe(2);
    writeFileSync(join(dir, 'forged.json'), JSON.stringify({ ...anchor, seq: '49' }));
    const forged = await plumb('chain', 'verify', '--db', db.url, '--table', 'audit.events', '--anchor', join(dir, 'forged.json'));
    expect(forged.code).toBe(2);
    expect(forged.err).toMatch(/signature/);
  });
});
