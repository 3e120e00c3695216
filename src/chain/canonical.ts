// The canonical byte serialisation of a chained row (hash_version 1) and the
// hash arithmetic on it — the TypeScript half of docs/chain.md. Pure: never
// touches a database; the SQL triggers must produce exactly these bytes.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

export const HASH_VERSION = 1;
/** The first field of every payload: names the format so a hash can never be read as another format's. */
export const PAYLOAD_MAGIC = 'plumb.chain';
/** Hashed with the chain id to make the previous_hash of seq 1. */
export const GENESIS_CONSTANT = 'plumb.chain.genesis.v1';

/**
 * How the verifier turns the text an engine returns for a column (read under
 * the fixed session settings of docs/chain.md) into the canonical text:
 * `text` and `json` as is (json is read through the engine's canonical JSON
 * text, see docs/chain.md); `timestamptz`/`timestamp` normalised to ISO 8601 with six
 * fractional digits (and `Z` for instants).
 */
export type ValueKind = 'text' | 'json' | 'timestamptz' | 'timestamp';

export interface ChainColumn {
  name: string;
  /** The column's type as the engine printed it at install time (part of the hash). */
  type: string;
  kind: ValueKind;
}

export interface ChainShape {
  chainId: string;
  hashVersion: number;
  columns: readonly ChainColumn[];
}

const NULL_MARK = Buffer.from([0]);
const VALUE_MARK = Buffer.from([1]);

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** str(s) = u32be(byte length) ‖ UTF-8 bytes. */
export function field(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(body.length), body]);
}

/** value(v) = 0x00 for NULL, else 0x01 ‖ str(v). */
export function valueField(v: string | null): Buffer {
  return v === null ? NULL_MARK : Buffer.concat([VALUE_MARK, field(v)]);
}

export function genesisHash(chainId: string): string {
  return createHash('sha256').update(GENESIS_CONSTANT, 'utf8').update(NULL_MARK).update(chainId, 'utf8').digest('hex');
}

const TS_RE = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]00(?::?00)?)?$/;

