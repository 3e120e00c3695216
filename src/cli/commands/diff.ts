// `plumb diff`: what differs between a live database and a spec. Exit 0 when
// the database matches, 1 when it has drifted. Reads only.
import type { Command } from 'commander';
import { Option } from 'commander';
import { connect } from '../../drivers/connect.js';
import { getDialect } from '../../dialects/index.js';
import { formatDiff, type DiffFormat } from '../../diff/describe.js';
import { compareWithSpec } from '../../spec/compare-spec.js';
import { loadSpec } from '../../spec/load.js';
import { disposeScratchEngine } from '../../spec/spec-to-catalog.js';
import { emit, Progress } from '../output.js';
import { dbOption, requireDb, devTarget } from './common.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('what differs between a live database and a spec (exit 1 on drift)')
    .description(
      'Loads the spec (YAML, JSON, .mjs/.ts, a .sql file or a directory of them), normalises it in a\n' +
        'scratch embedded Postgres, inspects the database over the spec\'s schemas, and lists the changes\n' +
        'that would make the database match. Renames happen only where the spec says `renamedFrom`.\n' +
        'Exit status: 0 no drift, 1 drift, 2 bad spec or arguments.',
    )
    .addOption(dbOption())
    .requiredOption('-s, --spec <path>', 'spec file or directory of .sql files')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .option('--sql', 'show the SQL each change would run (text and md formats)')
    .option('--include-plumb', "compare plumb's own objects too (apply history and journal, quarantine, hash-chain tables, functions and triggers)")
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  plumb diff --db postgres://me@localhost/app --spec spec.yaml\n' +
        '  plumb diff --db $DATABASE_URL --spec schema/ --format md > drift.md   # schema/ holds .sql files\n' +
        '  plumb diff --db $DATABASE_URL --spec spec.yaml --format json | jq .changes\n',
    )
    .action(async (opts: { db?: string; spec: string; format: DiffFormat; sql?: boolean; out?: string; includePlumb?: boolean }) => {
      const db = requireDb(opts.db, 'plumb diff --db postgres://me@localhost/app --spec spec.yaml');
      // Off a terminal (CI), long work still says what it is doing: a line after 2 s, then every 5 s.
      const progress = new Progress('diff', undefined, { afterMs: 2000, everyMs: 5000 });
      progress.update('loading the spec', 0, 3);
      const spec = await loadSpec(opts.spec).catch((e: unknown) => {
        progress.done();
        throw e;
      });
      progress.begin('normalising the spec in a scratch engine and inspecting the database', 1, 3);
      const conn = await connect(db).catch((e: unknown) => {
        progress.done();
        throw e;
      });
      try {
        const { changes } = await compareWithSpec(conn, spec, { ...devTarget(), includePlumb: !!opts.includePlumb });
        progress.done(`${changes.length} change${changes.length === 1 ? '' : 's'}`);
        let text = formatDiff(changes, opts.format, `plumb diff — ${opts.spec}`);
        const render = getDialect(conn.dialect).render;
        if (opts.sql && render && opts.format !== 'json' && changes.length) {
          const sql = changes.map((c) => render(c).forward.map((s) => `${s};`).join('\n')).join('\n');
          text += opts.format === 'md' ? `\n## SQL\n\n\`\`\`sql\n${sql}\n\`\`\`\n` : `\n\n${sql}\n`;
        }
        await emit(text, opts.out);
        process.exitCode = changes.length ? 1 : 0;
      } finally {
        progress.done();
        await conn.close();
        await disposeScratchEngine();
      }
    });
}
