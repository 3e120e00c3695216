// `plumb blueprint list|show|add`: parameterised spec fragments for the
// subsystems every seed rebuilds. Reads and writes the spec file; the
// fragments themselves are built in src/blueprints.
import type { Command } from 'commander';
import { Option } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { PlumbError } from '../../errors.js';
import { addToSpecText, blueprints, buildBlueprint, paramDocs } from '../../blueprints/index.js';
import { emit } from '../output.js';

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new PlumbError('E_USAGE', `--param needs key=value, got "${value}"`, 'e.g. --param prefix=core_ --param idType=uuid');
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

export function registerBlueprint(program: Command): void {
  const bp = program
    .command('blueprint')
    .summary('add ready-made subsystems to a spec: rbac, audit-log, settings, feature-flags, api-keys, sessions, …')
    .description('Blueprints are spec fragments (tables, seed data, verify checks) parameterised by schema, table prefix and id type.\nParameters: ' + paramDocs.map((d) => `${d.name} (${d.description}; default ${d.default})`).join('; '));

  bp.command('list')
    .summary('list the blueprints')
    .action(async () => {
      await emit(blueprints.map((b) => `${b.name.padEnd(20)} ${b.summary}`).join('\n'));
    });

  bp.command('show')
    .summary('print a blueprint\'s spec fragment (YAML) with its notes')
    .argument('<name>')
    .option('-p, --param <key=value>', 'parameter (repeatable)', collectParam, {})
    .action(async (name: string, o: { param: Record<string, string> }) => {
      const f = buildBlueprint(name, o.param);
      const head = [`# blueprint ${name}`, `# satisfies audit rules: ${f.satisfies.join(', ')}`, ...f.chains.map((c) => `# hash-chain after apply: plumb chain install --table ${c}`), ...f.notes.map((n) => `# note: ${n}`)];
      await emit(`${head.join('\n')}\n${stringify(f.spec, { lineWidth: 0 })}`);
    });

  bp.command('add')
    .summary('append a blueprint to a spec file (tables, seed, verify)')
    .argument('<name>')
    .option('-s, --spec <file>', 'spec file (YAML or JSON; created when missing)')
    // --to was this option's first name: still accepted, no longer shown.
    .addOption(new Option('--to <file>').hideHelp())
    .option('-p, --param <key=value>', 'parameter (repeatable)', collectParam, {})
    .addHelpText('after', '\nExamples:\n  plumb blueprint add rbac --spec spec.yaml\n  plumb blueprint add audit-log --spec spec.yaml --param prefix=core_ --param usersTable=core_users\n')
    .action(async (name: string, opts: { spec?: string; to?: string; param: Record<string, string> }) => {
      const file = opts.spec ?? opts.to;
      if (!file) throw new PlumbError('E_USAGE', 'which spec file? pass --spec FILE', `for example: plumb blueprint add ${name} --spec spec.yaml`);
      if (opts.spec && opts.to && opts.spec !== opts.to) throw new PlumbError('E_USAGE', `--spec ${opts.spec} and --to ${opts.to} name different files`, 'pass --spec only (--to is its old name)');
      const o = { to: file, param: opts.param };
      const f = buildBlueprint(name, o.param);
      const current = await readFile(o.to, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return '';
        throw new PlumbError('E_IO', `cannot read ${o.to}: ${e.message}`, 'check the path');
      });
      const next = addToSpecText(current, f);
      try {
        await writeFile(o.to, next);
      } catch (e) {
        throw new PlumbError('E_IO', `cannot write ${o.to}: ${(e as Error).message}`, 'check that the directory is writable');
      }
      const tables = (f.spec.tables ?? []).map((t) => t.name).join(', ');
      process.stdout.write(`added blueprint ${name} to ${o.to}: ${tables}\n${f.chains.map((c) => `next: after apply, plumb chain install --table ${c}\n`).join('')}`);
    });
}
