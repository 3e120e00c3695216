// plan.sql for MariaDB is a script MariaDB's own client runs as written (no
// Postgres SET LOCAL, no BEGIN/COMMIT pretending DDL is transactional,
// DELIMITER around compound bodies), and a widening type change is not
// described as dropping a table.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';
import { runCli } from '../helpers/cli.js';

let out = '';
async function plumb(...args: string[]): Promise<number> {
  out = '';
  return (await runCli(args, { onWrite: (s) => (out += s) })).code;
}

const server = mysqlServer();
const SPEC = `version: 1
tables:
  - name: gauges
    columns:
      - { name: id, type: int, identity: by default, primaryKey: true }
      - { name: code, type: varchar(20), nullable: false, unique: true }
      - { name: companion_id, type: int, nullable: true, references: gauges }
    checks:
      - { name: chk_no_self_companion, expression: "companion_id IS NULL OR companion_id <> id" }
  - name: readings
    columns:
      - { name: id, type: bigint, primaryKey: true }
      - { name: small, type: smallint, nullable: true }
`;

describe.runIf(!!server)('plan.sql and hazards on MariaDB', () => {
  let db: FreshMysql;
  let dir: string;
  beforeAll(async () => {
    db = await freshMysql(server);
    dir = await mkdtemp(join(tmpdir(), 'plumb-plansql-'));
    await writeFile(join(dir, 'spec.yaml'), SPEC);
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes a script the mariadb client runs as written, after which diff finds nothing", async () => {
    expect(await plumb('plan', '--db', db.url, '--spec', join(dir, 'spec.yaml'), '--out', join(dir, 'plan')), out).toBe(0);
    const sql = await readFile(join(dir, 'plan', 'plan.sql'), 'utf8');
    expect(sql).not.toMatch(/SET LOCAL/);
    expect(sql).not.toMatch(/^(BEGIN|COMMIT);$/m);
    expect(sql).toMatch(/lock_wait_timeout/);
    const u = new URL(server!);
    await promisify(execFile)('mariadb', ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username), db.name, '-e', `source ${join(dir, 'plan', 'plan.sql')}`]);
    expect(await plumb('diff', '--db', db.url, '--spec', join(dir, 'spec.yaml')), out).toBe(0);
  });

  it('calls int → bigint a type change, not a dropped table, and only a narrowing one loses data', async () => {
    await db.conn.exec('CREATE TABLE widen (id int(11) NOT NULL PRIMARY KEY, n bigint NULL)');
    const spec = join(dir, 'widen.yaml');
    await writeFile(spec, 'version: 1\ntables:\n  - name: widen\n    columns:\n      - { name: id, type: bigint, primaryKey: true }\n      - { name: n, type: int, nullable: true }\n');
    expect(await plumb('plan', '--db', db.url, '--spec', spec, '--out', join(dir, 'widen')), out).toBe(0);
    type Step = { path: string; kind: string; safety: string; hazards: { code: string; message: string }[] };
    const plan = JSON.parse(await readFile(join(dir, 'widen', 'plan.json'), 'utf8')) as { phases: { steps: Step[] }[] };
    const steps = plan.phases.flatMap((p) => p.steps).filter((s) => s.kind === 'alterColumnType');
    const byColumn: Record<string, Step> = Object.fromEntries(steps.map((s) => [s.path.split('.').pop() ?? '', s]));
    expect(JSON.stringify(steps)).not.toMatch(/drops a table/);
    expect(byColumn.id!.hazards.map((h) => h.code)).not.toContain('PH101');
    expect(byColumn.id!.safety).not.toBe('destructive');
    expect(byColumn.n!.safety).toBe('destructive');
    expect(byColumn.n!.hazards.map((h) => h.code)).toContain('PH109');
  });
});
