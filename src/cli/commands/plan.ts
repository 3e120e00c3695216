// `plumb plan`: spec → phased, checked, reversible plan, written as plan.md,
// plan.sql and plan.json. Reads the database only (pre-checks run in a
// transaction that is rolled back).
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { PlumbError } from '../../errors.js';
import { stepIndex } from '../../plan/build-plan.js';
import { planBetween, planOffline, runPlanPreChecks } from '../../plan/plan-spec.js';
import { allowedPolicies } from '../../plan/remediation.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanSql } from '../../plan/render-plan.js';
import { planSteps, type Plan, type RemediationPolicy } from '../../plan/types.js';
import { DEFAULT_MAX_REWRITE_ROWS, lockRefusals } from '../../plan/step-impact.js';
import { LOCK_BLOCKS_ORDER, type LockBlocks } from '../../diff/render-types.js';
import type { DialectName } from '../../catalog/types.js';
import { loadSpec } from '../../spec/load.js';
import { disposeScratchEngine } from '../../spec/spec-to-catalog.js';
import { emit, Progress } from '../output.js';
import { dbOption, schemaOption, excludeSchemaOption, devTarget, schemaScope, type SchemaFlags } from './common.js';
import { comparisonSides, openSides } from './comparison-sides.js';
import { outsideWarning } from '../../diff/describe.js';

export const plumbVersion = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

const POLICIES: RemediationPolicy[] = ['abort', 'nullify', 'delete', 'quarantine'];

/** `step=policy` pairs (step id or object path). */
export function parseRemediate(pairs: string[] | undefined): Record<string, RemediationPolicy> {
  const out: Record<string, RemediationPolicy> = {};
  for (const p of pairs ?? []) {
    const i = p.lastIndexOf('=');
    const policy = p.slice(i + 1) as RemediationPolicy;
    if (i <= 0 || !POLICIES.includes(policy)) throw new PlumbError('E_USAGE', `--remediate ${p}: expected STEP=POLICY`, `STEP is a step id (2.1) or object path; POLICY is one of ${POLICIES.join(', ')}`);
    out[p.slice(0, i)] = policy;
  }
  return out;
}

/** Rejects --remediate keys that name no step, and policies a step's pre-checks cannot use. */
export function checkRemediate(plan: Plan, remediate: Record<string, RemediationPolicy>): void {
  const idx = stepIndex(plan);
  for (const [k, policy] of Object.entries(remediate)) {
    const step = idx.get(k);
    if (!step) throw new PlumbError('E_USAGE', `--remediate ${k}: no step has that id or path`, 'step ids are listed in plan.md (e.g. 5.1)');
    if (!step.preChecks.length) throw new PlumbError('E_USAGE', `--remediate ${k}: step ${step.id} has no pre-check to remediate`, 'only data-dependent steps take a remediation policy');
    for (const c of step.preChecks) if (!allowedPolicies(c).includes(policy)) throw new PlumbError('E_USAGE', `--remediate ${k}=${policy}: ${policy} does not apply to ${c.kind} (${c.description})`, `use one of: ${allowedPolicies(c).join(', ')}`);
  }
}

async function write(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (e) {
    throw new PlumbError('E_IO', `cannot write ${file}: ${(e as Error).message}`, 'check that the directory is writable');
  }
  process.stderr.write(`wrote ${file}\n`);
}

interface PlanCli extends SchemaFlags {
  db?: string;
  spec?: string;
  from?: string;
  to?: string;
  out?: string;
  remediate?: string[];
  concurrently?: boolean;
  online?: boolean;
  allowDestructive?: boolean;
  allow?: string[];
  largeTableRows?: string;
  lockTimeout?: string;
  batchSize?: string;
  maxLock?: LockBlocks;
  rewrite: boolean;
  format: string;
  precheck: boolean;
  dialect?: DialectName;
}

