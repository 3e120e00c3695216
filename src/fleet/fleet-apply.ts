// `fleet apply`: roll a spec out to many targets in waves (a canary, then
// percentages), each target's plan built against its own catalog, under a
// failure budget that halts the rollout; state in a control database so a
// halted or crashed rollout resumes without migrating any target twice
// (a target left `running` is looked up in its own history and journal).
// A target whose plan differs from the fleet's migration is drifted: reported
// and skipped, never force-migrated.
import { resolve } from 'node:path';
import { applyPlan } from '../apply/apply-plan.js';
import { ApplyStore } from '../apply/apply-store.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import { findApplySupport } from '../dialects/apply-support.js';
import { PlumbError } from '../errors.js';
import { specChecksum } from '../plan/plan-spec.js';
import { planSteps, type PlanOptions } from '../plan/types.js';
import type { Spec } from '../spec/types.js';
import type { DesiredCatalogs } from './desired-catalogs.js';
import { planTarget, stepsFingerprint } from './fleet-spec.js';
import { homeNeutral } from './home-neutral.js';
import { RolloutStore, type EventRow, type RolloutRow, type TargetRunRow, type TargetRunStatus } from './rollout-store.js';
import { runFleet, type RunFleetOptions, type TargetOutcome } from './run-fleet.js';
import type { FleetTarget } from './targets.js';

export interface FailureBudget {
  count?: number;
  percent?: number;
}

/** `3` or `10%`. */
export function parseMaxFailures(text: string): FailureBudget {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!m || (!m[2] && !Number.isInteger(Number(m[1]))) || (m[2] && Number(m[1]) > 100)) throw new PlumbError('E_USAGE', `--max-failures ${text}: expected a count (3) or a percentage (10%)`, 'for example: --max-failures 2 or --max-failures 5%');
  return m[2] ? { percent: Number(m[1]) } : { count: Number(m[1]) };
}

/** `10%,50%,100%`: cumulative shares of the targets after the canary; the last must be 100%. */
export function parseWaves(text: string): number[] {
  const ws = text.split(',').map((s) => s.trim());
  const out = ws.map((w) => {
    const m = /^(\d+(?:\.\d+)?)%$/.exec(w);
    const n = m ? Number(m[1]) : NaN;
    if (!(n > 0 && n <= 100)) throw new PlumbError('E_USAGE', `--waves ${text}: "${w}" is not a percentage from 1% to 100%`, 'for example: --waves 10%,50%,100%');
    return n;
  });
  if (out.some((n, i) => i > 0 && n <= out[i - 1]!)) throw new PlumbError('E_USAGE', `--waves ${text}: the shares must grow`, 'for example: --waves 10%,50%,100%');
  if (out[out.length - 1] !== 100) throw new PlumbError('E_USAGE', `--waves ${text}: the last wave must be 100%`, 'end with 100%, e.g. --waves 10%,100%');
  return out;
}

/** Wave per target (0 = canary): pure, so a resumed rollout keeps its waves. */
export function assignWaves(count: number, canary: number, waves: readonly number[]): number[] {
  const c = Math.min(Math.max(0, canary), count);
  const rest = count - c;
  const out: number[] = Array.from({ length: c }, () => 0);
  let prev = 0;
  waves.forEach((pct, i) => {
    const upTo = i === waves.length - 1 ? rest : Math.min(rest, Math.ceil((rest * pct) / 100));
    for (let k = prev; k < upTo; k++) out.push(i + 1);
    prev = Math.max(prev, upTo);
  });
  return out;
}

export function budgetOf(b: FailureBudget, targets: number): number {
  return b.count ?? Math.floor(((b.percent ?? 0) * targets) / 100);
}

export type FleetPlanOptions = Pick<PlanOptions, 'concurrently' | 'largeTableRows' | 'lockTimeoutMs'>;

