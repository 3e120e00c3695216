// The CLI in this process: stdout/stderr captured, exit code returned.
import { run } from '../../src/cli/main.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function plumb(args: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => (err.push(String(c)), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const code = await run(['node', 'plumb', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('').replace(/\x1b\[[0-9;]*m/g, '') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
}
