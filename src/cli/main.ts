// The CLI: parse arguments, call the library, print, return an exit code.
// It holds no logic of its own beyond that.
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { PlumbError } from '../errors.js';
import { installInterruptHandlers, setInterruptCommand } from './interrupt.js';
import { printError } from './output.js';
import { registerCommands } from './commands/index.js';

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('plumb')
    .version(version)
    .description('plumb tells whether a database is true to its intended design, and makes it so.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // Descriptions are written with their own line breaks (≈ 100 columns): don't re-wrap them at 80.
    .configureHelp({ helpWidth: Math.max(process.stdout.columns ?? 0, 120) })
    .option('--dev-url <url>', 'dev server for scratch databases: realises specs that need extensions PGlite lacks (Postgres) and normalises MySQL specs; same as PLUMB_DEV_URL');
  await registerCommands(program, argv);
  program.addHelpText(
    'after',
    '\nDatabase URLs: postgres://user@host:5432/db · pglite: (in memory) · pglite:./dir · mysql://… · sqlite:./file.db\n' +
      'Every command that reads or writes a database needs --db URL or PLUMB_DB: there is no default database\n' +
      '(only `plumb demo` runs on an in-memory one by itself). Passwords are never printed.\n',
  );
  return program;
}

/**
 * `handleSignals`: the process is plumb's own (bin/plumb.js, scripts/plumb-dev.ts), so SIGINT/SIGTERM and
 * a closed stdout are handled here; a host that embeds `run` (a test runner) keeps its own handling.
 */
export async function run(argv: string[], options: { handleSignals?: boolean } = {}): Promise<number> {
  const program = await buildProgram(argv);
  if (options.handleSignals) installInterruptHandlers();
  program.hook('preAction', (_program, action) => {
    // --dev-url (given before or after the command) is read where PLUMB_DEV_URL is (commands/common.ts devTarget).
    const devUrl = (program.opts() as { devUrl?: string }).devUrl;
    if (devUrl) process.env.PLUMB_DEV_URL = devUrl;
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) names.unshift(c.name());
    setInterruptCommand(names.join(' '));
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its message (or the help).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof PlumbError) return printError(e);
    return printError(e);
  }
}
