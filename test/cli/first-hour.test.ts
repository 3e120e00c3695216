// Issue #22, "the first hour": what a new user meets with only the README and
// --help. No silent default database, no password on screen, nothing that
// misleads. Each case failed before its fix.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printError } from '../../src/cli/output.js';
import { parseDbUrl, redactUrl, redactUrls, scrubSecret } from '../../src/drivers/url.js';
import { PlumbError } from '../../src/errors.js';
import { announceMissing, freshDatabase, pgServerUrl } from '../helpers/engines.js';
import { mermaidType } from '../../src/erd/mermaid.js';
import { checkMermaidErDiagram } from '../erd/mermaid-grammar.js';
import { runCli, runCliProcess } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in this process (fast): stdout/stderr captured, exit code returned. */
async function plumb(args: string[]): Promise<Outcome> {
  return runCli(args);
}

/** The CLI as a user runs it: a child process, with PLUMB_DB unset unless given. */
export function plumbProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return runCliProcess(args, env);
}

const NO_DB = 'no database given: pass --db URL or set PLUMB_DB (pglite: for an in-memory database)';

describe('--db is required: no silent in-memory default', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.PLUMB_DB;
    delete process.env.PLUMB_DB;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PLUMB_DB;
    else process.env.PLUMB_DB = saved;
  });

  it('plumb audit with no --db and no PLUMB_DB: exit 2 and the one line (a real process)', async () => {
    const o = await plumbProcess(['audit', '--fail-on', 'warning']);
    expect(o.code).toBe(2);
    expect(o.stdout).toBe('');
    const lines = o.stderr.trim().split('\n');
    expect(lines[0]).toBe(`error [E_USAGE] ${NO_DB}`);
    expect(lines[1]).toMatch(/^hint: for example: plumb audit --db /);
    expect(lines).toHaveLength(2);
  });

  it('an empty PLUMB_DB counts as none', async () => {
    const o = await plumbProcess(['inspect'], { PLUMB_DB: '' });
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(NO_DB);
  });

  it.each([
    ['inspect'],
    ['audit', '--spec', 'examples/gauge-calibration/spec.yaml'],
    ['diff', '--spec', 'examples/gauge-calibration/spec.yaml'],
    ['plan', '--spec', 'examples/gauge-calibration/spec.yaml'],
    ['apply', '--spec', 'examples/gauge-calibration/spec.yaml', '--yes'],
    ['seed', '--spec', 'examples/gauge-calibration/spec.yaml'],
    ['verify', '--spec', 'examples/gauge-calibration/spec.yaml'],
    ['pull'],
    ['erd', '-f', 'mermaid'],
    ['chain', 'install', '--table', 'audit.events'],
    ['chain', 'verify', '--table', 'audit.events'],
    ['chain', 'anchor', '--table', 'audit.events', '--out', '/dev/null'],
    ['settings', 'rotate-key', '--table', 'settings'],
  ])('plumb %s … refuses to run without a database', async (...args) => {
    const o = await plumb(args);
    expect(o.code).toBe(2);
    expect(o.stdout).toBe('');
    expect(o.stderr).toContain(NO_DB);
  });

  it('PLUMB_DB is enough, and pglite: works when named', async () => {
    process.env.PLUMB_DB = 'pglite:';
    const o = await plumb(['inspect', '-f', 'json']);
    expect(o.code).toBe(0);
    expect(JSON.parse(o.stdout).dialect).toBe('postgres');
  });

  it('plan --dialect renders offline and needs no database', async () => {
    const o = await plumb(['plan', '--spec', 'examples/settings-auth/spec.yaml', '--dialect', 'mssql', '--format', 'sql']);
    expect(o.stderr).not.toContain(NO_DB);
    expect(o.code).toBe(0);
  });

  it('--help says --db is required and that demo is the only default', async () => {
    const top = await plumb(['--help']);
    expect(top.stdout).toMatch(/needs --db URL or PLUMB_DB: there is no default database/);
    const audit = await plumb(['audit', '--help']);
    expect(audit.stdout).toMatch(/--db <url>\s+database URL \(required\)/);
  });
});

