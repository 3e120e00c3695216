// Full data mode's one pass per table: every aggregate the data rules need
// from a table (their Rule.probes: non-null counts, invalid values, orphans
// through a LEFT JOIN on the parent's unique key…) in ONE statement over all
// its rows, so `--data full` reads each table once whatever the rules. Rules
// read the results through passCounts. Read-only; values never leave the
// engine, only counts do.
import type { Table } from '../../catalog/types.js';
import { eachConcurrently } from '../../concurrency.js';
import type { RuleContext } from '../rule.js';
import { num, runQuery } from './sql.js';

export interface PassProbe {
  table: Table;
  /** Names the aggregate within its table; rules asking for the same id share it. */
  id: string;
  /** An aggregate over the row alias `src` (and `join`'s alias, given as the argument, when the probe joins). */
  sql(join: string): string;
  /**
   * A parent table LEFT JOINed on columns that are unique in it (one match
   * at most, so the join keeps the child's row count): an anti-join whose
   * missing match reads as NULL columns of the join alias.
   */
  join?: { schema: string; table: string; on: readonly (readonly [child: string, parent: string])[] };
  /** The aggregate can fail the statement (a cast that raises on a bad value): after a failed pass it runs alone, and reads as null when it fails. */
  mayFail?: boolean;
}

/** A table's pass: its rows, and each probe's value (null: the probe failed alone). */
export interface PassResult {
  rows: number;
  values: ReadonlyMap<string, number | null>;
}

type Entry = PassResult | { skipped: string };

const MEMO_KEY = 'table-pass';
/** Aggregates per statement at most: inside every engine's select-list limit (1,664 on Postgres). */
const PER_STATEMENT = 400;

interface MemoState {
  /** Each table's pass, by table path (a later asker with probes it lacks reads them in a statement of their own). */
  entries: Map<string, Entry>;
  /** Passes running now, by table path: askers wait for them. */
  pending: Map<string, Promise<void>>;
}

function state(ctx: RuleContext): MemoState {
  let s = ctx.memo?.get(MEMO_KEY) as MemoState | undefined;
  if (!s) {
    s = { entries: new Map(), pending: new Map() };
    ctx.memo?.set(MEMO_KEY, s);
  }
  return s;
}

/** Called as each table's pass starts: the table, how many started before it, and how many there are. */
export type PassProgress = (table: Table, started: number, total: number) => void;

/**
 * Runs the pass of every table `probes` touch (the engine starts it once, with
 * every data rule's probes, as the rules start), tables side by side over
 * ctx.parallelism sessions, largest first.
 */
export async function runTablePasses(ctx: RuleContext, probes: readonly PassProbe[], progress?: PassProgress): Promise<void> {
  const byTable = new Map<string, { table: Table; probes: Map<string, PassProbe> }>();
  for (const p of probes) {
    let e = byTable.get(p.table.path);
    if (!e) byTable.set(p.table.path, (e = { table: p.table, probes: new Map() }));
    if (!e.probes.has(p.id)) e.probes.set(p.id, p);
  }
  const s = state(ctx);
  const todo = [...byTable.values()].filter((e) => !s.entries.has(e.table.path) && !s.pending.has(e.table.path));
  todo.sort((a, b) => (b.table.rowEstimate ?? 0) - (a.table.rowEstimate ?? 0) || (a.table.path < b.table.path ? -1 : 1));
  let started = 0;
  const runs = todo.map((e) => {
    let release!: () => void;
    s.pending.set(e.table.path, new Promise<void>((r) => (release = r)));
    return { e, release };
  });
  await eachConcurrently(runs, ctx.parallelism ?? 1, async ({ e, release }) => {
    try {
      progress?.(e.table, started++, todo.length);
      s.entries.set(e.table.path, await passOf(ctx, e.table, [...e.probes.values()]));
    } finally {
      s.pending.delete(e.table.path);
      release();
    }
  });
}

