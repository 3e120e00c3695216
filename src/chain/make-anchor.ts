// `plumb chain anchor` as a library call: verify first (an anchor must never
// bless a broken chain), then record the verified head, signed when a key is given.
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { createAnchor, type Anchor } from './anchor.js';
import { genesisHash } from './canonical.js';
import { verifyChain, type VerifyReport } from './verify.js';

export interface MakeAnchorOptions {
  table: string;
  schema?: string;
  privateKeyPem?: string;
  /** Anchor even when verification finds problems (the anchor then records the broken head). */
  force?: boolean;
  now?: Date;
}

export async function makeAnchor(conn: Connection, options: MakeAnchorOptions): Promise<{ anchor: Anchor; report: VerifyReport }> {
  const report = await verifyChain(conn, { table: options.table, ...(options.schema ? { schema: options.schema } : {}) });
  if (!report.ok && !options.force) {
    const first = report.problems[0]!;
    throw new PlumbError('E_VERIFY', `will not anchor a broken chain: ${first.kind}${first.seq ? ` at seq ${first.seq}` : ''} (${first.detail})`, 'investigate with `plumb chain verify`; --force anchors anyway');
  }
  const seq = report.lastSeq ?? '0';
  const headHash = report.lastHash ?? genesisHash(report.chainId);
  const anchor = createAnchor({ chainId: report.chainId, table: report.table, seq, headHash }, options.now ?? new Date(), options.privateKeyPem);
  return { anchor, report };
}
