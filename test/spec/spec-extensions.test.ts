// A spec that needs contrib extensions: the scratch PGlite is started with
// them (PGlite bundles citext, pgcrypto, uuid-ossp …), so defaults and types
// from extensions normalise like any other.
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/spec/load.js';
import { disposeScratchEngine, specToCatalog } from '../../src/spec/spec-to-catalog.js';

describe('spec with extensions', () => {
  afterAll(() => disposeScratchEngine());

  it('creates the extensions on the scratch engine and reads their types and functions', async () => {
    const spec = parseSpecText(`
extensions: [citext, pgcrypto, uuid-ossp]
tables:
  - name: users
    columns:
      id: { type: uuid, default: uuid_generate_v4(), primaryKey: true }
      email: { type: citext, nullable: false, unique: true }
      pw: { type: text, default: "crypt('x', gen_salt('bf'))" }
`);
    const c = await specToCatalog(spec);
    expect(c.extensions.map((e) => e.name)).toEqual(expect.arrayContaining(['citext', 'pgcrypto', 'uuid-ossp']));
    const cols = c.schemas.find((s) => s.name === 'public')!.tables[0]!.columns;
    expect(cols.map((x) => [x.name, x.type.raw, x.default])).toEqual([
      ['id', 'uuid', 'uuid_generate_v4()'],
      ['email', 'citext', null],
      ['pw', 'text', "crypt('x'::text, gen_salt('bf'::text))"],
    ]);
  });

  it('says which statement of the spec Postgres refused', async () => {
    const spec = parseSpecText('tables: [{ name: t, columns: { a: { type: int, default: "not_a_function()" } } }]');
    await expect(specToCatalog(spec)).rejects.toMatchObject({ code: 'E_SPEC', message: expect.stringMatching(/createTable public\.t: .*not_a_function/) });
  });
});
