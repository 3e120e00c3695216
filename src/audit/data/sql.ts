// Dialect-neutral building blocks for data rules: which tables to read, a
// bounded row source (the whole table, or its first N rows by key when it is
// large), sample keys, and a query runner that turns a failure into a skipped
// check. Only standard SQL (COUNT, EXISTS, LIMIT, derived tables): it must run
// on Postgres, MariaDB and SQLite alike. Nothing here writes.
import { eachConcurrently } from '../../concurrency.js';
import type { Catalog, Table } from '../../catalog/types.js';
import type { Capabilities } from '../../dialects/dialect.js';
import { getDialect } from '../../dialects/index.js';
import type { RuleContext } from '../rule.js';
import { typeFamily } from './names.js';
import { isSecretColumnName, redactValue } from '../../catalog/sensitive-columns.js';

/** Rows a rule fetches into TypeScript for classification (per table or column), whatever the table size. */
export const DEFAULT_FETCH_LIMIT = 5000;
/** Sample keys a finding carries. */
export const SAMPLE_KEYS = 5;

/** Tables whose rows a data rule reads: plain and partitioned tables (partitions are read through their parent; foreign tables never). */
export function* dataTables(c: Catalog): Generator<Table> {
  for (const s of c.schemas) for (const t of s.tables) if (t.kind === 'table' || t.kind === 'partitioned') yield t;
}

/** The engine's capabilities: the context's, else the registered dialect's; undefined treats every optional feature as absent. */
export function capabilitiesOf(ctx: Pick<RuleContext, 'catalog' | 'capabilities'>): Capabilities | undefined {
  if (ctx.capabilities) return ctx.capabilities;
  try {
    return getDialect(ctx.catalog.dialect).capabilities;
  } catch {
    return undefined;
  }
}

/**
 * Positional parameter marker for the driver of this catalog (`$1` on
 * Postgres, `?` elsewhere). The Connection contract fixes these two styles;
 * it belongs on the Dialect once it grows a `placeholder` method.
 */
export function placeholder(ctx: Pick<RuleContext, 'catalog'>, index: number): string {
  return ctx.catalog.dialect === 'postgres' ? `$${index}` : '?';
}

/** Columns identifying a row: the primary key, else a unique key over NOT NULL columns, else none. */
export function keyColumns(t: Table): string[] {
  if (t.primaryKey?.columns.length) return t.primaryKey.columns;
  const notNull = (c: string) => t.columns.find((x) => x.name === c)?.nullable === false;
  const u = t.uniques.find((x) => x.columns.every(notNull));
  if (u) return u.columns;
  const ix = t.indexes.find((x) => x.unique && !x.predicate && x.elements.every((e) => e.column && notNull(e.column)));
  return ix ? ix.elements.map((e) => e.column!) : [];
}

/** Runs one read-only query; on failure records a skipped check for `path` and returns null (the rule goes on). */
export async function runQuery<T = Record<string, unknown>>(ctx: RuleContext, path: string, sql: string, params?: readonly unknown[]): Promise<T[] | null> {
  if (!ctx.query) {
    ctx.skip('reads table data: needs a live connection', path);
    return null;
  }
  try {
    return await ctx.query<T>(sql, params);
  } catch (e) {
    ctx.skip(describeQueryFailure(e), path);
    return null;
  }
}

const TIMEOUT = /timeout|timed out|canceling statement|max_statement_time|execution time exceeded/i;

function describeQueryFailure(e: unknown): string {
  const msg = String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
  if (TIMEOUT.test(msg)) return `statement timed out: ${msg}`;
  if (/permission denied|access denied|command denied/i.test(msg)) return `permission denied: ${msg}`;
  return `query failed: ${msg}`;
}

export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === null || v === undefined) return 0;
  return Number(v);
}

const sizes = new WeakMap<Catalog, Map<string, boolean>>();

/** Bytes per row above which a small row estimate is too implausible to trust (a stale estimate on a grown table). */
const PLAUSIBLE_ROW_BYTES = 2048;

/**
 * Whether the table holds more than ctx.sampleThreshold rows. Trusts the
 * planner's estimate when there is one and the table's size agrees with it
 * (one query less per table — audits of thousands of tables stay fast);
 * otherwise counts at most threshold+1 rows, a bounded scan.
 */
