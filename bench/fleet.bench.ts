// `npm run bench:fleet`: targets per second for auditing N small databases
// (default 200) on one Postgres server, four ways in the same run:
//   1. a shell loop running `plumb audit` once per database (the peer: what a
//      user does today), with the built CLI (dist/) when it exists;
//   2. `plumb fleet audit` in one process (--concurrency, default 8);
//   3. `plumb fleet audit --queue` with 1 `plumb fleet worker` process;
//   4. the same with 2 worker processes.
// The fleet commands run from source under tsx (a slower start than dist/,
// which only counts against them). Databases are created from one template
// and dropped at the end.
//
// Env: PLUMB_BENCH_PG_URL (default PLUMB_TEST_PG_URL, else
// postgres://postgres@127.0.0.1:5432/postgres), PLUMB_BENCH_FLEET_N (200),
// PLUMB_BENCH_FLEET_CONCURRENCY (8), PLUMB_BENCH_FLEET_LOOP_N (databases in the
// shell loop; default all N — the loop's rate is per database either way).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { eachConcurrently } from '../src/concurrency.js';
import { renderTable, timeProcess } from './lib/measure.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const server = process.env.PLUMB_BENCH_PG_URL ?? process.env.PLUMB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.PLUMB_BENCH_FLEET_N ?? 200);
const LOOP_N = Math.min(N, Number(process.env.PLUMB_BENCH_FLEET_LOOP_N ?? N));
const CONC = Number(process.env.PLUMB_BENCH_FLEET_CONCURRENCY ?? 8);
const log = (s: string) => process.stderr.write(`${s}\n`);

const SCHEMA = `
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), total numeric(10,2) NOT NULL);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE TABLE order_lines (order_id integer NOT NULL REFERENCES orders (id), line integer NOT NULL, sku text NOT NULL, qty integer NOT NULL CHECK (qty > 0), PRIMARY KEY (order_id, line));
INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 50) g;
INSERT INTO orders SELECT g, 1 + g % 50, g FROM generate_series(1, 200) g;
`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function startWorker(targetsFile: string, control: string): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', 'fleet', 'worker', '--targets', targetsFile, '--control', control, '--idle-exit', '3', '--concurrency', String(Math.max(1, Math.floor(CONC / 2))), '-q'], { cwd: root, stdio: 'ignore' });
  return new Promise((res) => child.on('exit', (code) => res(code)));
}

async function main(): Promise<void> {
  const prefix = `fleet_bench_${randomBytes(3).toString('hex')}`;
  const names = Array.from({ length: N }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
  const tpl = `${prefix}_tpl`;
  const ctl = `${prefix}_ctl`;
  const dir = mkdtempSync(join(tmpdir(), 'plumb-bench-fleet-'));
  const created: string[] = [];
  try {
    log(`creating ${N} databases on ${new URL(server).host} …`);
    await admin(async (c) => {
      for (const db of [tpl, ctl]) {
        await c.query(`CREATE DATABASE "${db}"`);
        created.push(db);
      }
      const t = new pg.Client({ connectionString: withDatabase(server, tpl) });
      await t.connect();
      await t.query(SCHEMA);
      await t.end();
      for (const n of names) {
        await c.query(`CREATE DATABASE "${n}" TEMPLATE "${tpl}"`);
        created.push(n);
      }
    });
    const base = new URL(server);
    base.pathname = '/{name}';
    const targetsFile = join(dir, 'fleet.yaml');
    writeFileSync(targetsFile, `template:\n  url: "${decodeURI(base.toString())}"\n  names: [${names.join(', ')}]\n`);
    const control = withDatabase(server, ctl);
    const dev = ['--import', 'tsx', 'scripts/plumb-dev.ts'];
    const rows: [string, number, number, number | null][] = [];
    const audited = (json: string): number | null => {
      try {
        return (JSON.parse(json) as { summary: { audited: number } }).summary.audited;
      } catch {
        return null;
      }
    };

    // 1. The shell loop.
    const built = existsSync(join(root, 'dist/cli/main.js'));
    const loopCmd = built ? 'node bin/plumb.js' : `node ${dev.join(' ')}`;
    const loopFile = join(dir, 'loop.sh');
    writeFileSync(loopFile, names.slice(0, LOOP_N).map((n) => `${loopCmd} audit --db '${withDatabase(server, n)}' -f json > /dev/null || [ $? -eq 1 ]`).join('\n') + '\n');
    log(`shell loop: ${loopCmd} audit × ${LOOP_N} …`);
    const loop = await timeProcess('bash', ['-e', loopFile], { cwd: root });
    if (loop.code !== 0) throw new Error(`shell loop failed: ${loop.stderr.slice(-500)}`);
    rows.push([`shell loop of \`plumb audit\` (${built ? 'dist' : 'tsx'})`, LOOP_N, loop.seconds, LOOP_N]);

    // 2. One process.
    log(`fleet audit, one process, --concurrency ${CONC} …`);
    const one = await timeProcess(process.execPath, [...dev, 'fleet', 'audit', '--targets', targetsFile, '--concurrency', String(CONC), '-q', '-f', 'json'], { cwd: root, captureStdout: true });
    if (one.code !== 0 && one.code !== 1) throw new Error(`fleet audit failed: ${one.stderr.slice(-500)}`);
    rows.push([`plumb fleet audit (1 process, concurrency ${CONC})`, N, one.seconds, audited(one.stdout)]);

    // 3–4. The queue with 1 and 2 workers (the coordinator's time, workers started just before it).
    for (const workers of [1, 2]) {
      log(`fleet audit --queue with ${workers} worker process(es) …`);
      const exits = Array.from({ length: workers }, () => startWorker(targetsFile, control));
      const q = await timeProcess(process.execPath, [...dev, 'fleet', 'audit', '--targets', targetsFile, '--queue', '--control', control, '-q', '-f', 'json'], { cwd: root, captureStdout: true });
      if (q.code !== 0 && q.code !== 1) throw new Error(`fleet audit --queue failed: ${q.stderr.slice(-500)}`);
      await Promise.all(exits);
      rows.push([`plumb fleet audit --queue, ${workers} worker process(es) × concurrency ${Math.max(1, Math.floor(CONC / 2))}`, N, q.seconds, audited(q.stdout)]);
    }

    const loopRate = LOOP_N / loop.seconds;
    process.stdout.write(
      `\nfleet audit of ${N} small databases (4 tables each) on ${new URL(server).host}, ${new Date().toISOString()}\n\n` +
        renderTable(
          ['how', 'databases', 'audited', 'seconds', 'targets/s', 'vs loop'],
          rows.map(([how, n, s, ok]) => [how, n, ok, s.toFixed(1), (n / s).toFixed(2), `${(n / s / loopRate).toFixed(1)}×`]),
        ) +
        '\n',
    );
  } finally {
    log('dropping the databases …');
    await admin(async (c) => {
      await eachConcurrently(created.filter((d) => d !== tpl), 1, (d) => c.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`).then(() => undefined));
      await c.query(`DROP DATABASE IF EXISTS "${tpl}" WITH (FORCE)`);
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
