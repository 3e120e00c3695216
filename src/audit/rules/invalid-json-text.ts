// PLB104: text columns that hold JSON (by name — payload, metadata, *_json —
// or by content) with values that do not parse. Values are fetched in a
// bounded sample and parsed in TypeScript (portable); never reported.
import type { Column, Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { CIPHER_NAMES, JSON_NAMES, PASSWORD_NAMES, SECRET_NAMES, isTextColumn, nameMatches } from '../data/names.js';
import { DEFAULT_FETCH_LIMIT, dataTables, keyColumns, num, orderByKey, runQuery, SAMPLE_KEYS, sampleKey, sampleKeysOf, selectKeys, type SampleKey } from '../data/sql.js';
import { fetchValuesMany, type ValueRequest } from '../data/value-scan.js';
import { jsonLookingSql, profileProbes, tableProfiles, type TableProfile } from '../data/table-profile.js';
import { passCounts, type PassProbe } from '../data/table-pass.js';
import { findApplySupport } from '../../dialects/apply-support.js';
import type { RuleContext } from '../rule.js';
import { isJsonText, startsLikeJson } from '../data/value-shapes.js';

/** A validated CHECK on the column that already enforces JSON (MariaDB's JSON alias adds `json_valid(col)`). */
function jsonEnforced(t: Table, c: Column): boolean {
  return t.checks.some((k) => k.validated && /json_valid|is\s+json|::jsonb?\b/i.test(k.expression) && (k.columns.includes(c.name) || k.expression.includes(c.name)));
}

/** Why a text column is declared to hold JSON: its name (`payload`, `*_json`) or its comment says so; null when neither does. */
function declaredJson(c: Column, jsonNames: readonly string[]): 'json-named column' | 'column commented as JSON' | null {
  if (nameMatches(c.name, jsonNames)) return 'json-named column';
  const comment = c.comment ?? '';
  return /\bjson\b/i.test(comment) && !/\bnot\s+(?:a\s+|valid\s+)?json\b/i.test(comment) ? 'column commented as JSON' : null;
}

/**
 * By content alone a column carries JSON only when at least half of its
 * non-null values parse: a few `{"enabled":"N"}` among settings written as
 * `[preferredNameInitial][surname]` (GibbonEdu) make a text column, not a
 * JSON one whose other values are broken.
 */
function carriesJson(valid: number, nonNull: number): boolean {
  return valid > 0 && valid * 2 >= nonNull;
}

/** The tables and text columns to check: JSON-named ones (every value), and the others' JSON-looking values. */
function wantedOf(ctx: RuleContext): { table: Table; requests: ValueRequest[] }[] {
  const jsonNames = stringList(ctx.options.jsonColumns, JSON_NAMES);
  const sensitive = [...PASSWORD_NAMES, ...SECRET_NAMES, ...CIPHER_NAMES];
  const wanted: { table: Table; requests: ValueRequest[] }[] = [];
  for (const t of dataTables(ctx.catalog)) {
    const requests: ValueRequest[] = [];
    for (const c of t.columns) {
      if (!isTextColumn(c) || c.generated || nameMatches(c.name, sensitive) || jsonEnforced(t, c)) continue;
      if (declaredJson(c, jsonNames)) requests.push({ column: c.name, filter: 'present' });
      else if (ctx.options.scanAllText !== false) requests.push({ column: c.name, filter: 'json-looking' });
    }
    if (requests.length) wanted.push({ table: t, requests });
  }
  return wanted;
}

/** The engine's own test that `expr` is valid JSON, or null where it needs setup (a helper function a read-only audit cannot create). */
function validJsonSql(ctx: RuleContext, expr: string): string | null {
  const test = findApplySupport(ctx.catalog.dialect)?.castable(expr, 'json', ctx.catalog.serverMajor);
  return test && !test.setup?.length ? test.sql : null;
}

/**
 * Full mode's probe of a column: invalid values counted with the engine's
 * own JSON test; where there is none (Postgres before 16), the standard CAST,
 * which fails the statement on the first bad value — the pass then runs it
 * alone, and a failure sends the column to be read value by value.
 */
function jsonProbe(ctx: RuleContext, t: Table, r: ValueRequest): PassProbe {
  const col = `src.${ctx.quoteIdent(r.column)}`;
  const pred = r.filter === 'present' ? `${col} IS NOT NULL` : jsonLookingSql(col);
  const valid = validJsonSql(ctx, col);
  if (valid) return { table: t, id: `json-invalid:${r.column}:${r.filter}`, sql: () => `COUNT(CASE WHEN ${pred} AND NOT (${valid}) THEN 1 END)` };
  return { table: t, id: `json-cast:${r.column}:${r.filter}`, sql: () => `COUNT(CASE WHEN ${pred} THEN CAST(${col} AS json) END)`, mayFail: true };
}

/** Full mode: reports what the pass found invalid; returns the columns the engine could not validate (read value by value). */
async function validatedInPass(
  ctx: RuleContext,
  wanted: readonly { table: Table; requests: ValueRequest[] }[],
  report: (t: Table, r: ValueRequest, bad: number, checked: number, sampleKeys: unknown[], sampled: boolean) => void,
): Promise<{ table: Table; requests: ValueRequest[] }[]> {
  const left: { table: Table; requests: ValueRequest[] }[] = [];
  const profiles = await tableProfiles(ctx, wanted.map((w) => w.table));
  for (const { table: t, requests } of wanted) {
    const p = profiles.get(t.path);
    if (!p) continue;
    const unread: ValueRequest[] = [];
    for (const r of requests) {
      const probe = jsonProbe(ctx, t, r);
      const got = await passCounts(ctx, t, [probe]);
      if (!got) continue;
      const v = got.values.get(probe.id);
      if (probe.mayFail) {
        if (v === null) unread.push(r); // some value failed the cast: find which, value by value
        continue;
      }
      const bad = num(v);
      const checked = (r.filter === 'present' ? p.nonNull.get(r.column) : p.jsonLooking.get(r.column)) ?? 0;
      if (bad === 0 || (r.filter !== 'present' && !carriesJson(checked - bad, p.nonNull.get(r.column) ?? 0))) continue;
      const col = `src.${ctx.quoteIdent(r.column)}`;
      const pred = r.filter === 'present' ? `${col} IS NOT NULL` : jsonLookingSql(col);
      const keys = keyColumns(t).length
        ? await runQuery<Record<string, unknown>>(ctx, t.columns.find((x) => x.name === r.column)?.path ?? t.path, `SELECT ${selectKeys(ctx, t).join(', ')} FROM ${ctx.quoteQualified(t.schema, t.name)} src WHERE ${pred} AND NOT (${validJsonSql(ctx, col)})${orderByKey(ctx, t, 'src')} LIMIT ${SAMPLE_KEYS}`)
        : [];
      report(t, r, bad, checked, sampleKeysOf((keys ?? []).map((row) => ({ key: sampleKey(t, row) }))), false);
    }
    if (unread.length) left.push({ table: t, requests: unread });
  }
  return left;
}

export default defineRule({
  meta: {
    id: 'invalid-json-text',
    code: 'PLB104',
    title: 'Text column holding invalid JSON',
    category: 'integrity',
    severity: 'error',
    data: true,
    docs: {
      description:
        'A text column meant to hold JSON — named like it (`*_json`, `payload`, `metadata`, `data`, `settings`, `config`), commented as JSON, or at least half of whose non-null values are JSON — holds values that do not parse. Every reader that calls `JSON.parse` / `->>` on them fails at run time (seed 000: `core_events.payload`). Columns of a native JSON type are validated by the engine and not checked.',
      bad: `CREATE TABLE core_events (id int PRIMARY KEY, payload text NOT NULL);
INSERT INTO core_events VALUES (1, '{"gauge": 7, "event": "checkout"}'), (2, '{"gauge": 8, "event": '), (3, 'checkout gauge 9');`,
      good: `CREATE TABLE core_events (id int PRIMARY KEY, payload text NOT NULL);
INSERT INTO core_events VALUES (1, '{"gauge": 7, "event": "checkout"}'), (2, '{"gauge": 8, "event": "return"}'), (3, '"checkout gauge 9"');`,
      remediation:
        'Repair or null the rows listed in the sample keys, then let the engine validate: on Postgres change the type (`ALTER TABLE t ALTER COLUMN payload TYPE jsonb USING payload::jsonb`), on MySQL/MariaDB use `JSON` or add `CHECK (JSON_VALID(payload))`, on SQLite add `CHECK (json_valid(payload))`.',
    },
    options: { jsonColumns: JSON_NAMES, scanAllText: true, maxFetch: DEFAULT_FETCH_LIMIT },
  },
  probes: (ctx) => wantedOf(ctx).flatMap((w) => [...profileProbes(ctx, w.table), ...w.requests.map((r) => jsonProbe(ctx, w.table, r))]),
  async check(ctx) {
    const wanted = wantedOf(ctx);
    const jsonNames = stringList(ctx.options.jsonColumns, JSON_NAMES);
    const report = (t: Table, r: ValueRequest, bad: number, checked: number, sampleKeys: unknown[], sampled: boolean) => {
      const named = r.filter === 'present';
      const c = t.columns.find((x) => x.name === r.column)!;
      ctx.report({
        path: c.path,
        message: `${bad} of ${checked} ${named ? '' : 'JSON-looking '}value${checked === 1 ? '' : 's'} checked in ${c.path} ${bad === 1 ? 'is' : 'are'} not valid JSON${sampled ? ' (sampled)' : ''}`,
        evidence: { invalid: bad, checked, reason: (named && declaredJson(c, jsonNames)) || 'column holds JSON values', sampleKeys },
        ...(sampled ? { sampled: true } : {}),
      });
    };
    // Full mode: the engine validates every value in the table's one pass; only what it cannot validate is read here.
    const fetch = ctx.dataMode === 'full' ? await validatedInPass(ctx, wanted, report) : wanted;
    const isBad = (r: ValueRequest, v: string) => (r.filter === 'present' ? !isJsonText(v) : startsLikeJson(v) && !isJsonText(v));
    const requestOf = (t: Table, column: string) => fetch.find((w) => w.table === t)!.requests.find((r) => r.column === column)!;
    // Only the invalid values are kept: full mode reads every value of the column.
    const keep = (t: Table, column: string, v: string | Uint8Array) => typeof v === 'string' && isBad(requestOf(t, column), v);
    const read = await fetchValuesMany(ctx, fetch, keep);
    // By content only, the share of values that parse needs every non-null value counted: the tables' profiles
    // (the same rows the values were read from; read once per audit, and only for tables with a candidate).
    const candidates = read.filter((tv) => tv.columns.some((cv) => cv.values.length && requestOf(tv.table, cv.column).filter !== 'present'));
    const profiles = candidates.length ? await tableProfiles(ctx, candidates.map((tv) => tv.table)) : new Map<string, TableProfile>();
    for (const { table: t, columns } of read) {
      for (const cv of columns) {
        const r = requestOf(t, cv.column);
        const bad = cv.values.filter((v): v is { key: SampleKey | null; value: string } => typeof v.value === 'string');
        if (!bad.length) continue;
        if (r.filter !== 'present') {
          // `[draft] call the supplier` opens like JSON: the column must demonstrably carry JSON.
          const p = profiles.get(t.path);
          if (!p || !cv.seen) continue;
          const looking = p.jsonLooking.get(cv.column) ?? cv.seen;
          const valid = ((cv.seen - bad.length) * Math.max(looking, cv.seen)) / cv.seen; // scaled up when the fetch stopped at its limit
          if (!carriesJson(valid, p.nonNull.get(cv.column) ?? 0)) continue;
        }
        report(t, r, bad.length, cv.seen, sampleKeysOf(bad), cv.sampled);
      }
    }
  },
});
