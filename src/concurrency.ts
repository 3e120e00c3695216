// Bounded concurrency for work spread over sessions (catalog queries, audit
// rules and their statements): never more in flight than asked, and no
// failure left unobserved or thrown while other work is still running.

/** Waits for every promise to settle, then rejects with the first failure, if any. */
export async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure once all have settled. */
export async function eachConcurrently<I>(items: readonly I[], limit: number, fn: (item: I) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await settleAll(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
