// `plumb erd` and `plumb inspect --format html|dbml` end to end on a real
// Postgres server: every format is written, parses, and names the tables.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { announceMissing, freshDatabase, type FreshDb } from '../helpers/engines.js';
import { ERD_FIXTURE_SQL } from './fixture-schema.js';
import { checkMermaidErDiagram } from './mermaid-grammar.js';

const require = createRequire(import.meta.url);
const { Parser } = require('@dbml/core') as typeof import('@dbml/core');
const serverUrl = process.env.PLUMB_TEST_PG_URL;
if (!serverUrl) announceMissing('pg', 'PLUMB_TEST_PG_URL is not set (plumb erd CLI tests need a server URL)');

describe.skipIf(!serverUrl)('plumb erd / inspect --format html|dbml', () => {
  let db: FreshDb;
  const dir = mkdtempSync(join(tmpdir(), 'plumb-erd-'));
  beforeAll(async () => {
    db = await freshDatabase({ name: 'pg-env', kind: 'server', url: serverUrl! });
    await db.conn.exec(ERD_FIXTURE_SQL);
  });
  afterAll(async () => db?.dispose());

  const plumb = (...args: string[]) => run(['node', 'plumb', ...args]);

  it('writes Mermaid, DBML, DOT and SVG', async () => {
    for (const f of ['mermaid', 'dbml', 'dot', 'svg']) expect(await plumb('erd', '--db', db.url, '--schema', 'shop', '-f', f, '-o', join(dir, `shop.${f}`)), f).toBe(0);
    expect(checkMermaidErDiagram(readFileSync(join(dir, 'shop.mermaid'), 'utf8')).entities).toHaveLength(6);
    expect(new Parser().parse(readFileSync(join(dir, 'shop.dbml'), 'utf8'), 'dbmlv2').schemas.find((s) => s.name === 'shop')!.tables).toHaveLength(6);
    expect(readFileSync(join(dir, 'shop.dot'), 'utf8')).toContain('"shop.orders" -> "shop.customers"');
    expect(readFileSync(join(dir, 'shop.svg'), 'utf8').match(/<g class="n[ "]/g)).toHaveLength(6);
  });

  it('draws a neighbourhood, and says which table name was wrong', async () => {
    expect(await plumb('erd', '--db', db.url, '--table', 'shop.order_items', '--depth', '1', '-f', 'mermaid', '-o', join(dir, 'items.mmd'))).toBe(0);
    expect(checkMermaidErDiagram(readFileSync(join(dir, 'items.mmd'), 'utf8')).entities.sort()).toEqual(['order_items', 'orders', 'products']);
    expect(await plumb('erd', '--db', db.url, '--table', 'nope', '-f', 'mermaid')).toBe(2);
  });

  it('inspect writes a self-contained HTML page and DBML', async () => {
    expect(await plumb('inspect', '--db', db.url, '--schema', 'shop', '--schema', 'ledger', '-f', 'html', '-o', join(dir, 'catalog.html'))).toBe(0);
    const html = readFileSync(join(dir, 'catalog.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('"kind":"inspect"');
    expect(await plumb('inspect', '--db', db.url, '--schema', 'shop', '-f', 'dbml', '-o', join(dir, 'catalog.dbml'))).toBe(0);
    expect(readFileSync(join(dir, 'catalog.dbml'), 'utf8')).toContain('Table "shop"."Order Notes" {');
  });
});
