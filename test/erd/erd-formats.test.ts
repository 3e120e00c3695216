// Diagram outputs on a real inspected schema: Mermaid that passes a strict
// erDiagram grammar check, DBML that @dbml/core parses back to the same tables,
// columns and references, DOT and SVG that name every table and key.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Catalog } from '../../src/catalog/types.js';
import { inspect } from '../../src/inspect.js';
import { toDbml } from '../../src/erd/dbml.js';
import { toDot } from '../../src/erd/dot.js';
import { selectErd } from '../../src/erd/erd-graph.js';
import { toSvg } from '../../src/erd/erd-layout.js';
import { toMermaid, mermaidWord } from '../../src/erd/mermaid.js';
import { loadDbml, loadDbmlSpec } from '../../src/spec/dbml-loader.js';
import { parseSpec } from '../../src/spec/normalize-spec.js';
import { specToDraftCatalog } from '../../src/spec/spec-draft-catalog.js';
import { freshDatabase, type FreshDb } from '../helpers/engines.js';
import { ERD_FIXTURE_SQL } from './fixture-schema.js';
import { checkMermaidErDiagram } from './mermaid-grammar.js';

const require = createRequire(import.meta.url);
const { Parser } = require('@dbml/core') as typeof import('@dbml/core');

let db: FreshDb;
let cat: Catalog;
let gauge: Catalog;

beforeAll(async () => {
  db = await freshDatabase({ name: 'pglite', kind: 'pglite', url: '' });
  await db.conn.exec(ERD_FIXTURE_SQL);
  await db.conn.exec(`CREATE SCHEMA gauge; SET search_path = gauge; ${readFileSync('examples/gauge-calibration/before/postgres.sql', 'utf8')}; SET search_path = public;`);
  cat = await inspect(db.conn, { schemas: ['shop', 'ledger'] });
  gauge = await inspect(db.conn, { schemas: ['gauge'] });
});
afterAll(async () => db?.dispose());

/** tables → sorted "schema.table: col type null" lines, and sorted "child(cols)->parent(cols)" refs. */
function shape(c: Catalog) {
  const tables = c.schemas.flatMap((s) => s.tables).map((t) => `${t.schema}.${t.name}: ${t.columns.map((x) => `${x.name} ${x.type.raw}${x.nullable ? '' : ' not null'}`).join(', ')} pk(${t.primaryKey?.columns.join(',') ?? ''})`).sort();
  const refs = c.schemas.flatMap((s) => s.tables).flatMap((t) => t.foreignKeys.map((k) => `${t.schema}.${t.name}(${k.columns}) -> ${k.references.schema}.${k.references.table}(${k.references.columns}) ${k.onDelete}`)).sort();
  return { tables, refs };
}

describe('Mermaid', () => {
  it('emits only erDiagram syntax, with every table and foreign key', () => {
    const m = checkMermaidErDiagram(toMermaid(cat));
    expect(m.entities).toHaveLength(7);
    expect(m.entities).toContain('shop__Order_Notes');
    expect(m.relations).toHaveLength(7);
    expect(m.relations).toContainEqual({ parent: 'shop__categories', child: 'shop__categories', label: 'parent_id' });
    expect(m.attributes.get('shop__products')).toContain('weird_name_x');
  });

  it('draws a neighbourhood at depth 1 and 2', () => {
    const d1 = checkMermaidErDiagram(toMermaid(cat, { table: 'shop.orders', depth: 1 }));
    expect(d1.entities.sort()).toEqual(['Order_Notes', 'customers', 'order_items', 'orders']);
    const d2 = checkMermaidErDiagram(toMermaid(cat, { table: 'orders', depth: 2 }));
    // depth 2 reaches ledger.entries: with two schemas shown, every entity carries its schema.
    expect(d2.entities.sort()).toEqual(['ledger__entries', 'shop__Order_Notes', 'shop__customers', 'shop__order_items', 'shop__orders', 'shop__products'].sort());
  });

  it('stubs tables a schema references elsewhere', () => {
    const g = selectErd(cat, { schema: 'ledger' });
    expect(g.nodes.map((n) => [n.id, n.external])).toEqual([['ledger.entries', false], ['shop.customers', true]]);
    checkMermaidErDiagram(toMermaid(cat, { schema: 'ledger' }));
  });

  it('passes the grammar for the gauge-calibration example', () => {
    const m = checkMermaidErDiagram(toMermaid(gauge));
    expect(m.entities.length).toBe(gauge.schemas[0]!.tables.length);
  });

  it('reduces hostile names to Mermaid words', () => {
    for (const [raw, word] of [['order items', 'order_items'], ['1st', '_1st'], ['é"x', 'e_x'], ['end', 'end_'], ['', 'x']]) expect(mermaidWord(raw!)).toBe(word);
  });
});

