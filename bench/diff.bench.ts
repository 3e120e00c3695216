// `npm run bench:diff`: diff (and, added by the plan side, plan) of two
// 2,000-table catalogs built in memory — the shape of bench/lib/reference-db
// (4 schemas, 20 enums) with B = A after a few hundred edits (added and
// dropped tables and columns, type changes, new indexes and foreign keys,
// changed checks and views). Prints the median beside the target.
//
// Env: BENCH_RUNS (default 15), BENCH_TABLES (default 2000). Run with
// NODE_OPTIONS=--expose-gc to collect garbage between runs.
// No peer here: the diff tools our users compare with (migra, Atlas,
// pg-schema-diff) are not installed on this machine; the figure printed
// beside ours is the cost of merely serialising both catalogs once, as a floor.
import { catalogChecksum, stableStringify } from '../src/catalog/normalize.js';
import type { Catalog } from '../src/catalog/types.js';
import { diffCatalogs } from '../src/diff/diff.js';
import { getDialect } from '../src/dialects/index.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { clearNormCache } from '../src/diff/normalize-sql.js';
import { defineSpec } from '../src/spec/define-spec.js';
import { specToDraftCatalog } from '../src/spec/spec-draft-catalog.js';
import type { SpecInput, SpecTableInput } from '../src/spec/types.js';
import { median, renderTable, secs, type Cell } from './lib/measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const SCHEMAS = 4;
const TARGET_S = 0.2;
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Deterministic pseudo-random numbers (mulberry32), so every run diffs the same catalogs. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['int', 'bigint', 'text', 'varchar(80)', 'numeric(12,2)', 'bool', 'timestamptz', 'date', 'jsonb', 'uuid'];

function table(s: number, i: number, r: () => number, edited: boolean): SpecTableInput {
  const name = `t${String(i).padStart(4, '0')}`;
  const ncols = 6 + Math.floor(r() * 8);
  const columns: Record<string, { type: string; nullable?: boolean; default?: string | number }> = { id: { type: 'bigint', nullable: false } };
  for (let c = 0; c < ncols; c++) {
    const type = TYPES[Math.floor(r() * TYPES.length)]!;
    columns[`c${c}`] = { type, ...(type === 'int' && r() < 0.3 ? { default: 0 } : {}), ...(r() < 0.3 ? { nullable: false } : {}) };
  }
  columns.status = { type: `e${(s * 7 + i) % 20}` };
  columns.parent_id = { type: 'bigint' };
  const t: SpecTableInput = {
    name,
    columns,
    primaryKey: ['id'],
    foreignKeys: i > 0 ? [{ name: `${name}_parent_fkey`, columns: ['parent_id'], references: { schema: `s${s}`, table: `t${String(Math.floor(r() * i)).padStart(4, '0')}`, columns: ['id'] } }] : [],
    checks: [{ name: `${name}_id_check`, expression: 'id > 0' }],
    indexes: [{ name: `${name}_parent_idx`, columns: ['parent_id'] }, { name: `${name}_c0_idx`, columns: ['c0'], where: 'c0 IS NOT NULL' }],
    comment: `table ${i}`,
  };
  if (edited) {
    // The edits B makes: a column more, a type widened, an index and a check changed.
    const cols = t.columns as Record<string, { type: string }>;
    cols.added = { type: 'text' };
    if (cols.c1?.type === 'int') cols.c1.type = 'bigint';
    t.indexes!.push({ name: `${name}_added_idx`, columns: ['added'] });
    t.checks = [{ name: `${name}_id_check`, expression: 'id >= 1' }];
  }
  return t;
}

function specInput(edit: boolean): SpecInput {
  const perSchema = Math.ceil(TABLES / SCHEMAS);
  const schemas = [];
  for (let s = 0; s < SCHEMAS; s++) {
    const tables: SpecTableInput[] = [];
    // Each table draws from its own stream, so A and B agree on every table B leaves alone.
    const r = (i: number) => rng(s * 100_000 + i + 1);
    for (let i = 0; i < perSchema && s * perSchema + i < TABLES; i++) {
      const x = rng(s * 100_000 + i + 50_000)();
      // B: ~2% of tables dropped, ~8% edited, plus new tables at the end.
      if (edit && x < 0.02) continue;
      tables.push(table(s, i, r(i), edit && x < 0.1));
    }
    if (edit) for (let n = 0; n < 10; n++) tables.push(table(s, perSchema + n, r(perSchema + n), false));
    schemas.push({
      name: `s${s}`,
      enums: Array.from({ length: 20 }, (_, e) => ({ name: `e${e}`, labels: edit && e === 3 ? ['new', 'active', 'done', 'archived'] : ['new', 'active', 'done'] })),
      tables,
      views: tables.slice(0, 25).map((t, v) => ({ name: `v${v}`, sql: `SELECT id, parent_id FROM s${s}.${t.name} WHERE id > ${edit && v % 5 === 0 ? 1 : 0}` })),
    });
  }
  return { schemas };
}

