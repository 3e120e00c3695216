// Mermaid output rendered by Mermaid itself (the `mermaid` package's browser
// bundle in Debian's Chromium; the page fetches nothing): every diagram plumb writes for the
// ERD fixture and the gauge-calibration example parses and draws every table,
// with real type names (varchar(255), text[], timestamptz) in the picture.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Catalog } from '../../src/catalog/types.js';
import { inspect } from '../../src/inspect.js';
import { toMermaid } from '../../src/erd/mermaid.js';
import { announceMissing, freshDatabase, type FreshDb } from '../helpers/engines.js';
import { ERD_FIXTURE_SQL } from '../erd/fixture-schema.js';

const CHROMIUM = process.env.PLUMB_TEST_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) announceMissing('chromium', `${CHROMIUM} not found (apt-get install chromium, or set PLUMB_TEST_CHROMIUM)`);
const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

interface Rendered {
  ok: boolean;
  error?: string;
  svg?: string;
}

describe.skipIf(!haveChromium)('Mermaid ERDs rendered by Mermaid in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let db: FreshDb;
  let shop: Catalog;
  let gauge: Catalog;
  const requests: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase({ name: 'pglite', kind: 'pglite', url: '' });
    await db.conn.exec(ERD_FIXTURE_SQL);
    await db.conn.exec(`CREATE SCHEMA gauge; SET search_path = gauge; ${readFileSync('examples/gauge-calibration/before/postgres.sql', 'utf8')}; SET search_path = public;`);
    shop = await inspect(db.conn, { schemas: ['shop', 'ledger'] });
    gauge = await inspect(db.conn, { schemas: ['gauge'] });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  });
  afterAll(async () => {
    await browser?.close();
    await db?.dispose();
  });

  /** Mermaid's own parser and renderer; a syntax error comes back as the error text. */
  const render = (text: string): Promise<Rendered> =>
    page.evaluate(async (src) => {
      const m = (globalThis as unknown as { mermaid: { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      try {
        await m.parse(src);
        const { svg } = await m.render(`d${Math.random().toString(36).slice(2)}`, src);
        return { ok: true, svg };
      } catch (e) {
        return { ok: false, error: String((e as Error)?.message ?? e) };
      }
    }, text);

  it('renders the fixture schema: every table drawn, real type names shown', async () => {
    const text = toMermaid(shop);
    const r = await render(text);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    // Every entity the text declares is drawn: one per table of the two schemas.
    const entities = [...text.matchAll(/^ {4}([^\s%}]\S*?)(?: \{)?$/gm)].map((m) => m[1]!);
    expect(entities.length).toBe(shop.schemas.reduce((n, sc) => n + sc.tables.length, 0));
    for (const e of entities) expect(r.svg, e).toContain(e);
    expect(r.svg).toContain('varchar(255)');
    expect(r.svg).toContain('text[]');
    expect(r.svg).toContain('timestamptz');
    expect(r.svg).not.toMatch(/character_varying_\d+/);
  });

  it('renders the gauge-calibration example, each table alone with its neighbours too', async () => {
    const whole = await render(toMermaid(gauge));
    expect(whole.error).toBeUndefined();
    for (const t of gauge.schemas[0]!.tables) {
      const r = await render(toMermaid(gauge, { table: `gauge.${t.name}`, depth: 1 }));
      expect(r.error, t.name).toBeUndefined();
    }
  });

  it('refuses what is not Mermaid (the check can fail)', async () => {
    const r = await render('erDiagram\n  a {\n    character varying(45) name\n  }\n');
    expect(r.ok).toBe(false);
  });

  it('loads nothing from the network', () => {
    expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
  });
});
