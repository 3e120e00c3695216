// Bounded concurrency for the audit's queries and rules: never more in flight
// than the sessions can take, and no failure left unobserved.

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure once all have settled. */
export async function eachConcurrently<I>(items: readonly I[], limit: number, fn: (item: I) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