/** The two catalogs every section of this bench compares (exported for the plan timing). */
export function benchCatalogs(): { a: Catalog; b: Catalog } {
  return { a: specToDraftCatalog(defineSpec(specInput(false))), b: specToDraftCatalog(defineSpec(specInput(true))) };
}

function timeSync(fn: () => unknown, cpu?: number[]): number {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  cpu?.push((used.user + used.system) / 1e6);
  return wall;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { a, b } = benchCatalogs();
  const count = (c: Catalog) => c.schemas.reduce((n, s) => n + s.tables.length, 0);
  log(`catalogs: A ${count(a)} tables, B ${count(b)} tables (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const changes = diffCatalogs(a, b);
  log(`diff: ${changes.length} changes`);
  diffCatalogs(a, b); // warm-up
  const diffTimes: number[] = [];
  const floorTimes: number[] = [];
  // CPU seconds too: on a shared, loaded machine wall time measures the neighbours as much as us.
  const diffCpu: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < RUNS; i++) {
    // Cold every run: the memo of normalised expressions starts empty, as in a CLI run.
    clearNormCache();
    gc?.();
    diffTimes.push(timeSync(() => diffCatalogs(a, b), diffCpu));
    floorTimes.push(timeSync(() => [stableStringify(a), stableStringify(b)]));
  }
  const rows: Cell[][] = [
    ['diff 2,000 × 2,000 tables (wall)', secs(median(diffTimes)), `${changes.length} changes`, `target < ${TARGET_S} s`, median(diffTimes) < TARGET_S ? 'ok' : 'SLOW'],
    ['diff 2,000 × 2,000 tables (CPU)', secs(median(diffCpu)), '', `target < ${TARGET_S} s`, median(diffCpu) < TARGET_S ? 'ok' : 'SLOW'],
    ['floor: serialise both catalogs', secs(median(floorTimes)), '', '', ''],
  ];
  // Plan timing over the same `changes` (render SQL, pre-checks, hazards, plan checksum). The two catalog
  // checksums the plan records are measured apart: inspect/diff callers compute them once.
  const checksums = { from: catalogChecksum(a), to: catalogChecksum(b) };
  const plan = () => buildPlan({ changes, from: a, to: b, dialect: getDialect('postgres'), checksums });
  const planSteps = plan().phases.reduce((n, p) => n + p.steps.length, 0);
  const planTimes: number[] = [];
  const planCpu: number[] = [];
  const sumCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc?.();
    planTimes.push(timeSync(plan, planCpu));
    timeSync(() => [catalogChecksum(a), catalogChecksum(b)], sumCpu);
  }
  rows.push(
    ['plan 2,000 × 2,000 tables (wall)', secs(median(planTimes)), `${planSteps} steps`, `target < ${TARGET_S} s`, median(planTimes) < TARGET_S ? 'ok' : 'SLOW'],
    ['plan 2,000 × 2,000 tables (CPU)', secs(median(planCpu)), '', `target < ${TARGET_S} s`, median(planCpu) < TARGET_S ? 'ok' : 'SLOW'],
    ['  + both catalog checksums (CPU)', secs(median(sumCpu)), '', '', ''],
  );
  if (median(planCpu) >= TARGET_S) process.exitCode = 1;
  process.stdout.write(renderTable(['measure', 'median', 'work', 'target', ''], rows) + '\n');
  process.stdout.write(`runs: ${RUNS}; diff median ${(median(diffTimes) * 1000).toFixed(1)} ms wall, ${(median(diffCpu) * 1000).toFixed(1)} ms CPU (wall min ${(Math.min(...diffTimes) * 1000).toFixed(1)} ms, max ${(Math.max(...diffTimes) * 1000).toFixed(1)} ms); load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}\n`);
  // Fail on CPU time: wall time on a shared machine also measures the neighbours.
  if (median(diffCpu) >= TARGET_S) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
