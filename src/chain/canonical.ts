// The canonical byte serialisation of a chained row (hash_version 1) and the
// hash arithmetic on it — the TypeScript half of docs/chain.md. Pure: never
// touches a database; the SQL triggers must produce exactly these bytes.
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
  private scratch = Buffer.allocUnsafe(64 * 1024);
  constructor(readonly shape: ChainShape) {
    this.prefix = Buffer.concat([field(PAYLOAD_MAGIC), field(String(shape.hashVersion)), field(shape.chainId)]);
    this.headers = shape.columns.map((c) => Buffer.concat([field(c.name), field(c.type)]));
    this.kinds = shape.columns.map((c) => c.kind);
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

  /** row_hash of a row as the engine returned it: hex(SHA-256(previous hash ‖ payload)). */
  rowHash(previousHashHex: string, seq: string, values: readonly (string | null)[]): string {
    const n = this.encode(previousHashHex, seq, values, false);
    return createHash('sha256').update(this.scratch.subarray(0, n)).digest('hex');
  }
}

const ZERO_HASH = '0'.repeat(64);

/** row_hash = hex(SHA-256(raw previous hash (32 bytes) ‖ payload)). */
export function rowHash(previousHashHex: string, payload: Buffer): string {
  return createHash('sha256').update(Buffer.from(previousHashHex, 'hex')).update(payload).digest('hex');
}

export const HEX64 = /^[0-9a-f]{64}$/;
