// The CLI run in the test's own process (fast, no build needed): what it
// writes to stdout and stderr is captured, process.exitCode is reset after,
// and the exit code `run` returns is handed back.
import { run } from '../../src/cli/main.js';

/** Everything is captured without terminal colour codes (CI=true turns colours on even without a terminal). */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved, as they were written. */
  out: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;

export async function runCli(args: string[], options: { onWrite?: (chunk: string) => void } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const both: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const capture = (into: string[]) =>
    ((c: string | Uint8Array) => {
      const s = String(c).replace(ANSI, '');
      into.push(s);
      both.push(s);
      options.onWrite?.(s);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.exitCode = undefined;
  try {
    const code = await run(['node', 'plumb', ...args]);
    return { code, stdout: out.join(''), stderr: err.join(''), out: both.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
}
