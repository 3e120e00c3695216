// A spec's comments on an engine that stores none (SQLite): the spec still
// loads (it used to fail with "SQLite has no comments"), and the catalog it is
// compared as carries no comment, as the engine will hold none.
import { describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/spec/load.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import { parseDbUrl } from '../../src/drivers/url.js';

const spec = parseSpecText(
  `tables:
  - name: notes
    comment: Free-text notes.
    columns:
      - { name: id, type: bigint, primaryKey: true }
      - { name: body, type: text, comment: the note itself }
`,
  'notes.yaml',
);

describe('comments on SQLite', () => {
  it('are dropped from the spec catalog, and the spec loads', async () => {
    const c = await specToCatalog(spec, { dialect: 'sqlite', target: parseDbUrl('sqlite::memory:') });
    const t = c.schemas.find((s) => s.name === 'main')!.tables.find((x) => x.name === 'notes')!;
    expect(t.columns.map((x) => x.name)).toEqual(['id', 'body']);
    expect([t.comment, ...t.columns.map((x) => x.comment)]).toEqual([null, null, null]);
  });

  it('stay in the catalog on Postgres', async () => {
    const c = await specToCatalog(spec, { scratch: false });
    const t = c.schemas.find((s) => s.name === 'public')!.tables.find((x) => x.name === 'notes')!;
    expect([t.comment, ...t.columns.map((x) => x.comment)]).toEqual(['Free-text notes.', null, 'the note itself']);
  });
});
