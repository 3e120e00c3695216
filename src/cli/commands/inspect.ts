// `plumb inspect`: catalog snapshot as JSON, Markdown, text, a self-contained HTML page, or DBML.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Catalog } from '../../catalog/types.js';
import { stableStringify } from '../../catalog/normalize.js';
import { inspect } from '../../inspect.js';
import { emit, Progress } from '../output.js';
import { connectionsOption, dbOption, requireDb, schemaOptions, type SchemaFlags } from './common.js';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .summary('snapshot the live schema into plumb\'s catalog (JSON, Markdown, text)')
    .description(
      'Reads schemas, tables, columns, keys, indexes, enums, views, routines, triggers, policies,\n' +
        'grants and sizes with a handful of catalog queries, in one read-only snapshot.\n' +
        'JSON is the catalog itself (stable, sorted: diff it in CI); Markdown is a data dictionary.',
    )
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'md', 'text', 'html', 'dbml']).default('json'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--schema <name...>', 'only these schemas (repeatable; `*` globs allowed)')
    .option('--exclude-schema <name...>', 'leave these schemas out (repeatable; `*` globs allowed)')
    .addOption(connectionsOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  plumb inspect --db pglite:                               # embedded, in-memory Postgres\n' +
        '  plumb inspect --db postgres://me@localhost/app -f md -o schema.md\n' +
        '  plumb inspect --db postgres://me@localhost/app -f html -o catalog.html   # browsable, with diagrams\n' +
        '  plumb inspect --db $DATABASE_URL --schema public --schema billing > catalog.json\n',
    )
    .action(async (opts: { db?: string; format: string; out?: string; connections: number } & SchemaFlags) => {
      const db = requireDb(opts.db, 'plumb inspect --db postgres://me@localhost/app');
      const progress = new Progress('inspecting');
      const catalog = await inspect(db, { ...schemaOptions(opts), connections: opts.connections, onProgress: (s, d, t) => progress.update(s, d, t) });
      const tables = catalog.schemas.reduce((n, s) => n + s.tables.length, 0);
      progress.done(`inspected ${catalog.schemas.length} schemas, ${tables} tables`);
      await emit(await render(catalog, opts.format), opts.out);
    });
}

/** The renderers are loaded for their format only: JSON, the default, needs none of them (CLI start-up). */
async function render(catalog: Catalog, format: string): Promise<string> {
  switch (format) {
    case 'md':
      return (await import('../../report/catalog-report.js')).renderCatalogMarkdown(catalog);
    case 'text':
      return (await import('../../report/catalog-report.js')).renderCatalogText(catalog);
    case 'html':
      return (await import('../../report/html/index.js')).renderInspectHtml(catalog);
    case 'dbml':
      return (await import('../../erd/dbml.js')).toDbml(catalog);
    default:
      return stableStringify(catalog, 2);
  }
}
