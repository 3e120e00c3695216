// One scan per table shared by the data rules of an audit: the row count, the
// non-null count of every nullable column and the JSON-looking count of every
// text column, over the same bounded row source the rules read. Rules answer
// from it (nullable-never-null) or skip a fetch it proves empty (value scans).
// Exact: same rows, same predicates, same snapshot. Nothing here writes.
import type { Table } from '../../catalog/types.js';
import type { RuleContext } from '../rule.js';
import { isTextColumn } from './names.js';
import { AGGREGATES_PER_STATEMENT, armWeight, num, runBatched, scanSource, type BatchArm } from './sql.js';
import { passCounts, type PassProbe } from './table-pass.js';

export interface TableProfile {
  /** Rows read (all of them, or the first sampleThreshold by key when `sampled`). */
  rows: number;
  sampled: boolean;
  /** Non-null values per column (a NOT NULL column counts every row without being scanned). */
  nonNull: ReadonlyMap<string, number>;
  /** Values starting with `{` or `[` per text column (jsonLookingSql). */
  jsonLooking: ReadonlyMap<string, number>;
}

/** The portable predicate for a value that opens like a JSON object or array (what value scans fetch as `json-looking`). */
export function jsonLookingSql(expr: string): string {
  return `(${expr} LIKE '{%' OR ${expr} LIKE '[%')`;
}

/** A table's profile, or why it could not be read (recorded as a skipped check by every rule that asks). */
type Entry = { profile: TableProfile } | { skipped: string };

const MEMO_KEY = 'table-profile';

/** What ctx.memo keeps: the profiles read so far, and those being read (by table path). */
interface MemoState {
  entries: Map<string, Entry>;
  pending: Map<string, Promise<void>>;
}

/** Next power of two ≥ n (0 stays 0): arms padded to it share UNION ALL statements with tables of similar width. */
function padTo(n: number): number {
  let w = n > 0 ? 1 : 0;
  while (w < n) w *= 2;
  return w;
}

/**
 * Profiles of `tables` (by table path). Computed once per audit for all the
 * rules that ask (ctx.memo), in a few batched statements; a table that could
 * not be read is absent and a skipped check says why, under the asking rule.
 */
export async function tableProfiles(ctx: RuleContext, tables: readonly Table[]): Promise<Map<string, TableProfile>> {
  let state = ctx.memo?.get(MEMO_KEY) as MemoState | undefined;
  if (!state) {
    state = { entries: new Map(), pending: new Map() };
    ctx.memo?.set(MEMO_KEY, state);
  }
  const { entries: memo, pending } = state;
  // Rules run side by side: a table another rule is profiling right now is waited for, not read twice.
  const missing = [...new Map(tables.filter((t) => !memo.has(t.path) && !pending.has(t.path)).map((t) => [t.path, t])).values()];
  if (missing.length) {
    const run = profile(ctx, missing, memo).finally(() => missing.forEach((t) => pending.delete(t.path)));
    for (const t of missing) pending.set(t.path, run);
  }
  await Promise.all(new Set(tables.flatMap((t) => pending.get(t.path) ?? [])));
  const out = new Map<string, TableProfile>();
  for (const t of tables) {
    const e = memo.get(t.path);
    if (!e) continue;
    if ('profile' in e) out.set(t.path, e.profile);
    else ctx.skip(e.skipped, t.path);
  }
  return out;
}

/** Aggregates per arm at most: keeps every statement well inside the engines' select-list limits (1,664 on Postgres). */
const PER_ARM = 256;

/** A table's profile as probes of full mode's one pass per table (rules that use the profile declare these). */
export function profileProbes(ctx: RuleContext, t: Table): PassProbe[] {
  const col = (name: string) => `src.${ctx.quoteIdent(name)}`;
  return [
    ...t.columns.filter((c) => c.nullable).map((c): PassProbe => ({ table: t, id: `nonNull:${c.name}`, sql: () => `COUNT(${col(c.name)})` })),
    ...t.columns.filter(isTextColumn).map((c): PassProbe => ({ table: t, id: `jsonLooking:${c.name}`, sql: () => `COUNT(CASE WHEN ${jsonLookingSql(col(c.name))} THEN 1 END)` })),
  ];
}

