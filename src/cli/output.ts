// Terminal I/O for the CLI: writing results, one-line errors with hints, and
// a progress line on stderr when stderr is a TTY. Never prints secrets.
import { writeFile } from 'node:fs/promises';
import pc from 'picocolors';
import { redactUrls } from '../drivers/url.js';
import { PlumbError } from '../errors.js';

export async function emit(text: string, out?: string): Promise<void> {
  if (out) {
    try {
      await writeFile(out, text.endsWith('\n') ? text : text + '\n');
    } catch (e) {
      throw new PlumbError('E_IO', `cannot write ${out}: ${(e as Error).message}`, 'check that the directory exists and is writable');
    }
    process.stderr.write(`${pc.dim('wrote')} ${out}\n`);
  } else {
    // Two writes, not `text + '\n'`: the concatenation would copy a large result (a 20 MB catalog) once more.
    process.stdout.write(text);
    if (!text.endsWith('\n')) process.stdout.write('\n');
  }
}

export function printError(e: unknown): number {
  // Last line of defence: whatever a message quotes, a URL in it shows no password.
  if (e instanceof PlumbError) {
    process.stderr.write(`${pc.red('error')} ${pc.dim(`[${e.code}]`)} ${redactUrls(e.message)}\n`);
    if (e.hint) process.stderr.write(`${pc.dim('hint:')} ${redactUrls(e.hint)}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`${pc.red('internal error')} ${redactUrls(err?.message ?? String(e))}\n`);
  if (process.env.PLUMB_DEBUG) process.stderr.write(`${redactUrls(err?.stack ?? '')}\n`);
  else process.stderr.write(`${pc.dim('hint:')} this is a bug in plumb; rerun with PLUMB_DEBUG=1 for a stack trace and report it\n`);
  return 70;
}

/** A single self-rewriting line on stderr; silent when stderr is not a TTY. */
export class Progress {
  private readonly enabled: boolean;
  private last = '';
  private readonly started = Date.now();
  constructor(private readonly label: string, enabled = process.stderr.isTTY === true && !process.env.CI) {
    this.enabled = enabled;
  }
  update(step: string, done: number, total: number): void {
    if (!this.enabled) return;
    const width = 20;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}`;
    if (line === this.last) return;
    this.last = line;
    process.stderr.write(`\r\x1b[2K${pc.dim(line)}`);
  }
  done(summary?: string): void {
    if (!this.enabled) return;
    process.stderr.write('\r\x1b[2K');
    if (summary) process.stderr.write(`${pc.dim(`${summary} in ${((Date.now() - this.started) / 1000).toFixed(2)} s`)}\n`);
  }
}
