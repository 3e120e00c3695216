// Timing helpers shared by the benchmarks: medians of repeated runs, a child
// process timed with its peak RSS, and a plain-text results table.
// Bench-only: never imported by src/.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Seconds taken by `fn`. */
export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

export interface ProcessRun {
  seconds: number;
  /** Peak resident set size in MB (from /usr/bin/time -v), when available. */
  peakRssMb: number | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command with stdout sent to /dev/null (unless `captureStdout`),
 * timing it from spawn to exit and reading its peak RSS from GNU time.
 */
export function timeProcess(
  cmd: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; captureStdout?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessRun> {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? ['-v', cmd, ...args] : args;
  const bin = useTime ? GNU_TIME : cmd;
  const devnull = options.captureStdout ? null : openSync('/dev/null', 'w');
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(bin, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', devnull ?? 'pipe', 'pipe'],
      // Own process group, so that a timeout kills the command and not only GNU time.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, options.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (devnull !== null) closeSync(devnull);
      const seconds = (performance.now() - t) / 1000;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      // GNU time appends its report to stderr; keep only the command's own output.
      const own = useTime ? stderr.replace(/\n?\s*Command being timed:[\s\S]*$/, '') : stderr;
      resolve({ seconds, peakRssMb: rss ? Number(rss[1]) / 1024 : null, code, stdout, stderr: own });
    });
  });
}

export type Cell = string | number | null;

/** A fixed-width text table; numbers are printed as given (format them first). */
export function renderTable(header: string[], rows: Cell[][]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => (c == null ? '—' : String(c))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  // Text columns (until the first numeric-looking header cell) align left, figures right.
  const numeric = header.map((_, i) => rows.every((r) => r[i] == null || typeof r[i] === 'number' || /^[\d.]+[×%]?$|^—$/.test(String(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const secs = (x: number | null | undefined): string => (x == null || Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(3) : x.toFixed(1));
export const ratio = (peer: number | null | undefined, ours: number): string =>
  peer == null || Number.isNaN(peer) || !ours ? '—' : `${(peer / ours).toFixed(1)}×`;
