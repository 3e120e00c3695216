// Runs one task per target with bounded concurrency and a per-target timeout,
// and turns every failure into a value: one unreachable or slow target must
// never stop the others, and its error must never show a password.
import { availableParallelism } from 'node:os';
import { eachConcurrently } from '../concurrency.js';
import { connect } from '../drivers/connect.js';
import type { Connection } from '../drivers/connection.js';
import { parseDbUrl, scrubSecret } from '../drivers/url.js';
import { isPlumbError } from '../errors.js';
import type { FleetTarget } from './targets.js';

export type TargetStatus = 'ok' | 'unreachable' | 'timeout' | 'error';

export interface TargetOutcome<T> {
  target: Pick<FleetTarget, 'name' | 'redacted' | 'labels'>;
  status: TargetStatus;
  durationMs: number;
  value?: T;
  /** One line, password-free. */
  error?: string;
  /** PlumbError code when there was one. */
  code?: string;
}

export interface RunFleetOptions {
  /** Targets in flight at once (default: 4 × cores, at most 16). */
  concurrency?: number;
  /** Per-target limit in milliseconds (connect + task); 0 or undefined = none. */
  timeoutMs?: number;
  /** Called as each target finishes (progress lines). */
  onDone?: (outcome: TargetOutcome<unknown>, done: number, total: number) => void;
  /** Checked before each target starts: true stops starting new ones (a halted rollout). */
  shouldStop?: () => boolean;
}

/** Mostly network waits, so more than one per core pays. */
export function defaultConcurrency(): number {
  return Math.min(16, Math.max(2, availableParallelism() * 4));
}

class TargetTimeout extends Error {}

const CONNECT_CODES = new Set(['E_CONNECT', 'E_AUTH', 'E_NO_DATABASE']);

/**
 * Connects to each target and runs `task` on it; results come back in the
 * targets' order, whatever the order of completion. Targets skipped by
 * `shouldStop` are absent from the result.
 */
export async function runFleet<T>(targets: readonly FleetTarget[], task: (conn: Connection, target: FleetTarget) => Promise<T>, options: RunFleetOptions = {}): Promise<TargetOutcome<T>[]> {
  const results: (TargetOutcome<T> | undefined)[] = new Array(targets.length);
  let done = 0;
  const indexed = targets.map((t, i) => [t, i] as const);
  await eachConcurrently(indexed, options.concurrency ?? defaultConcurrency(), async ([t, i]) => {
    if (options.shouldStop?.()) return;
    const outcome = await runOne(t, task, options.timeoutMs);
    results[i] = outcome;
    options.onDone?.(outcome as TargetOutcome<unknown>, ++done, targets.length);
  });
  return results.filter((r): r is TargetOutcome<T> => r !== undefined);
}

async function runOne<T>(t: FleetTarget, task: (conn: Connection, target: FleetTarget) => Promise<T>, timeoutMs: number | undefined): Promise<TargetOutcome<T>> {
  const started = performance.now();
  const base = { target: { name: t.name, redacted: t.redacted, labels: t.labels } };
  let conn: Connection | undefined;
  let connected = false;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    const c = await connect(parseDbUrl(t.url));
    // A connection that arrives after the deadline is closed at once.
    if (timedOut) {
      await c.close().catch(() => undefined);
      throw new TargetTimeout();
    }
    conn = c;
    connected = true;
    return task(c, t);
  })();
  try {
    const value = await (timeoutMs
      ? Promise.race([
          work,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              timedOut = true;
              reject(new TargetTimeout());
            }, timeoutMs);
          }),
        ])
      : work);
    return { ...base, status: 'ok', durationMs: performance.now() - started, value };
  } catch (e) {
    const durationMs = performance.now() - started;
    if (e instanceof TargetTimeout) {
      // Closing the session ends the statement still running on the server.
      work.catch(() => undefined);
      return { ...base, status: 'timeout', durationMs, error: `no result within ${Math.round((timeoutMs ?? 0) / 1000)} s${connected ? '' : ' (still connecting)'}` };
    }
    const code = isPlumbError(e) ? e.code : undefined;
    const status: TargetStatus = !connected || (code && CONNECT_CODES.has(code)) ? 'unreachable' : 'error';
    return { ...base, status, durationMs, error: oneLine(scrubSecret((e as Error)?.message ?? String(e), t.url)), ...(code ? { code } : {}) };
  } finally {
    if (timer) clearTimeout(timer);
    await (conn as Connection | undefined)?.close().catch(() => undefined);
  }
}

function oneLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? s;
  return line.length > 300 ? line.slice(0, 297) + '…' : line;
}
