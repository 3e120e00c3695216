// The audit HTML report in a real browser (Debian's Chromium via playwright-core),
// opened from file:// with the network off: the grade shown is the JSON's, the
// severity filter counts right, a table opens with its columns, and the ERD
// renders (screenshot in test/artifacts/erd.png).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderAuditHtml } from '../../src/report/html/index.js';
import { renderAuditJson } from '../../src/report/audit-json.js';
import { announceMissing } from '../helpers/engines.js';
import { auditGaugeBefore } from '../report/gauge-report-fixture.js';

const CHROMIUM = process.env.PLUMB_TEST_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) announceMissing('chromium', `${CHROMIUM} not found (apt-get install chromium, or set PLUMB_TEST_CHROMIUM)`);

const ARTIFACTS = resolve('test/artifacts');

describe.skipIf(!haveChromium)('HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let file: string;
  let json: { grade: string; findings: { severity: string; path: string }[] };
  let tableCount = 0;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const run = await auditGaugeBefore();
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      file = join(ARTIFACTS, 'gauge-before-audit.html');
      writeFileSync(file, await renderAuditHtml(run.result, run.catalog));
      json = JSON.parse(renderAuditJson(run.result));
      tableCount = run.catalog.schemas.find((s) => s.name === 'public')!.tables.length;
    } finally {
      await run.dispose();
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as { __plumbReady?: boolean }).__plumbReady === true, undefined, { timeout: 15_000 });
  });
  afterAll(async () => browser?.close());

  it('shows the grade of the JSON report', async () => {
    expect(await page.textContent('#grade')).toBe(json.grade);
    expect(await page.getAttribute('#grade', 'data-grade')).toBe(json.grade);
  });

  it('filters findings to one severity with the right row count', async () => {
    const total = await page.locator('#f-body tr').count();
    expect(total).toBe(json.findings.length);
    for (const sev of ['error', 'warning']) {
      const want = json.findings.filter((f) => f.severity === sev).length;
      expect(want).toBeGreaterThan(0);
      await page.selectOption('#f-sev', sev);
      await expect.poll(() => page.locator('#f-body tr').count()).toBe(want);
      expect(await page.locator(`#f-body tr[data-sev="${sev}"]`).count()).toBe(want);
      expect(await page.getAttribute('#f-count', 'data-count')).toBe(String(want));
    }
    await page.selectOption('#f-sev', '');
  });

  it('opens a table from a finding and shows its columns', async () => {
    await page.selectOption('#f-rule', 'foreign-key-without-index');
    await page.locator('#f-body a.obj').first().click();
    await expect.poll(() => page.textContent('#t-title')).toBe('public.gauges');
    const cols = await page.locator('#t-cols tbody tr td:nth-child(2)').allTextContents();
    expect(cols).toEqual(['id', 'system_gauge_id', 'name', 'gauge_type', 'status', 'category_id', 'location_id', 'companion_gauge_id', 'created_at']);
    // The hostile comment is shown as text, never run.
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#c-detail').textContent()).toContain('</script>');
  });

  it('draws the schema ERD with marked tables, and a neighbourhood with the inlined layout engine', async () => {
    await page.click('#tab-erd');
    await page.waitForSelector('#e-view svg g.n');
    expect(await page.locator('#e-view svg g.n').count()).toBe(tableCount);
    expect(await page.locator('#e-view svg g.n.mark-warning[data-id="public.gauges"]').count()).toBe(1);
    await page.fill('#e-q', 'transfer');
    await page.press('#e-q', 'Enter');
    expect(await page.locator('#e-view svg g.n.hit').getAttribute('data-id')).toBe('public.transfer_requests');
    await page.click('#e-fit');
    await page.screenshot({ path: join(ARTIFACTS, 'erd.png') });

    await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#erd/table/public.gauges/1'));
    await page.waitForSelector('#e-view svg g.n.focus[data-id="public.gauges"]', { timeout: 20_000 });
    const ids = await page.locator('#e-view svg g.n').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());
    expect(ids).toEqual(['public.gauge_categories', 'public.gauges', 'public.locations', 'public.transfer_requests']);
    await page.screenshot({ path: join(ARTIFACTS, 'erd-neighbourhood.png') });
  });

  it('a schema page shows routines with their signature and body, not by name only (issue #22)', async () => {
    await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#schema/public'));
    const routines = page.locator('#c-detail details:has(code:text-matches("^procedure "))');
    await expect.poll(() => routines.count()).toBeGreaterThan(0);
    const first = routines.first();
    await first.locator('summary').click();
    const body = (await first.locator('pre').textContent()) ?? '';
    expect(body.length).toBeGreaterThan(20);
    expect(body).toMatch(/BEGIN|SELECT|UPDATE|INSERT|DELETE/i);
  });

  it('made no network request and threw no error', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });
});
