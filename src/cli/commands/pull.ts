// `plumb pull`: write a spec describing a live database, so the database's
// current design becomes the starting point of the declared one. Reads only.
import type { Command } from 'commander';
import { Option } from 'commander';
import { withoutPlumbObjects, withoutPlumbSchemas } from '../../catalog/plumb-schemas.js';
import { inspect } from '../../inspect.js';
import { catalogToSpecInput, specInputToYaml } from '../../spec/catalog-to-spec.js';
import { emit, Progress } from '../output.js';
import { getDialect } from '../../dialects/index.js';
import { dbOption, requireDb, schemaOptions, type SchemaFlags } from './common.js';

export function registerPull(program: Command): void {
  program
    .command('pull')
    .summary('write a spec (YAML or JSON) from a live database')
    .description(
      'Inspects the database and writes every object with its explicit name, types as Postgres spells\n' +
        'them and expressions as the engine prints them: applying the spec to an empty database gives\n' +
        'the same catalog back. Edit it, then `plumb diff` / `plumb plan` against it.',
    )
    .addOption(dbOption())
    .option('-o, --out <file>', 'write to a file instead of stdout (format from the extension)')
    .addOption(new Option('-f, --format <format>', 'output format (default: from --out, else yaml)').choices(['yaml', 'json']))
    .option('--schema <name...>', 'only these schemas (repeatable; `*` globs allowed)')
    .option('--exclude-schema <name...>', 'leave these schemas out (repeatable; `*` globs allowed)')
    .option('--include-plumb', "also write plumb's own objects (apply history and journal, quarantine, hash-chain tables, functions and triggers)")
    .addHelpText('after', '\nExamples:\n  plumb pull --db postgres://me@localhost/app --out spec.yaml\n  plumb pull --db $DATABASE_URL --schema public --format json > spec.json\n')
    .action(async (opts: { db?: string; out?: string; format?: 'yaml' | 'json'; includePlumb?: boolean } & SchemaFlags) => {
      const db = requireDb(opts.db, 'plumb pull --db postgres://me@localhost/app --out spec.yaml');
      const progress = new Progress('pulling');
      // plumb's own objects are plumb's to create (apply, chain install), not the spec's: a pulled spec leaves them out.
      // Exact DDL: what only the engine's own DDL shows (MySQL key order, a stated USING) goes into the spec too.
      const inspectOptions = { ...schemaOptions(opts), exactDdl: true, onProgress: (s: string, d: number, t: number) => progress.update(s, d, t) };
      const inspected = await inspect(db, opts.includePlumb ? inspectOptions : withoutPlumbSchemas(inspectOptions));
      const catalog = opts.includePlumb ? inspected : withoutPlumbObjects(inspected);
      // The URL's own database (MySQL) is the spec's default schema: planned against another database, the spec lands there.
      const d = getDialect(catalog.dialect);
      const home = d.homeSchema?.(db);
      const input = catalogToSpecInput(catalog, home !== undefined ? { home, quoteIdent: d.quoteIdent } : {});
      const tables = catalog.schemas.reduce((n, s) => n + s.tables.length, 0);
      progress.done(`pulled ${catalog.schemas.length} schemas, ${tables} tables`);
      const format = opts.format ?? (opts.out?.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
      const text = format === 'json' ? JSON.stringify(input, null, 2) : specInputToYaml(input, `plumb spec pulled from ${catalog.database ?? 'the database'} (${catalog.dialect} ${catalog.serverVersion})\nEdit freely; renames are declared with renamedFrom.`);
      await emit(text, opts.out);
    });
}
