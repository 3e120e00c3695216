// Shared helpers for the chain tests: run an attack inside a transaction that
// is rolled back after verifying, so many attacks can share one chain.
import type { Connection } from '../../src/drivers/connection.js';
import { verifyChain, type VerifyOptions, type VerifyReport } from '../../src/chain/verify.js';

class Rollback extends Error {}

/** Runs `attack`, verifies inside the same transaction, then rolls everything back. */
export async function verifyAfter(conn: Connection, attack: (tx: Connection) => Promise<void>, options: VerifyOptions): Promise<VerifyReport> {
  let report: VerifyReport | undefined;
  await conn
    .transaction(async (tx) => {
      await attack(tx);
      report = await verifyChain(tx, options);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return report!;
}

/** The first problem's kind and seq, the shape most assertions need. */
export function firstProblem(r: VerifyReport): { kind: string; seq: string } | undefined {
  const p = r.problems[0];
  return p ? { kind: p.kind, seq: p.seq } : undefined;
}