/** Full mode: the profile from the table's one pass. */
async function profileFromPass(ctx: RuleContext, tables: readonly Table[], memo: Map<string, Entry>): Promise<void> {
  for (const t of tables) {
    let skipped = 'could not read the table';
    const got = await passCounts({ ...ctx, skip: (reason) => void (skipped = reason) }, t, profileProbes(ctx, t));
    if (!got) {
      memo.set(t.path, { skipped });
      continue;
    }
    const nonNull = new Map<string, number>(t.columns.map((c) => [c.name, c.nullable ? num(got.values.get(`nonNull:${c.name}`)) : got.rows]));
    const jsonLooking = new Map<string, number>(t.columns.filter(isTextColumn).map((c) => [c.name, num(got.values.get(`jsonLooking:${c.name}`))]));
    memo.set(t.path, { profile: { rows: got.rows, sampled: false, nonNull, jsonLooking } });
  }
}

async function profile(ctx: RuleContext, tables: readonly Table[], memo: Map<string, Entry>): Promise<void> {
  if (ctx.dataMode === 'full') return profileFromPass(ctx, tables, memo);
  // Failures are collected, not reported: tableProfiles reports them for every rule that asks.
  const failed = new Map<string, string>();
  const quiet: RuleContext = { ...ctx, skip: (reason, path) => void failed.set(path ?? '', reason) };
  type Item = { kind: 'nonNull' | 'json'; column: string };
  const plans: { t: Table; sampled: boolean; parts: Item[][] }[] = [];
  const arms: (BatchArm & { width: number; plan: number; part: number })[] = [];
  const col = (name: string) => `src.${ctx.quoteIdent(name)}`;
  const sqlOf = (it: Item) => (it.kind === 'nonNull' ? `COUNT(${col(it.column)})` : `COUNT(CASE WHEN ${jsonLookingSql(col(it.column))} THEN 1 END)`);
  for (const t of tables) {
    const items: Item[] = [
      ...t.columns.filter((c) => c.nullable).map((c): Item => ({ kind: 'nonNull', column: c.name })),
      ...t.columns.filter(isTextColumn).map((c): Item => ({ kind: 'json', column: c.name })),
    ];
    const src = await scanSource(quiet, t, [...new Set(items.map((i) => i.column))]);
    if (!src) {
      memo.set(t.path, { skipped: failed.get(t.path) ?? 'could not read the table size' });
      continue;
    }
    const parts: Item[][] = [];
    for (let i = 0; i < items.length; i += PER_ARM) parts.push(items.slice(i, i + PER_ARM));
    if (!parts.length) parts.push([]);
    const plan = plans.push({ t, sampled: src.sampled, parts }) - 1;
    parts.forEach((part, k) => {
      const w = padTo(part.length);
      const select = ['COUNT(*) AS n', ...Array.from({ length: w }, (_, i) => `${part[i] ? sqlOf(part[i]!) : '0'} AS x${i}`)];
      arms.push({ path: t.path, sql: `SELECT ${select.join(', ')} FROM ${src.from}`, weight: armWeight(ctx, t, src.sampled), width: w, plan, part: k });
    });
  }
  // Arms of one width share statements; wider arms go fewer to a statement (AGGREGATES_PER_STATEMENT).
  const rows: (Record<string, unknown>[] | null)[] = arms.map(() => null);
  await Promise.all(
    [...new Set(arms.map((a) => a.width))].map(async (w) => {
      const idx = arms.flatMap((a, i) => (a.width === w ? [i] : []));
      const res = await runBatched<Record<string, unknown>>(quiet, idx.map((i) => arms[i]!), { maxArms: Math.floor(AGGREGATES_PER_STATEMENT / (w + 1)) });
      idx.forEach((i, j) => (rows[i] = res[j] ?? null));
    }),
  );
  const got = plans.map((p) => p.parts.map((): Record<string, unknown> | undefined => undefined));
  arms.forEach((a, i) => (got[a.plan]![a.part] = rows[i]?.[0]));
  plans.forEach((p, k) => {
    if (got[k]!.some((r) => !r)) {
      memo.set(p.t.path, { skipped: failed.get(p.t.path) ?? 'query failed: no result' });
      return;
    }
    const n = num(got[k]![0]!.n);
    const nonNull = new Map<string, number>(p.t.columns.filter((c) => !c.nullable).map((c) => [c.name, n]));
    const jsonLooking = new Map<string, number>();
    p.parts.forEach((part, j) => part.forEach((it, i) => (it.kind === 'nonNull' ? nonNull : jsonLooking).set(it.column, num(got[k]![j]![`x${i}`]))));
    memo.set(p.t.path, { profile: { rows: n, sampled: p.sampled, nonNull, jsonLooking } });
  });
}
