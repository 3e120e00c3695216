// The CLI loads only the modules a command line needs: start-up time of
// `plumb <command>` and `plumb --version` must not pay for every command.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandModules, registerCommands } from '../../src/cli/commands/index.js';

async function registered(...args: string[]): Promise<string[]> {
  const program = new Command('plumb');
  await registerCommands(program, ['node', 'plumb', ...args]);
  return program.commands.map((c) => c.name());
}

describe('registerCommands', () => {
  it('registers only the command that is run', async () => {
    expect(await registered('inspect', '--db', 'pglite:')).toEqual(['inspect']);
    expect(await registered('--no-color', 'audit')).toEqual(['audit']);
  });

  it('registers none for a bare --version or -V', async () => {
    expect(await registered('--version')).toEqual([]);
    expect(await registered('-V')).toEqual([]);
  });

  it('registers every command for help and for a name it does not know', async () => {
    const all = commandModules.map(([name]) => name);
    expect(await registered('--help')).toEqual(all);
    expect(await registered('--version', '--help')).toEqual(all);
    expect(await registered('inspekt')).toEqual(all);
  });
});