export interface FleetApplyOptions extends Omit<RunFleetOptions, 'shouldStop' | 'onDone'> {
  /** The control database (state). */
  control: Connection;
  /** Rollout id; default derived from the spec checksum. */
  rollout?: string;
  specName: string;
  canary?: number;
  waves?: number[];
  maxFailures?: FailureBudget;
  resume?: boolean;
  /** Apply targets whose plan differs from the fleet's migration (default: skip them as drifted). */
  allowDrift?: boolean;
  allow?: string[];
  allowDestructive?: boolean;
  plumbVersion?: string;
  /** How each target's plan is made (as plumb plan's flags); kept with the rollout, so --resume and queue workers plan alike. */
  plan?: FleetPlanOptions;
  onEvent?: (line: string) => void;
  /**
   * Run each wave's targets on `plumb fleet worker` processes through the pg-boss queue in this control
   * database (Postgres) instead of in this process. `leaseSeconds`: a job whose worker vanished is retried
   * by another after this long (default 15 min).
   */
  queue?: { controlUrl: string; leaseSeconds?: number; maintenanceSeconds?: number };
  /** Fault injection (tests): throwing here stops the coordinator as a crash would, before the target's result is recorded. */
  afterApply?: (target: string) => void;
}

export interface FleetApplyReport {
  formatVersion: 1;
  kind: 'fleet-apply';
  rollout: Omit<RolloutRow, 'options'> & { options: Record<string, unknown> };
  budget: number;
  summary: Record<TargetRunStatus, number> & { targets: number };
  targets: Omit<TargetRunRow, 'plan'>[];
  events: EventRow[];
}

class CoordinatorCrash extends Error {}

/** Another plumb (a worker whose lease ran out while it still works, a second coordinator) is applying this target. */
export class TargetBusy extends PlumbError {
  constructor(target: string) {
    super('E_APPLY', `${target} is being migrated by another plumb process right now`, 'it is retried once that process is done (or gone)');
  }
}

/** Runs `fn` holding the target's apply lock (a session lock in the target itself, its SQL from the dialect); TargetBusy when another process holds it. */
export async function withTargetLock<T>(conn: Connection, name: string, fn: () => Promise<T>): Promise<T> {
  const lock = findApplySupport(conn.dialect)?.targetLock?.(conn.target);
  if (!lock) return fn();
  const [r] = await conn.query<{ ok: unknown }>(lock.take);
  if (!(r?.ok === true || r?.ok === 1 || r?.ok === '1')) throw new TargetBusy(name);
  try {
    return await fn();
  } finally {
    await conn.query(lock.free).catch(() => undefined);
  }
}

export function defaultRolloutId(spec: Spec): string {
  return `spec-${specChecksum(spec).slice(0, 12)}`;
}

const RETRY: ReadonlySet<TargetRunStatus> = new Set(['pending', 'running', 'failed', 'drifted']);

