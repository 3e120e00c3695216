// `npm run bench:inspect`: plumb inspect against pg-structure and
// extract-pg-schema on the reference databases `big` (2,000 tables) and `mid`
// (500 tables), in the same run, on the same server. Prints medians, plumb's
// speed-up over each peer and the CLI's peak RSS, and checks the targets.
//
// Env: PLUMB_BENCH_PG_URL (use that server instead of an embedded PG 18),
// BENCH_RUNS (default 9), BENCH_EXTRACT_RUNS (default 3),
// BENCH_EXTRACT_BIG_TIMEOUT_S (default 150), BENCH_REUSE=1 (keep databases).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from '../src/inspect.js';
import { BIG, MID, createReferenceDb, referenceServer } from './lib/reference-db.js';
import { median, ratio, renderTable, secs, timeIt, timeProcess, type Cell } from './lib/measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const EXTRACT_RUNS = Number(process.env.BENCH_EXTRACT_RUNS ?? 3);
const EXTRACT_BIG_TIMEOUT_S = Number(process.env.BENCH_EXTRACT_BIG_TIMEOUT_S ?? 150);
const log = (s: string) => process.stderr.write(`${s}\n`);

type PgStructure = (url: string) => Promise<unknown>;
type ExtractSchemas = (url: string) => Promise<unknown>;

async function loadPeers(): Promise<{ pgStructure: PgStructure; extractSchemas: ExtractSchemas }> {
  const ps = (await import('pg-structure')) as unknown as { default: PgStructure | { default: PgStructure } };
  const pgStructure = typeof ps.default === 'function' ? ps.default : ps.default.default;
  const ex = (await import('extract-pg-schema')) as unknown as { extractSchemas?: ExtractSchemas; default: { extractSchemas: ExtractSchemas } };
  const extractSchemas = ex.extractSchemas ?? ex.default.extractSchemas;
  return { pgStructure, extractSchemas };
}

/** The CLI must be built from the current sources (`npm install` does this too). */
function build(): void {
  log('building dist/ (tsc -p tsconfig.build.json) …');
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  } catch {
    log('  tsc reported errors (files outside the inspect path may be mid-edit); using what it emitted');
  }
  if (!existsSync(`${root}/dist/cli/main.js`)) throw new Error('dist/cli/main.js is missing after the build');
}

