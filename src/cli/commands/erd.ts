// `plumb erd`: the catalog's entity-relationship diagram as a file people
// share — SVG (laid out by elkjs), Mermaid (renders on GitHub), DBML
// (dbdiagram.io) or Graphviz DOT. Reads only; never writes to the database.
import type { Command } from 'commander';
import { Option } from 'commander';
import pc from 'picocolors';
import { toDbml } from '../../erd/dbml.js';
import { toDot } from '../../erd/dot.js';
import { toSvg } from '../../erd/erd-layout.js';
import { MERMAID_GITHUB_MAX_CHARS, toMermaid } from '../../erd/mermaid.js';
import type { ErdSelection } from '../../erd/erd-graph.js';
import { PlumbError } from '../../errors.js';
import { withoutPlumbSchemas } from '../../catalog/plumb-schemas.js';
import { inspect } from '../../inspect.js';
import { emit, Progress } from '../output.js';
import { dbOption, requireDb } from './common.js';

interface ErdCliOptions {
  db?: string;
  schema?: string;
  table?: string;
  depth: string;
  format: 'svg' | 'mermaid' | 'dbml' | 'dot';
  out?: string;
}

export function registerErd(program: Command): void {
  program
    .command('erd')
    .summary('draw the entity-relationship diagram (SVG, Mermaid, DBML, DOT)')
    .description(
      'Draws tables and their foreign keys: the whole database, one schema, or one table and its\n' +
        'neighbours (--table, --depth 1|2). SVG is laid out with elkjs; Mermaid renders in GitHub Markdown;\n' +
        'DBML opens in dbdiagram.io (and `plumb diff --spec design.dbml` reads it back); DOT is for Graphviz.',
    )
    .addOption(dbOption())
    .option('--schema <name>', 'only this schema (tables it references elsewhere are drawn as stubs)')
    .option('--table <name>', 'centre on this table (`name` or `schema.name`) and draw its neighbourhood')
    .addOption(new Option('--depth <n>', 'neighbourhood depth for --table').choices(['1', '2']).default('1'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['svg', 'mermaid', 'dbml', 'dot']).default('svg'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  plumb erd --db $DATABASE_URL -o schema.svg\n' +
        '  plumb erd --db $DATABASE_URL --schema billing -f mermaid >> README.md\n' +
        '  plumb erd --db $DATABASE_URL --table orders --depth 2 -f svg -o orders.svg\n' +
        '  plumb erd --db $DATABASE_URL -f dbml -o design.dbml         # edit in dbdiagram.io\n',
    )
    .action(async (opts: ErdCliOptions) => {
      const db = requireDb(opts.db, 'plumb erd --db postgres://me@localhost/app -o schema.svg');
      const progress = new Progress('inspecting');
      // plumb's own bookkeeping (history, journal, quarantine) is no part of the design being drawn.
      const catalog = await inspect(db, opts.schema && !opts.table ? { schemas: [opts.schema] } : withoutPlumbSchemas());
      progress.done();
      const sel: ErdSelection = { depth: Number(opts.depth) };
      if (opts.schema) sel.schema = opts.schema;
      if (opts.table) sel.table = opts.table;
      if (!catalog.schemas.some((s) => s.tables.length))
        throw new PlumbError('E_USAGE', 'no tables to draw', opts.schema ? `schema ${opts.schema} has no tables; check the name with \`plumb inspect -f text\`` : 'the database has no tables in the inspected schemas');
      let text: string;
      switch (opts.format) {
        case 'mermaid':
          text = toMermaid(catalog, sel);
          if (text.length > MERMAID_GITHUB_MAX_CHARS)
            process.stderr.write(`${pc.yellow('note')} the diagram is ${text.length} characters; GitHub renders Mermaid up to ${MERMAID_GITHUB_MAX_CHARS}: use --schema or --table to draw less\n`);
          break;
        case 'dbml':
          text = toDbml(catalog, sel);
          break;
        case 'dot':
          text = toDot(catalog, sel);
          break;
        default:
          text = await toSvg(catalog, sel);
      }
      await emit(text, opts.out);
    });
}
