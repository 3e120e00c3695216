// The verifier's byte fast path (COPY rows straight into the walker) must
// judge every chain exactly as the string path does: the same canonical
// bytes, the same COPY decoding, the same walk summary for any tampering.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalTimestamp, canonicalTimestampBytes, genesisHash, PayloadEncoder, type ChainShape } from '../../src/chain/canonical.js';
import { ChainWalker } from '../../src/chain/chain-walker.js';
import type { RawChainRow } from '../../src/chain/chain-dialect.js';
import { testing } from '../../src/chain/dialects/postgres-chain.js';

const shape: ChainShape = {
  chainId: 'audit.events',
  hashVersion: 1,
  columns: [
    { name: 'occurred_at', type: 'timestamp with time zone', kind: 'timestamptz' },
    { name: 'local_at', type: 'timestamp without time zone', kind: 'timestamp' },
    { name: 'actor', type: 'text', kind: 'text' },
    { name: 'payload', type: 'jsonb', kind: 'json' },
  ],
};

/** Timestamp-like text: what Postgres prints, the forms TS_RE accepts, and near misses. */
const timestampText = fc.oneof(
  fc
    .record({
      year: fc.oneof(fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), fc.constantFrom('10000', '275760', '123')),
      sep: fc.constantFrom(' ', 'T', '_'),
      time: fc.constantFrom('00:00:00', '23:59:59', '12:3:00', '1:00:00'),
      frac: fc.constantFrom('', '.1', '.123456', '.1234567', '.', '.12a'),
      zone: fc.constantFrom('', 'Z', '+00', '-00', '+0000', '+00:00', '+01', '+00:0', '+00:000', 'z', ' BC', '+00 BC'),
    })
    .map(({ year, sep, time, frac, zone }) => `${year}-01-31${sep}${time}${frac}${zone}`),
  fc.constantFrom('infinity', '-infinity', '', '2024-01-01', '2024-01-01 00:00:00+00x'),
  fc.string({ maxLength: 30 }),
);

/** COPY text format of one row (what Postgres sends): tabs between fields, `\N` for NULL, escapes. */
function copyRow(fields: (string | null)[]): Buffer {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\x08/g, '\\b').replace(/\f/g, '\\f').replace(/\v/g, '\\v');
  return Buffer.from(fields.map((f) => (f === null ? '\\N' : esc(f))).join('\t') + '\n', 'utf8');
}

/** The byte path as postgres-chain's walk() takes it. */
function pushCopy(w: ChainWalker, row: Buffer, fields: number): void {
  const f = new Int32Array(2 * fields);
  let src = row;
  let n = testing.splitCopyRow(row, f, fields);
  if (n < 0) ({ src, n } = testing.unescapeCopyRow(row, f, fields));
  else n %= testing.NON_ASCII;
  expect(n).toBe(fields);
  if (w.pushBytes(src, f)) return;
  const text = (k: number) => (f[2 * k]! < 0 ? null : src.toString('utf8', f[2 * k], f[2 * k + 1]));
  w.push({ seq: text(0), previousHash: text(1), rowHash: text(2), hashVersion: text(3), values: [text(4), text(5), text(6), text(7)] });
}

const fields = (r: RawChainRow) => [r.seq, r.previousHash, r.rowHash, r.hashVersion, ...r.values];