describe('a SQLite URL opens an existing file only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-first-hour-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('audit of a missing file is an error with a hint, and leaves no file behind', async () => {
    const file = join(dir, 'typo.sqlite');
    const o = await plumb(['audit', '--db', `sqlite:${file}`]);
    expect(o.code).toBe(3);
    expect(o.stderr).toContain(`error [E_NO_DATABASE] no SQLite database at ${file}`);
    expect(o.stderr).toMatch(/hint: check the path .*only plumb apply and plumb seed create a SQLite file, with --create/);
    expect(o.stdout).toBe('');
    expect(existsSync(file)).toBe(false);
  });

  it('?mode=rwc does not make a read-only command create the file', async () => {
    const file = join(dir, 'read.sqlite');
    const o = await plumb(['inspect', '--db', `sqlite:${file}?mode=rwc`]);
    expect(o.code).toBe(3);
    expect(existsSync(file)).toBe(false);
  });

  it('apply without --create refuses; with --create (or ?mode=rwc) it creates the file', async () => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, 'tables:\n  - name: notes\n    columns:\n      - { name: id, type: integer, primaryKey: true }\n      - { name: body, type: text }\n');
    const file = join(dir, 'new.sqlite');
    const refused = await plumb(['apply', '--db', `sqlite:${file}`, '--spec', spec, '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('to create the file, pass --create or add ?mode=rwc to the URL');
    expect(existsSync(file)).toBe(false);
    const created = await plumb(['apply', '--db', `sqlite:${file}`, '--spec', spec, '--yes', '--create']);
    expect(created.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const file2 = join(dir, 'new2.sqlite');
    expect((await plumb(['apply', '--db', `sqlite:${file2}?mode=rwc`, '--spec', spec, '--yes'])).code).toBe(0);
    // The file exists now: reading it needs no flag.
    const audit = await plumb(['inspect', '--db', `sqlite:${file}`, '-f', 'json']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('"notes"');
  });
});

describe('a URL is masked however its password is written', () => {
  const raw = 'p@ss:w/rd%';
  const url = `postgres://user:${raw}@127.0.0.1:1/db`;

  it('masks from the scheme\'s // to the last @ before the host, and still finds the host', () => {
    expect(redactUrl(url)).toBe('postgres://user:***@127.0.0.1:1/db');
    const t = parseDbUrl(url);
    expect(t).toMatchObject({ host: '127.0.0.1', port: 1, user: 'user', database: 'db', redacted: 'postgres://user:***@127.0.0.1:1/db' });
    expect(redactUrls(`see "mysql://root:a@b@c:3306/x" and ${url}.`)).toBe('see "mysql://root:***@c:3306/x" and postgres://user:***@127.0.0.1:1/db.');
    expect(scrubSecret(`password ${raw} rejected`, t.connectionString)).toBe('password *** rejected');
  });

  it('a connection error shows no password character', async () => {
    const o = await plumb(['inspect', '--db', url]);
    expect(o.code).toBe(3);
    expect(o.stderr).toContain('cannot connect to 127.0.0.1:1');
    for (const piece of ['p@ss', 'ss:w', 'w/rd', 'rd%']) expect(o.stdout + o.stderr).not.toContain(piece);
  });

  it('a database URL given as --spec is named as such, masked', async () => {
    const o = await plumb(['diff', '--db', 'pglite:', '--spec', 'postgres://user:s3cr3t@x/y']);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('a spec is a file or directory, not a database URL: postgres://user:***@x/y');
    expect(o.stdout + o.stderr).not.toContain('s3cr3t');
  });

  it('any message that quotes a URL is masked when printed', async () => {
    const err: string[] = [];
    const ew = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string | Uint8Array) => (err.push(String(c)), true)) as typeof process.stderr.write;
    try {
      printError(new PlumbError('E_IO', `spec not found: mysql://me:${raw}@db/app`, `or try postgres://me:${raw}@db/app`));
      printError(new Error(`boom at postgres://me:${raw}@db/app`));
    } finally {
      process.stderr.write = ew;
    }
    const text = err.join('');
    expect(text).toContain('mysql://me:***@db/app');
    for (const piece of ['p@ss', 'w/rd']) expect(text).not.toContain(piece);
  });
});

