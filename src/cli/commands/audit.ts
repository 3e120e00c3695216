// `plumb audit`: run every rule over a live database in one read-only
// transaction, print a report, and set the exit code from --fail-on.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { Option } from 'commander';
import { runAudit } from '../../audit/audit.js';
import { applyBaseline, createBaseline, failsAt, parseBaseline } from '../../audit/baseline.js';
import { allRules } from '../../audit/rules/index.js';
import type { Severity } from '../../audit/types.js';
import { loadConfig } from '../../config/load-config.js';
import { loadSpec } from '../../spec/load.js';
import { disposeScratchEngine, specToCatalog } from '../../spec/spec-to-catalog.js';
import { resolveAuditConfig } from '../../config/resolve-config.js';
import { connect } from '../../drivers/connect.js';
import { PlumbError } from '../../errors.js';
import { auditFormats, renderAudit } from '../../report/audit-report.js';
import { emit, Progress } from '../output.js';
import { connectionsOption, dbOption, requireDb, devTarget } from './common.js';

const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Every audit format, html included: it registers itself only when loaded (it is large), but it is always valid. */
const formatNames = (): string[] => [...new Set([...auditFormats(), 'html'])];

interface AuditCliOptions {
  db?: string;
  format: string;
  out?: string;
  failOn?: Severity | 'none';
  baseline?: string;
  writeBaseline?: string;
  config?: string;
  rule?: string[];
  enable?: string[];
  disable?: string[];
  severity?: string[];
  ignore?: string[];
  statementTimeout?: string;
  connections: number;
  schema?: string[];
  excludeSchema?: string[];
  /** `--data sample|full`, or false from `--no-data` (commander's default for it: true). */
  data: boolean | 'sample' | 'full';
  includePlumb?: boolean;
  color?: boolean;
  spec?: string;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .summary('find integrity, security, performance, design and drift problems, and grade the database')
    .description(
      'Inspects the database and runs every audit rule (plumb rules lists them) in ONE read-only transaction\n' +
        'with a statement and lock timeout: catalog rules read only the schema, data rules run bounded queries\n' +
        '(sampling large tables; --data full reads every row, one pass per table, with no statement timeout unless\n' +
        'given). A check that times out or lacks a privilege is reported as skipped.\n' +
        'Exit status: 0 clean, 1 when a finding is at or above --fail-on (default error), 2 bad input, 3 cannot connect.',
    )
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', `output format (${formatNames().join(', ')})`).default('text'))
    .option('--spec <file>', 'declarative spec: every difference is a drift finding, and undeclared routines/triggers/events are hidden automations')
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when any finding is at or above this severity').choices(['error', 'warning', 'info', 'none']))
    .option('--baseline <file>', 'report only findings that are not in this baseline')
    .option('--write-baseline <file>', 'save the current findings as a baseline (and still report them)')
    .option('-c, --config <file>', 'config file (default: plumb.config.{ts,js,json,yaml} in the current directory)')
    .option('--rule <id...>', 'run only these rules (ids or PLB codes; repeatable)')
    .option('--enable <id...>', 'enable rules that are off by default')
    .option('--disable <id...>', 'disable rules')
    .option('--severity <rule=severity...>', 'override a rule\'s severity, e.g. table-without-comment=warning')
    .option('--ignore <glob...>', 'drop findings on these object paths (`legacy.*`, `public.tmp_*`)')
    .option('--statement-timeout <ms>', 'statement timeout for every audit query (default 10000; none with --data full)')
    .addOption(connectionsOption())
    .option('--schema <name...>', 'only these schemas (`*` globs allowed)')
    .option('--exclude-schema <name...>', 'leave these schemas out')
    .addOption(new Option('--data <mode>', 'data rules read a large table\'s first rows by key (sample, the default) or every row (full)').choices(['sample', 'full']))
    .option('--no-data', 'catalog rules only: do not run data rules')
    .option('--include-plumb', "audit plumb's own objects too (apply history and journal, quarantine, hash-chain functions, triggers and head table)")
    .option('--no-color', 'no colour in text output')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  plumb audit --db postgres://me@localhost/app\n' +
        '  plumb audit --db $DATABASE_URL -f md -o audit.md\n' +
        '  plumb audit --db $DATABASE_URL --data full               # every row of every table, one pass each\n' +
        '  plumb audit --db $DATABASE_URL -f sarif -o plumb.sarif --fail-on warning\n' +
        '  plumb audit --db $DATABASE_URL --write-baseline .plumb-baseline.json   # accept today\'s debt\n' +
        '  plumb audit --db $DATABASE_URL --baseline .plumb-baseline.json         # CI: only new findings\n',
    )
    .action(async (opts: AuditCliOptions) => {
      const db = requireDb(opts.db, 'plumb audit --db postgres://me@localhost/app');
      // The HTML report registers itself with the formats; load it only when asked for.
      if (opts.format === 'html') await import('../../report/html/register-html-format.js');
      if (!formatNames().includes(opts.format)) {
        throw new PlumbError('E_USAGE', `unknown format "${opts.format}"`, `use one of: ${formatNames().join(', ')}`);
      }
      const { config, file } = await loadConfig(opts.config);
      const st = opts.statementTimeout === undefined ? undefined : Number(opts.statementTimeout);
      if (st !== undefined && (!Number.isInteger(st) || st <= 0)) throw new PlumbError('E_USAGE', `--statement-timeout ${opts.statementTimeout}: expected milliseconds > 0`, 'for example: --statement-timeout 30000');
      const resolved = resolveAuditConfig(
        config,
        {
          ...(opts.rule ? { rule: opts.rule } : {}),
          ...(opts.enable ? { enable: opts.enable } : {}),
          ...(opts.disable ? { disable: opts.disable } : {}),
          ...(opts.severity ? { severity: opts.severity } : {}),
          ...(opts.ignore ? { ignore: opts.ignore } : {}),
          ...(opts.failOn ? { failOn: opts.failOn } : {}),
          ...(st !== undefined ? { statementTimeoutMs: st } : {}),
          ...(opts.schema ? { schema: opts.schema } : {}),
          ...(opts.excludeSchema ? { excludeSchema: opts.excludeSchema } : {}),
        },
        allRules,
        file ?? 'flags',
      );
      const baselineFile = opts.baseline ?? resolved.baseline;
      const baseline = baselineFile ? parseBaseline(await readText(baselineFile), baselineFile) : undefined;
      const spec = opts.spec ? await loadSpec(opts.spec) : undefined;
      // --data (or --no-data) over the config's `data`, over sample.
      const data = opts.data === true || opts.data === undefined ? (resolved.options.data ?? true) : opts.data;
      const full = data === 'full';
      // Reading every row takes minutes on a large database: off a terminal too, say which table is being read.
      const progress = new Progress('auditing', undefined, full ? {} : undefined);
      const conn = await connect(db);
      let run;
      try {
        // The spec is realised on a scratch engine (never the target) before the read-only audit starts.
        const specCatalog = spec ? await specToCatalog(spec, { dialect: conn.dialect, target: conn.target, ...devTarget() }).finally(() => disposeScratchEngine()) : undefined;
        run = await runAudit(conn, {
          ...(specCatalog ? { specCatalog } : {}),
          ...resolved.options,
          data,
          ...(opts.includePlumb ? { includePlumb: true } : {}),
          connections: opts.connections,
          ...(spec ? { spec } : {}),
          toolVersion: version,
          onProgress: (s, d, t) => (full && s.startsWith('table ') ? progress.begin(s, d, t) : progress.update(s, d, t)),
        });
      } finally {
        await conn.close();
      }
      progress.done(`audited ${run.result.objects.tables} tables with ${run.result.rules.length} rules`);
      if (opts.writeBaseline) await writeText(opts.writeBaseline, JSON.stringify(createBaseline(run.result), null, 2) + '\n');
      const result = baseline ? applyBaseline(run.result, baseline) : run.result;
      const text = await renderAudit(result, opts.format, {
        catalog: run.catalog,
        color: opts.color !== false && !opts.out && process.stdout.isTTY === true && !process.env.NO_COLOR,
        failOn: resolved.failOn === 'none' ? 'error' : resolved.failOn,
        ruleDescriptions: allRules.map((r) => ({ id: r.meta.id, description: r.meta.docs.description })),
      });
      await emit(text, opts.out);
      if (failsAt(result, resolved.failOn)) process.exitCode = 1;
    });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new PlumbError('E_IO', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path; write a baseline with --write-baseline FILE');
  }
}

async function writeText(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (e) {
    throw new PlumbError('E_IO', `cannot write ${file}: ${(e as Error).message}`, 'check that the directory exists and is writable');
  }
  process.stderr.write(`wrote baseline ${file}\n`);
}
