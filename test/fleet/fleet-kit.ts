// A fleet on the machine's Postgres: N databases cloned from one template
// (fast), a few drifted or broken on purpose, a targets file, and a dispose()
// that drops them all; and one on MariaDB (createMariaFleet) for mixed fleets.
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

/**
 * Version 1 in types both engines share (varchar email: MariaDB cannot make a text column unique), for
 * mixed fleets migrated by the portable V2_YAML spec; MariaDB spells it in MARIA_V1.
 */
export const V1_PORTABLE = V1.replace('email text NOT NULL', 'email varchar(255) NOT NULL');

export const MARIA_V1 = `
CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, total decimal(10,2) NOT NULL DEFAULT 0, KEY orders_user_id_idx (user_id), CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id));
INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com');
INSERT INTO orders VALUES (1, 1, 10), (2, 2, 20);
`;

/** Version 2 as a portable spec: the same migration as V2_SPEC, realised on each engine. */
export const V2_YAML = `version: 1
tables:
  - name: users
    columns:
      - { name: id, type: int, primaryKey: true }
      - { name: email, type: varchar(255), nullable: false, unique: true }
      - { name: display_name, type: varchar(100) }
  - name: orders
    columns:
      - { name: id, type: int, primaryKey: true }
      - { name: user_id, type: int, nullable: false, references: users.id }
      - { name: total, type: "decimal(10,2)", nullable: false, default: "0" }
    indexes:
      - { name: orders_user_id_idx, columns: [user_id] }
  - name: invoices
    columns:
      - { name: id, type: int, primaryKey: true }
      - { name: order_id, type: int, nullable: false, references: orders.id }
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
  /** Version 1 (default V1). */
  schema?: string;
}

export async function createTestFleet(adminUrl: string, shape: FleetShape): Promise<TestFleet> {
  const prefix = uniqueName('fleet');
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
    await t.query(shape.schema ?? V1);
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

export interface MariaFleet {
  names: string[];
  urls: Record<string, string>;
  /** Target entries for a targets file's `targets:` list (labelled engine: mariadb). */
  targetLines: string[];
  sql(name: string, text: string): Promise<unknown>;
  dispose(): Promise<void>;
}

/** N MariaDB databases at version 1 (MARIA_V1), some broken (duplicate email) or drifted (an extra column). */
export async function createMariaFleet(serverUrl: string, shape: Pick<FleetShape, 'size' | 'broken' | 'drifted'>): Promise<MariaFleet> {
  const mysql = (await import('mysql2/promise')).default;
  const prefix = uniqueName('fleet_m');
  const names = Array.from({ length: shape.size }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
  const urls = Object.fromEntries(names.map((n) => [n, withDatabase(serverUrl, n)]));
  const c = await mysql.createConnection({ uri: serverUrl, multipleStatements: true });
  const created: string[] = [];
  try {
    for (const [i, n] of names.entries()) {
      await c.query(`CREATE DATABASE \`${n}\``);
      created.push(n);
      await c.query(`USE \`${n}\`; ${MARIA_V1}`);
      if (shape.broken?.includes(i)) await c.query(`INSERT INTO users VALUES (3, 'a@example.com')`);
      if (shape.drifted?.includes(i)) await c.query(`ALTER TABLE orders ADD COLUMN legacy_flag boolean`);
    }
  } finally {
    await c.end();
  }
  return {
    names,
    urls,
    targetLines: names.map((n, i) => `  - { url: "${urls[n]}", name: ${n}, labels: { engine: mariadb, tier: ${i % 2 ? 'silver' : 'gold'} } }`),
    async sql(name, text) {
      const s = await mysql.createConnection({ uri: urls[name]! });
      try {
        return (await s.query(text))[0];
      } finally {
        await s.end();
      }
    },
    async dispose() {
      const d = await mysql.createConnection({ uri: serverUrl });
      try {
        for (const n of created) await d.query(`DROP DATABASE IF EXISTS \`${n}\``);
      } finally {
        await d.end();
      }
    },
  };
}
