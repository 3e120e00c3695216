// Object paths round-trip through splitPath for any identifier a database allows.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { objectPath, pathPart, splitPath } from '../../src/catalog/paths.js';
import { normalizeCatalog, stableStringify } from '../../src/catalog/normalize.js';
import { parseExclusion } from '../../src/dialects/postgres/postgres-introspector.js';
import { stripOuterParens } from '../../src/catalog/expressions.js';
import type { Catalog } from '../../src/catalog/types.js';

describe('object paths', () => {
  it('round-trips any identifiers, quotes, dots and unicode included', () => {
    const ident = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 63 });
    fc.assert(
      fc.property(fc.array(ident, { minLength: 1, maxLength: 4 }), (parts) => {
        expect(splitPath(objectPath(...parts))).toEqual(parts);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes only the parts that need it', () => {
    expect(objectPath('public', 'users', 'id')).toBe('public.users.id');
    expect(objectPath('my schema', 'a.b', 'x"y')).toBe('"my schema"."a.b"."x""y"');
    expect(pathPart('Größe')).toBe('Größe');
  });
});

describe('expression normalisation', () => {
  it('strips only parentheses that wrap the whole expression', () => {
    expect(stripOuterParens('((a > 0))')).toBe('a > 0');
    expect(stripOuterParens('(a > 0) AND (b < 1)')).toBe('(a > 0) AND (b < 1)');
    expect(stripOuterParens("(x = ')(')")).toBe("x = ')('");
    expect(stripOuterParens('lower(name)')).toBe('lower(name)');
  });

  it('parses exclusion constraint definitions with nested parentheses', () => {
    expect(parseExclusion('EXCLUDE USING gist (room WITH =, tstzrange(starts, ends) WITH &&) WHERE ((room > 0) AND active)')).toEqual({
      method: 'gist',
      definition: 'EXCLUDE USING gist (room WITH =, tstzrange(starts, ends) WITH &&) WHERE ((room > 0) AND active)',
      elements: [
        { expression: 'room', operator: '=' },
        { expression: 'tstzrange(starts, ends)', operator: '&&' },
      ],
      predicate: '(room > 0) AND active',
    });
    expect(parseExclusion('EXCLUDE USING gist (during WITH &&)').predicate).toBeNull();
  });
});

describe('normal form', () => {
  it('serialises the same catalog to the same bytes whatever the input order', () => {
    const base: Catalog = {
      catalogVersion: 1, dialect: 'postgres', serverVersion: '18', serverMajor: 18, database: 'd', extensions: [], settings: { b: '1', a: '2' },
      schemas: [
        { name: 'b', path: 'b', owner: null, comment: null, tables: [], views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [] },
        { name: 'a', path: 'a', owner: null, comment: null, tables: [], views: [], enums: [{ name: 'z', path: 'a.z', labels: ['y', 'x'], comment: null }, { name: 'e', path: 'a.e', labels: [], comment: null }], domains: [], compositeTypes: [], sequences: [], routines: [], events: [] },
      ],
    };
    const shuffled: Catalog = { ...base, schemas: [...base.schemas].reverse(), settings: { a: '2', b: '1' } };
    expect(stableStringify(normalizeCatalog(shuffled))).toBe(stableStringify(normalizeCatalog(base)));
    // Enum labels keep their declared order: it is meaning, not noise.
    expect(normalizeCatalog(base).schemas[0]!.enums.map((e) => [e.name, e.labels])).toEqual([['e', []], ['z', ['y', 'x']]]);
  });
});
