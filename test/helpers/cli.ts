// The CLI in a test: in the test's own process (fast, no build needed; what
// it writes is captured, process.exitCode reset after), or as a user runs it,
// in a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

const root = new URL('../../', import.meta.url);

/**
 * The CLI as a user runs it: a child process from src/ (as `npm run dev`
 * does), without colours, PLUMB_DB or PLUMB_DEBUG from the test's own
 * environment unless `env` sets them.
 */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete e.PLUMB_DB;
    delete e.PLUMB_DEBUG;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/plumb-dev.ts', ...args], { cwd: fileURLToPath(root), env: { ...e, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr: stderr.replace(ANSI, '') }));
  });
}
