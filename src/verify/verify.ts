// plumb verify: the spec's checks, zero drift against the spec, and
// enforcement probes — for every foreign key, unique key, check and NOT NULL,
// an insert that must be rejected, run in a savepoint inside a transaction
// that is always rolled back. Never leaves a trace in the database.
import { integrityState } from '../drivers/errors.js';
import type { Catalog, Column, Table } from '../catalog/types.js';
import { findTable } from '../catalog/normalize.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import type { Dialect } from '../dialects/dialect.js';
import type { Change } from '../diff/changes.js';
import type { SpecVerify, VerifyExpect } from '../spec/types.js';
import { allowedFromChecks, candidateViolations, probeKeyValue, roomyValues, sampleValue, valuesFromCheck } from './probe-values.js';

export type VerifyStatus = 'pass' | 'fail' | 'skip';

export interface VerifyResult {
  name: string;
  kind: 'check' | 'drift' | 'probe' | 'reject';
  status: VerifyStatus;
  detail: string;
  path?: string;
}

export interface VerifyReport {
  results: VerifyResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface VerifyInput {
  /** The spec's verification checks and reject probes. */
  checks: SpecVerify[];
  /** The desired catalog (from the spec): probes are generated from its constraints. */
  target: Catalog;
  /** The live catalog (inspected over the spec's schemas). */
  live: Catalog;
  /** Diff live → target; absent: the drift check is skipped. */
  diff?: (from: Catalog, to: Catalog) => Change[];
}

export interface VerifyOptions {
  probes?: boolean;
  drift?: boolean;
}

class Rollback extends Error {}

export const ERROR_CLASSES: Record<string, string> = {
  foreign_key_violation: '23503',
  unique_violation: '23505',
  check_violation: '23514',
  not_null_violation: '23502',
  exclusion_violation: '23P01',
  integrity_constraint_violation: '23',
};

interface DbError {
  code?: string;
  constraint?: string;
  column?: string;
  message?: string;
}

function dbError(e: unknown): DbError {
  const x = e as { cause?: DbError & { errno?: number } } & DbError;
  const c = x?.cause && typeof x.cause === 'object' ? x.cause : x;
  // Every engine's integrity errors as SQLSTATE classes, so probes read MySQL and SQLite rejections too.
  return { code: integrityState(c) ?? c?.code ?? x?.code, constraint: c?.constraint, column: c?.column, message: x?.message ?? String(e) };
}

function meets(expect: VerifyExpect, rows: Record<string, unknown>[]): { ok: boolean; got: string } {
  if (expect === 'empty') return { ok: rows.length === 0, got: `${rows.length} row(s)` };
  if (expect === 'nonEmpty') return { ok: rows.length > 0, got: `${rows.length} row(s)` };
  const single = rows.length === 1 && Object.keys(rows[0]!).length === 1;
  const v = single ? Number(Object.values(rows[0]!)[0]) : rows.length;
  const { op, value } = typeof expect === 'number' ? { op: '=' as const, value: expect } : expect;
  const ok = { '=': v === value, '!=': v !== value, '<': v < value, '<=': v <= value, '>': v > value, '>=': v >= value }[op];
  return { ok, got: String(v) };
}

function summarise(results: VerifyResult[]): VerifyReport {
  return {
    results,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  };
}

export async function verify(conn: Connection, input: VerifyInput, options: VerifyOptions = {}): Promise<VerifyReport> {
  const d = getDialect(conn.dialect);
  const results: VerifyResult[] = [];
  if (options.drift !== false) {
    if (!input.diff) results.push({ name: 'no drift against the spec', kind: 'drift', status: 'skip', detail: 'no diff engine available' });
    else {
      const changes = input.diff(input.live, input.target);
      results.push({
        name: 'no drift against the spec',
        kind: 'drift',
        status: changes.length ? 'fail' : 'pass',
        detail: changes.length ? `${changes.length} difference(s): ${changes.slice(0, 8).map((c) => `${c.kind} ${c.path}`).join('; ')}${changes.length > 8 ? '; …' : ''}` : 'the live catalog matches the spec',
      });
    }
  }
  try {
    await conn.transaction(async (tx) => {
      // The spec's SQL is standard SQL: engines that read it otherwise are told to for its duration.
      const session = d.standardSqlSession;
      for (const s of session?.enter ?? []) await tx.exec(s);
      try {
        for (const c of input.checks) results.push(await runSpecCheck(tx, c));
      } finally {
        for (const s of session?.leave ?? []) await tx.exec(s);
      }
      if (options.probes !== false) {
        for (const s of input.target.schemas) for (const t of s.tables) results.push(...(await probeTable(tx, d, input, t)));
      }
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return summarise(results);
}

async function inSavepoint<T>(tx: Connection, fn: (sp: Connection) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: DbError }> {
  let value: T | undefined;
  try {
    await tx.transaction(async (sp) => {
      value = await fn(sp);
      throw new Rollback();
    });
  } catch (e) {
    if (e instanceof Rollback) return { ok: true, value: value as T };
    return { ok: false, error: dbError(e) };
  }
  return { ok: true, value: value as T };
}

async function runSpecCheck(tx: Connection, c: SpecVerify): Promise<VerifyResult> {
  if (c.dialects && !c.dialects.includes(tx.dialect)) return { name: c.name, kind: c.kind === 'query' ? 'check' : 'reject', status: 'skip', detail: `written for ${c.dialects.join(', ')}, not ${tx.dialect}` };
  // Only what stays inside the rolled-back transaction runs (MySQL commits DDL on its own).
  const refused = async (sql: string): Promise<string | undefined> => {
    try {
      await getDialect(tx.dialect).specStatement?.(sql);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const why = await refused(c.kind === 'query' ? c.sql : c.reject);
  if (why) return { name: c.name, kind: c.kind === 'query' ? 'check' : 'reject', status: 'fail', detail: `not run: ${why}` };
  if (c.kind === 'query') {
    const r = await inSavepoint(tx, (sp) => sp.query<Record<string, unknown>>(c.sql));
    if (!r.ok) return { name: c.name, kind: 'check', status: 'fail', detail: `query failed: ${r.error.message}` };
    const m = meets(c.expect, r.value);
    return { name: c.name, kind: 'check', status: m.ok ? 'pass' : 'fail', detail: `expected ${JSON.stringify(c.expect)}, got ${m.got}` };
  }
  const r = await inSavepoint(tx, (sp) => sp.exec(c.reject));
  if (r.ok) return { name: c.name, kind: 'reject', status: 'fail', detail: 'the statement was accepted; it must be rejected' };
  const want = c.errorClass ? (ERROR_CLASSES[c.errorClass] ?? c.errorClass) : null;
  if (want && !(r.error.code ?? '').startsWith(want)) return { name: c.name, kind: 'reject', status: 'fail', detail: `rejected with ${r.error.code} (${r.error.message}), expected ${c.errorClass}` };
  return { name: c.name, kind: 'reject', status: 'pass', detail: `rejected: ${r.error.code ?? ''} ${r.error.message?.split('\n')[0] ?? ''}`.trim() };
}

type RowValues = Record<string, unknown>;

/** Builds a row `live` accepts, inserting parent rows for NOT NULL foreign keys whose parent table is empty. */
async function baseRow(tx: Connection, d: Dialect, live: Catalog, t: Table, depth = 0): Promise<RowValues | string> {
  const p = (i: number) => (tx.dialect === 'postgres' ? `$${i}` : '?');
  const row: RowValues = {};
  const allowed = allowedFromChecks(t);
  for (const c of t.columns) {
    if (c.generated || c.identity === 'always') continue;
    // AUTO_INCREMENT columns are left to the engine: an explicit value would move the counter for good.
    if (c.default !== null || c.identity || c.autoIncrement || c.nullable) continue;
    const v = allowed.get(c.name) ?? sampleValue(c, live);
    if (v === undefined) return `cannot make a value of type ${c.type.raw} for ${c.name}`;
    row[c.name] = v;
  }
  for (const fk of t.foreignKeys) {
    const needed = fk.columns.some((c) => row[c] !== undefined);
    if (!needed) continue;
    const parent = findTable(live, fk.references.schema, fk.references.table);
    if (!parent) return `parent table ${fk.references.table} is missing`;
    if (parent === t) return 'self-referencing NOT NULL foreign key';
    const cols = fk.references.columns.map((c) => d.quoteIdent(c)).join(', ');
    const freshParent = async (): Promise<RowValues | string> => {
      if (depth > 3) return 'foreign keys nest too deep to build a parent row';
      const pr = await baseRow(tx, d, live, parent, depth + 1);
      if (typeof pr === 'string') return `parent ${parent.name}: ${pr}`;
      const pc = Object.keys(pr);
      const [r] = await tx.query<RowValues>(
        pc.length
          ? `INSERT INTO ${d.quoteQualified(parent.schema, parent.name)} (${pc.map((c) => d.quoteIdent(c)).join(', ')}) VALUES (${pc.map((_, i) => p(i + 1)).join(', ')}) RETURNING ${cols}`
          : `INSERT INTO ${d.quoteQualified(parent.schema, parent.name)} DEFAULT VALUES RETURNING ${cols}`,
        pc.map((c) => pr[c]),
      );
      return r ?? 'the parent row was not returned';
    };
    // A key over the foreign key columns (a junction table) needs a parent row of its own, or the base row collides.
    const keyed = [t.primaryKey?.columns ?? [], ...t.uniques.map((u) => u.columns)].some((k) => k.some((c) => fk.columns.includes(c)));
    let prow: RowValues | string | undefined;
    if (keyed) {
      try {
        prow = await tx.transaction(async () => {
          const r = await freshParent();
          if (typeof r === 'string') throw new Error(r);
          return r;
        });
      } catch {
        prow = undefined;
      }
    }
    if (!prow || typeof prow === 'string') {
      [prow] = await tx.query<RowValues>(`SELECT ${cols} FROM ${d.quoteQualified(parent.schema, parent.name)} WHERE ${fk.references.columns.map((c) => `${d.quoteIdent(c)} IS NOT NULL`).join(' AND ')} LIMIT 1`);
      if (!prow) prow = await freshParent();
      if (typeof prow === 'string') return prow;
    }
    const got = prow;
    fk.columns.forEach((c, i) => (row[c] = got[fk.references.columns[i]!]));
  }
  return row;
}

/**
 * A base row the table accepts: when a CHECK over several columns rejects the
 * sampled values (`expires_at > created_at` with a default `now()`), the row's
 * columns that check reads are tried at the far end of their range, each trial
 * inserted in a savepoint and rolled back.
 */
async function acceptedRow(tx: Connection, d: Dialect, live: Catalog, t: Table): Promise<RowValues | string> {
  const row = await baseRow(tx, d, live, t);
  if (typeof row === 'string' || !t.checks.length) return row;
  const fits = async (r: RowValues) => (await inSavepoint(tx, (sp) => insert(sp, d, t, r))).ok;
  if (await fits(row)) return row;
  for (const ch of t.checks) {
    const cols = Object.keys(row).filter((c) => new RegExp(`\\b${c}\\b`).test(ch.expression));
    for (const col of cols) {
      const lc = t.columns.find((x) => x.name === col);
      if (!lc) continue;
      for (const v of [...valuesFromCheck(lc, ch.expression), ...roomyValues(lc, live)]) {
        const cand = { ...row, [col]: v };
        if (await fits(cand)) return cand;
      }
    }
  }
  // Still rejected: the caller's insert reports why.
  return row;
}

async function insert(tx: Connection, d: Dialect, t: Table, row: RowValues): Promise<void> {
  const p = (i: number) => (tx.dialect === 'postgres' ? `$${i}` : '?');
  const cols = Object.keys(row);
  await tx.query(
    cols.length ? `INSERT INTO ${d.quoteQualified(t.schema, t.name)} (${cols.map((c) => d.quoteIdent(c)).join(', ')}) VALUES (${cols.map((_, i) => p(i + 1)).join(', ')})` : `INSERT INTO ${d.quoteQualified(t.schema, t.name)} DEFAULT VALUES`,
    cols.map((c) => row[c]),
  );
}

/** Does the spec's check expression reject this row? Evaluated by the engine over the row's values. */
async function specRejects(tx: Connection, d: Dialect, t: Table, expression: string, row: RowValues): Promise<boolean> {
  const cols = t.columns.filter((c) => !c.generated);
  const params: unknown[] = [];
  const sel = cols.map((c: Column) => {
    params.push(row[c.name] ?? null);
    // Postgres parameters arrive untyped and need the column's type; MySQL's and SQLite's drivers type them (and their CAST knows few type names).
    const at = tx.dialect === 'postgres' ? `CAST($${params.length} AS ${c.type.raw})` : '?';
    return `${at} AS ${d.quoteIdent(c.name)}`;
  });
  const r = await inSavepoint(tx, (sp) => sp.query<{ v: unknown }>(`SELECT NOT COALESCE((${expression}), true) AS v FROM (SELECT ${sel.join(', ')}) AS t`, params));
  // Postgres answers a boolean; MySQL and SQLite answer 1.
  const v = r.ok ? r.value[0]?.v : undefined;
  return v === true || Number(v) === 1;
}

async function probeTable(tx: Connection, d: Dialect, input: VerifyInput, spec: Table): Promise<VerifyResult[]> {
  const live = findTable(input.live, spec.schema, spec.name);
  const out: VerifyResult[] = [];
  const probes: { name: string; path: string }[] = [];
  for (const c of spec.columns) if (!c.nullable && !c.generated && c.identity !== 'always') probes.push({ name: `NOT NULL ${spec.name}.${c.name}`, path: c.path });
  if (spec.primaryKey) probes.push({ name: `primary key ${spec.primaryKey.name}`, path: spec.primaryKey.path });
  for (const u of spec.uniques) probes.push({ name: `unique ${u.name}`, path: u.path });
  for (const fk of spec.foreignKeys) probes.push({ name: `foreign key ${fk.name}`, path: fk.path });
  for (const ch of spec.checks) probes.push({ name: `check ${ch.name}`, path: ch.path });
  if (!probes.length) return out;
  const skipAll = (why: string) => probes.map((p): VerifyResult => ({ ...p, kind: 'probe', status: 'skip', detail: why }));
  if (!live) return skipAll('the table does not exist (see the drift check)');

  const base = await inSavepoint(tx, async (sp) => {
    const row = await acceptedRow(sp, d, input.live, live);
    if (typeof row === 'string') return row;
    await insert(sp, d, live, row);
    return row;
  });
  if (!base.ok) return skipAll(`no valid row could be built to probe with: ${base.error.message?.split('\n')[0]}`);
  if (typeof base.value === 'string') return skipAll(base.value);

  /**
   * Runs a probe: builds the base row again (parents included), applies `mutate`, expects rejection with `code`.
   * `heldAnyway`, when an insert is accepted, says why the guarantee still holds (the engine stored something else), or undefined.
   */
  const probe = async (name: string, path: string, code: string, mutate: (sp: Connection, row: RowValues) => Promise<RowValues | string>, matches: (e: DbError) => boolean, heldAnyway?: (sp: Connection) => Promise<string | undefined>) => {
    const r = await inSavepoint(tx, async (sp) => {
      const row = await acceptedRow(sp, d, input.live, live);
      if (typeof row === 'string') return { skip: row };
      const bad = await mutate(sp, row);
      if (typeof bad === 'string') return { skip: bad };
      // heldAnyway looks at the table with the accepted row still in it (the savepoint rolls it back after).
      const res = await inSavepoint(sp, async (x) => {
        await insert(x, d, live, bad);
        return heldAnyway ? await heldAnyway(x) : undefined;
      });
      return { res, held: res.ok ? res.value : undefined };
    });
    if (!r.ok) return out.push({ name, path, kind: 'probe', status: 'skip', detail: `probe setup failed: ${r.error.message?.split('\n')[0]}` });
    if ('skip' in r.value) return out.push({ name, path, kind: 'probe', status: 'skip', detail: r.value.skip! });
    const res = r.value.res!;
    if (res.ok && r.value.held) return out.push({ name, path, kind: 'probe', status: 'pass', detail: r.value.held });
    if (res.ok) return out.push({ name, path, kind: 'probe', status: 'fail', detail: 'an invalid insert was accepted: the constraint is not enforced' });
    if (res.error.code === code && matches(res.error)) return out.push({ name, path, kind: 'probe', status: 'pass', detail: `rejected with ${code}` });
    // The row differs from an accepted one only by the NULL, so a check refused the NULL or the value the engine
    // put in its place (MariaDB stores now() for NULL in a NOT NULL TIMESTAMP; `expires_at > created_at` then fails):
    // either way no NULL is stored.
    if (code === '23502' && res.error.code === '23514') return out.push({ name, path, kind: 'probe', status: 'pass', detail: 'rejected by a check (on the NULL, or on the value the engine put in its place): no NULL was stored' });
    return out.push({ name, path, kind: 'probe', status: 'fail', detail: `rejected, but by something else: ${res.error.code} ${res.error.message?.split('\n')[0]}` });
  };

  // A renamed table keeps its constraints' old names: a rejection by the live constraint over the same columns is the same guarantee.
  const sameColumns = (a: string[] | undefined, b: string[]) => !!a && a.length === b.length && a.every((x) => b.includes(x));
  const liveKeyColumns = (name: string) =>
    live.primaryKey?.name === name ? live.primaryKey.columns : (live.uniques.find((u) => u.name === name)?.columns ?? live.indexes.find((i) => i.name === name && i.unique)?.elements.map((e) => e.column ?? ''));

  for (const c of spec.columns) {
    if (c.nullable || c.generated || c.identity === 'always') continue;
    // MySQL fills AUTO_INCREMENT and (without explicit_defaults_for_timestamp) TIMESTAMP columns given NULL: the column still never holds NULL.
    const nullsStored = async (sp: Connection) => {
      const [row] = await sp.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${d.quoteQualified(live.schema, live.name)} WHERE ${d.quoteIdent(c.name)} IS NULL`);
      return Number(row?.n) === 0 ? 'NULL was replaced by a value the engine chose (AUTO_INCREMENT or TIMESTAMP): the column holds no NULL' : undefined;
    };
    await probe(`NOT NULL ${spec.name}.${c.name}`, c.path, '23502', async (_sp, row) => ({ ...row, [c.name]: null }), (e) => !e.column || e.column === c.name, nullsStored);
  }
  // A trigger that assigns the key (a hash chain's seq) replaces the duplicate: the key still holds no duplicate.
  const duplicatesStored = (columns: string[]) => async (sp: Connection) => {
    const cols = columns.map((c) => d.quoteIdent(c)).join(', ');
    const [row] = await sp.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM (SELECT ${cols} FROM ${d.quoteQualified(live.schema, live.name)} WHERE ${columns.map((c) => `${d.quoteIdent(c)} IS NOT NULL`).join(' AND ')} GROUP BY ${cols} HAVING COUNT(*) > 1) AS dup`);
    return Number(row?.n) === 0 ? 'the duplicate key was replaced by a value the engine chose (a trigger or default): the key holds no duplicate' : undefined;
  };
  const keys = [...(spec.primaryKey ? [{ kind: 'primary key', name: spec.primaryKey.name, path: spec.primaryKey.path, columns: spec.primaryKey.columns }] : []), ...spec.uniques.map((u) => ({ kind: 'unique', name: u.name, path: u.path, columns: u.columns }))];
  for (const k of keys) {
    await probe(`${k.kind} ${k.name}`, k.path, '23505', async (sp, row) => {
      // The key's columns must hold values: fill the nullable ones too.
      for (const col of k.columns) {
        if (row[col] !== undefined && row[col] !== null) continue;
        const lc = live.columns.find((x) => x.name === col);
        const v = lc ? probeKeyValue(lc, input.live) : undefined;
        if (v === undefined) return `cannot make a value for ${col}`;
        row[col] = v;
      }
      const first = await inSavepoint(sp, (x) => insert(x, d, live, row));
      if (!first.ok) return `the first row of the pair was rejected: ${first.error.message?.split('\n')[0]}`;
      await insert(sp, d, live, row);
      // Second row: same key, fresh values elsewhere for the other keys.
      const again = await acceptedRow(sp, d, input.live, live);
      if (typeof again === 'string') return again;
      for (const col of k.columns) again[col] = row[col];
      return again;
    }, (e) => !e.constraint || e.constraint === k.name || sameColumns(liveKeyColumns(e.constraint), k.columns), duplicatesStored(k.columns));
  }
  for (const fk of spec.foreignKeys) {
    await probe(`foreign key ${fk.name}`, fk.path, '23503', async (_sp, row) => {
      for (const col of fk.columns) {
        const lc = live.columns.find((x) => x.name === col);
        const v = lc ? sampleValue(lc, input.live) : undefined;
        if (v === undefined || lc?.type.kind === 'bool' || lc?.type.kind === 'enum') return `cannot make a value that no parent row holds for ${col}`;
        row[col] = v;
      }
      return row;
    }, (e) => !e.constraint || e.constraint === fk.name || sameColumns(live.foreignKeys.find((f) => f.name === e.constraint)?.columns, fk.columns));
  }
  for (const ch of spec.checks) {
    await probe(`check ${ch.name}`, ch.path, '23514', async (sp, base) => {
      const cols = ch.columns.length ? ch.columns : live.columns.filter((c) => new RegExp(`\\b${c.name}\\b`).test(ch.expression)).map((c) => c.name);
      // The check is evaluated over the row's values alone: columns it reads that the base row leaves to
      // their defaults get the value the engine's default gives (`status` 'pending', `is_secret` false).
      const row = { ...base };
      for (const col of cols) {
        const lc = live.columns.find((x) => x.name === col);
        if (row[col] !== undefined || !lc || lc.default === null || lc.generated) continue;
        const dv = await inSavepoint(sp, (x) => x.query<{ v: unknown }>(`SELECT ${lc.default} AS v`));
        if (dv.ok && dv.value[0]) row[col] = dv.value[0].v;
      }
      for (const col of cols) {
        const lc = live.columns.find((x) => x.name === col);
        if (!lc) continue;
        for (const v of [...candidateViolations(lc, input.live), ...cols.filter((o) => o !== col).map((o) => row[o])]) {
          const cand = { ...row, [col]: v };
          if (await specRejects(sp, d, spec, ch.expression, cand)) return cand;
        }
      }
      return 'no violating value found for this expression';
    }, (e) => !e.constraint || e.constraint === ch.name);
  }
  return out;
}
