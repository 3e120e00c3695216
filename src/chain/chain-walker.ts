// Walks a chain's rows in seq order, recomputes every hash and records the
// raw anomalies (gap, duplicate, content, link). Pure and constant-memory: it
// keeps only the previous row and at most `limit` anomalies. Classification
// into edited/deleted/inserted/reordered happens in classify.ts.
import { genesisHash, HEX64, PayloadEncoder, type ChainShape } from './canonical.js';
import type { RawChainRow } from './chain-dialect.js';

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

  constructor(
    shape: ChainShape,
    private readonly limit = 100,
    anchorSeq?: string,
  ) {
    this.encoder = new PayloadEncoder(shape);
    this.genesis = genesisHash(shape.chainId);
    this.anchorSeq = anchorSeq === undefined ? undefined : BigInt(anchorSeq);
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
    return this.out;
  }
}