/** A whole-number option, or a usage error naming the flag. */
export function wholeNumber(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new PlumbError('E_USAGE', `${flag} ${v}: expected a whole number`, `for example: ${flag} 1000`);
  return n;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .summary('phased, checked, reversible plan from the live database to the spec (plan.md, plan.sql, plan.json)')
    .description(
      'Diffs the live database against the spec and orders the changes into phases: schemas and types, tables,\n' +
        'columns, keys and checks, foreign keys (after every table, so cycles need nothing special), validation,\n' +
        'indexes, views/routines/triggers/policies/grants, and drops last. Every step has rollback SQL, a safety class\n' +
        '(safe, blocking, data-dependent, destructive), stable hazard codes, and pre-checks that count the rows that\n' +
        'would make it fail — run now, read-only, and again at apply. Never writes to the database.\n' +
        '--from A --to B plans between any two sides, each a database URL or a spec: the plan makes A like B\n' +
        '(e.g. a staging database like production; --db X --spec S is --from X --to S). Live schemas the spec does\n' +
        'not mention are left alone and named in a warning.',
    )
    .addOption(dbOption())
    .option('-s, --spec <path>', 'the spec: YAML, JSON, a TS/JS module, a .sql file or a directory of them (with --db)')
    .option('--from <url|spec>', 'the side the plan changes: a database URL or a spec (with --to)')
    .option('--to <url|spec>', 'the side to match: a database URL or a spec (with --from)')
    .addOption(schemaOption())
    .addOption(excludeSchemaOption())
    .option('-o, --out <dir|plan.md>', 'write plan.md, plan.sql and plan.json into this directory (or beside this .md file)')
    .addOption(new Option('-f, --format <format>', 'what to print when there is no --out').choices(['md', 'sql', 'json']).default('md'))
    .option('--remediate <step=policy...>', 'what to do with rows a pre-check finds: abort (default), nullify, delete, quarantine')
    .option('--concurrently', 'build indexes on existing tables with CREATE INDEX CONCURRENTLY, outside the transaction')
    .option(
      '--online',
      'change column types of large tables without rewriting them under a lock (expand/contract): a new column kept in step by a trigger, filled in batches, indexed concurrently and swapped in by renames; the old column stays until apply --contract. Implies --concurrently',
    )
    .option('--allow <code:path...>', 'approve a destructive step in the plan (PH102:public.t.c, a code, or a step id)')
    .option('--allow-destructive', 'approve every destructive step in the plan')
    .option('--large-table-rows <n>', 'tables with at least this many rows get NOT VALID + VALIDATE (default 100000)')
    .option('--lock-timeout <ms>', 'how long apply waits for each lock before it retries (default 2000)')
    .option('--batch-size <n>', 'rows per transaction when a new column with a volatile default is backfilled on a large table (default 5000)')
    .addOption(new Option('--max-lock <blocks>', 'fail (exit 5, after writing the plan) if a step holds a lock blocking more than this while it reads or writes rows').choices([...LOCK_BLOCKS_ORDER]))
    .option('--no-rewrite', 'fail (exit 5, after writing the plan) if a step rewrites an existing table')
    .option('--no-precheck', 'do not run the pre-checks against the live database now')
    .addOption(new Option('--dialect <name>', 'render the whole spec for another engine, with no database (mssql is render-only)').choices(['postgres', 'mysql', 'sqlite', 'mssql']))
    .addHelpText('after', '\nExamples:\n  plumb plan --db $DATABASE_URL --spec spec.yaml --out plan/\n  plumb plan --from postgres://me@localhost/staging --to postgres://me@localhost/prod --format sql\n  plumb plan --db $DATABASE_URL --spec spec.yaml --remediate 6.1=quarantine --concurrently -o plan/plan.md\n  plumb plan --db $DATABASE_URL --spec spec.yaml --online --out plan/   # type changes of large tables: expand, backfill, swap; contract later\n  plumb plan --spec spec.yaml --dialect mssql --format sql > schema.sql   # T-SQL, no database needed\n')
    .action(async (opts: PlanCli) => {
      // Without --dialect the plan is made against a live database, which must be named (checked before the spec loads).
      const dbExample = 'plumb plan --db postgres://me@localhost/app --spec spec.yaml';
      const sides = opts.dialect ? undefined : comparisonSides(opts, dbExample);
      if (opts.dialect) {
        if (opts.spec === undefined) throw new PlumbError('E_USAGE', '--dialect needs --spec S', 'plumb plan --spec spec.yaml --dialect mssql --format sql');
        const spec = await loadSpec(opts.spec);
        // Offline: the spec built from nothing, in the dialect's SQL. No connection, no pre-checks.
        const offline = await planOffline(spec, opts.dialect, { plumbVersion }).finally(() => disposeScratchEngine());
        if (opts.out) {
          await write(join(opts.out, 'plan.md'), renderPlanMarkdown(offline));
          await write(join(opts.out, 'plan.sql'), renderPlanSql(offline));
          await write(join(opts.out, 'plan.json'), renderPlanJson(offline));
        } else await emit(opts.format === 'json' ? renderPlanJson(offline) : opts.format === 'sql' ? renderPlanSql(offline) : renderPlanMarkdown(offline));
        return;
      }
      const remediate = parseRemediate(opts.remediate);
      const progress = new Progress('planning');
      const open = await openSides(sides!);
      let plan: Plan;
      let results;
      try {
        progress.update('inspecting and diffing', 1, 3);
        let outside;
        ({ plan, outside } = await planBetween(open.from, open.to, {
          ...devTarget(),
          ...schemaScope(opts),
          concurrently: !!opts.concurrently,
          online: !!opts.online,
          remediate,
          allow: opts.allowDestructive ? ['*'] : (opts.allow ?? []),
          largeTableRows: wholeNumber(opts.largeTableRows, '--large-table-rows'),
          lockTimeoutMs: wholeNumber(opts.lockTimeout, '--lock-timeout'),
          batchSize: wholeNumber(opts.batchSize, '--batch-size'),
          plumbVersion,
        }));
        checkRemediate(plan, remediate);
        const warning = outsideWarning(outside);
        if (warning) process.stderr.write(`${warning}\n`);
        progress.update('running pre-checks (read-only)', 2, 3);
        // Pre-checks count rows of the side the plan changes: only a database has rows.
        results = opts.precheck && 'db' in open.from ? await runPlanPreChecks(open.from.db, plan) : undefined;
      } finally {
        await open.close();
        await disposeScratchEngine();
      }
      const steps = plan.phases.reduce((n, p) => n + p.steps.length, 0);
      progress.done(`planned ${steps} step(s) in ${plan.phases.length} phase(s)`);
      const md = renderPlanMarkdown(plan, results);
      if (opts.out) {
        const dir = extname(opts.out).toLowerCase() === '.md' ? dirname(opts.out) : opts.out;
        const mdFile = extname(opts.out).toLowerCase() === '.md' ? opts.out : join(dir, 'plan.md');
        await write(mdFile, md);
        await write(join(dir, 'plan.sql'), renderPlanSql(plan));
        await write(join(dir, 'plan.json'), renderPlanJson(plan));
      } else {
        await emit(opts.format === 'json' ? renderPlanJson(plan) : opts.format === 'sql' ? renderPlanSql(plan) : md);
      }
      const failing = results ? Object.values(results).filter((r) => 'count' in r && r.count > 0).length : 0;
      if (failing) process.stderr.write(`${failing} pre-check(s) found rows that would make a step fail: see plan.md (Data clean-up)\n`);
      const big = lockRefusals(planSteps(plan), { maxRewriteRows: DEFAULT_MAX_REWRITE_ROWS });
      if (big.length) process.stderr.write(`warning: plumb apply will refuse ${big.length} step(s) unless given --allow-rewrite: ${big.map((r) => `${r.step.id} ${r.reason}`).join('; ')}\n`);
      const heavy = lockRefusals(planSteps(plan), { maxLock: opts.maxLock, noRewrite: opts.rewrite === false });
      if (heavy.length) {
        throw new PlumbError('E_PLAN', `${heavy.length} step(s) would stall the application: ${heavy.map((r) => `${r.step.id} ${r.reason}`).join('; ')}`, 'see "Locks held while rows are read or written" in plan.md; apply them in a maintenance window, or change the spec');
      }
    });
}
