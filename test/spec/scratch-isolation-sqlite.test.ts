// The SQLite scratch space is a private in-memory database, but a spec's SQL
// run there as a multi-statement script could ATTACH a file and write to it:
// a hostile view body must leave another database file untouched during the
// read-only commands.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/drivers/connect.js';
import { parseDbUrl } from '../../src/drivers/url.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

describe('SQLite scratch space: a spec cannot reach other database files', () => {
  let dir: string;
  let other: string;
  let target: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plumb-sqlite-hostile-'));
    other = join(dir, 'other.db');
    target = join(dir, 'target.db');
    for (const [file, sql] of [
      [other, 'CREATE TABLE sentinel (id INTEGER PRIMARY KEY); INSERT INTO sentinel VALUES (1), (2), (3)'],
      [target, 'CREATE TABLE t (id INTEGER PRIMARY KEY)'],
    ] as const) {
      const c = await connect({ ...parseDbUrl(`sqlite:${file}`), create: true });
      await c.exec(sql);
      await c.close();
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function sentinel(): Promise<number> {
    const c = await connect(`sqlite:${other}`);
    try {
      const t = await c.query("SELECT name FROM sqlite_schema WHERE name = 'sentinel'");
      if (!t.length) return -1;
      return Number((await c.query<{ n: unknown }>('SELECT count(*) AS n FROM sentinel'))[0]?.n);
    } finally {
      await c.close();
    }
  }

  it.each(['diff', 'plan', 'audit'])('%s leaves the other file intact and refuses the spec', async (cmd) => {
    const body = `SELECT 1 AS one; ATTACH DATABASE '${other}' AS o; DELETE FROM o.sentinel`;
    const spec = join(dir, `hostile-${cmd}.yaml`);
    await writeFile(spec, `version: 1\ntables:\n  - name: t\n    columns:\n      - { name: id, type: int, primaryKey: true }\nviews:\n  - { name: v, sql: ${JSON.stringify(body)} }\n`);
    const code = await plumb(cmd, '--db', `sqlite:${target}`, '--spec', spec, ...(cmd === 'plan' ? ['--out', join(dir, `plan-${cmd}`)] : []));
    expect(await sentinel(), out).toBe(3);
    expect(code, out).not.toBe(0);
  });
});
