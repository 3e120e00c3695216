// `plumb apply`: run a plan (plan.json, or planned from --spec now) with drift
// and destructive-step refusals, pre-checks, remediation, a journal and a
// history. --yes confirms; it never allows a destructive step.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { applyPlan, type ApplyResult } from '../../apply/apply-plan.js';
import { connect } from '../../drivers/connect.js';
import { PlumbError } from '../../errors.js';
import { planFromSpec } from '../../plan/plan-spec.js';
import { renderPlanMarkdown } from '../../plan/render-plan.js';
import type { Plan } from '../../plan/types.js';
import { loadSpec } from '../../spec/load.js';
import { disposeScratchEngine } from '../../spec/spec-to-catalog.js';
import { emit } from '../output.js';
import { setInterruptState } from '../interrupt.js';
import { createOption, dbOption, requireDb, devTarget, schemaOption, excludeSchemaOption, schemaScope, type SchemaFlags } from './common.js';
import { checkRemediate, parseRemediate, plumbVersion, wholeNumber } from './plan.js';
import { LOCK_BLOCKS_ORDER, type LockBlocks } from '../../diff/render-types.js';
import { DEFAULT_MAX_REWRITE_ROWS } from '../../plan/step-impact.js';

interface ApplyCli extends SchemaFlags {
  db?: string;
  create?: boolean;
  plan?: string;
  spec?: string;
  force?: boolean;
  allow?: string[];
  allowDestructive?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  rollback?: boolean;
  remediate?: string[];
  concurrently?: boolean;
  backup?: boolean;
  lockTimeout?: string;
  retries?: string;
  statementTimeout?: string;
  maxLock?: LockBlocks;
  rewrite: boolean;
  maxRewriteRows?: string;
  allowRewrite?: boolean;
  online?: boolean;
  contract?: boolean;
  format: string;
}

async function readPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new PlumbError('E_IO', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'make one with: plumb plan --db URL --spec S --out DIR');
  }
  try {
    return JSON.parse(text) as Plan;
  } catch (e) {
    throw new PlumbError('E_PLAN', `${file} is not valid JSON: ${(e as Error).message}`, 'make the plan again with plumb plan');
  }
}

