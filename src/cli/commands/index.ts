// Every CLI command, in the order `plumb --help` lists them. Each module
// exports one register function; add a line here when a command lands.
import type { Command } from 'commander';
import { registerInspect } from './inspect.js';

export const commandRegistrations: ((program: Command) => void)[] = [
  registerInspect,
];
