// Turns the walker's raw anomalies into what a person acts on: which seq, and
// whether a row was edited, deleted, inserted or moved. A broken link is
// diagnosed by finding the row its previous_hash points to (`lookup`).
import type { Anomaly } from './chain-walker.js';

export type ProblemKind =
  | 'edited'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'link'
  | 'renumbered'
  | 'truncated'
  | 'head-mismatch'
  | 'anchor-mismatch'
  | 'unhashed-column'
  | 'schema-changed';

export interface ChainProblem {
  kind: ProblemKind;
  /** The first seq concerned ('' when the problem is not about one row). */
  seq: string;
  expected?: string;
  stored?: string;
  detail: string;
}

/** At most this many rows are searched by hash to diagnose broken links (each is a scan). */
const MAX_LOOKUPS = 20;

export async function classifyAnomalies(anomalies: Anomaly[], lookup: (hash: string) => Promise<string | undefined>): Promise<ChainProblem[]> {
  const out: ChainProblem[] = [];
  const seen = new Set<string>();
  const explained = new Set<string>();
  let lookups = 0;
  const add = (p: ChainProblem) => {
    const key = `${p.kind}@${p.seq}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  const find = async (hash: string | null): Promise<bigint | undefined | 'skipped'> => {
    if (!hash) return undefined;
    if (lookups >= MAX_LOOKUPS) return 'skipped';
    lookups++;
    const s = await lookup(hash);
    return s === undefined ? undefined : BigInt(s);
  };
  /** Diagnoses a row at `seq` whose previous_hash does not match its predecessor's row_hash. */
  const diagnoseLink = async (seq: bigint, previousHash: string | null, contentOk: boolean, expected?: string, stored?: string | null): Promise<void> => {
    const t = await find(previousHash);
    const s = String(seq);
    if (t === 'skipped') {
      add({ kind: 'link', seq: s, detail: `previous_hash does not match the row_hash of seq ${seq - 1n} (not diagnosed further: too many broken links)` });
    } else if (t === undefined) {
      if (contentOk) {
        add({ kind: 'edited', seq: String(seq - 1n), detail: `row ${seq - 1n} was changed and its row_hash recomputed: seq ${seq} still links to the original hash` });
      } else {
        add({ kind: 'inserted', seq: s, ...(expected ? { expected } : {}), ...(stored ? { stored } : {}), detail: `the row at seq ${seq} does not belong to the chain: its previous_hash matches no row and its content does not hash to its row_hash` });
      }
    } else if (t > seq) {
      // The row's original predecessor now sits at seq t: rows were swapped or moved. The rows
      // around both places then fail too; they are explained by this one finding.
      for (const x of [seq, seq + 1n, t, t + 1n, t + 2n]) explained.add(String(x));
      add({ kind: 'reordered', seq: s, detail: `the row at seq ${seq} links to the row now at seq ${t}: rows were swapped or moved` });
    } else if (t < seq - 1n) {
      const from = t + 1n;
      const n = seq - 1n - t;
      add({ kind: 'inserted', seq: String(from), detail: `${n} row${n === 1n ? '' : 's'} inserted at seq ${from}${n > 1n ? `..${seq - 1n}` : ''}: seq ${seq} links to seq ${t}` });
    } else if (!contentOk) {
      add({ kind: 'edited', seq: s, ...(expected ? { expected } : {}), ...(stored ? { stored } : {}), detail: `the row at seq ${seq} does not hash to its stored row_hash` });
    } else {
      add({ kind: 'link', seq: s, detail: `previous_hash does not match the row_hash of seq ${seq - 1n}` });
    }
  };

  for (const a of anomalies) {
    if (a.type === 'no-seq') {
      add({ kind: 'inserted', seq: '', detail: 'a row without seq (written with the chain trigger disabled)' });
      continue;
    }
    if (explained.has(a.seq)) continue;
    const seq = BigInt(a.seq);
    switch (a.type) {
      case 'duplicate':
        add({ kind: 'inserted', seq: a.seq, detail: `two rows claim seq ${a.seq}${a.contentOk ? '' : ' (one does not hash to its row_hash)'}` });
        break;
      case 'gap': {
        const from = BigInt(a.missingFrom);
        const to = BigInt(a.missingTo);
        if (to < from) {
          add({ kind: 'inserted', seq: a.seq, detail: `seq ${a.seq} is out of sequence (expected ${a.missingFrom})` });
        } else {
          const n = to - from + 1n;
          add({ kind: 'deleted', seq: a.missingFrom, detail: `${n} row${n === 1n ? '' : 's'} deleted: seq ${a.missingFrom}${n > 1n ? `..${a.missingTo}` : ''} missing` });
        }
        if (!a.contentOk) add({ kind: 'edited', seq: a.seq, ...(a.expected ? { expected: a.expected } : {}), ...(a.stored ? { stored: a.stored } : {}), detail: `the row at seq ${a.seq} does not hash to its stored row_hash` });
        break;
      }
      case 'content':
        if (a.linkOk) {
          add({ kind: 'edited', seq: a.seq, expected: a.expected, ...(a.stored ? { stored: a.stored } : {}), detail: `the content of seq ${a.seq} was changed: it hashes to ${short(a.expected)}, stored row_hash ${short(a.stored)}` });
        } else {
          await diagnoseLink(seq, a.previousHash, false, a.expected, a.stored);
        }
        break;
      case 'link':
        await diagnoseLink(seq, a.storedPrevious, true);
        break;
      case 'shifted':
        add({
          kind: 'renumbered',
          seq: a.seq,
          detail: `rows ${a.seq}..${a.to} hash correctly only under seq ${a.by > 0 ? '−' : '+'}1: renumbered to hide ${a.by > 0 ? 'an inserted' : 'a deleted'} row`,
        });
        break;
    }
  }
  return out;
}

export function short(h: string | null | undefined): string {
  return h ? (h.length > 16 ? `${h.slice(0, 12)}…` : h) : '(null)';
}
