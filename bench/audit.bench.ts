// `npm run bench:audit`: plumb audit on the reference databases (`mid` 500
// tables, `big` 2,000 tables, with rows so the data rules do real work),
// beside schemalint on `mid` in the same run, and catalog-rule time against
// inspect time on `big`. Prints our figures beside the peer's.
//
// Env: PLUMB_BENCH_PG_URL (server; default embedded Postgres 18),
// PLUMB_BENCH_RUNS (plumb runs per database, default 3),
// PLUMB_BENCH_ROWS (rows per table, default 100),
// PLUMB_BENCH_PEER_BIG=1 also tries schemalint on `big` (slow; it is expected to fail).
// `-- --data full [--keep]`: the exhaustive data mode on 10.5 million rows instead (bench/audit-data-full.bench.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../src/audit/audit.js';
import { catalogRules } from '../src/audit/rules/catalog-rules.js';
import { connect } from '../src/drivers/connect.js';
import { inspect } from '../src/inspect.js';
import { renderAuditJson } from '../src/report/audit-json.js';
import { median, renderTable, secs, timeProcess } from './lib/measure.js';
import { BIG, MID, createReferenceDb, referenceServer, schemaNames, type ReferenceShape } from './lib/reference-db.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.PLUMB_BENCH_RUNS ?? 3);
const ROWS = Number(process.env.PLUMB_BENCH_ROWS ?? 100);
const log = (s: string) => process.stderr.write(`${s}\n`);

let lastTimings: Record<string, number> = {};

interface Ours {
  totals: number[];
  inspect: number[];
  rules: number[];
  findings: number;
  skipped: number;
  grade: string;
}

/** One full audit the way `plumb audit -f json` does it: connect, audit (inspect + every rule) in one read-only transaction, render, close. */
async function auditOnce(url: string, data = true): Promise<{ total: number; inspect: number; rules: number; findings: number; skipped: number; grade: string }> {
  const t = performance.now();
  const conn = await connect(url);
  try {
    const run = await runAudit(conn, { statementTimeoutMs: 60_000, data });
    renderAuditJson(run.result);
    lastTimings = run.timings.rules;
    return { total: (performance.now() - t) / 1000, inspect: run.timings.inspectMs / 1000, rules: run.timings.rulesMs / 1000, findings: run.result.findings.length, skipped: run.result.skipped.length, grade: `${run.result.grade} ${run.result.score}` };
  } finally {
    await conn.close();
  }
}

async function ours(url: string, data = true): Promise<Ours> {
  const o: Ours = { totals: [], inspect: [], rules: [], findings: 0, skipped: 0, grade: '' };
  await auditOnce(url, data); // warm-up: server caches, JIT
  for (let i = 0; i < RUNS; i++) {
    const r = await auditOnce(url, data);
    o.totals.push(r.total);
    o.inspect.push(r.inspect);
    o.rules.push(r.rules);
    Object.assign(o, { findings: r.findings, skipped: r.skipped, grade: r.grade });
  }
  return o;
}

/** Inspect alone vs the catalog rules alone over the same catalog (no queries): medians in seconds. */
async function catalogRulesVsInspect(url: string): Promise<{ inspect: number; rules: number }> {
  const ins: number[] = [];
  const rul: number[] = [];
  const rules = catalogRules.filter((r) => !r.meta.data);
  for (let i = 0; i < RUNS; i++) {
    const conn = await connect(url);
    try {
      const t = performance.now();
      const catalog = await inspect(conn);
      ins.push((performance.now() - t) / 1000);
      const run = await runAudit(catalog, { rules });
      rul.push(run.timings.rulesMs / 1000);
    } finally {
      await conn.close();
    }
  }
  return { inspect: median(ins), rules: median(rul) };
}

async function schemalint(url: string, shape: ReferenceShape, timeoutMs: number): Promise<{ seconds: number | null; note: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-bench-schemalint-'));
  const u = new URL(url);
  const config = {
    connection: { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: shape.name },
    schemas: schemaNames(shape).map((name) => ({ name })),
    rules: {
      'name-casing': ['error', 'snake'],
      'prefer-jsonb-to-json': ['error'],
      'prefer-text-to-varchar': ['error'],
      'prefer-timestamptz-to-timestamp': ['error'],
      'require-primary-key': ['error'],
      'index-referencing-column': ['error'],
      'row-level-security': ['error', { enforced: false }],
    },
  };
  writeFileSync(join(dir, '.schemalintrc.js'), `module.exports = ${JSON.stringify(config)};\n`);
  const r = await timeProcess(process.execPath, [join(root, 'node_modules/schemalint/bin/schemalint')], { cwd: dir, timeoutMs, captureStdout: false });
  // schemalint exits 1 when it reports issues: that is a completed run. A crash prints a stack or a pool error.
  const failed = r.code === null || /timeout|Error:|ECONN/i.test(r.stderr.split('\n').filter((l) => !l.includes(': error ')).join('\n'));
  if (failed) return { seconds: null, note: r.code === null ? `killed after ${timeoutMs / 1000} s` : `failed: ${(/[^\n]*(timeout|Error)[^\n]*/i.exec(r.stderr)?.[0] ?? 'exit ' + r.code).slice(0, 90)}` };
  const issues = r.stderr.split('\n').filter((l) => l.includes(': error ')).length;
  return { seconds: r.seconds, note: `${issues} issues, exit ${r.code}` };
}

