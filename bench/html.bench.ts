// `npm run bench:html`: the audit HTML report of the 2,000-table reference
// database — how long plumb takes to build it, how big the file is, and how
// fast it opens in Chromium from file:// (time to window.__plumbReady, then a
// catalog search and the largest schema's diagram). Target: interactive < 3 s.
//
// Env: PLUMB_BENCH_PG_URL (use that server instead of an embedded PG 18),
// BENCH_RUNS (browser opens, default 5), BENCH_REUSE=0 (rebuild the database),
// PLUMB_TEST_CHROMIUM (default /usr/bin/chromium).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAudit } from '../src/audit/audit.js';
import { connect } from '../src/drivers/connect.js';
import { renderAuditHtml } from '../src/report/html/index.js';
import { BIG, createReferenceDb, referenceServer } from './lib/reference-db.js';
import { median, renderTable } from './lib/measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.PLUMB_TEST_CHROMIUM ?? '/usr/bin/chromium';
const TARGET_MS = 3000;
const log = (s: string) => process.stderr.write(`${s}\n`);
const ms = (x: number) => `${Math.round(x)} ms`;

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set PLUMB_TEST_CHROMIUM)`);
  const server = await referenceServer();
  log(`server: ${server.label}`);
  let html: string;
  let buildMs: number;
  let tables: number;
  let findings: number;
  try {
    const url = await createReferenceDb(server.url, BIG, { reuse: process.env.BENCH_REUSE !== '0', log });
    const conn = await connect(url);
    try {
      const run = await runAudit(conn, { data: false });
      tables = run.result.objects.tables;
      findings = run.result.findings.length;
      const t0 = performance.now();
      html = await renderAuditHtml(run.result, run.catalog);
      buildMs = performance.now() - t0;
    } finally {
      await conn.close();
    }
  } finally {
    await server.stop();
  }
  mkdirSync(`${root}/bench/.data`, { recursive: true });
  const file = `${root}/bench/.data/html-big.html`;
  writeFileSync(file, html);
  const bytes = statSync(file).size;
  log(`wrote ${file}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${tables} tables, ${findings} findings, built in ${ms(buildMs)}`);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const ready: number[] = [];
  const fileRead: number[] = [];
  const script: number[] = [];
  const search: number[] = [];
  const erd: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const t0 = Date.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
      await page.waitForFunction(() => (globalThis as unknown as { __plumbReady?: boolean }).__plumbReady === true, undefined, { timeout: 60_000 });
      // Navigation start → ready, as the page itself measured it (excludes the harness's round trips).
      const pageMs = await page.evaluate(() => performance.now());
      ready.push(Math.min(pageMs, Date.now() - t0));
      // Where the time goes: reading the file (navigation responseEnd) and the page's own script (parse data, first render).
      const parts = await page.evaluate(() => {
        const g = globalThis as unknown as { __plumbTimings: { scriptStart: number; ready: number }; performance: { getEntriesByType(t: string): { responseEnd: number }[] } };
        return { responseEnd: g.performance.getEntriesByType('navigation')[0]!.responseEnd, script: g.__plumbTimings.ready - g.__plumbTimings.scriptStart };
      });
      fileRead.push(parts.responseEnd);
      script.push(parts.script);
      await page.click('#tab-catalog');
      const s0 = Date.now();
      await page.fill('#c-q', 'app_3');
      await page.waitForFunction(() => {
        const list = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number; [i: number]: { getAttribute(a: string): string | null } } } }).document.querySelectorAll('#c-list a[data-t]');
        return list.length > 0 && list.length <= 400;
      });
      await page.click('#c-list a[data-t]');
      await page.waitForSelector('#t-cols');
      search.push(Date.now() - s0);
      const e0 = Date.now();
      await page.click('#tab-erd');
      await page.waitForSelector('#e-view svg g.n', { timeout: 60_000 });
      erd.push(Date.now() - e0);
      if (i === 0) await page.screenshot({ path: `${root}/bench/.data/html-big-erd.png` });
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const row = (label: string, xs: number[]) => [label, ms(median(xs)), ms(Math.min(...xs)), ms(Math.max(...xs))];
  process.stdout.write(
    `\nplumb HTML report, reference database big (${tables} tables, ${findings} findings), ${RUNS} opens in Chromium from file://\n` +
      `file size ${(bytes / 1024 / 1024).toFixed(2)} MB · built by plumb in ${ms(buildMs)} (includes elk layout of every schema)\n\n` +
      renderTable(['step', 'median', 'min', 'max'], [
        row('open → interactive (__plumbReady)', ready),
        row('  of which: file read (responseEnd)', fileRead),
        row('  of which: page script (data + render)', script),
        row('search a table and open it', search),
        row('first schema diagram drawn', erd),
      ]) +
      `\nmachine load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${cpus().length} CPUs) — shared machines inflate every figure\n` +
      `peers: SchemaSpy and tbls write multi-page sites with server-rendered images; neither is installed here, so no figure from the same run.\n` +
      `target: interactive in < ${TARGET_MS} ms — ${median(ready) < TARGET_MS ? 'met' : 'MISSED'}\n`,
  );
  if (median(ready) >= TARGET_MS) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
