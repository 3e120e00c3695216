// `plumb chain verify` as a library call: recompute every hash in TypeScript
// over one snapshot, classify what is broken, compare head and anchor. It
// never trusts a hash the database computed, and never writes.
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { checkAnchorSignature, type Anchor, type SignatureStatus } from './anchor.js';
import { readAnchorTable } from './anchor-table.js';
import { HASH_VERSION } from './canonical.js';
import { hashedColumns, type ChainMeta, type TableRef } from './chain-dialect.js';
import { ChainWalker } from './chain-walker.js';
import { classifyAnomalies, short, type ChainProblem } from './classify.js';
import { chainDialectFor } from './dialects/index.js';

export interface VerifyOptions {
  table: string;
  schema?: string;
  anchor?: Anchor;
  /** Read the newest anchor of this chain from a table (`plumb chain anchor --out table:NAME`). */
  anchorTable?: string;
  /** SPKI PEM of the key the anchor must be signed with. */
  publicKeyPem?: string;
  batchSize?: number;
  /** Stop recording after this many problems (the walk still finishes). */
  maxProblems?: number;
}

export interface VerifyReport {
  ok: boolean;
  chainId: string;
  table: string;
  hashVersion: number;
  /** Rows read in the snapshot and the seq range they cover. */
  rows: number;
  firstSeq: string | null;
  lastSeq: string | null;
  lastHash: string | null;
  /** What the head row says. */
  head: { seq: string; hash: string };
  anchor: { seq: string; hash: string; time: string; signature: SignatureStatus } | null;
  problems: ChainProblem[];
  problemsTruncated: boolean;
  notes: string[];
  elapsedMs: number;
}

export const NO_ANCHOR_NOTE =
  'no anchor given: deleting the newest rows together with the head row (tail truncation) cannot be detected without one — run `plumb chain anchor` and keep the file outside the database';

export async function resolveTable(conn: Connection, table: string, schema?: string): Promise<TableRef> {
  const d = chainDialectFor(conn);
  if (!schema && table.includes('.')) {
    const i = table.indexOf('.');
    return { schema: table.slice(0, i), table: table.slice(i + 1) };
  }
  return { schema: schema ?? (await d.defaultSchema(conn)), table };
}

