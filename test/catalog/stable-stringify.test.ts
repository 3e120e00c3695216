// stableStringify must give exactly the bytes of the original algorithm —
// copy every object with its keys sorted, then JSON.stringify — whatever the
// key order it is handed (it copies only objects whose keys are out of order).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PGlite } from '@electric-sql/pglite';
import { markKeyOrdered, stableStringify, withSortedKeys } from '../../src/catalog/normalize.js';
import { inspect } from '../../src/inspect.js';
import { wrapPglite } from '../../src/drivers/pglite-driver.js';
import { CORE_DDL } from '../dialects/postgres/catalog-fixture.js';

/** The algorithm stableStringify had before it learned to skip sorted objects: the reference bytes. */
function reference(value: unknown, indent = 0): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = sortKeys(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value), null, indent);
}

/** The same data with every object's keys in reverse order (nothing left sorted). */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
  return v;
}

describe('stableStringify', () => {
  it('gives the reference bytes for a real catalog, its keys as built, sorted, and reversed', async () => {
    const db = await PGlite.create();
    try {
      const conn = wrapPglite(db);
      await conn.exec(CORE_DDL);
      const catalog = await inspect(conn);
      const sorted = JSON.parse(reference(catalog)) as unknown;
      for (const v of [catalog, sorted, reversed(catalog)]) {
        expect(stableStringify(v, 2)).toBe(reference(catalog, 2));
        expect(stableStringify(v)).toBe(reference(catalog));
      }
      // Sorted input is serialised in place: the catalog itself, not a copy, comes out of the walk.
      expect(stableStringify(sorted, 2)).toBe(JSON.stringify(sorted, null, 2));
      // inspect built the catalog in key order and marked it (markKeyOrdered checks that under vitest): no walk, the same bytes.
      expect(stableStringify(catalog, 2)).toBe(JSON.stringify(catalog, null, 2));
    } finally {
      await db.close();
    }
  });

  it('gives the reference bytes for any JSON-like value, undefined members, numeric keys and dates included', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, undefined, true, 0, -1.5, '', 'x', '10', '9'),
        fc.string(),
        fc.date({ noInvalidDate: true }),
        fc.array(tie('any'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('10', '9', '0', 'a', 'B', '__x')), tie('any'), { maxKeys: 5 }),
      ),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(stableStringify(v, 2)).toBe(reference(v, 2));
        expect(stableStringify(reversed(v))).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats objects that are not plain data as the reference does', () => {
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
    }
    const odd = { b: new Date(0), a: { toJSON: () => 'custom', z: 1 }, c: new Point(2, 1), d: Object.assign(Object.create(null), { b: 1, a: 2 }), e: [undefined, () => 1] };
    expect(stableStringify(odd, 2)).toBe(reference(odd, 2));
  });

  it('serialises a value marked as key-ordered as it is, and refuses a false mark under test', () => {
    expect(() => markKeyOrdered({ a: 1, nested: [{ z: 1, y: 2 }] })).toThrow(/not in sorted order/);
    const ok = markKeyOrdered({ a: 1, nested: [{ y: 2, z: 1 }] });
    expect(stableStringify(ok)).toBe('{"a":1,"nested":[{"y":2,"z":1}]}');
  });
});

describe('withSortedKeys', () => {
  it('returns the object itself when its keys are in order, else a shallow copy whose keys are', () => {
    const inOrder = { a: 1, b: { z: 1, y: 2 }, c: undefined };
    expect(withSortedKeys(inOrder)).toBe(inOrder);
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.constant(null))), (o) => {
        const r = withSortedKeys(reversed(o) as Record<string, unknown>);
        expect(JSON.stringify(r)).toBe(reference(o));
      }),
      { numRuns: 500 },
    );
  });
});