export async function isLarge(ctx: RuleContext, t: Table): Promise<boolean | null> {
  if (ctx.dataMode === 'full') return false;
  let cache = sizes.get(ctx.catalog);
  if (!cache) sizes.set(ctx.catalog, (cache = new Map()));
  const key = `${ctx.sampleThreshold}\u0000${t.path}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let large: boolean;
  const plausible = t.rowEstimate !== null && (t.totalBytes === null || t.totalBytes <= Math.max(t.rowEstimate, ctx.sampleThreshold) * PLAUSIBLE_ROW_BYTES);
  if (t.rowEstimate !== null && t.rowEstimate > ctx.sampleThreshold) large = true;
  else if (plausible) large = false;
  else {
    const rows = await runQuery<{ n: unknown }>(
      ctx,
      t.path,
      `SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ${ctx.quoteQualified(t.schema, t.name)} LIMIT ${ctx.sampleThreshold + 1}) bounded`,
    );
    if (!rows) return null;
    large = num(rows[0]?.n) > ctx.sampleThreshold;
  }
  cache.set(key, large);
  if (large) noteSampled(ctx, t);
  return large;
}

const SAMPLED_KEY = 'sql:sampled-tables';

/** A table a data rule read only in part: the rows read, and its size (the planner's estimate; null when unknown or stale). */
export interface SampledTable {
  path: string;
  rowsRead: number;
  tableRows: number | null;
}

function noteSampled(ctx: RuleContext, t: Table): void {
  if (!ctx.memo) return;
  let m = ctx.memo.get(SAMPLED_KEY) as Map<string, SampledTable> | undefined;
  if (!m) ctx.memo.set(SAMPLED_KEY, (m = new Map()));
  m.set(t.path, { path: t.path, rowsRead: ctx.sampleThreshold, tableRows: t.rowEstimate !== null && t.rowEstimate > ctx.sampleThreshold ? Math.round(t.rowEstimate) : null });
}

/** The tables data rules sampled in this audit (sample mode), sorted by path. */
export function sampledTables(memo: Map<string, unknown>): SampledTable[] {
  const m = memo.get(SAMPLED_KEY) as Map<string, SampledTable> | undefined;
  return [...(m?.values() ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `ORDER BY` over the key columns (qualified by `alias` when given), or '' when the table has no key. */
export function orderByKey(ctx: RuleContext, t: Table, alias?: string): string {
  const keys = keyColumns(t);
  if (!keys.length) return '';
  return ' ORDER BY ' + keys.map((k) => (alias ? `${alias}.` : '') + ctx.quoteIdent(k)).join(', ');
}

/**
 * The row source for reading `t` (without alias): the table itself, or — when
 * `limit` is given — its first `limit` rows in key order (a bounded index scan
 * on every engine), so aggregates over it stay bounded on huge tables.
 */
export function rowSource(ctx: RuleContext, t: Table, columns: readonly string[], limit?: number): string {
  const table = ctx.quoteQualified(t.schema, t.name);
  if (limit === undefined) return table;
  const cols = [...new Set([...keyColumns(t), ...columns])].map((c) => ctx.quoteIdent(c)).join(', ');
  return `(SELECT ${cols} FROM ${table}${orderByKey(ctx, t)} LIMIT ${limit})`;
}

export interface ScanSource {
  /** The FROM item aliased `src`. */
  from: string;
  /** The same source without alias, for a second reference under another alias. */
  expr: string;
  sampled: boolean;
}

/** Sample source for a table: bounded to sampleThreshold rows when it is large. Null when its size could not be read. */
export async function scanSource(ctx: RuleContext, t: Table, columns: readonly string[]): Promise<ScanSource | null> {
  const large = await isLarge(ctx, t);
  if (large === null) return null;
  const expr = rowSource(ctx, t, columns, large ? ctx.sampleThreshold : undefined);
  return { from: `${expr} src`, expr, sampled: large };
}

/** `src."k1" AS k0, src."k2" AS k1` for the key columns. */
export function selectKeys(ctx: RuleContext, t: Table, alias = 'src'): string[] {
  return keyColumns(t).map((k, i) => `${alias}.${ctx.quoteIdent(k)} AS k${i}`);
}

function keyPart(v: unknown): string {
  if (v instanceof Uint8Array) return '\\x' + Buffer.from(v).toString('hex');
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export type SampleKey = string | Record<string, string>;

/** The sample key of a row selected with selectKeys: the value for a one-column key, an object for a composite one, null without a key; secret-named key columns redacted. */
export function sampleKey(t: Table, row: Record<string, unknown>): SampleKey | null {
  const keys = keyColumns(t);
  if (!keys.length) return null;
  // A key that is itself a token or secret is never printed: a short hash still tells rows apart.
  const part = (k: string, v: unknown) => (isSecretColumnName(k) ? redactValue(keyPart(v)) : keyPart(v));
  if (keys.length === 1) return part(keys[0]!, row.k0);
  const out: Record<string, string> = {};
  keys.forEach((k, i) => (out[k] = part(k, row[`k${i}`])));
  return out;
}

/** Fetch limit for TypeScript-side classification (option `maxFetch`, capped by the sample threshold). */
export function fetchLimit(ctx: RuleContext): number {
  const o = Number(ctx.options.maxFetch ?? DEFAULT_FETCH_LIMIT);
  return Math.max(1, Math.min(ctx.sampleThreshold, Number.isFinite(o) ? o : DEFAULT_FETCH_LIMIT));
}

/** Wording for a sampled finding over `t`: the rows read and the table's size, and what full mode would do. */
export function sampleNote(sampled: boolean, ctx: RuleContext, t?: Table): string {
  if (!sampled) return '';
  return sampledWording(ctx.sampleThreshold, t?.rowEstimate !== null && t?.rowEstimate !== undefined && t.rowEstimate > ctx.sampleThreshold ? t.rowEstimate : null);
}

/** ` (sampled: read the first 100,000 of ~13,000,000 rows by key; --data full reads all)`; a null size reads "more than". */
export function sampledWording(rowsRead: number, tableRows: number | null): string {
  return ` (sampled: read the first ${rowCount(rowsRead)} of ${tableRows === null ? `more than ${rowCount(rowsRead)}` : `~${rowCount(tableRows)}`} rows by key; --data full reads all)`;
}

/** `13,000,000`: a row count as people read it (en-US in every locale, so reports stay byte-identical). */
export function rowCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Up to SAMPLE_KEYS non-null keys of classified values. */
export function sampleKeysOf(items: readonly { key: SampleKey | null }[]): SampleKey[] {
  const out: SampleKey[] = [];
  for (const i of items) {
    if (i.key === null) continue;
    out.push(i.key);
    if (out.length === SAMPLE_KEYS) break;
  }
  return out;
}

/**
 * True when the planner's estimate says the table has fewer than `rows` rows
 * and its size agrees: rules with a minimum row count skip it without a query.
 */
export function surelyBelow(t: Table, rows: number): boolean {
  if (t.rowEstimate === null || t.rowEstimate >= rows / 2) return false;
  return t.totalBytes === null || t.totalBytes <= Math.max(rows, 1) * PLAUSIBLE_ROW_BYTES;
}

export interface BatchArm {
  /** Object the query is about: where a failure is recorded as a skipped check. */
  path: string;
  /** A complete SELECT; every arm of one batch must return the same columns. */
  sql: string;
  /** Rows the arm reads at most (keeps one batched statement within the statement timeout). */
  weight: number;
}

const MAX_ARMS = 40;

/**
 * Arms per statement for arms that group, window or join (hash tables, sort
 * and window state). The engine keeps every arm's executor memory until the
 * statement ends, and past a few hundred kB per statement the allocator hands
 * it back to the OS and faults it in again on the next statement. Measured on
 * Postgres 18 (500 tables of 100 rows): 20–40 such arms per statement cost
 * 3–5× the server CPU of 5–10 (page faults), while arms of a few COUNTs stay
 * cheap at 40.
 */
export const GROUPING_ARMS = 8;

/** Aggregates per statement at most for wide aggregate arms (same reason as GROUPING_ARMS): arms per statement = this ÷ aggregates per arm. */
export const AGGREGATES_PER_STATEMENT = 96;

export interface BatchOptions {
  /** Arms per statement at most (default 40; GROUPING_ARMS for grouping, windowed or joined arms). */
  maxArms?: number;
}

/**
 * Runs many small per-table queries as few UNION ALL statements (each arm
 * wrapped as a derived table, which every engine accepts), so an audit of
 * thousands of tables costs tens of round trips, not thousands. A batch that
 * fails is retried arm by arm: one unreadable table is skipped alone.
 * Returns each arm's rows (without the tag), or null where it was skipped.
 */
export async function runBatched<T extends Record<string, unknown>>(ctx: RuleContext, arms: readonly BatchArm[], options: BatchOptions = {}): Promise<(T[] | null)[]> {
  const maxArms = Math.max(1, options.maxArms ?? MAX_ARMS);
  const out: (T[] | null)[] = arms.map(() => []);
  // Statements of at most maxArms arms and ctx.sampleThreshold rows, issued ctx.parallelism at a time.
  const chunks: [start: number, end: number][] = [];
  for (let i = 0; i < arms.length; ) {
    const start = i;
    let weight = 0;
    while (i < arms.length && i - start < maxArms && (i === start || weight + arms[i]!.weight <= ctx.sampleThreshold)) weight += arms[i++]!.weight;
    chunks.push([start, i]);
  }
  await eachConcurrently(chunks, ctx.parallelism ?? 1, async ([start, end]) => {
    const chunk = arms.slice(start, end);
    if (chunk.length === 1) {
      out[start] = await runQuery<T>(ctx, chunk[0]!.path, chunk[0]!.sql);
      return;
    }
    const sql = chunk.map((a, j) => `SELECT ${start + j} AS arm_tag, a${j}.* FROM (${a.sql}) a${j}`).join(' UNION ALL ');
    let rows: (T & { arm_tag: unknown })[] | null = null;
    if (ctx.query) {
      try {
        rows = await ctx.query<T & { arm_tag: unknown }>(sql);
      } catch (e) {
        // A timeout already cost a full statement budget: skip this batch rather than pay it once per arm.
        if (TIMEOUT.test(String((e as Error)?.message ?? e))) {
          const reason = describeQueryFailure(e);
          for (let j = start; j < end; j++) {
            ctx.skip(`${reason} (batched with ${chunk.length - 1} other queries)`, arms[j]!.path);
            out[j] = null;
          }
          return;
        }
        rows = null;
      }
    }
    if (rows === null) {
      for (let j = start; j < end; j++) out[j] = await runQuery<T>(ctx, arms[j]!.path, arms[j]!.sql);
      return;
    }
    for (const r of rows) {
      const { arm_tag, ...rest } = r;
      (out[num(arm_tag)] as T[]).push(rest as unknown as T);
    }
  });
  return out;
}

/** Rows an arm over `t` reads at most: the sample size when large, else its estimate (or the threshold when unknown). */
export function armWeight(ctx: RuleContext, t: Table, sampled: boolean): number {
  if (sampled) return ctx.sampleThreshold;
  return Math.max(1, Math.min(ctx.sampleThreshold, t.rowEstimate ?? ctx.sampleThreshold));
}

/** Arms whose key columns line up (same count, same type families) can share one UNION ALL. */
export function keySignature(t: Table): string {
  return keyColumns(t)
    .map((k) => {
      const c = t.columns.find((x) => x.name === k);
      return c ? typeFamily(c) + (c.type.kind === 'uuid' || typeFamily(c) === 'other' ? ':' + c.type.kind : '') : '?';
    })
    .join(',');
}

/** runBatched over arms grouped by a signature (arms of one group return compatible columns). */
export async function runBatchedBy<T extends Record<string, unknown>>(ctx: RuleContext, arms: readonly (BatchArm & { signature: string })[], options: BatchOptions = {}): Promise<(T[] | null)[]> {
  const out: (T[] | null)[] = arms.map(() => null);
  const groups = new Map<string, number[]>();
  arms.forEach((a, i) => {
    const g = groups.get(a.signature);
    if (g) g.push(i);
    else groups.set(a.signature, [i]);
  });
  // Groups run side by side: the rule's sessions (ctx.parallelism) bound how many statements are in flight.
  await Promise.all(
    [...groups.values()].map(async (idx) => {
      const res = await runBatched<T>(ctx, idx.map((i) => arms[i]!), options);
      idx.forEach((i, j) => (out[i] = res[j] ?? null));
    }),
  );
  return out;
}

/**
 * False when no table of the catalog holds a single row: a schema-only load
 * (a restored DDL dump, a fresh migration run), where "no data" is expected
 * and data rules about missing seed rows are advice, not errors. Planner
 * estimates answer first; the rest are probed with EXISTS, a few per
 * statement. Shared by the rules of one run through ctx.memo. Null when the
 * database cannot be read.
 */
export async function databaseHoldsRows(ctx: RuleContext): Promise<boolean | null> {
  const memoKey = 'sql:database-holds-rows';
  const known = ctx.memo?.get(memoKey) as Promise<boolean | null> | undefined;
  if (known) return known;
  const answer = (async (): Promise<boolean | null> => {
    if (!ctx.query) return null;
    const tables = ctx.catalog.schemas.flatMap((s) => s.tables).filter((t) => t.kind === 'table' || t.kind === 'partition');
    if (tables.some((t) => (t.rowEstimate ?? 0) > 0)) return true;
    for (let i = 0; i < tables.length; i += 50) {
      const arms = tables.slice(i, i + 50).map((t) => `EXISTS (SELECT 1 FROM ${ctx.quoteQualified(t.schema, t.name)})`);
      try {
        const rows = await ctx.query<{ any_rows: unknown }>(`SELECT CASE WHEN ${arms.join(' OR ')} THEN 1 ELSE 0 END AS any_rows`);
        if (num(rows[0]?.any_rows) > 0) return true;
      } catch {
        return null;
      }
    }
    return false;
  })();
  ctx.memo?.set(memoKey, answer);
  return answer;
}