export async function verifyChain(conn: Connection, options: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const d = chainDialectFor(conn);
  const ref = await resolveTable(conn, options.table, options.schema);
  const label = `${ref.schema}.${ref.table}`;

  return d.snapshot(conn, async (tx) => {
    const live = await d.liveColumns(tx, ref);
    if (!live) throw new PlumbError('E_VERIFY', `table ${label} does not exist`, 'check --table and --schema');
    const meta: ChainMeta | undefined = await d.readMeta(tx, ref);
    if (!meta) throw new PlumbError('E_VERIFY', `${label} is not a plumb chain (no head row in plumb_chain)`, 'install it with `plumb chain install`');
    if (meta.hashVersion !== HASH_VERSION) {
      throw new PlumbError('E_VERIFY', `${label} uses hash_version ${meta.hashVersion}; this plumb verifies version ${HASH_VERSION}`, 'upgrade plumb');
    }
    const anchor = options.anchor ?? (options.anchorTable ? await readAnchorTable(tx, options.anchorTable, meta.chainId) : undefined);
    const signature = anchor ? checkAnchorSignature(anchor, options.publicKeyPem) : undefined;
    if (anchor && anchor.chainId !== meta.chainId) {
      throw new PlumbError('E_VERIFY', `the anchor is for chain "${anchor.chainId}", the table is chain "${meta.chainId}"`, 'pass the anchor made for this table');
    }
    const problems: ChainProblem[] = [];
    const notes: string[] = [];

    // Pitfall 6: a column added after install would be outside the hash; a changed type changes the canonical text.
    const liveHashed = hashedColumns(live);
    const recorded = new Map(meta.columns.map((c) => [c.name, c]));
    for (const c of liveHashed) {
      const r = recorded.get(c.name);
      if (!r) problems.push({ kind: 'unhashed-column', seq: '', detail: `column ${c.name} (${c.type}) was added after install and is not covered by the hash` });
      else if (r.type !== c.type) problems.push({ kind: 'schema-changed', seq: '', detail: `column ${c.name} was ${r.type} at install and is ${c.type} now` });
    }
    const missing = meta.columns.filter((c) => !live.some((l) => l.name === c.name));
    if (missing.length) {
      problems.push({ kind: 'schema-changed', seq: '', detail: `hashed column${missing.length > 1 ? 's' : ''} ${missing.map((c) => c.name).join(', ')} dropped: the rows cannot be recomputed` });
      return finish();
    }

    const walker = new ChainWalker(meta, options.maxProblems ?? 100, anchor?.seq);
    // Streaming bytes where the connection can (pg servers: COPY), batches of decoded rows elsewhere.
    if (!(d.walk && (await d.walk(tx, meta, walker)))) {
      for await (const batch of d.rows(tx, meta, options.batchSize ?? 5000)) {
        for (const r of batch) walker.push(r);
      }
    }
    const walk = walker.finish();
    problems.push(...(await classifyAnomalies(walk.anomalies, (h) => d.seqOfHash(tx, meta, h))));

    const last = walk.lastSeq === undefined ? 0n : BigInt(walk.lastSeq);
    const headSeq = BigInt(meta.lastSeq);
    if (headSeq > last) {
      problems.push({ kind: 'truncated', seq: String(last + 1n), detail: `the head row records seq ${headSeq} but the table ends at seq ${last}: ${headSeq - last} newest row(s) deleted` });
    } else if (headSeq < last) {
      problems.push({ kind: 'inserted', seq: String(headSeq + 1n), detail: `rows after the head: the head row records seq ${headSeq}, the table reaches seq ${last} (written with the chain trigger disabled)` });
    } else if (walk.lastHash !== undefined && walk.lastHash !== meta.lastHash) {
      problems.push({ kind: 'head-mismatch', seq: meta.lastSeq, expected: meta.lastHash, stored: walk.lastHash, detail: `the head row's hash ${short(meta.lastHash)} differs from the row_hash of seq ${meta.lastSeq}` });
    }

    if (anchor) {
      const a = anchor;
      const aSeq = BigInt(a.seq);
      if (aSeq > last) {
        problems.push({ kind: 'truncated', seq: String(last + 1n), expected: a.headHash, detail: `the anchor of ${a.time} records seq ${a.seq}; the table ends at seq ${last}: ${aSeq - last} row(s) at the tail deleted` });
      } else if (aSeq > 0n && walk.hashAtAnchor !== a.headHash) {
        problems.push({ kind: 'anchor-mismatch', seq: a.seq, expected: a.headHash, ...(walk.hashAtAnchor ? { stored: walk.hashAtAnchor } : {}), detail: `the row_hash at seq ${a.seq} differs from the anchor of ${a.time}: history up to the anchor was rewritten` });
      }
    } else {
      notes.push(NO_ANCHOR_NOTE);
    }
    return finish(walk);

    function finish(walk?: ReturnType<ChainWalker['finish']>): VerifyReport {
      return {
        ok: problems.length === 0,
        chainId: meta!.chainId,
        table: label,
        hashVersion: meta!.hashVersion,
        rows: walk?.rows ?? 0,
        firstSeq: walk?.firstSeq ?? null,
        lastSeq: walk?.lastSeq ?? null,
        lastHash: walk?.lastHash ?? null,
        head: { seq: meta!.lastSeq, hash: meta!.lastHash },
        anchor: anchor && signature ? { seq: anchor.seq, hash: anchor.headHash, time: anchor.time, signature } : null,
        problems,
        problemsTruncated: walk?.anomaliesTruncated ?? false,
        notes,
        elapsedMs: Date.now() - started,
      };
    }
  });
}

export function renderVerifyText(r: VerifyReport): string {
  const lines: string[] = [];
  const range = r.firstSeq === null ? 'no rows' : `seq ${r.firstSeq}..${r.lastSeq}`;
  lines.push(`chain ${r.chainId} (${r.table}, hash v${r.hashVersion})`);
  lines.push(`read ${r.rows} rows (${range}) in one snapshot in ${(r.elapsedMs / 1000).toFixed(2)} s; head row: seq ${r.head.seq} ${short(r.head.hash)}`);
  if (r.anchor) lines.push(`anchor: seq ${r.anchor.seq} ${short(r.anchor.hash)} of ${r.anchor.time}, signature ${r.anchor.signature}`);
  if (r.ok) lines.push('INTACT: every row hashes to its row_hash and links to its predecessor');
  else {
    const first = r.problems.find((p) => p.seq !== '') ?? r.problems[0]!;
    lines.push(`BROKEN: ${r.problems.length}${r.problemsTruncated ? '+' : ''} problem(s); first at ${first.seq ? `seq ${first.seq}` : 'the table'}: ${first.kind}`);
    for (const p of r.problems) {
      lines.push(`  ${p.kind.padEnd(15)} ${p.seq ? `seq ${p.seq}`.padEnd(14) : ''.padEnd(14)} ${p.detail}`);
      if (p.expected || p.stored) lines.push(`  ${''.padEnd(15)} ${''.padEnd(14)} expected ${p.expected ?? '-'}\n  ${''.padEnd(15)} ${''.padEnd(14)} stored   ${p.stored ?? '-'}`);
    }
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