/**
 * The values of `probes` (all on `table`) from the table's pass; probes the
 * pass did not hold (a rule run on its own) are read now, in one statement.
 * Null when the table could not be read (a skipped check says why).
 */
export async function passCounts(ctx: RuleContext, table: Table, probes: readonly PassProbe[]): Promise<PassResult | null> {
  const s = state(ctx);
  await s.pending.get(table.path);
  const known = s.entries.get(table.path);
  if (known && 'skipped' in known) {
    ctx.skip(known.skipped, table.path);
    return null;
  }
  const missing = probes.filter((p) => !known?.values.has(p.id));
  if (!missing.length && known) return known;
  const got = await passOf(ctx, table, missing);
  if ('skipped' in got) {
    ctx.skip(got.skipped, table.path);
    return null;
  }
  const merged: PassResult = { rows: got.rows, values: new Map([...(known?.values ?? []), ...got.values]) };
  s.entries.set(table.path, merged);
  return merged;
}

function statement(ctx: RuleContext, t: Table, probes: readonly PassProbe[]): string {
  const joins: string[] = [];
  const aliasOf = new Map<string, string>();
  const select = ['COUNT(*) AS n'];
  probes.forEach((p, i) => {
    let alias = '';
    if (p.join) {
      const key = JSON.stringify([p.join.schema, p.join.table, p.join.on]);
      alias = aliasOf.get(key) ?? '';
      if (!alias) {
        alias = `j${aliasOf.size}`;
        aliasOf.set(key, alias);
        const on = p.join.on.map(([c, k]) => `${alias}.${ctx.quoteIdent(k)} = src.${ctx.quoteIdent(c)}`).join(' AND ');
        joins.push(` LEFT JOIN ${ctx.quoteQualified(p.join.schema, p.join.table)} ${alias} ON ${on}`);
      }
    }
    select.push(`${p.sql(alias)} AS p${i}`);
  });
  return `SELECT ${select.join(', ')} FROM ${ctx.quoteQualified(t.schema, t.name)} src${joins.join('')}`;
}

/** Reads one table's probes: one statement per PER_STATEMENT probes; a failing statement is retried without its probes that may fail, which then run alone. */
async function passOf(ctx: RuleContext, t: Table, probes: readonly PassProbe[]): Promise<Entry> {
  const failed: string[] = [];
  const quiet: RuleContext = { ...ctx, skip: (reason) => void failed.push(reason) };
  const values = new Map<string, number | null>();
  let rows = -1;
  const chunks: PassProbe[][] = [];
  for (let i = 0; i < probes.length || i === 0; i += PER_STATEMENT) chunks.push(probes.slice(i, i + PER_STATEMENT));
  for (const chunk of chunks) {
    let got = await runQuery<Record<string, unknown>>(quiet, t.path, statement(ctx, t, chunk));
    let read = chunk;
    if (!got && chunk.some((p) => p.mayFail)) {
      read = chunk.filter((p) => !p.mayFail);
      failed.length = 0;
      got = await runQuery<Record<string, unknown>>(quiet, t.path, statement(ctx, t, read));
      const reason = failed[0];
      for (const p of chunk.filter((x) => x.mayFail)) {
        const one = await runQuery<Record<string, unknown>>(quiet, t.path, statement(ctx, t, [p]));
        values.set(p.id, one ? num(one[0]?.p0) : null);
      }
      failed.length = 0;
      if (reason) failed.push(reason);
    }
    if (!got?.[0]) return { skipped: failed[0] ?? 'query failed: no result' };
    rows = num(got[0].n);
    read.forEach((p, i) => values.set(p.id, num(got![0]![`p${i}`])));
  }
  return { rows, values };
}

/** Tables the passes read, and their rows. */
export function passTotals(ctx: RuleContext): { tables: number; rows: number } {
  let tables = 0;
  let rows = 0;
  for (const e of state(ctx).entries.values()) {
    if ('skipped' in e) continue;
    tables++;
    rows += e.rows;
  }
  return { tables, rows };
}