describe('DBML', () => {
  it('round-trips through @dbml/core: same tables, columns, keys and references', () => {
    const text = toDbml(cat);
    const parsed = new Parser().parse(text, 'dbmlv2');
    expect(parsed.schemas.flatMap((s) => s.tables).length).toBe(7);
    const back = loadDbml(text);
    expect(shape(back)).toEqual(shape(cat));
    const orders = back.schemas.find((s) => s.name === 'shop')!.tables.find((t) => t.name === 'orders')!;
    expect(orders.columns.find((c) => c.name === 'status')!.type).toMatchObject({ kind: 'enum', ref: 'shop.order_status' });
    expect(orders.columns.find((c) => c.name === 'note')!.default).toBe(`'it''s fine'`);
    expect(back.schemas.find((s) => s.name === 'shop')!.enums[0]!.labels).toEqual(['new', 'paid', 'on hold', "it's shipped"]);
    expect(back.schemas.find((s) => s.name === 'shop')!.tables.find((t) => t.name === 'customers')!.comment).toBe('People who "buy" things.\nSecond line.');
  });

  it('round-trips the gauge-calibration example, also through the older DBML parser', () => {
    const text = toDbml(gauge);
    expect(shape(loadDbml(text))).toEqual(shape(gauge));
    expect(new Parser().parse(text, 'dbml').schemas.flatMap((s) => s.tables).length).toBe(gauge.schemas[0]!.tables.length);
  });

  it('loads DBML as a spec', () => {
    const spec = loadDbmlSpec(toDbml(cat));
    const shop = spec.schemas.find((s) => s.name === 'shop')!;
    expect(shop.tables.map((t) => t.name).sort()).toEqual(['Order Notes', 'categories', 'customers', 'order_items', 'orders', 'products']);
  });

  it('reports a parse error with its line as E_SPEC', () => {
    expect(() => loadDbml('Table x {\n  id int [pk\n}')).toThrow(expect.objectContaining({ code: 'E_SPEC', message: expect.stringMatching(/line \d+/) }));
  });

  it('round-trips every example spec (Mermaid grammar and DBML)', () => {
    const dirs = readdirSync('examples').filter((d) => existsSync(`examples/${d}/spec.yaml`));
    expect(dirs.length).toBeGreaterThan(0);
    for (const d of dirs) {
      const c = specToDraftCatalog(parseSpec(parseYaml(readFileSync(`examples/${d}/spec.yaml`, 'utf8')), d));
      checkMermaidErDiagram(toMermaid(c));
      const back = loadDbml(toDbml(c));
      expect(shape(back).refs, d).toEqual(shape(c).refs);
      expect(shape(back).tables.length, d).toBe(shape(c).tables.length);
    }
  });
});

describe('DOT and SVG', () => {
  it('DOT declares every table before its edges', () => {
    const dot = toDot(cat);
    expect(dot.startsWith('digraph plumb_erd {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    for (const t of cat.schemas.flatMap((s) => s.tables)) expect(dot).toContain(`"${t.path.replace(/"/g, '\\"')}" [label=<`);
    expect(dot.match(/ -> /g)).toHaveLength(7);
    try {
      execFileSync('dot', ['-Tsvg'], { input: dot });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  });

  it('SVG lays out every table and marks the ones with findings', async () => {
    const svg = await toSvg(cat, {}, { marks: new Map([['shop.orders', { severity: 'error', count: 2 }]]) });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="n[^"]*" data-id=/g)).toHaveLength(7);
    expect(svg).toContain('class="n mark-error" data-id="shop.orders"');
    expect(svg.match(/<path class="e/g)).toHaveLength(7);
    expect((svg.match(/<g[ >]/g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
    expect(svg).toContain('weird &quot;name&quot;.x');
    const pos = [...svg.matchAll(/translate\(([\d.]+),([\d.]+)\)/g)].map((m) => `${m[1]},${m[2]}`);
    expect(new Set(pos).size).toBe(pos.length);
  });
});
