// Triggers whose statements are inline (SQLite, MySQL: no trigger functions)
// in the spec format: `pull` writes `body:` (not `function: ""`, which the
// loader refused), the spec loads, and diff of the same database says no
// drift. A trigger must have exactly one of `function` and `body`.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/spec/load.js';
import { runCli } from '../helpers/cli.js';
import { freshSqlite, type FreshSqlite } from '../helpers/sqlite.js';

describe('inline trigger bodies in the spec', () => {
  let db: FreshSqlite;
  let dir: string;
  beforeAll(async () => {
    db = await freshSqlite({ file: true });
    dir = await mkdtemp(join(tmpdir(), 'plumb-trigger-body-'));
    await db.conn.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, touched TEXT)');
    await db.conn.exec("CREATE TRIGGER t_touch AFTER UPDATE ON t FOR EACH ROW WHEN NEW.n > 0 BEGIN UPDATE t SET touched = 'yes' WHERE id = NEW.id; END");
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('SQLite: pull writes the body, and diff against the pulled spec says no drift', async () => {
    const spec = join(dir, 'spec.yaml');
    const pull = await runCli(['pull', '--db', db.url, '--out', spec]);
    expect(pull.code, pull.out).toBe(0);
    const text = await readFile(spec, 'utf8');
    expect(text).toContain("body: UPDATE t SET touched = 'yes' WHERE id = NEW.id;");
    expect(text).toContain('when: NEW.n > 0');
    expect(text).not.toContain('function:');
    const diff = await runCli(['diff', '--db', db.url, '--spec', spec]);
    expect(diff.code, diff.out).toBe(0);
  });

  it('refuses a trigger with both a function and a body, or neither', () => {
    const spec = (trigger: string) => `dialect: sqlite\ntables:\n  - name: t\n    columns: { id: integer }\n    triggers:\n      - { name: tr, timing: after, events: [insert]${trigger} }\n`;
    expect(parseSpecText(spec(', body: "SELECT 1;"')).schemas[0]!.tables[0]!.triggers[0]).toMatchObject({ body: 'SELECT 1;', function: '' });
    expect(() => parseSpecText(spec(', body: "SELECT 1;", function: f'))).toThrow(/exactly one of `function`/);
    expect(() => parseSpecText(spec(''))).toThrow(/exactly one of `function`/);
  });
});
