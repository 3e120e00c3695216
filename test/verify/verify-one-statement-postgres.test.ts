// verify runs a spec's checks in a transaction it rolls back; on a Postgres
// server a check holding a second statement (`…; COMMIT; DROP TABLE …`) would
// end that transaction and run the rest for good. A check must be one
// statement that does not control the transaction.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabase, pgEngines } from '../helpers/engines.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const server = pgEngines().find((e) => e.kind === 'server');

describe.runIf(!!server)('verify on a Postgres server: a check cannot escape its transaction', () => {
  it('refuses a second statement or transaction control and leaves the sentinel alone', async () => {
    const db = await freshDatabase(server!);
    const dir = await mkdtemp(join(tmpdir(), 'plumb-pg-verify-'));
    try {
      await db.conn.exec('CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE sentinel (id int PRIMARY KEY); INSERT INTO sentinel VALUES (1)');
      const spec = join(dir, 'spec.yaml');
      await writeFile(
        spec,
        [
          'version: 1',
          'tables:',
          '  - name: t',
          '    columns:',
          '      - { name: id, type: int, primaryKey: true }',
          '  - name: sentinel',
          '    columns:',
          '      - { name: id, type: int, primaryKey: true }',
          'verify:',
          '  - name: smuggled',
          `    sql: ${JSON.stringify('SELECT count(*) FROM t; COMMIT; DELETE FROM sentinel')}`,
          '    expect: 0',
          '  - name: smuggled reject',
          `    reject: ${JSON.stringify("SELECT 1; COMMIT; DROP TABLE sentinel; SELECT 'x'::int")}`,
          '  - name: dollar quotes and comments are not statements',
          `    sql: ${JSON.stringify("SELECT count(*) FROM t WHERE $$;$$ <> ';' /* ; */ -- ;\n")}`,
          '    expect: 0',
          '',
        ].join('\n'),
      );
      const code = await plumb('verify', '--db', db.url, '--spec', spec);
      const rows = await db.conn.query<{ n: unknown }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'sentinel'");
      expect(Number(rows[0]?.n), out).toBe(1);
      expect(Number((await db.conn.query<{ n: unknown }>('SELECT count(*) AS n FROM sentinel'))[0]?.n), out).toBe(1);
      expect(code, out).toBe(1);
      expect(out).toMatch(/one statement/);
      expect(out).toMatch(/PASS.*dollar quotes/);
    } finally {
      await db.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
