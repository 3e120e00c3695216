// `npm run bench:audit -- --data full`: plumb audit --data full on a generated
// database of 10.5 million rows over 4 tables (bench/lib/data-full-db.ts) on
// the machine's Postgres, beside the floor measured in the same run: one
// SELECT count(*) per table (one read of the data). Target: full ≤ 2× the
// floor. Also sample mode on the same database (target < 1 s).
//
// Env: PLUMB_BENCH_PG_URL (server; default postgres://postgres@127.0.0.1:5432/postgres),
// PLUMB_BENCH_RUNS (runs of each, default 2). Flag --keep keeps the database for
// reruns (it is reused when present); without it, it is dropped at the end.
import { runAudit } from '../src/audit/audit.js';
import { connect } from '../src/drivers/connect.js';
import { median, renderTable, secs } from './lib/measure.js';
import { DATA_FULL_ROWS, dataFullDb, dropDataFullDb } from './lib/data-full-db.js';

const SERVER = process.env.PLUMB_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.PLUMB_BENCH_RUNS ?? 2);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** The floor: SELECT count(*) over every table, one after another, in one session. */
async function floor(url: string): Promise<number> {
  const conn = await connect(url);
  try {
    const t = performance.now();
    for (const table of Object.keys(DATA_FULL_ROWS)) await conn.query(`SELECT count(*) FROM ${table}`);
    return (performance.now() - t) / 1000;
  } finally {
    await conn.close();
  }
}

/**
 * The work floor: the checks full mode must make, as the bare SQL a DBA would
 * write for them (one anti-join per reference, declared or implied; one
 * grouping for the duplicate-prone key), one after another in one session.
 * What full mode adds on top of this is plumb's own cost.
 */
const WORK_FLOOR = [
  'SELECT count(*) FROM orders s LEFT JOIN users j ON j.id = s.user_id WHERE s.user_id IS NOT NULL AND j.id IS NULL',
  'SELECT count(*) FROM order_items s LEFT JOIN orders j ON j.id = s.order_id WHERE s.order_id IS NOT NULL AND j.id IS NULL',
  'SELECT count(*) FROM events s LEFT JOIN users j ON j.id = s.user_id WHERE s.user_id IS NOT NULL AND j.id IS NULL',
  'SELECT count(*) FROM (SELECT lower(email) FROM users GROUP BY 1 HAVING count(*) > 1) d',
];
async function workFloor(url: string): Promise<number> {
  const conn = await connect(url);
  try {
    const t = performance.now();
    for (const sql of WORK_FLOOR) await conn.query(sql);
    return (performance.now() - t) / 1000;
  } finally {
    await conn.close();
  }
}

/** One audit as the CLI runs it (connect, inspect, every rule, close): seconds, findings, and the full pass's rows. */
async function auditOnce(url: string, data: 'sample' | 'full') {
  const t = performance.now();
  const conn = await connect(url);
  try {
    const run = await runAudit(conn, { data });
    const seconds = (performance.now() - t) / 1000;
    const slow = Object.entries(run.timings.rules).sort((a, b) => b[1] - a[1]).slice(0, 4);
    return { seconds, findings: run.result.findings.length, skipped: run.result.skipped.length, data: run.result.data, slow, inspect: run.timings.inspectMs / 1000, pass: (run.timings.passMs ?? 0) / 1000 };
  } finally {
    await conn.close();
  }
}

export async function benchDataFull(keep: boolean): Promise<void> {
  log(`server: ${SERVER}; ${RUNS} runs of each`);
  const url = await dataFullDb(SERVER, log);
  try {
    const total = Object.values(DATA_FULL_ROWS).reduce((a, b) => a + b, 0);
    await floor(url); // warm-up: the tables into the OS cache, as the audits will find them
    const floors: number[] = [];
    const works: number[] = [];
    const fulls: number[] = [];
    const samples: number[] = [];
    let last: Awaited<ReturnType<typeof auditOnce>> | undefined;
    let sampleRun: Awaited<ReturnType<typeof auditOnce>> | undefined;
    // Interleaved, so that the load of a shared machine weighs on each alike.
    for (let i = 0; i < RUNS; i++) {
      log(`run ${i + 1}/${RUNS}: floor…`);
      floors.push(await floor(url));
      log(`run ${i + 1}/${RUNS}: the same checks as bare SQL…`);
      works.push(await workFloor(url));
      log(`run ${i + 1}/${RUNS}: plumb audit --data full…`);
      last = await auditOnce(url, 'full');
      fulls.push(last.seconds);
      log(`run ${i + 1}/${RUNS}: plumb audit (sample)…`);
      sampleRun = await auditOnce(url, 'sample');
      samples.push(sampleRun.seconds);
    }
    const f = median(floors);
    const full = median(fulls);
    process.stdout.write(`\nplumb audit --data full vs the floor (SELECT count(*) over every table) — ${total.toLocaleString('en-US')} rows, ${Object.keys(DATA_FULL_ROWS).length} tables, median of ${RUNS}\n\n`);
    process.stdout.write(
      renderTable(
        ['measure', 'seconds', 'runs', 'note'],
        [
          ['floor: count(*) per table', secs(f), floors.map(secs).join(' '), 'one read of the data'],
          ['work floor: the checks as bare SQL', secs(median(works)), works.map(secs).join(' '), `${WORK_FLOOR.length} statements: 3 anti-joins, 1 duplicate grouping`],
          ['plumb audit --data full', secs(full), fulls.map(secs).join(' '), `${last!.findings} findings, ${last!.skipped} skipped; read ${(last!.data?.rowsRead ?? 0).toLocaleString('en-US')} rows of ${last!.data?.tablesRead ?? 0} tables in the shared pass`],
          ['plumb audit (sample)', secs(median(samples)), samples.map(secs).join(' '), `${sampleRun!.findings} findings; ${sampleRun!.data?.sampledTables.length ?? 0} tables sampled`],
        ],
      ) + '\n\n',
    );
    process.stdout.write(`full / floor: ${(full / f).toFixed(2)}× (target ≤ 2×); full / work floor: ${(full / median(works)).toFixed(2)}×; sample: ${secs(median(samples))} s (target < 1 s)\n`);
    process.stdout.write(`last full run: inspect ${secs(last!.inspect)} s, shared pass (one statement per table, anti-joins and JSON included) ${secs(last!.pass)} s\n`);
    process.stdout.write(`slowest rules in the last full run (wall time, waiting for a session included): ${last!.slow.map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}\n`);
  } finally {
    if (!keep) await dropDataFullDb(SERVER);
  }
}
