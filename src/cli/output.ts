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

/**
 * Progress on stderr. On a terminal: one self-rewriting line. Elsewhere (CI
 * logs, pipes) with `plainLines`: silence for short work, then a plain line
 * once the work has taken `afterMs`, and again every `everyMs` while it lasts,
 * so a log never goes quiet for long. Otherwise silent off a terminal.
 */
export class Progress {
  private readonly enabled: boolean;
  private last = '';
  private step = '';
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private printedPlain = false;
  private finished = false;
  private lastPlainAt = 0;
  constructor(
    private readonly label: string,
    enabled = process.stderr.isTTY === true && !process.env.CI,
    plain?: { afterMs?: number; everyMs?: number },
  ) {
    this.enabled = enabled;
    if (!enabled && plain) {
      const after = plain.afterMs ?? 2000;
      const every = plain.everyMs ?? 5000;
      const say = () => {
        // Announced a moment ago (begin): a second line would say nothing new.
        if (Date.now() - this.lastPlainAt < every / 2) return;
        this.lastPlainAt = Date.now();
        this.printedPlain = true;
        process.stderr.write(`${this.label}: ${this.step || 'working'} (${this.elapsed()} s)\n`);
      };
      this.timer = setTimeout(() => {
        say();
        this.timer = setInterval(say, every);
        this.timer.unref();
      }, after);
      this.timer.unref();
    }
  }
  private elapsed(): string {
    return ((Date.now() - this.started) / 1000).toFixed(1);
  }
  /**
   * A step that can take seconds in one stretch (an embedded engine starting holds the event loop, so the timer
   * above cannot speak during it): off a terminal, with plain lines on, it is announced at once.
   */
  begin(step: string, done: number, total: number): void {
    if (!this.enabled && this.timer && !this.finished) {
      this.printedPlain = true;
      this.lastPlainAt = Date.now();
      process.stderr.write(`${this.label}: ${step} (${this.elapsed()} s)\n`);
    }
    this.update(step, done, total);
  }

  update(step: string, done: number, total: number): void {
    this.step = step;
    if (!this.enabled) return;
    const width = 20;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}`;
    if (line === this.last) return;
    this.last = line;
    process.stderr.write(`\r\x1b[2K${pc.dim(line)}`);
  }
  /** Ends the progress (a second call does nothing): clears the line, or closes printed lines with the summary. */
  done(summary?: string): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Off a terminal, a summary only closes progress lines that were printed.
    if (!this.enabled) {
      if (this.printedPlain && summary) process.stderr.write(`${this.label}: ${summary} in ${this.elapsed()} s\n`);
      return;
    }
    process.stderr.write('\r\x1b[2K');
    if (summary) process.stderr.write(`${pc.dim(`${summary} in ${((Date.now() - this.started) / 1000).toFixed(2)} s`)}\n`);
  }
}
