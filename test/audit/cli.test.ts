// `plumb audit` and `plumb rules` end to end, as a user runs them (a child
// process on a real Postgres server), plus the config and baseline paths:
// unknown rule ids and malformed files are one clear error with a hint.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveAuditConfig } from '../../src/config/resolve-config.js';
import { allRules } from '../../src/audit/rules/index.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';
import { casesOf, plant } from './fixture-kit.js';
import { runCli } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI in this process (fast): stdout/stderr captured, exit code returned. */
async function plumb(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args);
}

/** The CLI as a user runs it: a child process. */
function plumbProcess(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'scripts/plumb-dev.ts'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', PLUMB_DB: '' }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('plumb audit / plumb rules (CLI)', () => {
  let db: FreshDb;
  const dir = mkdtempSync(join(tmpdir(), 'plumb-cli-'));
  beforeAll(async () => {
    db = await freshDatabase({ name: 'server', kind: 'server', url: pgServerUrl() });
    for (const id of ['public-write-grant', 'foreign-key-without-index', 'char-column']) {
      const cs = await casesOf(catalogRules.find((r) => r.meta.id === id)!);
      if (typeof cs !== 'string') await plant(db.conn, cs[0]!);
    }
  });
  afterAll(async () => db?.dispose());

  it('audits (as a child process), prints JSON, and exits 1 because an error-level finding exists', async () => {
    const r = await plumbProcess(['audit', '--db', db.url, '-f', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { rule: string }[]; target: { url: string } };
    expect(new Set(j.findings.map((f) => f.rule))).toEqual(new Set(['public-write-grant', 'foreign-key-without-index', 'char-column']));
    // No password character in the report: between the user and the host only the mask may stand.
    expect(j.target.url).not.toMatch(/:[^@/*]+@/);
    const password = decodeURIComponent(new URL(db.url).password);
    if (password) expect(r.stdout + r.stderr).not.toContain(`:${password}@`);
  });

  it('--fail-on none exits 0; --fail-on info with --rule on a clean rule exits 0', async () => {
    expect((await plumb(['audit', '--db', db.url, '--fail-on', 'none', '-f', 'md'])).code).toBe(0);
    const r = await plumb(['audit', '--db', db.url, '--fail-on', 'info', '--rule', 'money-column']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No findings.');
  });

  it('--write-baseline then --baseline reports only new findings', async () => {
    const b = join(dir, 'baseline.json');
    const first = await plumb(['audit', '--db', db.url, '--write-baseline', b, '-f', 'json', '--fail-on', 'none']);
    expect(first.code).toBe(0);
    expect(JSON.parse(readFileSync(b, 'utf8')).findings.length).toBeGreaterThanOrEqual(3);
    const second = await plumb(['audit', '--db', db.url, '--baseline', b, '-f', 'json']);
    expect(second.code).toBe(0);
    const j = JSON.parse(second.stdout) as { findings: unknown[]; suppressedByBaseline: number };
    expect(j.findings).toEqual([]);
    expect(j.suppressedByBaseline).toBeGreaterThanOrEqual(3);
  });

  it('sarif and junit go to --out files', async () => {
    const s = join(dir, 'a.sarif');
    const r = await plumb(['audit', '--db', db.url, '-f', 'sarif', '--out', s, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(s, 'utf8')).version).toBe('2.1.0');
  });

  it('the config file chooses the data mode (data: full); --data on the command line wins', async () => {
    writeFileSync(join(dir, 'full.yaml'), 'data: full\n');
    const mode = async (...extra: string[]) => {
      const r = await plumb(['audit', '--db', db.url, '-f', 'json', '--fail-on', 'none', '--config', join(dir, 'full.yaml'), ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { data?: { mode: string } }).data?.mode;
    };
    expect(await mode()).toBe('full');
    expect(await mode('--data', 'sample')).toBe('sample');
    writeFileSync(join(dir, 'bad-mode.yaml'), 'data: everything\n');
    const bad = await plumb(['audit', '--db', db.url, '--config', join(dir, 'bad-mode.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/data/);
  });

  it('a config file disables rules and changes severities; unknown ids and bad files are clear errors', async () => {
    writeFileSync(join(dir, 'plumb.config.yaml'), 'rules:\n  public-write-grant: off\n  char-column: error\nignore:\n  - "*.books"\n');
    const ok = await plumb(['audit', '--db', db.url, '-f', 'json', '--config', join(dir, 'plumb.config.yaml')]);
    const j = JSON.parse(ok.stdout) as { findings: { rule: string; severity: string; path: string }[] };
    expect(j.findings.map((f) => f.rule)).toEqual(['char-column']);
    expect(j.findings[0]!.severity).toBe('error');

    writeFileSync(join(dir, 'bad-id.json'), JSON.stringify({ rules: { 'foreign-key-without-indx': 'off' } }));
    const bad = await plumb(['audit', '--db', db.url, '--config', join(dir, 'bad-id.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown rule "foreign-key-without-indx"');
    expect(bad.stderr).toContain('did you mean "foreign-key-without-index"');
    expect(bad.stderr).not.toContain('at ');

    writeFileSync(join(dir, 'broken.yaml'), 'rules:\n  - [unclosed\n');
    const broken = await plumb(['audit', '--db', db.url, '--config', join(dir, 'broken.yaml')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid YAML/);
    expect(broken.stderr).toMatch(/hint:/);
  });

  it('plumb rules lists every rule; plumb rules explain prints the doc; an unknown id suggests one', async () => {
    const list = await plumb(['rules']);
    expect(list.code).toBe(0);
    for (const r of allRules) expect(list.stdout).toContain(r.meta.id);
    const ex = await plumb(['rules', 'explain', 'foreign-key-without-index']);
    expect(ex.stdout).toContain('## Triggers the rule');
    expect(ex.stdout).toContain('CREATE TABLE books');
    const byCode = await plumb(['rules', 'explain', 'plb010']);
    expect(byCode.stdout).toContain('# foreign-key-without-index');
    const unknown = await plumb(['rules', 'explain', 'dupliate-index']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "duplicate-index"');
  });
});

describe('config resolution (library)', () => {
  it('loads a TypeScript config exporting default, and rejects unknown keys and options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-cfg-'));
    writeFileSync(join(dir, 'plumb.config.ts'), `export default { rules: { 'table-without-comment': 'warning', 'rls-disabled-in-exposed-schema': { options: { exposedSchemas: ['api'] } } }, failOn: 'warning' as const };\n`);
    const { config, file } = await loadConfig(undefined, dir);
    expect(file).toMatch(/plumb\.config\.ts$/);
    const r = resolveAuditConfig(config, {}, allRules);
    expect(r.failOn).toBe('warning');
    expect(r.options.ruleSettings!['table-without-comment']).toEqual({ enabled: true, severity: 'warning' });
    expect(r.options.ruleSettings!['rls-disabled-in-exposed-schema']!.options).toEqual({ exposedSchemas: ['api'] });

    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ rulez: {} }));
    await expect(loadConfig(join(dir, 'typo.json'))).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('rulez') });
    expect(() => resolveAuditConfig({ rules: { 'duplicate-index': { options: { nope: 1 } } } }, {}, allRules)).toThrow(/has no option "nope"/);
    expect(() => resolveAuditConfig({}, { severity: ['char-column=fatal'] }, allRules)).toThrow(/expected RULE=error\|warning\|info/);
  });
});