export async function fleetApply(targets: readonly FleetTarget[], spec: Spec, desired: DesiredCatalogs, options: FleetApplyOptions): Promise<FleetApplyReport> {
  const store = new RolloutStore(options.control);
  await store.ensure();
  const id = options.rollout ?? defaultRolloutId(spec);
  const log = options.onEvent ?? (() => undefined);
  let rollout = await store.rollout(id);
  const byName = new Map(targets.map((t) => [t.name, t]));
  if (rollout && !options.resume) {
    throw new PlumbError('E_USAGE', `rollout ${id} exists (${rollout.status}, started ${rollout.created_at})`, rollout.status === 'done' ? 'it is finished; give a new --rollout name to roll out again' : 'continue it with --resume');
  }
  if (!rollout && options.resume) throw new PlumbError('E_USAGE', `no rollout ${id} to resume in the control database`, 'start it without --resume (or name it with --rollout)');
  if (!rollout) {
    const waves = assignWaves(targets.length, options.canary ?? 1, options.waves ?? [100]);
    await store.createRollout(
      { id, spec: options.specName, specChecksum: specChecksum(spec), options: { canary: options.canary ?? 1, waves: options.waves ?? [100], maxFailures: options.maxFailures ?? { count: 0 }, allowDrift: !!options.allowDrift, allow: options.allow ?? [], allowDestructive: !!options.allowDestructive, plan: options.plan ?? {}, spec: options.queue ? resolve(options.specName) : null } },
      targets.map((t, i) => ({ name: t.name, url: t.redacted, wave: waves[i]! })),
    );
    await store.event(id, null, 'created', `${targets.length} target(s)`);
    log(`rollout ${id}: ${targets.length} target(s); planning each against its own catalog`);
    await planningPass(store, id, targets, spec, desired, options);
    rollout = (await store.rollout(id))!;
  } else {
    if (rollout.spec_checksum !== specChecksum(spec)) throw new PlumbError('E_USAGE', `rollout ${id} was started with another spec (checksum ${rollout.spec_checksum.slice(0, 12)})`, 'resume with the spec the rollout started with, or start a new --rollout');
    const missing = (await store.targets(id)).filter((r) => !byName.has(r.name)).map((r) => r.name);
    if (missing.length) throw new PlumbError('E_USAGE', `resuming ${id}: ${missing.length} of its target(s) are not in the targets file: ${missing.slice(0, 5).join(', ')}`, 'resume with the same targets file (and --where) the rollout started with');
    await store.event(id, null, 'resumed');
    log(`rollout ${id}: resuming (${rollout.status})`);
  }
  const stored = rollout.options as { maxFailures: FailureBudget; allowDrift: boolean; plan?: FleetPlanOptions };
  // A resumed rollout plans as it started (flags given again are ignored: its targets must keep one migration).
  const planOptions = stored.plan ?? {};
  const rows0 = await store.targets(id);
  const budget = budgetOf(options.maxFailures ?? stored.maxFailures, rows0.length);
  const allowDrift = options.allowDrift ?? stored.allowDrift;
  await store.setRollout(id, { status: 'running', halt_reason: null });
  const queue = options.queue ? await (await import('./fleet-queue.js')).applyQueue(options.queue, resolve(options.specName)) : undefined;

  let halted: string | undefined;
  let crash: unknown;
  // Failures of this run: every target that failed before is retried in its wave, and counts again only if it fails again.
  const failed = new Set<string>();
  const waves = [...new Set(rows0.map((r) => r.wave))].sort((a, b) => a - b);
  // Results are recorded as they arrive (one statement each); wait for the last before reading the state back.
  let pendingWrites: Promise<unknown> = Promise.resolve();
  async function onDone(o: TargetOutcome<{ status: TargetRunStatus; detail: string }>): Promise<void> {
    if (crash) return;
    const name = o.target.name;
    // Counted at once (not after the writes), so no further target starts once the budget is spent.
    if (o.status === 'ok') failed.delete(name);
    else {
      failed.add(name);
      if (failed.size > budget) halted ??= `${failed.size} failed target(s) exceed the failure budget of ${budget}`;
    }
    const write = (async () => {
      if (o.status === 'ok') {
        const { status, detail } = o.value!;
        await store.finishTarget(id, name, status, status === 'drifted' ? detail : null);
        await store.event(id, name, status, detail);
        log(`  ${name}: ${status}${detail ? ` — ${detail}` : ''}`);
      } else {
        await store.finishTarget(id, name, 'failed', `${o.status}: ${o.error ?? ''}`);
        await store.event(id, name, 'failed', `${o.status}: ${o.error ?? ''}`);
        log(`  ${name}: FAILED (${o.status}) ${o.error ?? ''}`);
      }
    })();
    pendingWrites = pendingWrites.then(() => write);
    await write;
  }

  try {
    for (const wave of waves) {
      const rows = (await store.targets(id)).filter((r) => r.wave === wave && RETRY.has(r.status));
      if (!rows.length) continue;
      if (failed.size > budget) halted = `${failed.size} failed target(s) exceed the failure budget of ${budget}`;
      if (halted) break;
      await store.event(id, null, 'wave', `${wave === 0 ? 'canary' : `wave ${wave}`}: ${rows.length} target(s)`);
      log(`${wave === 0 ? 'canary' : `wave ${wave}`}: ${rows.length} target(s)`);
      const snapshot = new Map(rows.map((r) => [r.name, r]));
      const reference = (await store.rollout(id))!.reference_fingerprint;
      if (queue) {
        const r = await queue.runWave(id, rows, budget, failed, log);
        halted ??= r.halted;
        if (wave === 0 && [...failed].some((n) => snapshot.has(n))) halted ??= 'the canary failed';
        if (halted) break;
        continue;
      }
      await runFleet(
        rows.map((r) => byName.get(r.name)!),
        async (conn, t) => {
          const status = await withTargetLock(conn, t.name, async () => {
            await store.startTarget(id, t.name);
            return applyOne(conn, t, snapshot.get(t.name)!, { store, id, spec, desired, reference, allowDrift, options, plan: planOptions });
          });
          try {
            options.afterApply?.(t.name);
          } catch (e) {
            crash = e;
            throw new CoordinatorCrash();
          }
          return status;
        },
        {
          ...(options.concurrency ? { concurrency: wave === 0 ? 1 : options.concurrency } : {}),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          shouldStop: () => halted !== undefined || crash !== undefined,
          onDone: (o) => void onDone(o as TargetOutcome<{ status: TargetRunStatus; detail: string }>),
        },
      );
      if (crash) throw crash;
      await pendingWrites;
      if (wave === 0 && [...failed].some((n) => snapshot.has(n))) halted ??= 'the canary failed';
      if (!halted && failed.size > budget) halted = `${failed.size} failed target(s) exceed the failure budget of ${budget}`;
      if (halted) break;
    }
  } finally {
    await queue?.stop();
  }

  await pendingWrites;
  const final = await store.targets(id);
  const open = final.filter((r) => r.status === 'pending' || r.status === 'running' || r.status === 'failed');
  if (halted) {
    await store.setRollout(id, { status: 'halted', halt_reason: halted });
    await store.event(id, null, 'halted', halted);
    log(`halted: ${halted}`);
  } else if (open.length) {
    // Every wave ran, some targets failed within the budget: the rollout stays open for --resume.
    await store.setRollout(id, { status: 'halted', halt_reason: `${open.length} target(s) failed within the budget of ${budget}` });
    await store.event(id, null, 'incomplete', `${open.length} target(s) not migrated`);
  } else {
    await store.setRollout(id, { status: 'done' });
    await store.event(id, null, 'done');
  }
  return report(store, id, budget);
}

