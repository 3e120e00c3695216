// `npx tsx bench/inspect-dialects.bench.ts`: plumb inspect of the 2,000-table
// reference shape on MariaDB/MySQL and SQLite, printed per object beside the
// Postgres figure from the same run (the same shape as bench/inspect.bench.ts:
// 13 columns, 1 FK, 1 check, 3 secondary indexes and a comment per table;
// Postgres' enum becomes an inline ENUM (MySQL) or a CHECK (SQLite), text[]
// becomes JSON/TEXT).
//
// Env: PLUMB_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql),
// PLUMB_BENCH_PG_URL (else an embedded Postgres 18; BENCH_SKIP_PG=1 to skip),
// BENCH_TABLES (default 2000), BENCH_RUNS (default 5), BENCH_REUSE=1 (keep the
// MariaDB databases and the SQLite file between runs).
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../src/catalog/types.js';
import { connect } from '../src/drivers/connect.js';
import type { Connection } from '../src/drivers/connection.js';
import { inspect } from '../src/inspect.js';
import { BIG, createReferenceDb, referenceServer } from './lib/reference-db.js';
import { median, renderTable, secs, timeIt, type Cell } from './lib/measure.js';

const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const SCHEMAS = 4;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REUSE = process.env.BENCH_REUSE === '1';
const MYSQL_URL = process.env.PLUMB_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Objects a catalog describes: tables, columns, indexes, constraints, views, routines, triggers, events. */
function objectCount(c: Catalog): number {
  let n = 0;
  for (const s of c.schemas) {
    n += s.views.length + s.routines.length + s.events.length;
    for (const t of s.tables) n += 1 + t.columns.length + t.indexes.length + t.foreignKeys.length + t.checks.length + t.uniques.length + t.triggers.length;
  }
  return n;
}

const tableName = (i: number) => `t_${String(i).padStart(4, '0')}`;

function mysqlTableDdl(t: string, ref: string): string {
  return `CREATE TABLE ${t} (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  name TEXT NOT NULL,
  code VARCHAR(32),
  amount DECIMAL(12,2) NOT NULL DEFAULT 0,
  quantity INT NOT NULL DEFAULT 0,
  ratio DOUBLE,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
  attrs JSON,
  tags JSON,
  status ENUM('new','active','suspended','closed') NOT NULL DEFAULT 'new',
  ref_id BIGINT,
  KEY ${t}_code_idx (code),
  KEY ${t}_created_idx (created_at DESC),
  KEY ${t}_status_ref_idx (status, ref_id),
  CONSTRAINT ${t}_quantity_check CHECK (quantity >= 0),
  CONSTRAINT ${t}_ref_fk FOREIGN KEY (ref_id) REFERENCES ${ref} (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Reference table ${t}';`;
}

function sqliteTableDdl(t: string, ref: string): string {
  return `CREATE TABLE ${t} (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  code VARCHAR(32),
  amount NUMERIC(12,2) NOT NULL DEFAULT 0,
  quantity INTEGER NOT NULL DEFAULT 0 CONSTRAINT ${t}_quantity_check CHECK (quantity >= 0),
  ratio DOUBLE PRECISION,
  active BOOLEAN NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  attrs JSON,
  tags JSON,
  status TEXT NOT NULL DEFAULT 'new' CONSTRAINT ${t}_status_check CHECK (status IN ('new', 'active', 'suspended', 'closed')),
  ref_id BIGINT CONSTRAINT ${t}_ref_fk REFERENCES ${ref} (id) ON DELETE SET NULL
);
CREATE INDEX ${t}_code_idx ON ${t} (code);
CREATE INDEX ${t}_created_idx ON ${t} (created_at DESC);
CREATE INDEX ${t}_status_ref_idx ON ${t} (status, ref_id);`;
}

async function buildMysql(admin: Connection): Promise<string[]> {
  const dbs = Array.from({ length: SCHEMAS }, (_, i) => `plumb_ref_dialects_${i + 1}`);
  const per = Math.ceil(TABLES / SCHEMAS);
  const [have] = await admin.query<{ n: number }>(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)`, [dbs]);
  if (REUSE && Number(have?.n) === per * SCHEMAS) return dbs;
  for (const db of dbs) {
    const t0 = Date.now();
    await admin.exec(`DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const ddl = [`USE \`${db}\`;`];
    for (let i = 0; i < per; i++) ddl.push(mysqlTableDdl(tableName(i), tableName(i === 0 ? 0 : i - 1)));
    // Batches keep each multi-statement packet small.
    for (let i = 0; i < ddl.length; i += 50) await admin.exec(ddl.slice(i, i + 50).join('\n'));
    log(`  mysql: ${db} (${per} tables) in ${secs((Date.now() - t0) / 1000)} s`);
  }
  return dbs;
}

async function buildSqlite(file: string): Promise<void> {
  if (REUSE && existsSync(file)) return;
  const c = await connect(`sqlite:${file}?mode=rwc`);
  try {
    await c.exec(`PRAGMA journal_mode = WAL; BEGIN;`);
    const objs = await c.query<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
    for (const o of objs) await c.exec(`DROP TABLE "${o.name}"`);
    for (let i = 0; i < TABLES; i++) await c.exec(sqliteTableDdl(tableName(i), tableName(i === 0 ? 0 : i - 1)));
    await c.exec('COMMIT');
  } finally {
    await c.close();
  }
}

interface Row {
  engine: string;
  objects: number;
  median: number;
}

async function measure(engine: string, run: () => Promise<Catalog>): Promise<Row> {
  const first = await run(); // warm-up (and the object count)
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeIt(run));
  const m = median(times);
  log(`  ${engine}: ${objectCount(first)} objects, median ${secs(m)} s`);
  return { engine, objects: objectCount(first), median: m };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (process.env.BENCH_SKIP_PG !== '1') {
    const server = await referenceServer();
    try {
      log(`postgres: ${server.label}`);
      const url = await createReferenceDb(server.url, BIG, { reuse: true, log });
      rows.push(await measure('postgres', () => inspect(url)));
    } finally {
      await server.stop();
    }
  }
  const admin = await connect(MYSQL_URL);
  const version = await admin.serverVersion();
  try {
    log(`mysql: ${version}`);
    const dbs = await buildMysql(admin);
    const url = new URL(MYSQL_URL);
    url.pathname = '/';
    rows.push(await measure(/mariadb/i.test(version) ? 'mariadb' : 'mysql', () => inspect(url.toString(), { schemas: dbs })));
  } finally {
    await admin.close();
  }
  const dir = join(tmpdir(), 'plumb-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reference-${TABLES}.db`);
  log(`sqlite: ${file}`);
  await buildSqlite(file);
  rows.push(await measure('sqlite', () => inspect(`sqlite:${file}`)));

  const pg = rows.find((r) => r.engine === 'postgres');
  const perObject = (r: Row) => (r.median * 1e6) / r.objects; // µs
  const cells: Cell[][] = rows.map((r) => [r.engine, r.objects, secs(r.median), perObject(r).toFixed(1), pg ? `${(perObject(r) / perObject(pg)).toFixed(2)}×` : '—']);
  process.stdout.write(`\nplumb inspect, ${TABLES}-table reference shape, median of ${RUNS} runs\n`);
  process.stdout.write(renderTable(['engine', 'objects', 'seconds', 'µs / object', 'vs postgres'], cells) + '\n');
  const slow = pg ? rows.filter((r) => perObject(r) > 5 * perObject(pg)) : [];
  if (slow.length) process.stdout.write(`more than 5× slower per object than Postgres: ${slow.map((r) => r.engine).join(', ')} (see the note in the report)\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