async function main(): Promise<void> {
  build();
  const server = await referenceServer();
  log(`server: ${server.label}`);
  try {
    const reuse = process.env.BENCH_REUSE === '1';
    const mid = await createReferenceDb(server.url, MID, { reuse, log });
    const big = await createReferenceDb(server.url, BIG, { reuse, log });
    const { pgStructure, extractSchemas } = await loadPeers();
    // pg-structure warns about its own overlapping queries on every call.
    process.removeAllListeners('warning');
    process.on('warning', () => undefined);

    const t: Record<string, number[]> = {};
    const add = (k: string, x: number) => (t[k] ??= []).push(x);
    let rssMb = 0;
    let tables = 0;

    log('warming up …');
    tables = (await inspect(big)).schemas.reduce((n, s) => n + s.tables.length, 0);
    if (tables !== BIG.tables) throw new Error(`big has ${tables} tables, expected ${BIG.tables}`);
    await pgStructure(big);

    for (let i = 0; i < RUNS; i++) {
      log(`round ${i + 1}/${RUNS} …`);
      for (const [name, url] of [['big', big], ['mid', mid]] as const) {
        add(`${name}:plumb`, await timeIt(() => inspect(url)));
        add(`${name}:pg-structure`, await timeIt(() => pgStructure(url)));
        const cli = await timeProcess(process.execPath, ['bin/plumb.js', 'inspect', '--db', url], { cwd: root });
        if (cli.code !== 0) throw new Error(`plumb CLI failed: ${cli.stderr}`);
        add(`${name}:plumb-cli`, cli.seconds);
        if (name === 'big' && cli.peakRssMb) rssMb = Math.max(rssMb, cli.peakRssMb);
        const peer = await timeProcess(process.execPath, ['bench/lib/run-peer.mjs', 'pg-structure', url], { cwd: root, captureStdout: true });
        add(`${name}:pg-structure-process`, peer.seconds);
      }
    }
    for (let i = 0; i < EXTRACT_RUNS; i++) {
      log(`extract-pg-schema on mid ${i + 1}/${EXTRACT_RUNS} …`);
      add('mid:extract-pg-schema', await timeIt(() => extractSchemas(mid)));
      add('mid:plumb-beside-extract', await timeIt(() => inspect(mid)));
    }
    log(`extract-pg-schema on big (once, killed after ${EXTRACT_BIG_TIMEOUT_S} s) …`);
    const exBig = await timeProcess(process.execPath, ['bench/lib/run-peer.mjs', 'extract-pg-schema', big], {
      cwd: root,
      captureStdout: true,
      timeoutMs: EXTRACT_BIG_TIMEOUT_S * 1000,
    });
    const exBigOut = (() => {
      try {
        return JSON.parse(exBig.stdout.trim().split('\n').pop() ?? '{}') as { seconds?: number; error?: string };
      } catch {
        return {};
      }
    })();
    const exBigNote = exBig.code === 0 && exBigOut.seconds
      ? `completed in ${secs(exBigOut.seconds)} s`
      : exBigOut.error
        ? `failed after ${secs(exBig.seconds)} s: ${exBigOut.error.slice(0, 90)}`
        : `killed after ${secs(exBig.seconds)} s (no result)`;

    const m = (k: string) => median(t[k] ?? []);
    const rows: Cell[][] = [
      ['big', 'plumb inspect (library call)', secs(m('big:plumb')), RUNS, '—'],
      ['big', 'pg-structure (library call)', secs(m('big:pg-structure')), RUNS, ratio(m('big:pg-structure'), m('big:plumb'))],
      ['big', 'plumb inspect (CLI process)', secs(m('big:plumb-cli')), RUNS, '—'],
      ['big', 'pg-structure (node process)', secs(m('big:pg-structure-process')), RUNS, ratio(m('big:pg-structure-process'), m('big:plumb-cli'))],
      ['big', 'extract-pg-schema (node process)', exBig.code === 0 && exBigOut.seconds ? secs(exBigOut.seconds) : 'failed (see below)', 1, '—'],
      ['mid', 'plumb inspect (library call)', secs(m('mid:plumb')), RUNS, '—'],
      ['mid', 'pg-structure (library call)', secs(m('mid:pg-structure')), RUNS, ratio(m('mid:pg-structure'), m('mid:plumb'))],
      ['mid', 'plumb inspect (CLI process)', secs(m('mid:plumb-cli')), RUNS, '—'],
      ['mid', 'pg-structure (node process)', secs(m('mid:pg-structure-process')), RUNS, ratio(m('mid:pg-structure-process'), m('mid:plumb-cli'))],
      ['mid', 'plumb inspect (library, beside extract)', secs(m('mid:plumb-beside-extract')), EXTRACT_RUNS, '—'],
      ['mid', 'extract-pg-schema (library call)', secs(m('mid:extract-pg-schema')), EXTRACT_RUNS, ratio(m('mid:extract-pg-schema'), m('mid:plumb-beside-extract'))],
    ];
    const out: string[] = [];
    out.push(`plumb inspect benchmark — ${server.label}; big = ${BIG.tables} tables / ${BIG.schemas} schemas / ${BIG.enums} enums, mid = ${MID.tables} tables`);
    out.push('');
    out.push(renderTable(['db', 'tool', 'median s', 'runs', 'plumb speed-up'], rows));
    out.push('');
    out.push(`extract-pg-schema on big: ${exBigNote}`);
    out.push(`peak RSS of the plumb CLI process on big: ${rssMb ? `${rssMb.toFixed(0)} MB` : 'unavailable (/usr/bin/time missing)'}`);
    const targets: [string, boolean][] = [
      ['library on big ≥ 5× faster than pg-structure', m('big:pg-structure') / m('big:plumb') >= 5],
      ['library on mid ≥ 100× faster than extract-pg-schema', m('mid:extract-pg-schema') / m('mid:plumb-beside-extract') >= 100],
      ['CLI process on big ≥ 4× faster than pg-structure (library call)', m('big:pg-structure') / m('big:plumb-cli') >= 4],
      ['CLI process on big ≥ 4× faster than pg-structure (node process)', m('big:pg-structure-process') / m('big:plumb-cli') >= 4],
      ['CLI peak RSS < 300 MB', rssMb > 0 && rssMb < 300],
    ];
    out.push('');
    for (const [name, ok] of targets) out.push(`${ok ? 'PASS' : 'MISS'}  ${name}`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:inspect failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
