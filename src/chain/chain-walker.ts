// Walks a chain's rows in seq order, recomputes every hash and records the
// raw anomalies (gap, duplicate, content, link). Pure and constant-memory: it
// keeps only the previous row and at most `limit` anomalies. Classification
// into edited/deleted/inserted/reordered happens in classify.ts.
import { genesisHash, HEX64, PayloadEncoder, type ChainShape } from './canonical.js';
import { BYTE_FIELDS, type RawChainRow } from './chain-dialect.js';

/** Byte → value of a lowercase hex digit, else −1 (row_hash and previous_hash are lowercase hex). */
const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let b = 0; b < 16; b++) HEX_DIGIT[b.toString(16).charCodeAt(0)] = b;

/** Whether src[start..start+64) is the lowercase hex spelling of the 32 bytes `raw` (a latin1 string). */
function hexEquals(src: Uint8Array, start: number, raw: string): boolean {
  for (let i = 0; i < 32; i++) {
    const hi = HEX_DIGIT[src[start + 2 * i]!]!;
    const lo = HEX_DIGIT[src[start + 2 * i + 1]!]!;
    if ((hi | lo) < 0 || ((hi << 4) | lo) !== raw.charCodeAt(i)) return false;
  }
  return true;
}

/** Seqs up to here are exact as JS numbers (the fast path's bound). */
const MAX_FAST_SEQ = 1e15;

export type Anomaly =
  | { type: 'no-seq'; previousHash: string | null }
  | { type: 'duplicate'; seq: string; contentOk: boolean }
  | { type: 'gap'; seq: string; missingFrom: string; missingTo: string; contentOk: boolean; expected?: string; stored: string | null }
  | { type: 'content'; seq: string; expected: string; stored: string | null; linkOk: boolean; previousHash: string | null }
  | { type: 'link'; seq: string; expectedPrevious: string; storedPrevious: string | null }
  /** A run of rows that hash correctly under seq − by: renumbered after an insertion (by 1) or a deletion (by −1). */
  | { type: 'shifted'; seq: string; to: string; by: number };

export interface WalkSummary {
  rows: number;
  firstSeq?: string;
  lastSeq?: string;
  lastHash?: string;
  anomalies: Anomaly[];
  /** More anomalies than `limit` existed; only the first ones were kept. */
  anomaliesTruncated: boolean;
  /** row_hash stored at the anchor's seq, when the walk passed it. */
  hashAtAnchor?: string;
}

export class ChainWalker {
  private readonly encoder: PayloadEncoder;
  private readonly genesis: string;
  private prev: { seq: bigint; hash: string | null } | undefined;
  private readonly out: WalkSummary = { rows: 0, anomalies: [], anomaliesTruncated: false };
  private readonly anchorSeq: bigint | undefined;
  /*
   * The fast path (pushBytes) takes only the row the walk expects next: seq
   * `fastSeq` (a number; −1 = unusable), previous_hash spelling `fastPrev`
   * (its 32 bytes as latin1; null = the expected previous hash is not
   * lowercase hex), a correct hash. Such a row changes no more than push()
   * would for it; `pending` says prev/lastSeq/lastHash lag behind and sync()
   * must spell them out before push() or finish() reads them.
   */
  private fastSeq = 1;
  private fastPrev: string | null;
  private pending = false;
  /** push() moved the walk on: fastSeq and fastPrev must be derived again from prev. */
  private fastStale = false;
  private readonly hashVersionBytes: Buffer;
  private readonly anchorFast: number;

  constructor(
    shape: ChainShape,
    private readonly limit = 100,
    anchorSeq?: string,
  ) {
    this.encoder = new PayloadEncoder(shape);
    this.genesis = genesisHash(shape.chainId);
    this.anchorSeq = anchorSeq === undefined ? undefined : BigInt(anchorSeq);
    this.fastPrev = Buffer.from(this.genesis, 'hex').toString('latin1');
    this.hashVersionBytes = Buffer.from(String(shape.hashVersion));
    this.anchorFast = this.anchorSeq !== undefined && this.anchorSeq > 0n && this.anchorSeq <= BigInt(MAX_FAST_SEQ) ? Number(this.anchorSeq) : -1;
  }

  /**
   * The fast path for a row given as bytes (BYTE_FIELDS layout): takes it and
   * returns true when it is exactly the row expected next and intact — the
   * common case. Returns false, having changed nothing, for any other row:
   * the caller must then push() it decoded, where every anomaly is judged.
   */
  pushBytes(src: Buffer, f: Int32Array): boolean {
    if (this.fastStale) this.refreshFast();
    const prev = this.fastPrev;
    const want = this.fastSeq;
    if (prev === null || want < 0) return false;
    // seq: decimal digits without a leading zero, equal to the expected one.
    const s0 = f[2 * BYTE_FIELDS.seq]!;
    const s1 = f[2 * BYTE_FIELDS.seq + 1]!;
    if (s0 < 0 || s1 - s0 < 1 || s1 - s0 > 15 || src[s0] === 0x30) return false;
    let seq = 0;
    for (let i = s0; i < s1; i++) {
      const d = src[i]! - 0x30;
      if (d < 0 || d > 9) return false;
      seq = seq * 10 + d;
    }
    if (seq !== want) return false;
    const v0 = f[2 * BYTE_FIELDS.hashVersion]!;
    const hv = this.hashVersionBytes;
    if (v0 < 0 || f[2 * BYTE_FIELDS.hashVersion + 1]! - v0 !== hv.length) return false;
    for (let i = 0; i < hv.length; i++) if (src[v0 + i] !== hv[i]) return false;
    const p0 = f[2 * BYTE_FIELDS.previousHash]!;
    if (p0 < 0 || f[2 * BYTE_FIELDS.previousHash + 1]! - p0 !== 64 || !hexEquals(src, p0, prev)) return false;
    const h0 = f[2 * BYTE_FIELDS.rowHash]!;
    if (h0 < 0 || f[2 * BYTE_FIELDS.rowHash + 1]! - h0 !== 64) return false;
    const digest = this.encoder.rowDigestFromBytes(prev, src, f, BYTE_FIELDS.seq, BYTE_FIELDS.firstValue);
    if (!hexEquals(src, h0, digest)) return false;

    this.out.rows++;
    this.out.firstSeq ??= String(seq);
    if (seq === this.anchorFast) this.out.hashAtAnchor = Buffer.from(digest, 'latin1').toString('hex');
    this.fastPrev = digest;
    this.fastSeq = seq + 1 <= MAX_FAST_SEQ ? seq + 1 : -1;
    this.pending = true;
    return true;
  }

