// Every CLI command, in the order `plumb --help` lists them. Each entry loads
// its module only when needed: running one command must not pay for loading
// all the others (the audit engine, the spec loader, the HTML renderer…).
import type { Command } from 'commander';

type Register = (program: Command) => void;

export const commandModules: [name: string, load: () => Promise<Register>][] = [
  ['inspect', async () => (await import('./inspect.js')).registerInspect],
  ['audit', async () => (await import('./audit.js')).registerAudit],
  ['rules', async () => (await import('./rules.js')).registerRules],
  ['diff', async () => (await import('./diff.js')).registerDiff],
  ['plan', async () => (await import('./plan.js')).registerPlan],
  ['apply', async () => (await import('./apply.js')).registerApply],
  ['seed', async () => (await import('./seed.js')).registerSeed],
  ['verify', async () => (await import('./verify.js')).registerVerify],
  ['pull', async () => (await import('./pull.js')).registerPull],
  ['chain', async () => (await import('./chain.js')).registerChain],
  ['spec', async () => (await import('./spec.js')).registerSpec],
  ['blueprint', async () => (await import('./blueprint.js')).registerBlueprint],
  ['settings', async () => (await import('./settings.js')).registerSettings],
  ['erd', async () => (await import('./erd.js')).registerErd],
  ['fleet', async () => (await import('./fleet.js')).registerFleet],
  ['demo', async () => (await import('./demo.js')).registerDemo],
];

/**
 * Registers the command named in argv, none for a bare `--version`, or all of
 * them (for help and unknown commands).
 */
export async function registerCommands(program: Command, argv: string[]): Promise<void> {
  const args = argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  if (first === undefined && args.some((a) => a === '--version' || a === '-V') && !args.some((a) => a === '--help' || a === '-h')) return;
  const only = commandModules.find(([name]) => name === first);
  for (const [, load] of only ? [only] : commandModules) (await load())(program);
}