/** Starts the CLI, waits until `ready` matches its output, sends `signal`, and returns how it ended. */
function interruptWhen(args: string[], ready: RegExp, signal: NodeJS.Signals): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete e.PLUMB_DB;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', ...args], { cwd: root, env: e });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const check = () => {
      if (!sent && ready.test(stdout + stderr)) {
        sent = true;
        child.kill(signal);
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), check()));
    child.stderr.on('data', (d) => ((stderr += d), check()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('interrupted, and a closed stdout', () => {
  it('SIGINT: one line saying what was interrupted and what it left, exit 130', async () => {
    const o = await interruptWhen(['demo'], /1\/9/, 'SIGINT');
    expect(o.code).toBe(130);
    const lines = o.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^interrupted: plumb demo \(SIGINT\) — the demo stopped part-way/);
    expect(o.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('SIGTERM during apply --plan: the journal step and the command that resumes, exit 143', async () => {
    // A server, not PGlite: an embedded engine answers without yielding to the event loop, so a signal waits for the end.
    const server = pgServerUrl();
    if (!server) return announceMissing('pg-server', 'the interrupted-apply test needs PLUMB_TEST_PG_URL');
    const fresh = await freshDatabase({ name: 'server', kind: 'server', url: server });
    const dir = mkdtempSync(join(tmpdir(), 'plumb-interrupt-'));
    try {
      const db = fresh.url;
      const planned = await plumbProcess(['plan', '--db', db, '--spec', 'examples/gauge-calibration/spec.yaml', '--out', join(dir, 'plan')]);
      expect(planned.code, planned.stderr).toBe(0);
      const plan = join(dir, 'plan', 'plan.json');
      const o = await interruptWhen(['apply', '--db', db, '--plan', plan, '--yes'], /applied /, 'SIGTERM');
      expect(o.code, o.stderr).toBe(143);
      const last = o.stderr.trim().split('\n').at(-1)!;
      const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(last).toMatch(new RegExp(`^interrupted: plumb apply \\(SIGTERM\\) — journal at step \\d+ of 74: resume with plumb apply --db ${esc(redactUrl(db))} --plan ${esc(plan)} --resume`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fresh.dispose().catch(() => undefined);
    }
  }, 120_000);

  it('a reader that goes away ends plumb quietly (no EPIPE stack trace)', async () => {
    const o = await new Promise<Outcome>((resolve, reject) => {
      const child = spawn('bash', ['-c', `"${process.execPath}" --import tsx scripts/plumb-dev.ts rules | true; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(o.stderr).not.toContain('EPIPE');
    expect(o.stderr.trim()).toBe('status 0');
  });
});

describe("plumb's own objects stay out of pull and diff", () => {
  it('after apply and chain install, pull → diff shows no drift; --include-plumb shows them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-own-'));
    try {
      const db = `pglite:${join(dir, 'db')}`;
      expect((await plumb(['apply', '--db', db, '--spec', 'examples/settings-auth/spec.yaml', '--yes'])).code).toBe(0);
      expect((await plumb(['chain', 'install', '--db', db, '--table', 'public.audit_events'])).code).toBe(0);
      const spec = join(dir, 'pulled.yaml');
      expect((await plumb(['pull', '--db', db, '--out', spec])).code).toBe(0);
      const pulled = readFileSync(spec, 'utf8');
      expect(pulled).not.toMatch(/plumb_chain|name: plumb$|name: journal|name: history/m);
      const diff = await plumb(['diff', '--db', db, '--spec', spec]);
      expect(diff.stdout).toContain('no drift');
      expect(diff.code).toBe(0);
      // Asked for, they are there: the spec lacks the chain machinery in its schema.
      const all = await plumb(['diff', '--db', db, '--spec', spec, '--include-plumb']);
      expect(all.code).toBe(1);
      expect(all.stdout).toMatch(/drop table public\.plumb_chain/);
      expect(all.stdout).toMatch(/drop trigger public\.audit_events\.zz_plumb_chain_append/);
      // audit: no finding on plumb's machinery (chain functions, triggers, head table, history); all of it when asked.
      const paths = async (...extra: string[]) => {
        const a = await plumb(['audit', '--db', db, '-f', 'json', '--fail-on', 'none', ...extra]);
        expect(a.code, a.stderr).toBe(0);
        return (JSON.parse(a.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path);
      };
      expect((await paths()).filter((p) => /plumb/.test(p))).toEqual([]);
      expect((await paths('--include-plumb')).filter((p) => /plumb/.test(p)).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('smaller things that misled', () => {
  it('rules explain prints the doc, not the generated-file comment', async () => {
    const o = await plumb(['rules', 'explain', 'plb001']);
    expect(o.code).toBe(0);
    expect(o.stdout).not.toContain('<!--');
    expect(o.stdout.startsWith('# table-without-primary-key')).toBe(true);
  });

  it('a --format error lists html where html is valid', async () => {
    const o = await plumb(['audit', '--db', 'pglite:', '-f', 'bogus']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/hint: use one of: .*\bhtml\b/);
    const help = await plumb(['audit', '--help']);
    expect(help.stdout).toMatch(/output format \(text, md, json, sarif, junit, html\)/);
  });

  it('blueprint add takes --spec like every other command; --to still works, unlisted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-bp-'));
    try {
      const a = await plumb(['blueprint', 'add', 'rbac', '--spec', join(dir, 'a.yaml')]);
      expect(a.code, a.stderr).toBe(0);
      expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toMatch(/tables:/);
      const b = await plumb(['blueprint', 'add', 'rbac', '--to', join(dir, 'b.yaml')]);
      expect(b.code, b.stderr).toBe(0);
      expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(readFileSync(join(dir, 'a.yaml'), 'utf8'));
      const help = await plumb(['blueprint', 'add', '--help']);
      expect(help.stdout).toMatch(/-s, --spec <file>/);
      expect(help.stdout).not.toMatch(/--to\b/);
      const none = await plumb(['blueprint', 'add', 'rbac']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('pass --spec FILE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verify builds a probe row a BETWEEN check accepts', () => {
  it('stars BETWEEN 1 AND 5: every probe runs, none is skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-stars-'));
    try {
      const spec = join(dir, 'spec.yaml');
      writeFileSync(
        spec,
        [
          'tables:',
          '  - name: reviews',
          '    columns:',
          '      - { name: id, type: integer, primaryKey: true }',
          '      - { name: stars, type: integer, nullable: false }',
          '      - { name: body, type: text, nullable: false }',
          '    checks:',
          '      - { name: reviews_stars_range, expression: "stars BETWEEN 1 AND 5" }',
          '',
        ].join('\n'),
      );
      const db = `pglite:${join(dir, 'db')}`;
      expect((await plumb(['apply', '--db', db, '--spec', spec, '--yes'])).code).toBe(0);
      const o = await plumb(['verify', '--db', db, '--spec', spec, '-f', 'json']);
      const r = JSON.parse(o.stdout) as { results: { name: string; status: string; detail?: string }[] };
      const probes = r.results.filter((x) => /check reviews_stars_range|NOT NULL reviews\.stars/.test(x.name));
      expect(probes.length, o.stdout).toBe(2);
      for (const p of probes) expect(p.status, `${p.name}: ${p.detail}`).toBe('pass');
      expect(o.stdout).not.toContain('no valid row could be built');
      expect(o.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('diff off a terminal', () => {
  it('says what it is doing on stderr instead of going silent, and ends with a summary line', async () => {
    const o = await plumb(['diff', '--db', 'pglite:', '--spec', 'examples/gauge-calibration/spec.yaml']);
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(/^diff: normalising the spec in a scratch engine and inspecting the database \(\d+\.\d s\)$/m);
    expect(o.stderr).toMatch(/^diff: \d+ changes in \d+\.\d s$/m);
    expect(o.stderr).not.toContain('\r');
  }, 120_000);
});

describe('Mermaid with real type names', () => {
  it('short real names where Mermaid allows them, the exact type as a note where it does not', () => {
    expect(mermaidType('character varying(45)')).toEqual({ word: 'varchar(45)' });
    expect(mermaidType('varchar(45)')).toEqual({ word: 'varchar(45)' });
    expect(mermaidType('timestamp with time zone')).toEqual({ word: 'timestamptz' });
    expect(mermaidType('timestamp(3) without time zone')).toEqual({ word: 'timestamp(3)' });
    expect(mermaidType('text[]')).toEqual({ word: 'text[]' });
    expect(mermaidType('public.gauge_status')).toEqual({ word: 'gauge_status' });
    expect(mermaidType('numeric(10,2)')).toEqual({ word: 'numeric', note: 'numeric(10,2)' });
    expect(mermaidType('int unsigned')).toEqual({ word: 'int', note: 'int unsigned' });
  });

  it('plumb erd -f mermaid on a live database: varchar(45), not character_varying_45, in a grammar Mermaid accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-mermaid-'));
    try {
      const spec = join(dir, 'spec.yaml');
      writeFileSync(
        spec,
        [
          'tables:',
          '  - name: cities',
          '    columns:',
          '      - { name: id, type: integer, primaryKey: true }',
          '      - { name: name, type: varchar(45), nullable: false }',
          '      - { name: area, type: "numeric(10,2)" }',
          '      - { name: tags, type: "text[]" }',
          '      - { name: founded, type: timestamptz }',
          '',
        ].join('\n'),
      );
      const db = `pglite:${join(dir, 'db')}`;
      expect((await plumb(['apply', '--db', db, '--spec', spec, '--yes'])).code).toBe(0);
      const o = await plumb(['erd', '--db', db, '-f', 'mermaid']);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout).toContain('varchar(45) name');
      expect(o.stdout).not.toContain('character_varying');
      expect(o.stdout).toContain('numeric area "numeric(10,2)"');
      expect(o.stdout).toContain('text[] tags');
      expect(o.stdout).toContain('timestamptz founded');
      expect(o.stdout).not.toMatch(/plumb__history|plumb__journal/);
      expect(() => checkMermaidErDiagram(o.stdout)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('row counts say what they are', () => {
  it('SQLite: exact counts (no ~) in the data dictionary and the HTML catalog; Postgres never analysed: "not analysed", not "—"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-rows-'));
    try {
      const file = join(dir, 'rows.db');
      const lite = new Database(file);
      lite.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b'), ('c'); CREATE TABLE e (id INTEGER PRIMARY KEY);`);
      lite.close();
      const md = await plumb(['inspect', '--db', `sqlite:${file}`, '-f', 'md']);
      expect(md.stdout).toMatch(/^\| t \| table \| 3 \|/m);
      expect(md.stdout).toMatch(/^\| e \| table \| 0 \|/m);
      const html = await plumb(['inspect', '--db', `sqlite:${file}`, '-f', 'html']);
      expect(html.stdout).toContain('"r":3,"x":1');
      expect(html.stdout).toContain("'not analysed'");
      expect(html.stdout).not.toMatch(/n == null \? '\\u2014'/);

      const spec = join(dir, 'spec.yaml');
      writeFileSync(spec, 'tables:\n  - name: fresh\n    columns:\n      - { name: id, type: integer, primaryKey: true }\n');
      const db = `pglite:${join(dir, 'pg')}`;
      expect((await plumb(['apply', '--db', db, '--spec', spec, '--yes'])).code).toBe(0);
      const pg = await plumb(['inspect', '--db', db, '-f', 'md']);
      expect(pg.stdout).toMatch(/^\| fresh \| table \| not analysed \|/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the HTML catalog shows what views and routines are', () => {
  it('a view with its columns and definition, a function with its signature, returns and body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-html-'));
    try {
      const spec = join(dir, 'spec.yaml');
      writeFileSync(
        spec,
        [
          'tables:',
          '  - name: people',
          '    columns:',
          '      - { name: id, type: integer, primaryKey: true }',
          '      - { name: email, type: text }',
          'views:',
          '  - { name: with_email, sql: "SELECT id, email FROM people WHERE email IS NOT NULL" }',
          'routines:',
          '  - { name: people_count, returns: bigint, language: sql, body: "SELECT count(*) FROM people" }',
          '',
        ].join('\n'),
      );
      const db = `pglite:${join(dir, 'db')}`;
      expect((await plumb(['apply', '--db', db, '--spec', spec, '--yes'])).code).toBe(0);
      const o = await plumb(['inspect', '--db', db, '-f', 'html']);
      expect(o.code, o.stderr).toBe(0);
      const model = /"views":(\[\[.*?\]\]),"routines":(\[\[.*?\]\])/.exec(o.stdout);
      expect(model, 'views and routines in the page model').not.toBeNull();
      const views = JSON.parse(model![1]!) as [string, string[], string][];
      expect(views[0]![0]).toBe('with_email');
      expect(views[0]![1]).toEqual(['id integer', 'email text']);
      expect(views[0]![2]).toMatch(/WHERE \(?email IS NOT NULL/);
      const routines = JSON.parse(model![2]!) as [string, string | null, string][];
      expect(routines[0]![0]).toMatch(/^function people_count\(\)/);
      expect(routines[0]![1]).toBe('bigint');
      expect(routines[0]![2]).toContain('SELECT count(*) FROM people');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('DBML round trip with a domain', () => {
  it('erd -f dbml of a schema with a domain (year) and an enum reads back: diff --spec design.dbml shows no drift', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-dbml-'));
    try {
      const spec = join(dir, 'spec.yaml');
      writeFileSync(
        spec,
        [
          'domains:',
          '  - { name: year, type: integer, checks: ["VALUE >= 1901 AND VALUE <= 2155"] }',
          'enums:',
          '  - { name: mood, labels: [happy, sad] }',
          'tables:',
          '  - name: films',
          '    columns:',
          '      - { name: id, type: integer, primaryKey: true }',
          '      - { name: release_year, type: year }',
          '      - { name: feeling, type: mood }',
          '',
        ].join('\n'),
      );
      const db = `pglite:${join(dir, 'db')}`;
      expect((await plumb(['apply', '--db', db, '--spec', spec, '--yes'])).code).toBe(0);
      const dbml = join(dir, 'design.dbml');
      expect((await plumb(['erd', '--db', db, '-f', 'dbml', '-o', dbml])).code).toBe(0);
      expect(readFileSync(dbml, 'utf8')).toContain('plumb domain {"schema":"public","name":"year","type":"integer"');
      const diff = await plumb(['diff', '--db', db, '--spec', dbml]);
      expect(diff.stderr).not.toContain('does not exist');
      expect(diff.stdout).toContain('no drift');
      expect(diff.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