  /** Spells out what fast rows left implicit: the previous row, lastSeq and lastHash. */
  private sync(): void {
    if (!this.pending) return;
    this.pending = false;
    const hash = Buffer.from(this.fastPrev!, 'latin1').toString('hex');
    const seq = this.fastSeq - 1;
    this.prev = { seq: BigInt(seq), hash };
    this.out.lastSeq = String(seq);
    this.out.lastHash = hash;
  }

  /** What the fast path expects next, from the state push() left. */
  private refreshFast(): void {
    this.fastStale = false;
    const next = this.prev ? this.prev.seq + 1n : 1n;
    const previous = this.prev ? this.prev.hash : this.genesis;
    this.fastSeq = next <= BigInt(MAX_FAST_SEQ) ? Number(next) : -1;
    this.fastPrev = previous !== null && HEX64.test(previous) ? Buffer.from(previous, 'hex').toString('latin1') : null;
  }

  private note(a: Anomaly): void {
    if (this.out.anomalies.length < this.limit) this.out.anomalies.push(a);
    else this.out.anomaliesTruncated = true;
  }

  private contentHash(r: RawChainRow): string | undefined {
    if (r.seq === null || r.previousHash === null || !HEX64.test(r.previousHash) || r.hashVersion !== String(this.encoder.shape.hashVersion)) return undefined;
    return this.encoder.rowHash(r.previousHash, r.seq, r.values);
  }

  push(r: RawChainRow): void {
    this.sync();
    this.judge(r);
    this.fastStale = true;
  }

  private judge(r: RawChainRow): void {
    this.out.rows++;
    if (r.seq === null) {
      this.note({ type: 'no-seq', previousHash: r.previousHash });
      return;
    }
    const seq = BigInt(r.seq);
    this.out.firstSeq ??= r.seq;
    this.out.lastSeq = r.seq;
    this.out.lastHash = r.rowHash ?? undefined;
    if (this.anchorSeq === seq) this.out.hashAtAnchor = r.rowHash ?? '';
    const computed = this.contentHash(r);
    const contentOk = computed !== undefined && computed === r.rowHash;
    const expectedSeq = this.prev ? this.prev.seq + 1n : 1n;
    const expectedPrevious = this.prev ? this.prev.hash : this.genesis;

    if (this.prev && seq === this.prev.seq) {
      this.note({ type: 'duplicate', seq: r.seq, contentOk });
      // Keep the row that links correctly as the predecessor of the next one.
      return;
    }
    if (seq !== expectedSeq) {
      this.note({
        type: 'gap',
        seq: r.seq,
        missingFrom: String(expectedSeq),
        missingTo: String(seq - 1n),
        contentOk,
        ...(computed !== undefined ? { expected: computed } : {}),
        stored: r.rowHash,
      });
    } else {
      const linkOk = r.previousHash === expectedPrevious;
      const shift = !contentOk && linkOk && computed !== undefined ? this.shiftOf(r, seq) : 0;
      if (shift !== 0) {
        const last = this.out.anomalies[this.out.anomalies.length - 1];
        if (last?.type === 'shifted' && last.by === shift && BigInt(last.to) + 1n === seq) last.to = r.seq;
        else this.note({ type: 'shifted', seq: r.seq, to: r.seq, by: shift });
      } else if (!contentOk) {
        this.note({ type: 'content', seq: r.seq, expected: computed ?? '(unreadable previous_hash or hash_version)', stored: r.rowHash, linkOk, previousHash: r.previousHash });
      } else if (!linkOk) {
        this.note({ type: 'link', seq: r.seq, expectedPrevious: expectedPrevious ?? '(none)', storedPrevious: r.previousHash });
      }
    }
    this.prev = { seq, hash: r.rowHash };
  }

  /** Whether the row hashes correctly under seq − 1 (+1: pushed up by an insertion) or seq + 1 (−1). */
  private shiftOf(r: RawChainRow, seq: bigint): number {
    for (const by of [1, -1]) {
      const s = String(seq - BigInt(by));
      if (this.encoder.rowHash(r.previousHash!, s, r.values) === r.rowHash) return by;
    }
    return 0;
  }

  finish(): WalkSummary {
    this.sync();
    return this.out;
  }
}
