// How the CLI stops when it is told to: SIGINT/SIGTERM print ONE line on
// stderr naming what was interrupted and what state it left, then exit
// 130/143; a closed stdout (`plumb rules | head -2`) ends the process quietly.
// Never a stack trace, never a password (the state line is masked too).
import { redactUrls } from '../drivers/url.js';

const EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** Commands that only read: an interruption leaves the database as it was. */
const READ_ONLY = new Set(['inspect', 'audit', 'rules', 'diff', 'plan', 'verify', 'pull', 'erd', 'blueprint', 'chain verify', 'chain sign-key generate']);

/** Commands that write in one transaction (a dropped connection rolls it back), or say what they leave. */
const WRITES: Record<string, string> = {
  seed: 'nothing changed (seed runs in one transaction, rolled back)',
  'settings rotate-key': 'nothing changed (the re-encryption runs in one transaction, rolled back)',
  'chain install': 'nothing changed on Postgres and SQLite (one transaction, rolled back); on MySQL check with plumb chain verify',
  'chain anchor': 'the anchor may not have been written: run plumb chain anchor again',
  demo: 'the demo stopped part-way (an in-memory database is simply gone; a --db database keeps what was done)',
  apply: 'nothing applied yet',
};

let what = 'plumb';
let describeState: () => string = () => 'nothing changed';
let installed = false;
let stopping = false;

/** Names the running command; commands that write refine the state with `setInterruptState`. */
export function setInterruptCommand(command: string): void {
  what = `plumb ${command}`;
  const state = READ_ONLY.has(command) || READ_ONLY.has(command.split(' ')[0]!) ? 'nothing changed (it only reads)' : (WRITES[command] ?? 'nothing changed');
  describeState = () => state;
}

/** What an interruption at this moment would leave behind, said as the user must act on it. */
export function setInterruptState(describe: () => string): void {
  describeState = describe;
}

export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => onSignal(signal));
  // The reader went away (`| head -2`): nothing more can be said to it, and it wants nothing more.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

function onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  const code = EXIT[signal];
  // A second signal, or a scratch space re-raising this one once it has dropped itself: stop now.
  if (stopping) process.exit(code);
  stopping = true;
  let state: string;
  try {
    state = describeState();
  } catch {
    state = 'state unknown';
  }
  const clear = process.stderr.isTTY ? '\r\x1b[2K' : '';
  process.stderr.write(`${clear}interrupted: ${what} (${signal}) — ${redactUrls(state)}\n`);
  // Scratch spaces on a server (src/spec, dialects/mysql) listen for the signal themselves: they drop
  // their scratch database and raise the signal again, which lands above. Give them a few seconds.
  const others = process.listenerCount(signal) - 1;
  if (others <= 0) process.exit(code);
  setTimeout(() => process.exit(code), 10_000);
}