export interface ApplyContext {
  store: RolloutStore;
  id: string;
  spec: Spec;
  desired: DesiredCatalogs;
  reference: string | null;
  allowDrift: boolean;
  options: Pick<FleetApplyOptions, 'allow' | 'allowDestructive' | 'plumbVersion'>;
  plan?: FleetPlanOptions;
}

export async function applyOne(conn: Connection, t: FleetTarget, row: TargetRunRow, c: ApplyContext): Promise<{ status: TargetRunStatus; detail: string }> {
  const applyOptions = { allow: c.options.allow ?? [], allowDestructive: !!c.options.allowDestructive, ...(c.options.plumbVersion ? { plumbVersion: c.options.plumbVersion } : {}) };
  // A plan recorded for this target may have run (coordinator crashed or was cut off before recording the result):
  // the target's own history and journal decide — never apply it a second time.
  if (row.plan && row.plan_checksum && (row.status === 'running' || row.status === 'failed')) {
    const own = new ApplyStore(getDialect(conn.dialect), conn);
    if (await own.exists()) {
      const last = await own.lastHistory(row.plan_checksum);
      const journal = (await own.readJournal(row.plan_checksum)).filter((j) => j.status !== 'rolled_back');
      // A journal left by a failed apply counts too: where DDL commits as it runs (MySQL), the steps before the
      // failure are in the database, and only the journal can go on from there (a fresh plan would be another one).
      if (last?.outcome === 'applied' || journal.length) {
        const r = await applyPlan(conn, row.plan, { ...applyOptions, resume: true });
        return r.outcome === 'already-applied'
          ? { status: 'applied', detail: `plan ${row.plan_checksum.slice(0, 12)} found applied in the target's history: not applied again` }
          : { status: 'applied', detail: `plan ${row.plan_checksum.slice(0, 12)} resumed from the target's journal` };
      }
    }
  }
  const { plan } = await planTarget(conn, c.spec, await c.desired.for(conn), { ...c.plan, ...(applyOptions.plumbVersion ? { plumbVersion: applyOptions.plumbVersion } : {}) });
  const steps = planSteps(plan).length;
  if (!steps) return { status: 'up-to-date', detail: 'matches the spec: nothing to apply' };
  const fingerprint = stepsFingerprint(plan, homeNeutral(conn.target));
  if (c.reference && fingerprint !== c.reference && !c.allowDrift) {
    await c.store.setFingerprint(c.id, t.name, fingerprint, steps);
    return { status: 'drifted', detail: `its plan (${steps} step(s), ${fingerprint}) differs from the fleet's migration (${c.reference}): skipped; see plumb fleet plan, or --allow-drift` };
  }
  await c.store.recordPlan(c.id, t.name, plan, fingerprint, steps);
  const r = await applyPlan(conn, plan, applyOptions);
  return { status: 'applied', detail: `plan ${plan.checksum.slice(0, 12)}: ${steps} step(s) ${r.outcome} in ${(r.durationMs / 1000).toFixed(2)} s` };
}

