// `plumb inspect --format md`: a data dictionary a person reads — per table its
// columns, keys, indexes and references, with every comment the catalog holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { wrapPglite } from '../../src/drivers/pglite-driver.js';
import { inspect } from '../../src/inspect.js';
import { renderCatalogMarkdown } from '../../src/report/catalog-report.js';
import { CORE_DDL } from '../dialects/postgres/catalog-fixture.js';

describe('the Markdown data dictionary', () => {
  let db: PGlite;
  let md: string;
  beforeAll(async () => {
    db = await PGlite.create();
    const conn = wrapPglite(db);
    await conn.exec(CORE_DDL);
    md = renderCatalogMarkdown(await inspect(conn, { schemas: ['cat'] }));
  });
  afterAll(async () => db?.close());

  /** The lines of one table's section. */
  const section = (path: string): string[] => {
    const lines = md.split('\n');
    const start = lines.indexOf(`### \`${path}\``);
    expect(start, `no section for ${path}`).toBeGreaterThanOrEqual(0);
    const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
    return lines.slice(start, end < 0 ? undefined : end);
  };

  it('gives each table its columns with type, nullability, default and comment', () => {
    const kitchen = section('cat.kitchen');
    expect(kitchen).toContain('every column kind');
    expect(kitchen.find((l) => l.includes('| name |'))).toMatch(/\| `character varying\(50\)` \| no \| `'x'::character varying` \|.*\| display name \|$/);
  });

  it('lists keys, indexes, triggers and policies with their comments, and what references the table', () => {
    const parent = section('cat.parent');
    expect(parent).toContain('- Primary key `parent_pkey`: (id) — the identity');
    expect(parent).toContain('- Unique `parent_code_region_key`: (code, region) — natural key');
    // Each foreign key by name: kitchen has two on the same columns.
    expect(parent.filter((l) => l.startsWith('- Referenced by'))).toEqual([
      '- Referenced by `cat.kitchen.kitchen_parent_fk (parent_code, parent_region)`',
      '- Referenced by `cat.kitchen.kitchen_parent_nv_fk (parent_code, parent_region)`',
    ]);
    const kitchen = section('cat.kitchen');
    expect(kitchen).toContain('- Foreign key `kitchen_parent_fk`: (parent_code, parent_region) → cat.parent (code, region) on delete set null, on update cascade — belongs to a parent');
    expect(kitchen).toContain('- Check `kitchen_price_check`: `price >= 0::numeric` — no negative prices');
    expect(kitchen.find((l) => l.startsWith('- Index `kitchen_lower_name_idx`'))).toMatch(/lower\(name::text\).* — case-insensitive lookups$/);
    expect(kitchen).toContain('- Trigger `kitchen_touch`: before insert or update for each row → cat.touch() — keeps at current');
    expect(kitchen).toContain('- Policy `kitchen_read`: permissive select to public using `ok` — anyone reads what is ok');
    // No comment, no dash: the line ends with the definition.
    expect(kitchen.find((l) => l.startsWith('- Index `kitchen_at_brin`'))).toMatch(/`$/);
    expect(section('cat.booking')).toContain('- Exclusion `booking_no_overlap`: `EXCLUDE USING gist (during WITH &&) WHERE (room > 0)` — one booking per room at a time');
  });
});