/** `2024-01-02 03:04:05.12+00` → `2024-01-02T03:04:05.120000Z` (instants must already be in UTC). */
export function canonicalTimestamp(text: string, instant: boolean): string {
  const m = TS_RE.exec(text);
  // infinity, -infinity and BC dates stay as the engine printed them (docs/chain.md).
  if (!m) return text;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}${instant ? 'Z' : ''}`;
}

/** src[start..end) to out[at..]; returns the offset after it. Short runs in a loop: Buffer#copy allocates a view per call. */
function copyBytes(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  if (end - start > 64) {
    out.set(src.subarray(start, end), at);
    return at + end - start;
  }
  for (let i = start; i < end; i++) out[at++] = src[i]!;
  return at;
}

/**
 * SHA-256 of `data` as its 32 bytes in a latin1 string. crypto.hash (Node
 * 20.12+) is one native call with no Hash object: about half the cost of
 * createHash().update().digest() on a row-sized input, the verifier's hot loop.
 * Read from the namespace: a named import would fail to link on Node 20.10–20.11.
 */
const sha256Latin1: (data: Uint8Array) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'binary') : (data) => createHash('sha256').update(data).digest('binary');

/** u32be(n) at out[at..]; returns the offset after it. */
function u32At(out: Uint8Array, at: number, n: number): number {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
  return at + 4;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/**
 * canonicalTimestamp() on bytes: writes the canonical form of the ASCII text
 * `src[start..end)` at `out[at..]` and returns its length. It accepts exactly
 * what TS_RE accepts; anything else is copied as is, as canonicalTimestamp
 * returns it.
 */
export function canonicalTimestampBytes(src: Uint8Array, start: number, end: number, instant: boolean, out: Uint8Array, at: number): number {
  let i = start;
  while (i < end && isDigit(src[i])) i++;
  const years = i - start;
  // date: \d{4,}-\d{2}-\d{2}, then [ T], then \d{2}:\d{2}:\d{2}
  let ok = years >= 4 && i + 15 <= end && src[i] === 0x2d && isDigit(src[i + 1]) && isDigit(src[i + 2]) && src[i + 3] === 0x2d && isDigit(src[i + 4]) && isDigit(src[i + 5]);
  ok &&= (src[i + 6] === 0x20 || src[i + 6] === 0x54) && isDigit(src[i + 7]) && isDigit(src[i + 8]) && src[i + 9] === 0x3a;
  ok &&= isDigit(src[i + 10]) && isDigit(src[i + 11]) && src[i + 12] === 0x3a && isDigit(src[i + 13]) && isDigit(src[i + 14]);
  const dateEnd = i + 6;
  i += 15;
  let fracStart = i;
  let fracEnd = i;
  if (ok && i < end && src[i] === 0x2e) {
    fracStart = fracEnd = i + 1;
    while (fracEnd < end && isDigit(src[fracEnd])) fracEnd++;
    ok = fracEnd - fracStart >= 1 && fracEnd - fracStart <= 6;
    i = fracEnd;
  }
  // zone: (Z|[+-]00(?::?00)?)? then the end
  if (ok && i < end) {
    const rest = end - i;
    const c = src[i];
    if (c === 0x5a) ok = rest === 1;
    else if ((c === 0x2b || c === 0x2d) && rest >= 3 && src[i + 1] === 0x30 && src[i + 2] === 0x30) {
      ok = rest === 3 || (rest === 5 && src[i + 3] === 0x30 && src[i + 4] === 0x30) || (rest === 6 && src[i + 3] === 0x3a && src[i + 4] === 0x30 && src[i + 5] === 0x30);
    } else ok = false;
  }
  if (!ok) {
    out.set(src.subarray(start, end), at);
    return end - start;
  }
  let o = at;
  for (let k = start; k < dateEnd; k++) out[o++] = src[k]!;
  out[o++] = 0x54; // T
  for (let k = dateEnd + 1; k < dateEnd + 9; k++) out[o++] = src[k]!;
  out[o++] = 0x2e; // .
  for (let k = fracStart; k < fracEnd; k++) out[o++] = src[k]!;
  for (let k = fracEnd - fracStart; k < 6; k++) out[o++] = 0x30;
  if (instant) out[o++] = 0x5a; // Z
  return o - at;
}

export function canonicalValue(kind: ValueKind, text: string | null): string | null {
  if (text === null) return null;
  switch (kind) {
    case 'text':
    case 'json':
      return text;
    case 'timestamptz':
      return canonicalTimestamp(text, true);
    case 'timestamp':
      return canonicalTimestamp(text, false);
  }
}

/**
 * Precomputed pieces of one chain's payload: everything but seq and the values
 * is constant per chain, so the verifier builds it once. Rows are encoded into
 * one reused scratch buffer (no per-field allocations: the verifier's hot loop).
 */
export class PayloadEncoder {
  private readonly prefix: Buffer;
  private readonly headers: Buffer[];
  private readonly kinds: ValueKind[];
  private readonly headerBytes: number;
  private scratch = Buffer.allocUnsafe(64 * 1024);
  /** rowDigestFromBytes' own scratch (see rowScratch). */
  private rowBytes: Uint8Array = new Uint8Array(0);
  /**
   * Where each column header sits in rowBytes, intact, since the last row
   * (−1: nowhere). A row writes its bytes in increasing offsets, so a header
   * a row finds at the offset it needs is still there: rows of the same
   * value lengths (most rows) copy no header again.
   */
  private readonly headerAt: Int32Array;
  /** rowView's views of rowBytes, by length. */
  private views: (Uint8Array | undefined)[] = [];
  constructor(readonly shape: ChainShape) {
    this.prefix = Buffer.concat([field(PAYLOAD_MAGIC), field(String(shape.hashVersion)), field(shape.chainId)]);
    this.headers = shape.columns.map((c) => Buffer.concat([field(c.name), field(c.type)]));
    this.kinds = shape.columns.map((c) => c.kind);
    this.headerBytes = this.headers.reduce((n, h) => n + h.length, 0);
    this.headerAt = new Int32Array(this.headers.length).fill(-1);
  }

  private ensure(n: number): void {
    if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2));
  }

  /** Writes str(s) at `at`; returns the new offset. */
  private str(s: string, at: number): number {
    this.ensure(at + 4 + s.length * 3);
    const n = this.scratch.write(s, at + 4, 'utf8');
    this.scratch.writeUInt32BE(n, at);
    return at + 4 + n;
  }

  /** Encodes `[32 bytes of previous hash] ‖ payload` into the scratch buffer; returns its length. */
  private encode(previousHashHex: string, seq: string, values: readonly (string | null)[], canonical: boolean): number {
    const s = this.scratch;
    let at = s.write(previousHashHex, 0, 'hex');
    this.ensure(at + this.prefix.length + 4);
    at += this.prefix.copy(this.scratch, at);
    at = this.str(seq, at);
    this.scratch.writeUInt32BE(this.headers.length, at);
    at += 4;
    for (let i = 0; i < this.headers.length; i++) {
      const h = this.headers[i]!;
      this.ensure(at + h.length + 1);
      at += h.copy(this.scratch, at);
      const raw = values[i] ?? null;
      const v = canonical ? raw : canonicalValue(this.kinds[i]!, raw);
      if (v === null) {
        this.scratch[at++] = 0;
      } else {
        this.scratch[at++] = 1;
        at = this.str(v, at);
      }
    }
    return at;
  }

  /** The payload bytes for a row: values are the engine's text (or null) in column order. */
  payload(seq: string, values: readonly (string | null)[]): Buffer {
    const n = this.encode(ZERO_HASH, seq, values, false);
    return Buffer.from(this.scratch.subarray(32, n));
  }

  /** The payload with values that are already canonical (for computing the hash an engine should store). */
  payloadCanonical(seq: string, canonical: readonly (string | null)[]): Buffer {
    const n = this.encode(ZERO_HASH, seq, canonical, true);
    return Buffer.from(this.scratch.subarray(32, n));
  }

  /**
   * SHA-256(previous hash ‖ payload) of a row given as the engine's text in
   * UTF-8 bytes, the verifier's fast path (no strings per row). Field k is
   * `src[f[2k]..f[2k + 1])`, start −1 for NULL; seq is field `seqField` and
   * value i field `firstValue + i`. Hashes, in and out, are their 32 bytes
   * as a latin1 string (cheaper to make and collect than a Buffer). The same
   * bytes as rowHash() over the decoded strings.
   */
  rowDigestFromBytes(previousHash: string, src: Uint8Array, f: Int32Array, seqField: number, firstValue: number): string {
    // Every value is at most 8 bytes longer than its text (a timestamp gains ".000000Z") plus its 5-byte mark and length.
    const need = 32 + this.prefix.length + 8 + this.headerBytes + this.kinds.length * 13 + src.length;
    if (need > this.rowBytes.length) this.rowBytes = this.rowScratch(need);
    const s = this.rowBytes;
    for (let i = 0; i < 32; i++) s[i] = previousHash.charCodeAt(i);
    // The prefix sits at 32 in every row: rowScratch wrote it once.
    let at = 32 + this.prefix.length;
    at = u32At(s, at, f[2 * seqField + 1]! - f[2 * seqField]!);
    at = copyBytes(src, f[2 * seqField]!, f[2 * seqField + 1]!, s, at);
    at = u32At(s, at, this.headers.length);
    for (let i = 0; i < this.headers.length; i++) {
      const h = this.headers[i]!;
      if (this.headerAt[i] !== at) {
        s.set(h, at);
        this.headerAt[i] = at;
      }
      at += h.length;
      const start = f[2 * (firstValue + i)]!;
      if (start < 0) {
        s[at++] = 0;
        continue;
      }
      const end = f[2 * (firstValue + i) + 1]!;
      s[at++] = 1;
      const kind = this.kinds[i]!;
      const n = kind === 'timestamptz' || kind === 'timestamp' ? canonicalTimestampBytes(src, start, end, kind === 'timestamptz', s, at + 4) : copyBytes(src, start, end, s, at + 4) - at - 4;
      at = u32At(s, at, n) + n;
    }
    return sha256Latin1(this.rowView(at));
  }

  /**
   * rowBytes[0..n) as a view made once per length: rows come in few lengths,
   * and a view per row is most of what the hot loop would allocate.
   */
  private rowView(n: number): Uint8Array {
    if (n > MAX_CACHED_VIEW) return this.rowBytes.subarray(0, n);
    return (this.views[n] ??= this.rowBytes.subarray(0, n));
  }

  /** A scratch buffer for rowDigestFromBytes, with the chain's constant prefix already in place at 32. */
  private rowScratch(n: number): Uint8Array {
    const s = new Uint8Array(Math.max(n, 2 * this.rowBytes.length, 4096));
    s.set(this.prefix, 32);
    this.headerAt.fill(-1);
    this.views = [];
    return s;
  }

  /** row_hash of a row as the engine returned it: hex(SHA-256(previous hash ‖ payload)). */
  rowHash(previousHashHex: string, seq: string, values: readonly (string | null)[]): string {
    const n = this.encode(previousHashHex, seq, values, false);
    return createHash('sha256').update(this.scratch.subarray(0, n)).digest('hex');
  }
}

const ZERO_HASH = '0'.repeat(64);
/** Longer rows get a fresh view each (few; the cache stays small). */
const MAX_CACHED_VIEW = 8192;

/** row_hash = hex(SHA-256(raw previous hash (32 bytes) ‖ payload)). */
export function rowHash(previousHashHex: string, payload: Buffer): string {
  return createHash('sha256').update(Buffer.from(previousHashHex, 'hex')).update(payload).digest('hex');
}

export const HEX64 = /^[0-9a-f]{64}$/;
