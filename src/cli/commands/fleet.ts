// `plumb fleet audit|diff|plan|verify|apply --targets F`: the single-database
// commands over many targets, with one consolidated report. Thin: parse,
// call src/fleet, print, set the exit code. Prints redacted URLs only.
import type { Command } from 'commander';
import { Option } from 'commander';
import { createRequire } from 'node:module';
import { failsAt } from '../../audit/baseline.js';
import { allRules } from '../../audit/rules/index.js';
import type { Severity } from '../../audit/types.js';
import type { AuditOptions } from '../../audit/audit.js';
import { loadConfig } from '../../config/load-config.js';
import { resolveAuditConfig } from '../../config/resolve-config.js';
import { PlumbError } from '../../errors.js';
import { DesiredCatalogs } from '../../fleet/desired-catalogs.js';
import { fleetAudit } from '../../fleet/fleet-audit.js';
import { FLEET_AUDIT_FORMATS, renderFleetAudit } from '../../fleet/fleet-audit-report.js';
import { defaultConcurrency, type RunFleetOptions, type TargetOutcome } from '../../fleet/run-fleet.js';
import { loadTargets, selectTargets, type FleetTarget } from '../../fleet/targets.js';
import { fleetSpec, type FleetSpecMode } from '../../fleet/fleet-spec.js';
import { FLEET_SPEC_FORMATS, renderFleetSpec } from '../../fleet/fleet-spec-report.js';
import { fleetApply, parseMaxFailures, parseWaves, readRollout, type FleetApplyReport } from '../../fleet/fleet-apply.js';
import { FLEET_APPLY_FORMATS, renderFleetApply } from '../../fleet/fleet-apply-report.js';
import { connect } from '../../drivers/connect.js';
import { parseDbUrl } from '../../drivers/url.js';
import { mkdir } from 'node:fs/promises';
import { loadSpec } from '../../spec/load.js';
import { disposeScratchEngine } from '../../spec/spec-to-catalog.js';
import { emit } from '../output.js';
import { devTarget } from './common.js';

const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

interface FleetCommon {
  targets: string;
  where?: string[];
  control?: string;
  concurrency: number;
  timeout?: number;
  out?: string;
  quiet?: boolean;
}

function positiveInt(flag: string, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new PlumbError('E_USAGE', `${flag} ${v}: expected a whole number from 1 to ${max}`, `for example: ${flag} 4`);
    return n;
  };
}

function commonOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-t, --targets <file>', 'targets file (YAML/JSON): targets: [{ url, name?, labels? }], template: { url, names }, or query: { sql } (docs/fleet.md)')
    .option('-w, --where <key=value...>', 'only targets whose label matches (key=a,b for any of; key!=v to exclude; name=… by target name); repeat to AND')
    .addOption(new Option('--control <url>', 'control database: runs the targets file\'s query, and holds fleet apply\'s rollout state').env('PLUMB_FLEET_CONTROL'))
    .addOption(new Option('--concurrency <n>', 'targets in flight at once').default(defaultConcurrency()).argParser(positiveInt('--concurrency', 256)))
    .addOption(new Option('--timeout <seconds>', 'per-target limit, connection included (default: none)').argParser(positiveInt('--timeout', 86_400)))
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .option('-q, --quiet', 'no progress line per target on stderr');
}

async function selected(opts: FleetCommon): Promise<FleetTarget[]> {
  const all = await loadTargets(opts.targets, opts.control ? { control: opts.control } : {});
  const picked = selectTargets(all, opts.where ?? []);
  if (!picked.length) throw new PlumbError('E_USAGE', `no targets selected (${all.length} in ${opts.targets}${opts.where?.length ? `, none matching --where ${opts.where.join(' --where ')}` : ''})`, 'check the labels in the targets file and the --where expressions');
  return picked;
}

function runOptions(opts: FleetCommon, verb: string): RunFleetOptions {
  return {
    concurrency: opts.concurrency,
    ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}),
    ...(opts.quiet ? {} : { onDone: (o: TargetOutcome<unknown>, done: number, total: number) => process.stderr.write(`${verb} ${done}/${total} ${o.target.name}: ${o.status}${o.error ? ` — ${o.error}` : ''}\n`) }),
  };
}

