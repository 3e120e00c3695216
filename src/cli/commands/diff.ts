// `plumb diff`: what differs between a live database and a spec, or between
// any two of databases and specs (--from/--to). Exit 0 when they match, 1 when
// they differ. Reads only.
import type { Command } from 'commander';
import { Option } from 'commander';
import { getDialect } from '../../dialects/index.js';
import { formatDiff, outsideWarning, type DiffFormat } from '../../diff/describe.js';
import { compareEndpoints } from '../../spec/compare-endpoints.js';
import { disposeScratchEngine } from '../../spec/spec-to-catalog.js';
import { emit, Progress } from '../output.js';
import { dbOption, schemaOption, excludeSchemaOption, devTarget, schemaScope, type SchemaFlags } from './common.js';
import { comparisonSides, openSides } from './comparison-sides.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('what differs between a database and a spec, or two databases (--from/--to; exit 1 on drift)')
    .description(
      'Loads the spec (YAML, JSON, .mjs/.ts, a .sql file or a directory of them), normalises it in a\n' +
        'scratch embedded Postgres, inspects the database over the spec\'s schemas, and lists the changes\n' +
        'that would make the database match. Renames happen only where the spec says `renamedFrom`.\n' +
        'Live schemas the spec does not mention are not compared: a warning names them (JSON: notCompared).\n' +
        '--from A --to B compares any two sides, each a database URL or a spec: the changes that make A\n' +
        'like B (two live databases, as migra does; --db X --spec S is --from X --to S).\n' +
        'Exit status: 0 no drift, 1 drift, 2 bad spec or arguments.',
    )
    .addOption(dbOption())
    .option('-s, --spec <path>', 'spec file or directory of .sql files (with --db)')
    .option('--from <url|spec>', 'the side to change: a database URL or a spec (with --to)')
    .option('--to <url|spec>', 'the side to match: a database URL or a spec (with --from)')
    .addOption(schemaOption())
    .addOption(excludeSchemaOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .option('--sql', 'show the SQL each change would run (text and md formats)')
    .option('--include-plumb', "compare plumb's own objects too (apply history and journal, quarantine, hash-chain tables, functions and triggers)")
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  plumb diff --db postgres://me@localhost/app --spec spec.yaml\n' +
        '  plumb diff --db $DATABASE_URL --spec schema/ --format md > drift.md   # schema/ holds .sql files\n' +
        '  plumb diff --db $DATABASE_URL --spec spec.yaml --format json | jq .changes\n' +
        '  plumb diff --from postgres://me@localhost/staging --to postgres://me@localhost/prod   # two databases\n' +
        '  plumb diff --from $DATABASE_URL --to spec.yaml --schema app --exclude-schema audit\n',
    )
    .action(async (opts: SchemaFlags & { db?: string; spec?: string; from?: string; to?: string; format: DiffFormat; sql?: boolean; out?: string; includePlumb?: boolean }) => {
      const sides = comparisonSides(opts, 'plumb diff --db postgres://me@localhost/app --spec spec.yaml');
      // Off a terminal (CI), long work still says what it is doing: a line after 2 s, then every 5 s.
      const progress = new Progress('diff', undefined, { afterMs: 2000, everyMs: 5000 });
      progress.update('loading', 0, 3);
      const open = await openSides(sides).catch((e: unknown) => {
        progress.done();
        throw e;
      });
      try {
        // Says what this comparison does: a spec is normalised in a scratch engine, a database inspected.
        const kinds = [sides.from.kind, sides.to.kind];
        const specs = kinds.filter((k) => k === 'spec').length;
        const dbs = kinds.length - specs;
        const work = [specs ? `normalising ${specs === 1 ? 'the spec' : 'the specs'} in a scratch engine` : '', dbs ? `inspecting ${dbs === 1 ? 'the database' : 'the databases'}` : ''].filter(Boolean).join(' and ');
        progress.begin(work, 1, 3);
        const { changes, outside } = await compareEndpoints(open.from, open.to, { ...devTarget(), ...schemaScope(opts), includePlumb: !!opts.includePlumb });
        progress.done(`${changes.length} change${changes.length === 1 ? '' : 's'}`);
        const same = sides.from.kind === 'spec' || sides.to.kind === 'db' ? `${sides.from.label} matches ${sides.to.label}` : undefined;
        let text = formatDiff(changes, opts.format, `plumb diff — ${sides.from.label} → ${sides.to.label}`, { outside, ...(same ? { same } : {}) });
        const render = open.dialect ? getDialect(open.dialect).render : undefined;
        if (opts.sql && render && opts.format !== 'json' && changes.length) {
          const sql = changes.map((c) => render(c).forward.map((s) => `${s};`).join('\n')).join('\n');
          text += opts.format === 'md' ? `\n## SQL\n\n\`\`\`sql\n${sql}\n\`\`\`\n` : `\n\n${sql}\n`;
        }
        await emit(text, opts.out);
        if (outside.length && opts.out) process.stderr.write(`${outsideWarning(outside)}\n`);
        process.exitCode = changes.length ? 1 : 0;
      } finally {
        progress.done();
        await open.close();
        await disposeScratchEngine();
      }
    });
}