function renderResult(r: ApplyResult, format: string): string {
  if (format === 'json') return JSON.stringify(r, null, 2);
  const lines = [`${r.outcome}: plan ${r.planChecksum.slice(0, 12)} in ${(r.durationMs / 1000).toFixed(2)} s`];
  for (const s of r.steps) lines.push(`  ${s.status.padEnd(12)} ${s.id.padEnd(6)} ${s.path}${s.error ? `  — ${s.error}` : ''}`);
  for (const p of r.preChecks) {
    lines.push(`  pre-check ${p.id}: ${p.count} row(s) ${p.description} → ${p.policy}${p.quarantineTable ? ` (moved to ${p.quarantineTable}; restore: ${p.restore?.join('; ')})` : ''}`);
  }
  return lines.join('\n');
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .summary('apply a plan safely: drift check, pre-checks, transactions, journal, history; --resume / --rollback')
    .description(
      'Applies plan.json (or plans --spec now and asks for confirmation). Refuses when the database changed since the\n' +
        'plan was made (--force overrides) and refuses destructive steps unless allowed by name (--allow PH102:path) or\n' +
        'with --allow-destructive; --yes only confirms and never allows data loss. Runs pre-checks and the chosen\n' +
        'remediation, each phase (or the whole plan) in a transaction, journals every statement in plumb.journal so an\n' +
        'interrupted apply can --resume or --rollback, and records the plan in plumb.history.',
    )
    .addOption(dbOption())
    .addOption(createOption())
    .option('-p, --plan <plan.json>', 'the plan to apply (from plumb plan --out)')
    .option('-s, --spec <path>', 'plan from this spec and apply it in one go')
    .addOption(schemaOption())
    .addOption(excludeSchemaOption())
    .option('--force', 'apply even though the database changed since the plan was made')
    .option('--allow <code:path...>', 'allow a destructive step: PH102:public.t.c, a hazard code, a step id or a path')
    .option('--allow-destructive', 'allow every destructive step')
    .option('-y, --yes', 'do not ask for confirmation (never allows a destructive step)')
    .option('--dry-run', 'run everything in a transaction that is rolled back and report what would fail')
    .option('--resume', 'continue an interrupted apply of this plan from the journal')
    .option('--rollback', 'undo what the journal says was applied of this plan')
    .option('--remediate <step=policy...>', 'override a step\'s remediation: abort, nullify, delete, quarantine')
    .option('--backup', 'copy what destructive steps drop into plumb_backup first, so --rollback gives the data back')
    .option('--concurrently', 'with --spec: build indexes concurrently')
    .option('--online', 'with --spec: change column types of large tables expand/contract instead of rewriting them (see plumb plan --help)')
    .option('--contract', 'drop the old columns an --online plan kept, once the application no longer reads them (with --plan, after it was applied)')
    .option('--lock-timeout <ms>', 'wait at most this long for each lock, so readers queued behind apply wait no longer (default: the plan\'s, 2000)')
    .option('--retries <n>', 'run a transaction that gave up waiting for a lock again, up to n more times, waiting 0.5 s, 1 s, 2 s… (default 3)')
    .option('--statement-timeout <ms>', 'statement_timeout of every transaction apply runs (default: none)')
    .addOption(new Option('--max-lock <blocks>', 'refuse steps that hold a lock blocking more than this while they read or write rows').choices([...LOCK_BLOCKS_ORDER]))
    .option('--no-rewrite', 'refuse steps that rewrite an existing table')
    .option('--max-rewrite-rows <n>', `refuse a step that rewrites an existing table of more rows than this while it blocks the application (default ${DEFAULT_MAX_REWRITE_ROWS})`)
    .option('--allow-rewrite', 'allow rewrites of tables of any size (a maintenance window)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  plumb apply --db $DATABASE_URL --plan plan/plan.json --allow PH102:public.users.legacy_flag\n  plumb apply --db $DATABASE_URL --plan plan/plan.json --lock-timeout 1000 --retries 5 --max-lock writes --no-rewrite\n  plumb apply --db $DATABASE_URL --plan plan/plan.json --resume\n  plumb apply --db $DATABASE_URL --plan plan/plan.json --contract   # after an --online plan, once nothing reads the old columns\n  plumb apply --db pglite:./dev --spec spec.yaml --yes\n')
    .action(async (opts: ApplyCli) => {
      const db = requireDb(opts.db, 'plumb apply --db postgres://me@localhost/app --plan plan/plan.json', { create: opts.create === true ? true : undefined });
      if (!!opts.plan === !!opts.spec) throw new PlumbError('E_USAGE', 'give exactly one of --plan plan.json or --spec S', 'plumb apply --db URL --plan plan.json');
      const remediate = parseRemediate(opts.remediate);
      const conn = await connect(db);
      try {
        let plan: Plan;
        if (opts.plan) plan = await readPlan(opts.plan);
        else {
          if (opts.resume || opts.rollback || opts.contract) throw new PlumbError('E_USAGE', '--resume, --rollback and --contract need the plan that was applied (--plan plan.json)', 'pass the plan.json the earlier apply used');
          const spec = await loadSpec(opts.spec!);
          try {
            ({ plan } = await planFromSpec(conn, spec, { ...schemaScope(opts), concurrently: !!opts.concurrently, online: !!opts.online, remediate, plumbVersion, ...devTarget() }));
          } finally {
            await disposeScratchEngine();
          }
          const steps = plan.phases.reduce((n, p) => n + p.steps.length, 0);
          if (!steps) {
            await emit('nothing to do: the database matches the spec');
            return;
          }
          if (!opts.yes && !opts.dryRun) {
            if (!process.stdin.isTTY) throw new PlumbError('E_USAGE', 'confirmation needed: not a terminal', 'review with plumb plan, then pass --yes (it never allows destructive steps)');
            process.stderr.write(renderPlanMarkdown(plan));
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            const answer = await rl.question(`apply ${steps} step(s)? [y/N] `);
            rl.close();
            if (!/^y(es)?$/i.test(answer.trim())) throw new PlumbError('E_APPLY', 'not applied: not confirmed', 'answer y to apply');
          }
        }
        checkRemediate(plan, remediate);
        const total = plan.phases.reduce((n, p) => n + p.steps.length, 0);
        let done = 0;
        setInterruptState(() => interruptedApplyState(opts, db.redacted, done, total));
        const result = await applyPlan(conn, plan, {
          force: !!opts.force,
          allow: opts.allow ?? [],
          allowDestructive: !!opts.allowDestructive,
          dryRun: !!opts.dryRun,
          resume: !!opts.resume,
          rollback: !!opts.rollback,
          remediate,
          backup: !!opts.backup,
          lockTimeoutMs: wholeNumber(opts.lockTimeout, '--lock-timeout'),
          retries: wholeNumber(opts.retries, '--retries'),
          statementTimeoutMs: wholeNumber(opts.statementTimeout, '--statement-timeout'),
          maxLock: opts.maxLock,
          noRewrite: opts.rewrite === false,
          ...(opts.allowRewrite ? {} : { maxRewriteRows: wholeNumber(opts.maxRewriteRows, '--max-rewrite-rows') ?? DEFAULT_MAX_REWRITE_ROWS }),
          contract: !!opts.contract,
          plumbVersion,
          onEvent: (m) => {
            if (/^\s*(applied|rolled back) /.test(m)) done++;
            process.stderr.write(m + '\n');
          },
        });
        await emit(renderResult(result, opts.format));
        if (result.outcome === 'dry-run' && result.steps.some((s) => s.status === 'would-fail')) process.exitCode = 1;
      } finally {
        await conn.close();
      }
    });
}

/** The one line an interrupted apply leaves: what the journal holds and the command that continues it. */
function interruptedApplyState(opts: ApplyCli, db: string, done: number, total: number): string {
  if (opts.dryRun) return 'nothing changed (dry run, rolled back)';
  const where = `--db ${db}`;
  if (opts.rollback)
    return `rollback stopped after ${done} step(s); the journal records what is still applied: run plumb apply ${where} --plan ${opts.plan} --rollback again`;
  // A phase in a transaction rolls back with the connection; statements outside one are journaled one by one.
  if (opts.plan) return `journal at step ${done} of ${total}: resume with plumb apply ${where} --plan ${opts.plan} --resume (or undo with --rollback)`;
  return `journal at step ${done} of ${total}: run plumb apply ${where} --spec ${opts.spec} again to plan and apply what remains`;
}
