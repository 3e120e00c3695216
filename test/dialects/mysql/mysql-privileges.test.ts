// A user who may only SELECT does not see MariaDB's REFERENTIAL_CONSTRAINTS
// rows: inspected naively, the database has no foreign keys, `pull` writes a
// spec without them, and applying that spec as an admin drops them all.
// Inspection must notice the hidden keys and refuse, naming the grant.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';
import { runCli } from '../../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const server = mysqlServer();

describe.runIf(!!server)('MariaDB inspected by a SELECT-only user', () => {
  let db: FreshMysql;
  let dir: string;
  const user = `plumb_ro_${process.pid}`;
  const hosts = ['%', 'localhost', '127.0.0.1'];
  let url: string;
  beforeAll(async () => {
    db = await freshMysql(server);
    dir = await mkdtemp(join(tmpdir(), 'plumb-ro-'));
    await db.conn.exec('CREATE TABLE parents (id int NOT NULL PRIMARY KEY)');
    await db.conn.exec('CREATE TABLE kids (id int NOT NULL PRIMARY KEY, parent_id int, CONSTRAINT kids_parent_fk FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE)');
    await db.conn.exec('CREATE VIEW orphans AS SELECT k.id FROM kids k LEFT JOIN parents p ON p.id = k.parent_id WHERE p.id IS NULL');
    for (const h of hosts) {
      await db.conn.exec(`CREATE USER IF NOT EXISTS '${user}'@'${h}' IDENTIFIED BY 'pw'`);
      await db.conn.exec(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'${h}'`);
    }
    const u = new URL(db.url);
    u.username = user;
    u.password = 'pw';
    url = u.toString();
  });
  afterAll(async () => {
    for (const h of hosts) await db?.conn.exec(`DROP USER IF EXISTS '${user}'@'${h}'`).catch(() => undefined);
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pull refuses to write a spec without the foreign keys it cannot see, naming the grant', async () => {
    const spec = join(dir, 'pulled.yaml');
    const code = await plumb('pull', '--db', url, '--out', spec);
    expect(code, out).toBe(4);
    expect(out).toMatch(/1 foreign key/);
    expect(out).toMatch(new RegExp(`GRANT REFERENCES ON \`${db.name}\`\\.\\* TO '${user}'@`));
    expect(existsSync(spec)).toBe(false);
    // Nor is anything planned from such a catalog.
    expect(await plumb('inspect', '--db', url), out).toBe(4);
  });

  it('with REFERENCES granted, a view whose body it cannot read is refused the same way, naming SHOW VIEW', async () => {
    for (const h of hosts) await db.conn.exec(`GRANT REFERENCES ON \`${db.name}\`.* TO '${user}'@'${h}'`);
    const spec = join(dir, 'pulled-noview.yaml');
    expect(await plumb('pull', '--db', url, '--out', spec), out).toBe(4);
    expect(out).not.toMatch(/foreign key/);
    expect(out).toMatch(new RegExp(`GRANT SHOW VIEW ON \`${db.name}\`\\.\\* TO '${user}'@`));
    expect(existsSync(spec)).toBe(false);
  });

  it('with REFERENCES and SHOW VIEW granted, the spec carries the foreign key, its action and the view', async () => {
    for (const h of hosts) await db.conn.exec(`GRANT SHOW VIEW ON \`${db.name}\`.* TO '${user}'@'${h}'`);
    const spec = join(dir, 'pulled-ok.yaml');
    expect(await plumb('pull', '--db', url, '--out', spec), out).toBe(0);
    const text = await readFile(spec, 'utf8');
    expect(text).toMatch(/parents/);
    expect(text).toMatch(/cascade/i);
    expect(text).toMatch(/orphans/);
  });
});
