// `plumb chain verify` throughput on a real Postgres server, beside the floor:
// a plain Node loop computing SHA-256 over the same payload bytes, with
// createHash per row and with the one-shot crypto.hash the verifier calls.
// Target: verify ≥ 50% of the rows/s of the floor that uses the verifier's
// own primitive, peak RSS < 200 MB (measured on the CLI process with GNU time). Server: PLUMB_BENCH_PG_URL, else embedded Postgres 18.
// Rows: PLUMB_BENCH_CHAIN_ROWS (default 1,000,000).
//
// The chain is loaded fast, not through the trigger: rows and their hashes are
// computed here and inserted with the triggers off (session_replication_role
// = replica), exactly as the trigger would have written them; verify must
// then find the chain intact, which the bench asserts.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { connect } from '../src/drivers/connect.js';
import { installChain } from '../src/chain/install.js';
import { genesisHash, PayloadEncoder, rowHash } from '../src/chain/canonical.js';
import { postgresChain } from '../src/chain/dialects/postgres-chain.js';
import { referenceServer, withDatabase } from './lib/reference-db.js';
import { renderTable, timeProcess, type Cell } from './lib/measure.js';

/** crypto.hash where this Node has it (20.12+), read from the namespace so that older 20.x still links. */
const oneShot = typeof crypto.hash === 'function' ? (alg: string, data: Buffer, enc: 'binary') => crypto.hash(alg, data, enc) : undefined;
const ROWS = Number(process.env.PLUMB_BENCH_CHAIN_ROWS ?? 1_000_000);
const BATCH = 10_000;
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Row i's canonical values (what the verifier reads back from Postgres, canonicalised). */
function values(i: number): [string, string, string, string, string, string] {
  const t = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000Z');
  return [t, `user${i % 977}`, i % 3 ? 'update' : 'login', 'order', String(i), `{"n": ${i}, "ok": true}`];
}