async function main(): Promise<void> {
  const server = await referenceServer();
  log(`server: ${server.label}; ${RUNS} runs per database; ${ROWS} rows per table`);
  try {
    // Own database names: other benchmarks build the same shapes with other row counts on the same server.
    const mid: ReferenceShape = { ...MID, name: `${MID.name}_audit` };
    const big: ReferenceShape = { ...BIG, name: `${BIG.name}_audit` };
    const midUrl = await createReferenceDb(server.url, mid, { rowsPerTable: ROWS, reuse: true, log });
    const bigUrl = await createReferenceDb(server.url, big, { rowsPerTable: ROWS, reuse: true, log });
    log('plumb audit on mid…');
    const midRun = await ours(midUrl);
    log('plumb audit --no-data on mid…');
    const midCat = await ours(midUrl, false);
    log('plumb audit on big…');
    const bigRun = await ours(bigUrl);
    const bigTimings = { ...lastTimings };
    log('plumb audit --no-data on big…');
    const bigCat = await ours(bigUrl, false);
    log('catalog rules vs inspect on big…');
    const split = await catalogRulesVsInspect(bigUrl);
    log('schemalint on mid…');
    const peerMid = await schemalint(server.url, mid, 300_000);
    const peerBig = process.env.PLUMB_BENCH_PEER_BIG ? await schemalint(server.url, big, 300_000) : { seconds: null, note: 'not run (PLUMB_BENCH_PEER_BIG=1 to try; fails with a pool timeout)' };

    const rows = [
      ['mid (500 tables)', secs(median(midRun.totals)), secs(median(midRun.inspect)), secs(median(midRun.rules)), `${midRun.findings} / ${midRun.skipped}`, midRun.grade, secs(peerMid.seconds), peerMid.seconds ? `${(peerMid.seconds / median(midRun.totals)).toFixed(1)}×` : '—', peerMid.note],
      ['mid, --no-data', secs(median(midCat.totals)), secs(median(midCat.inspect)), secs(median(midCat.rules)), `${midCat.findings} / ${midCat.skipped}`, midCat.grade, secs(peerMid.seconds), peerMid.seconds ? `${(peerMid.seconds / median(midCat.totals)).toFixed(1)}×` : '—', 'same schemalint run'],
      ['big (2,000 tables)', secs(median(bigRun.totals)), secs(median(bigRun.inspect)), secs(median(bigRun.rules)), `${bigRun.findings} / ${bigRun.skipped}`, bigRun.grade, secs(peerBig.seconds), peerBig.seconds ? `${(peerBig.seconds / median(bigRun.totals)).toFixed(1)}×` : '—', peerBig.note],
      ['big, --no-data', secs(median(bigCat.totals)), secs(median(bigCat.inspect)), secs(median(bigCat.rules)), `${bigCat.findings} / ${bigCat.skipped}`, bigCat.grade, '—', '—', ''],
    ];
    process.stdout.write(`\nplumb audit vs schemalint — ${server.label}, ${ROWS} rows/table, median of ${RUNS} (plumb, in-process: connect + inspect + ${catalogRules.length} catalog/drift and data rules + JSON) vs 1 schemalint process\n\n`);
    process.stdout.write(renderTable(['database', 'plumb s', 'inspect s', 'rules s', 'findings/skipped', 'grade', 'schemalint s', 'plumb faster', 'schemalint note'], rows) + '\n\n');
    process.stdout.write(
      `catalog rules on big: ${secs(split.rules)} s over an inspected catalog vs inspect ${secs(split.inspect)} s → catalog rules add ${(split.rules / split.inspect).toFixed(2)}× inspect time (target < 2×)\n`,
    );
    if (peerMid.seconds) {
      process.stdout.write(`full audit of mid (catalog + data rules): ${(peerMid.seconds / median(midRun.totals)).toFixed(1)}× faster than schemalint (target ≥ 20×)\n`);
      process.stdout.write(`catalog rules only (--no-data) on mid: ${(peerMid.seconds / median(midCat.totals)).toFixed(1)}× faster than schemalint\n`);
    }
    const slow = Object.entries(bigTimings).sort((a, b) => b[1] - a[1]).slice(0, 5);
    process.stdout.write(`slowest rules on big (last full run): ${slow.map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}\n`);
  } finally {
    await server.stop();
  }
}

// `npm run bench:audit -- --data full [--keep]`: the exhaustive data mode against its floor (bench/audit-data-full.bench.ts).
const dataAt = process.argv.indexOf('--data');
if (dataAt > 0 && process.argv[dataAt + 1] === 'full') await (await import('./audit-data-full.bench.js')).benchDataFull(process.argv.includes('--keep'));
else await main();
