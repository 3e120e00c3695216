// A small fleet on the machine's Postgres: N databases cloned from one
// template (fast), a few drifted or broken on purpose, a targets file, and a
// dispose() that drops them all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { eachConcurrently } from '../../src/concurrency.js';
import { uniqueName, withDatabase } from '../helpers/engines.js';

/** Version 1 of the tenant schema: what every healthy tenant has. */
export const V1 = `
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), total numeric(10,2) NOT NULL DEFAULT 0);
CREATE INDEX orders_user_id_idx ON orders (user_id);
INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com');
INSERT INTO orders VALUES (1, 1, 10), (2, 2, 20);
`;

/** Version 2 (the spec): a unique email, a new column and a new table. */
export const V2_SPEC = `
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, display_name text, CONSTRAINT users_email_key UNIQUE (email));
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), total numeric(10,2) NOT NULL DEFAULT 0);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE TABLE invoices (id integer PRIMARY KEY, order_id integer NOT NULL REFERENCES orders (id));
CREATE INDEX invoices_order_id_idx ON invoices (order_id);
`;

export interface TestFleet {
  dir: string;
  prefix: string;
  names: string[];
  urls: Record<string, string>;
  targetsFile: string;
  specFile: string;
  admin: string;
  control: string;
  /** Run SQL on one tenant. */
  sql(name: string, text: string): Promise<unknown[]>;
  dispose(): Promise<void>;
}

export interface FleetShape {
  size: number;
  /** Tenants (by index) with duplicate emails: the unique constraint's pre-check aborts their apply. */
  broken?: number[];
  /** Tenants (by index) with an extra column: their plan differs from the fleet's. */
  drifted?: number[];
  /** Add an unreachable target named `down`. */
  down?: boolean;
  /** Also create an empty control database (`control` URL). */
  control?: boolean;
}

export async function createTestFleet(adminUrl: string, shape: FleetShape): Promise<TestFleet> {
  const prefix = uniqueName('plumb_fleet');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const tpl = `${prefix}_tpl`;
  const names = Array.from({ length: shape.size }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
  const created: string[] = [];
  try {
    await admin.query(`CREATE DATABASE "${tpl}"`);
    created.push(tpl);
    const t = new pg.Client({ connectionString: withDatabase(adminUrl, tpl) });
    await t.connect();
    await t.query(V1);
    await t.end();
  } finally {
    await admin.end();
  }
  if (shape.control) {
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`CREATE DATABASE "${prefix}_ctl"`).finally(() => a.end());
    created.push(`${prefix}_ctl`);
  }
  // A template is copied by one session at a time: clone in one lane, each database as it comes.
  await onServer(adminUrl, 1, names, async (c, n) => {
    await c.query(`CREATE DATABASE "${n}" TEMPLATE "${tpl}"`);
    created.push(n);
  });
  const urls = Object.fromEntries(names.map((n) => [n, withDatabase(adminUrl, n)]));
  const sql = async (name: string, text: string): Promise<unknown[]> => {
    const c = new pg.Client({ connectionString: urls[name] });
    await c.connect();
    try {
      return (await c.query(text)).rows;
    } finally {
      await c.end();
    }
  };
  for (const i of shape.broken ?? []) await sql(names[i]!, `INSERT INTO users VALUES (3, 'a@example.com')`);
  for (const i of shape.drifted ?? []) await sql(names[i]!, `ALTER TABLE orders ADD COLUMN legacy_flag boolean`);
  const dir = mkdtempSync(join(tmpdir(), 'plumb-fleet-'));
  const base = new URL(adminUrl);
  base.pathname = '/{name}';
  const lines = ['labels: { suite: fleet }', 'template:', `  url: "${decodeURI(base.toString())}"`, '  names:'];
  names.forEach((n, i) => lines.push(`    - { name: ${n}, labels: { tier: ${i % 2 ? 'silver' : 'gold'} } }`));
  if (shape.down) lines.push('targets:', '  - { url: "postgres://nobody:hunter2@127.0.0.1:1/nowhere", name: down, labels: { tier: gold } }');
  const targetsFile = join(dir, 'fleet.yaml');
  writeFileSync(targetsFile, lines.join('\n') + '\n');
  const specFile = join(dir, 'spec.sql');
  writeFileSync(specFile, V2_SPEC);
  return {
    dir,
    prefix,
    names,
    urls,
    targetsFile,
    specFile,
    admin: adminUrl,
    control: withDatabase(adminUrl, `${prefix}_ctl`),
    sql,
    async dispose() {
      // Each DROP DATABASE waits for a checkpoint: drops in parallel share them.
      const tenants = created.filter((n) => n !== tpl);
      await onServer(adminUrl, 6, tenants, (c, n) => c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`));
      await onServer(adminUrl, 1, [tpl], (c, n) => c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` per item over `lanes` admin sessions. */
async function onServer<I>(adminUrl: string, lanes: number, items: readonly I[], fn: (c: pg.Client, item: I) => Promise<unknown>): Promise<void> {
  const clients = await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    return c;
  }));
  const free = [...clients];
  try {
    await eachConcurrently(items, clients.length, async (item) => {
      const c = free.pop()!;
      try {
        await fn(c, item);
      } finally {
        free.push(c);
      }
    });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