describe('the verifier fast path', () => {
  it('canonicalises timestamp bytes exactly as canonicalTimestamp does', () => {
    fc.assert(
      fc.property(timestampText, fc.boolean(), (text, instant) => {
        const src = Buffer.from(`x${text}y`, 'utf8');
        const out = Buffer.alloc(src.length + 16);
        const n = canonicalTimestampBytes(src, 1, src.length - 1, instant, out, 3);
        expect(out.toString('utf8', 3, 3 + n)).toBe(canonicalTimestamp(text, instant));
      }),
      { numRuns: 5000 },
    );
  });

  it('splits and unescapes COPY rows back into the fields', () => {
    const field = fc.oneof(fc.constant(null), fc.string(), fc.constantFrom('\\N', '\\', '\t', 'a\nb', '\\\\N', ''));
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 6 }), (values) => {
        const row = copyRow(values);
        const f = new Int32Array(2 * values.length);
        let src = row;
        let n = testing.splitCopyRow(row, f, values.length);
        if (n < 0) ({ src, n } = testing.unescapeCopyRow(row, f, values.length));
        else {
          expect(n >= testing.NON_ASCII).toBe(/[^\x00-\x7f]/.test(values.join('')));
          n %= testing.NON_ASCII;
        }
        expect(n).toBe(values.length);
        expect(values.map((_, k) => (f[2 * k]! < 0 ? null : src.toString('utf8', f[2 * k], f[2 * k + 1])))).toEqual(values);
        // A row with more fields than expected is reported as such, never written past `f`.
        if (values.length > 1) {
          const short = new Int32Array(2 * (values.length - 1));
          const m = testing.splitCopyRow(row, short, values.length - 1);
          expect(m < 0 ? testing.unescapeCopyRow(row, short, values.length - 1).n : m % testing.NON_ASCII).toBe(values.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('judges any tampered chain exactly as the string path does', () => {
    const enc = new PayloadEncoder(shape);
    const value = fc.oneof(fc.constant(null), timestampText, fc.string({ maxLength: 12 }), fc.constantFrom('é\t\\x', '{"a": "b\\"c"}'));
    const chain = (values: (string | null)[][]): RawChainRow[] => {
      let prev = genesisHash(shape.chainId);
      return values.map((v, i) => {
        const seq = String(i + 1);
        const row = { seq, previousHash: prev, rowHash: enc.rowHash(prev, seq, v), hashVersion: '1', values: v };
        prev = row.rowHash;
        return row;
      });
    };
    const edit = fc.oneof(
      fc.record({ op: fc.constant('value' as const), col: fc.integer({ min: 0, max: 3 }), to: value }),
      fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const, 'null-seq' as const, 'upper-prev' as const, 'bad-hash' as const, 'hv' as const, 'hv2' as const, 'seq-zero' as const, 'renumber' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, value, value), { minLength: 0, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), edit), { maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined }),
        (values, edits, anchor) => {
          const rows = chain(values);
          for (const [at, e] of edits) {
            if (rows.length === 0) break;
            const i = at % rows.length;
            const r = rows[i]!;
            switch (e.op) {
              case 'value':
                r.values = r.values.map((v, k) => (k === e.col ? e.to : v));
                break;
              case 'delete':
                rows.splice(i, 1);
                break;
              case 'duplicate':
                rows.splice(i, 0, { ...r });
                break;
              case 'swap':
                if (i + 1 < rows.length) [rows[i], rows[i + 1]] = [rows[i + 1]!, r];
                break;
              case 'null-seq':
                rows.splice(i, 1);
                rows.push({ ...r, seq: null });
                break;
              case 'upper-prev':
                r.previousHash = r.previousHash?.toUpperCase() ?? null;
                break;
              case 'bad-hash':
                r.rowHash = r.rowHash ? r.rowHash.slice(0, 63) : null;
                break;
              case 'hv':
                r.hashVersion = '01';
                break;
              case 'hv2':
                r.hashVersion = '2';
                break;
              case 'seq-zero':
                if (r.seq !== null) r.seq = `0${r.seq}`;
                break;
              case 'renumber':
                for (let k = i; k < rows.length; k++) if (rows[k]!.seq !== null) rows[k] = { ...rows[k]!, seq: String(Number(rows[k]!.seq) + 1) };
                break;
            }
          }
          const a = new ChainWalker(shape, 5, anchor === undefined ? undefined : String(anchor));
          for (const r of rows) a.push({ ...r, values: [...r.values] });
          const b = new ChainWalker(shape, 5, anchor === undefined ? undefined : String(anchor));
          for (const r of rows) pushCopy(b, copyRow(fields(r)), 8);
          expect(b.finish()).toEqual(a.finish());
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('takes an intact chain entirely on the fast path', () => {
    const enc = new PayloadEncoder(shape);
    let prev = genesisHash(shape.chainId);
    const w = new ChainWalker(shape, 5, '3');
    for (let i = 1; i <= 5; i++) {
      const v = ['2024-01-02 03:04:05.5+00', '2024-01-02 03:04:05', i % 2 ? null : 'ann', '{"n": 1}'];
      const h = enc.rowHash(prev, String(i), v);
      const row = copyRow([String(i), prev, h, '1', ...v]);
      const f = new Int32Array(16);
      expect(testing.splitCopyRow(row, f, 8)).toBe(8);
      expect(w.pushBytes(row, f)).toBe(true);
      prev = h;
    }
    expect(w.finish()).toMatchObject({ rows: 5, firstSeq: '1', lastSeq: '5', lastHash: prev, anomalies: [] });
  });
});
