// A plan step's lock impact with the size of the table it touches and a rough
// estimate of how long the work takes. Pure. The rates are deliberately
// conservative figures for a small server reading from disk; they order steps
// by cost and flag the ones worth a maintenance window, not a promise.
import type { Table } from '../catalog/types.js';
import { formatBytes, formatRows } from '../report/catalog-report.js';
import { LOCK_BLOCKS_ORDER, type LockBlocks, type LockImpact, type LockWork } from '../diff/render-types.js';
import type { PlanStep, StepImpact } from './types.js';

/** Bytes per millisecond for each kind of work (200, 50, 30 and 20 MB/s). */
export const WORK_RATES: Record<Exclude<LockWork, 'none' | 'metadata'>, number> = { scan: 200_000, build: 50_000, rewrite: 30_000, backfill: 20_000 };
/** Bytes a row is taken to hold when the engine keeps no size. */
const ROW_BYTES = 120;

/** True when the work reads or writes the table's rows, so its lock is held for as long as that takes. */
export function touchesRows(work: LockWork): work is Exclude<LockWork, 'none' | 'metadata'> {
  return work !== 'none' && work !== 'metadata';
}

export function estimateWorkMs(work: LockWork, rows: number | null, bytes: number | null): number {
  if (!touchesRows(work)) return 0;
  const size = bytes ?? (rows ?? 0) * ROW_BYTES;
  return Math.ceil(size / WORK_RATES[work]);
}

export function stepImpact(lock: LockImpact, table: Pick<Table, 'schema' | 'name' | 'rowEstimate' | 'totalBytes'>): StepImpact {
  const rows = table.rowEstimate ?? null;
  const bytes = table.totalBytes ?? null;
  return { ...lock, table: { schema: table.schema, name: table.name, rows, bytes }, estimatedMs: estimateWorkMs(lock.work, rows, bytes) };
}

/** True when the step holds a lock blocking more than `max` while it reads or writes the table's rows. */
export function exceedsMaxLock(impact: StepImpact | undefined, max: LockBlocks): boolean {
  if (!impact || !touchesRows(impact.work)) return false;
  return LOCK_BLOCKS_ORDER.indexOf(impact.blocks) > LOCK_BLOCKS_ORDER.indexOf(max);
}

/** One line for people: `ACCESS EXCLUSIVE, rewrites app.orders (1.2M rows, 310 MB) ≈ 10 s; blocks reads and writes`. */
export function describeImpact(i: StepImpact): string {
  const size = [i.table.rows !== null ? `${formatRows(i.table.rows)} rows` : 'rows not counted', i.table.bytes !== null ? formatBytes(i.table.bytes) : null].filter(Boolean).join(', ');
  const work = { none: 'touches no rows of', metadata: 'changes only the catalog of', scan: 'reads every row of', build: 'builds an index over', rewrite: 'rewrites every row of', backfill: 'writes every row, one batch per transaction, of' }[i.work];
  const blocks = { nothing: 'blocks neither reads nor writes', writes: 'blocks writes', 'reads-and-writes': 'blocks reads and writes' }[i.blocks];
  const long = i.work === 'metadata' ? `${blocks} only while it waits for and holds the lock (bounded by the lock timeout)` : `${blocks} meanwhile`;
  return `${i.lock}; ${work} ${i.table.schema}.${i.table.name} (${size})${i.estimatedMs ? ` ≈ ${formatMs(i.estimatedMs)}` : ''}; ${long}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Steps a run refuses under `--max-lock` / `--no-rewrite`, each with the reason in words. */
/** Apply's default bound on a table rewrite that blocks the application (CLI --max-rewrite-rows). */
export const DEFAULT_MAX_REWRITE_ROWS = 1_000_000;

export function lockRefusals(steps: readonly PlanStep[], o: { maxLock?: LockBlocks; noRewrite?: boolean; maxRewriteRows?: number }): { step: PlanStep; reason: string }[] {
  const out: { step: PlanStep; reason: string }[] = [];
  for (const step of steps) {
    const i = step.impact;
    if (!i) continue;
    const where = `${i.table.schema}.${i.table.name}`;
    if (o.noRewrite && i.work === 'rewrite') out.push({ step, reason: `rewrites ${where} (${step.summary})` });
    else if (o.maxRewriteRows !== undefined && i.work === 'rewrite' && (i.table.rows ?? 0) > o.maxRewriteRows) {
      out.push({ step, reason: `rewrites ${where} (~${Math.round(i.table.rows!).toLocaleString('en-US')} rows, over the ${o.maxRewriteRows.toLocaleString('en-US')} of --max-rewrite-rows) while it blocks ${i.blocks}: plan it with --online, or pass --allow-rewrite` });
    }
    else if (o.maxLock && exceedsMaxLock(i, o.maxLock)) out.push({ step, reason: `${i.lock} on ${where} blocks ${i.blocks} while it ${i.work === 'scan' ? 'reads every row' : i.work === 'build' ? 'builds an index' : i.work === 'backfill' ? 'backfills' : 'rewrites the table'} (--max-lock ${o.maxLock})` });
  }
  return out;
}
