// What table-bloat and index-bloat share: the thresholds and the sentence that
// says how much of a relation is bloat. Pure: pages in, a verdict out.
import type { RuleContext } from './rule.js';

export interface BloatThresholds {
  minBytes: number;
  minRatio: number;
}

export function bloatThresholds(ctx: RuleContext): BloatThresholds {
  return { minBytes: Number(ctx.options.minWasteBytes ?? 50 * 1024 * 1024), minRatio: Number(ctx.options.minWasteRatio ?? 0.5) };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * The bloat of a relation of `pages` pages whose live contents need `expected`: undefined below
 * the thresholds, otherwise the waste in bytes and "takes X MB for about N rows that need Y MB: …".
 */
export function bloatOf(pages: number, expected: number, blockSize: number, tuples: number, what: string, t: BloatThresholds): { waste: number; sentence: string } | undefined {
  const size = pages * blockSize;
  const waste = (pages - expected) * blockSize;
  if (waste < t.minBytes || waste / size < t.minRatio) return undefined;
  return {
    waste,
    sentence: `takes ${mb(size)} for about ${Math.round(tuples)} ${what} that need ${mb(expected * blockSize)}: an estimated ${mb(waste)} (${Math.round((waste / size) * 100)}%) is bloat`,
  };
}
