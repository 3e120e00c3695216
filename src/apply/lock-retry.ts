// Bounded retries of work that gave up waiting for a lock. A lock timeout is
// the engine's "not now": the transaction was rolled back (or the statement
// never took effect), so running the same work again is safe. Waits grow
// between attempts so that a long-running transaction in the way can end.
import { isLockTimeout } from '../drivers/errors.js';

export interface LockRetryOptions {
  /** Further attempts after the first (0 = none). */
  retries: number;
  /** Wait before the first retry; each later wait doubles, up to 30 s. */
  delayMs: number;
  /** Told before each retry: which attempt comes next, of how many, and after what wait. */
  onRetry?: (next: number, of: number, waitMs: number, error: unknown) => void;
  /** Put in-memory state back as it was before the failed attempt. */
  reset?: () => void;
  sleep?: (ms: number) => Promise<void>;
}

export const MAX_RETRY_WAIT_MS = 30_000;

export async function retryOnLockTimeout<T>(work: () => Promise<T>, o: LockRetryOptions): Promise<T> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isLockTimeout(e) || attempt > o.retries) throw e;
      const wait = Math.min(MAX_RETRY_WAIT_MS, o.delayMs * 2 ** (attempt - 1));
      o.reset?.();
      o.onRetry?.(attempt + 1, o.retries + 1, wait, e);
      await sleep(wait);
    }
  }
}