export function registerFleet(program: Command): void {
  const fleet = program
    .command('fleet')
    .summary('many databases at once: audit, diff, plan, verify and apply in canary waves, one report')
    .description(
      'Runs audit, diff, plan, verify or apply on every target of a targets file (YAML/JSON: a list of URLs, a URL\n' +
        'template with names, or a SQL query against a control database), with bounded concurrency and per-target\n' +
        'timeouts, and writes one consolidated report. An unreachable target is reported, never fatal. See docs/fleet.md.',
    );

  commonOptions(
    fleet
      .command('audit')
      .summary('audit every target: grade per target, findings by rule across the fleet')
      .description('Runs `plumb audit` on every target (read-only) and folds the results into one report.\nExit status: 0 clean, 1 when a finding is at or above --fail-on or a target could not be audited, 2 bad input.'),
  )
    .addOption(new Option('-f, --format <format>', `output format (${FLEET_AUDIT_FORMATS.join(', ')})`).choices([...FLEET_AUDIT_FORMATS]).default('text'))
    .option('--spec <file>', 'declarative spec: differences are drift findings (realised once per dialect)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when any target has a finding at or above this severity').choices(['error', 'warning', 'info', 'none']))
    .option('-c, --config <file>', 'config file for the audit rules (as for plumb audit)')
    .option('--rule <id...>', 'run only these rules')
    .option('--disable <id...>', 'disable rules')
    .option('--statement-timeout <ms>', 'statement timeout for every audit query (default 10000)')
    .option('--no-data', 'catalog rules only')
    .option('--queue', 'do not audit here: put one job per target on the job queue in --control (Postgres) and wait for `plumb fleet worker` processes')
    .option('--rollout <id>', 'add this fleet apply rollout (its per-target state and timeline, read from --control) to the report')
    .addHelpText('after', '\nExamples:\n  plumb fleet audit --targets fleet.yaml --concurrency 8 --timeout 60 -f html -o fleet.html\n  plumb fleet audit --targets fleet.yaml --spec spec.yaml --control postgres://plumb@ctl/plumb --rollout r1 -f html -o fleet.html\n  plumb fleet audit --targets fleet.yaml --where tier=gold -f sarif -o fleet.sarif\n')
    .action(async (opts: FleetCommon & { format: string; spec?: string; failOn?: Severity | 'none'; config?: string; rule?: string[]; disable?: string[]; statementTimeout?: string; data: boolean; queue?: boolean; rollout?: string }) => {
      const targets = await selected(opts);
      const { config, file } = await loadConfig(opts.config);
      const st = opts.statementTimeout === undefined ? undefined : Number(opts.statementTimeout);
      if (st !== undefined && (!Number.isInteger(st) || st <= 0)) throw new PlumbError('E_USAGE', `--statement-timeout ${opts.statementTimeout}: expected milliseconds > 0`, 'for example: --statement-timeout 30000');
      const resolved = resolveAuditConfig(
        config,
        { ...(opts.rule ? { rule: opts.rule } : {}), ...(opts.disable ? { disable: opts.disable } : {}), ...(opts.failOn ? { failOn: opts.failOn } : {}), ...(st !== undefined ? { statementTimeoutMs: st } : {}) },
        allRules,
        file ?? 'flags',
      );
      const spec = opts.spec ? await loadSpec(opts.spec) : undefined;
      const desired = spec ? new DesiredCatalogs(spec, devTarget().devTarget) : undefined;
      if (opts.queue) {
        if (!opts.control) throw new PlumbError('E_USAGE', '--queue needs --control postgres://… (the queue and the results live there)', 'plumb fleet audit --targets fleet.yaml --queue --control postgres://plumb@ctl/plumb');
        const { queuedFleetAudit } = await import('../../fleet/fleet-queue.js');
        const report = await queuedFleetAudit(opts.control, targets, {
          ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}),
          ...(opts.spec ? { specPath: opts.spec } : {}),
          audit: { ...pickAudit(resolved.options), data: opts.data, toolVersion: version },
        });
        if (opts.rollout) report.rollout = await rolloutOf(opts.control, opts.rollout);
        await emit(renderFleetAudit(report, opts.format, { ruleDescriptions: allRules.map((r) => ({ id: r.meta.id, description: r.meta.docs.description })) }), opts.out);
        if (report.summary.audited < report.summary.targets || report.targets.some((t) => t.result && failsAt(t.result, resolved.failOn))) process.exitCode = 1;
        return;
      }
      try {
        const report = await fleetAudit(targets, {
          ...runOptions(opts, 'audited'),
          audit: { ...resolved.options, data: opts.data, toolVersion: version, ...(spec ? { spec } : {}) },
          ...(desired ? { specCatalog: (conn) => desired.for(conn), specName: opts.spec } : {}),
        });
        if (opts.rollout) report.rollout = await rolloutOf(opts.control, opts.rollout);
        await emit(renderFleetAudit(report, opts.format, { ruleDescriptions: allRules.map((r) => ({ id: r.meta.id, description: r.meta.docs.description })) }), opts.out);
        const failOn = resolved.failOn;
        const bad = report.summary.audited < report.summary.targets || report.targets.some((t) => t.result && failsAt(t.result, failOn));
        if (bad) process.exitCode = 1;
      } finally {
        await disposeScratchEngine();
      }
    });

  const specHelp: Record<FleetSpecMode, [string, string]> = {
    diff: ['which targets differ from the spec and how: the drift matrix', 'Exit status: 0 every target matches, 1 a target differs or could not be compared, 2 bad input.'],
    plan: ['each target\'s own plan, built against its own catalog, grouped by what it would do', 'Reads only. Exit status: 0, or 1 when a target could not be planned.'],
    verify: ['the spec\'s checks, zero drift and enforcement probes on every target', 'Everything runs in rolled-back transactions. Exit status: 0 all pass, 1 a target fails or could not be verified.'],
  };
  for (const mode of ['diff', 'plan', 'verify'] as const) {
    commonOptions(fleet.command(mode).summary(specHelp[mode][0]).description(`${specHelp[mode][0]}.\n${specHelp[mode][1]}`))
      .requiredOption('-s, --spec <path>', 'the spec (realised once per dialect, not once per target)')
      .addOption(new Option('-f, --format <format>', 'output format').choices([...FLEET_SPEC_FORMATS]).default('text'))
      .addHelpText('after', `\nExample:\n  plumb fleet ${mode} --targets fleet.yaml --spec spec.yaml --where region=eu -f html -o ${mode}.html\n`)
      .action(async (opts: FleetCommon & { spec: string; format: string }) => {
        const targets = await selected(opts);
        const spec = await loadSpec(opts.spec);
        try {
          const report = await fleetSpec(mode, targets, spec, new DesiredCatalogs(spec, devTarget().devTarget), opts.spec, { ...runOptions(opts, `${mode}:`), plumbVersion: version });
          await emit(renderFleetSpec(report, opts.format), opts.out);
          const s = report.summary;
          const missed = s.unreachable + s.timeout + s.error > 0;
          if (missed || (mode === 'diff' && s.drifted > 0) || (mode === 'verify' && (s.verifyFailed ?? 0) > 0)) process.exitCode = 1;
        } finally {
          await disposeScratchEngine();
        }
      });
  }

  commonOptions(
    fleet
      .command('apply')
      .summary('roll the spec out: canary, waves, failure budget, resumable state in a control database')
      .description(
        'Plans every target against its own catalog (read-only), takes the most common plan as the fleet\'s migration,\n' +
          'then applies target by target: the canary first, then each wave. A target whose plan differs is drifted: reported\n' +
          'and skipped (--allow-drift applies it anyway). More failures than --max-failures (or any canary failure) halt the\n' +
          'rollout. State lives in the control database (--control; default a PGlite directory .plumb/fleet): per target\n' +
          'what ran, when, the result and the plan checksum. --resume continues a halted or crashed rollout; a target left\n' +
          'running is looked up in its own history and journal, so none is migrated twice.\n' +
          'Exit status: 0 done, 1 halted or incomplete, 2 bad input.',
      ),
  )
    .requiredOption('-s, --spec <path>', 'the spec to roll out')
    .option('--rollout <id>', 'rollout id (default: spec-<checksum>)')
    .addOption(new Option('--canary <n>', 'targets applied first, one at a time; any failure halts').default(1).argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new PlumbError('E_USAGE', `--canary ${v}: expected a whole number ≥ 0`, 'for example: --canary 1');
      return n;
    }))
    .option('--waves <list>', 'cumulative shares of the other targets, e.g. 10%,50%,100% (default 100%)')
    .option('--max-failures <n|%>', 'failed targets tolerated before the rollout halts (default 0)')
    .option('--resume', 'continue a halted or crashed rollout')
    .option('--allow-drift', 'also apply targets whose plan differs from the fleet\'s migration')
    .option('--queue', 'run each wave on `plumb fleet worker` processes through the job queue in --control (Postgres)')
    .addOption(new Option('--lease <seconds>', 'with --queue: a job whose worker vanished is retried by another after this long (default 900)').argParser(positiveInt('--lease', 86_400)))
    .option('--concurrently', 'build indexes on existing tables with CREATE INDEX CONCURRENTLY, outside the transaction (as plumb plan)')
    .addOption(new Option('--large-table-rows <n>', 'tables with at least this many rows get NOT VALID + VALIDATE (as plumb plan; default 100000)').argParser(positiveInt('--large-table-rows', 2 ** 31 - 1)))
    .addOption(new Option('--lock-timeout <ms>', 'how long each statement waits for a lock before apply retries (as plumb plan; default 2000)').argParser(positiveInt('--lock-timeout', 86_400_000)))
    .option('--allow <code:path...>', 'allow a destructive step on every target (as plumb apply --allow)')
    .option('--allow-destructive', 'allow every destructive step')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FLEET_APPLY_FORMATS]).default('text'))
    .addHelpText('after', '\nExamples:\n  plumb fleet apply --targets fleet.yaml --spec spec.yaml --canary 1 --waves 10%,50%,100% --max-failures 2%\n  plumb fleet apply --targets fleet.yaml --spec spec.yaml --resume\n')
    .action(async (opts: FleetCommon & { spec: string; rollout?: string; canary: number; waves?: string; maxFailures?: string; resume?: boolean; allowDrift?: boolean; allow?: string[]; allowDestructive?: boolean; format: string; queue?: boolean; lease?: number; concurrently?: boolean; largeTableRows?: number; lockTimeout?: number }) => {
      if (opts.queue && !opts.control) throw new PlumbError('E_USAGE', '--queue needs --control postgres://… (the queue and the rollout state live there)', 'plumb fleet apply --targets F --spec S --queue --control postgres://plumb@ctl/plumb');
      const waves = opts.waves ? parseWaves(opts.waves) : undefined;
      const maxFailures = opts.maxFailures ? parseMaxFailures(opts.maxFailures) : undefined;
      const targets = await selected(opts);
      const spec = await loadSpec(opts.spec);
      const controlUrl = opts.control ?? 'pglite:./.plumb/fleet';
      if (!opts.control) await mkdir('.plumb', { recursive: true });
      const control = await connect(parseDbUrl(controlUrl));
      try {
        const report = await fleetApply(targets, spec, new DesiredCatalogs(spec, devTarget().devTarget), {
          control,
          specName: opts.spec,
          concurrency: opts.concurrency,
          ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}),
          ...(opts.rollout ? { rollout: opts.rollout } : {}),
          canary: opts.canary,
          ...(waves ? { waves } : {}),
          ...(maxFailures ? { maxFailures } : {}),
          resume: !!opts.resume,
          ...(opts.queue ? { queue: { controlUrl: controlUrl, ...(opts.lease ? { leaseSeconds: opts.lease } : {}), ...(process.env.PLUMB_FLEET_MAINTENANCE_SECONDS ? { maintenanceSeconds: Number(process.env.PLUMB_FLEET_MAINTENANCE_SECONDS) } : {}) } } : {}),
          ...(opts.allowDrift ? { allowDrift: true } : {}),
          plan: { ...(opts.concurrently ? { concurrently: true } : {}), ...(opts.largeTableRows ? { largeTableRows: opts.largeTableRows } : {}), ...(opts.lockTimeout ? { lockTimeoutMs: opts.lockTimeout } : {}) },
          allow: opts.allow ?? [],
          allowDestructive: !!opts.allowDestructive,
          plumbVersion: version,
          ...(opts.quiet ? {} : { onEvent: (line: string) => process.stderr.write(line + '\n') }),
        });
        await emit(renderFleetApply(report, opts.format), opts.out);
        if (report.rollout.status !== 'done') process.exitCode = 1;
      } finally {
        await control.close();
        await disposeScratchEngine();
      }
    });

  fleet
    .command('worker')
    .summary('pull fleet jobs from the Postgres job queue (pg-boss) in --control and run them; start any number, anywhere')
    .description(
      'Takes audit and apply jobs put on the queue by `plumb fleet audit --queue` / `plumb fleet apply --queue`, runs them on its own targets (jobs name targets;\n' +
        'each worker resolves names with its own --targets file, so no password travels through the queue), and stores\n' +
        'each result in the control database. A job whose worker dies is retried by another after its lease expires.',
    )
    .requiredOption('-t, --targets <file>', 'targets file naming the targets this worker can reach')
    .addOption(new Option('--control <url>', 'control database (Postgres) holding the queue').env('PLUMB_FLEET_CONTROL').makeOptionMandatory())
    .addOption(new Option('--concurrency <n>', 'jobs in hand at once').default(4).argParser(positiveInt('--concurrency', 64)))
    .addOption(new Option('--idle-exit <seconds>', 'exit once no job has come for this long after the last one (default: run until SIGINT/SIGTERM)').argParser(positiveInt('--idle-exit', 86_400)))
    .option('-q, --quiet', 'no line per job on stderr')
    .action(async (opts: { targets: string; control: string; concurrency: number; idleExit?: number; quiet?: boolean }) => {
      const targets = await loadTargets(opts.targets, { control: opts.control });
      const { runWorker } = await import('../../fleet/fleet-queue.js');
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const r = await runWorker(opts.control, targets, {
          concurrency: opts.concurrency,
          signal: stop.signal,
          ...(opts.idleExit ? { idleExitMs: opts.idleExit * 1000 } : {}),
          ...(opts.quiet ? {} : { onJob: (line: string) => process.stderr.write(`worker ${process.pid}: ${line}\n`) }),
        });
        process.stderr.write(`worker ${process.pid}: ${r.jobs} job(s) done\n`);
      } finally {
        await disposeScratchEngine();
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}

/** The rollout's report from the control database (default the local PGlite state), or a usage error naming what exists. */
async function rolloutOf(controlUrl: string | undefined, id: string): Promise<FleetApplyReport> {
  const control = await connect(parseDbUrl(controlUrl ?? 'pglite:./.plumb/fleet'));
  try {
    const r = await readRollout(control, id);
    if (!r) throw new PlumbError('E_USAGE', `no rollout ${id} in the control database`, 'name a rollout started with plumb fleet apply (--rollout, or spec-<checksum>), and the same --control');
    return r;
  } finally {
    await control.close();
  }
}

/** The audit settings a job can carry (plain data). */
function pickAudit(o: AuditOptions): Pick<AuditOptions, 'statementTimeoutMs' | 'only' | 'ignore' | 'ruleSettings'> {
  return { ...(o.statementTimeoutMs ? { statementTimeoutMs: o.statementTimeoutMs } : {}), ...(o.only ? { only: o.only } : {}), ...(o.ignore ? { ignore: o.ignore } : {}), ...(o.ruleSettings ? { ruleSettings: o.ruleSettings } : {}) };
}