/** Plans every target read-only; the fleet's migration is the most common non-empty plan. */
async function planningPass(store: RolloutStore, id: string, targets: readonly FleetTarget[], spec: Spec, desired: DesiredCatalogs, options: FleetApplyOptions): Promise<void> {
  const outcomes = await runFleet(
    targets,
    async (conn) => {
      const { plan } = await planTarget(conn, spec, await desired.for(conn), options.plan ?? {});
      const steps = planSteps(plan).length;
      return { steps, fingerprint: steps ? stepsFingerprint(plan, homeNeutral(conn.target)) : null };
    },
    { ...(options.concurrency ? { concurrency: options.concurrency } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
  );
  const votes = new Map<string, number>();
  for (const o of outcomes) {
    if (!o.value) continue;
    await store.setFingerprint(id, o.target.name, o.value.fingerprint, o.value.steps);
    if (o.value.fingerprint) votes.set(o.value.fingerprint, (votes.get(o.value.fingerprint) ?? 0) + 1);
  }
  // Ties go to the plan seen first (file order), so the choice is deterministic.
  let reference: string | null = null;
  let best = 0;
  for (const o of outcomes) {
    const fp = o.value?.fingerprint;
    if (fp && votes.get(fp)! > best) [reference, best] = [fp, votes.get(fp)!];
  }
  await store.setRollout(id, { reference_fingerprint: reference });
  await store.event(id, null, 'planned', reference ? `fleet migration ${reference} on ${best}/${targets.length} target(s); ${votes.size - 1} other plan(s)` : 'every target matches the spec');
}

/** A rollout's state as its report (read only), for the consolidated fleet report; undefined when there is none by that id. */
export async function readRollout(control: Connection, id: string): Promise<FleetApplyReport | undefined> {
  const store = new RolloutStore(control);
  const rollout = await store.rollout(id).catch(() => undefined);
  if (!rollout) return undefined;
  const { maxFailures } = rollout.options as { maxFailures?: FailureBudget };
  return report(store, id, budgetOf(maxFailures ?? { count: 0 }, (await store.targets(id)).length));
}

async function report(store: RolloutStore, id: string, budget: number): Promise<FleetApplyReport> {
  const rollout = (await store.rollout(id))!;
  const rows = await store.targets(id);
  const summary = { targets: rows.length, pending: 0, running: 0, applied: 0, 'up-to-date': 0, drifted: 0, failed: 0 } as FleetApplyReport['summary'];
  for (const r of rows) summary[r.status]++;
  return { formatVersion: 1, kind: 'fleet-apply', rollout, budget, summary, targets: rows.map(({ plan: _plan, ...r }) => r), events: await store.events(id) };
}