async function main(): Promise<void> {
  const server = await referenceServer();
  const dbName = `plumb_bench_chain_${ROWS}`;
  const admin = await connect(server.url);
  await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.exec(`CREATE DATABASE ${dbName}`);
  await admin.close();
  const url = withDatabase(server.url, dbName);
  const conn = await connect(url);
  try {
    log(`server: ${server.label}; loading ${ROWS} chained rows …`);
    await installChain(conn, { schema: 'bench', table: 'audit_log' });
    const meta = (await postgresChain.snapshot(conn, (tx) => postgresChain.readMeta(tx, { schema: 'bench', table: 'audit_log' })))!;
    const enc = new PayloadEncoder(meta);
    let prev = genesisHash(meta.chainId);
    const t0 = performance.now();
    for (let from = 1; from <= ROWS; from += BATCH) {
      const cols: string[][] = [[], [], [], [], [], [], [], [], []];
      for (let i = from; i < Math.min(ROWS + 1, from + BATCH); i++) {
        const v = values(i);
        const h = rowHash(prev, enc.payloadCanonical(String(i), v));
        [String(i), ...v, prev, h].forEach((x, k) => cols[k]!.push(x));
        prev = h;
      }
      await conn.transaction(async (tx) => {
        await tx.exec('SET LOCAL session_replication_role = replica');
        await tx.query(
          `INSERT INTO bench.audit_log (seq, occurred_at, actor, action, entity_type, entity_id, payload, previous_hash, row_hash, hash_version)
           SELECT s::bigint, o::timestamptz, a, ac, et, ei, p::jsonb, ph, rh, 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u(s, o, a, ac, et, ei, p, ph, rh)`,
          cols,
        );
      });
    }
    await conn.exec(`SET session_replication_role = replica; UPDATE bench.plumb_chain SET last_seq = ${ROWS}, last_hash = '${prev}'; SET session_replication_role = origin`);
    await conn.exec('VACUUM ANALYZE bench.audit_log');
    log(`loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The floors: the same bytes (previous hash ‖ payload) hashed in a plain loop, payloads built outside
    // the timed part. Two primitives: createHash per row (the usual idiom), and the one-shot crypto.hash
    // (Node 20.12+), which is what the verifier itself calls: the target is judged against that one.
    let floorSeconds = 0;
    let fastFloorSeconds = 0;
    let p = genesisHash(meta.chainId);
    let fast = Buffer.from(p, 'hex').toString('latin1');
    for (let from = 1; from <= ROWS; from += BATCH) {
      const payloads: Buffer[] = [];
      for (let i = from; i < Math.min(ROWS + 1, from + BATCH); i++) payloads.push(enc.payloadCanonical(String(i), values(i)));
      const framed = payloads.map((b) => Buffer.concat([Buffer.alloc(32), b]));
      let t = performance.now();
      for (const b of payloads) p = createHash('sha256').update(Buffer.from(p, 'hex')).update(b).digest('hex');
      floorSeconds += (performance.now() - t) / 1000;
      if (oneShot) {
        t = performance.now();
        for (const b of framed) {
          b.write(fast, 0, 'latin1');
          fast = oneShot('sha256', b, 'binary');
        }
        fastFloorSeconds += (performance.now() - t) / 1000;
      }
    }
    if (p !== prev) throw new Error('floor loop does not reproduce the chain');
    if (oneShot && Buffer.from(fast, 'latin1').toString('hex') !== prev) throw new Error('one-shot floor loop does not reproduce the chain');

    log('running plumb chain verify …');
    // The CLI's own start-up (tsx transpiling every command) is measured too, so the verify's share of RSS shows.
    const idle = await timeProcess(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', '--version'], { captureStdout: true });
    const run = await timeProcess(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', 'chain', 'verify', '--db', url, '--table', 'bench.audit_log', '--format', 'json'], {
      captureStdout: true,
      timeoutMs: 30 * 60_000,
    });
    if (run.code !== 0) throw new Error(`verify exited ${run.code}: ${run.stderr.slice(0, 500)}`);
    const report = JSON.parse(run.stdout) as { rows: number; ok: boolean; elapsedMs: number };
    if (!report.ok || report.rows !== ROWS) throw new Error(`verify did not find the chain intact: ${run.stdout.slice(0, 500)}`);
    const verifyRate = ROWS / (report.elapsedMs / 1000);
    const floorRate = ROWS / floorSeconds;
    console.log(`\nplumb chain verify, ${ROWS} rows, ${server.label}\n`);
    console.log(
      renderTable(
        ['measure', 'seconds', 'rows/s', 'peak RSS MB'],
        [
          ['plumb chain verify (in-process, snapshot + fetch + recompute)', (report.elapsedMs / 1000).toFixed(2), Math.round(verifyRate), null],
          ['plumb chain verify (whole CLI process, incl. tsx start)', run.seconds.toFixed(2), Math.round(ROWS / run.seconds), run.peakRssMb === null ? null : run.peakRssMb.toFixed(0)],
          ['plumb --version (the same CLI, start-up only)', idle.seconds.toFixed(2), null, idle.peakRssMb === null ? null : idle.peakRssMb.toFixed(0)],
          ['floor: createHash per row over the same bytes', floorSeconds.toFixed(2), Math.round(floorRate), null],
          ...(oneShot ? [['floor: crypto.hash (one-shot, what verify calls) over the same bytes', fastFloorSeconds.toFixed(2), Math.round(ROWS / fastFloorSeconds), null] as Cell[]] : []),
        ],
      ),
    );
    const pct = (floor: number) => `${((verifyRate / (ROWS / floor)) * 100).toFixed(1)}%`;
    // The target compares like with like: the floor hashed with the primitive the verifier uses.
    const judged = oneShot ? fastFloorSeconds : floorSeconds;
    console.log(`\nverify / createHash floor = ${pct(floorSeconds)}${oneShot ? `; verify / crypto.hash floor = ${pct(fastFloorSeconds)}` : ''}`);
    console.log(`${verifyRate / (ROWS / judged) >= 0.5 ? 'PASS' : 'MISS'}  verify ≥ 50% of the floor hashed with the same primitive (${pct(judged)})`);
    console.log(`${run.peakRssMb !== null && run.peakRssMb < 200 ? 'PASS' : 'MISS'}  peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB < 200 MB`);
  } finally {
    await conn.close();
    if (!process.env.PLUMB_BENCH_KEEP) {
      const a = await connect(server.url);
      await a.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await a.close();
    }
    await server.stop();
  }
}

await main();
