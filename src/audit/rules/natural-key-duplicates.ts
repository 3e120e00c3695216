// PLB103: duplicate values in a natural-key column (email, code, slug,
// username, sku, key) that no unique constraint protects. Case-insensitive for
// emails and usernames; soft-deleted rows ignored. Reports counts and row
// keys, never the duplicated values (they are often personal data).
import type { Column, Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { CASE_INSENSITIVE_KEYS, NATURAL_KEY_NAMES, isTextColumn, nameMatches, softDeleteColumn } from '../data/names.js';
import { armWeight, capabilitiesOf, dataTables, GROUPING_ARMS, keyColumns, keySignature, num, runBatched, runBatchedBy, SAMPLE_KEYS, sampleKey, sampleKeysOf, sampleNote, scanSource, selectKeys, type SampleKey, type ScanSource } from '../data/sql.js';

/** True when some unique key, unique index or the primary key includes the column (a per-tenant unique counts). */
function isUniqueSomewhere(t: Table, c: Column): boolean {
  if (t.primaryKey?.columns.includes(c.name)) return true;
  if (t.uniques.some((u) => u.columns.includes(c.name))) return true;
  const word = new RegExp(`(^|[^a-z0-9_])"?${c.name.toLowerCase()}"?([^a-z0-9_]|$)`);
  return t.indexes.some((ix) => ix.unique && ix.elements.some((e) => e.column === c.name || (e.expression !== undefined && word.test(e.expression.toLowerCase()))));
}

export default defineRule({
  meta: {
    id: 'natural-key-duplicates',
    code: 'PLB103',
    title: 'Duplicates on a natural key without a unique constraint',
    category: 'integrity',
    severity: 'warning',
    data: true,
    docs: {
      description:
        'A column that identifies things to people (`email`, `code`, `slug`, `username`, `sku`, `key`) has no unique constraint, and the data already holds duplicates. Logins, lookups by code and URL routing then pick an arbitrary row. Emails and usernames are compared case-insensitively; rows with a soft-delete column (`deleted_at`) set are ignored. A column that is part of any unique key (e.g. unique per tenant) is not checked.',
      bad: `CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL, deleted_at timestamptz);
INSERT INTO users VALUES (1, 'ana@example.com', NULL), (2, 'Ana@Example.com', NULL), (3, 'bo@example.com', NULL);`,
      good: `CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL, deleted_at timestamptz);
INSERT INTO users VALUES (1, 'ana@example.com', '2024-01-01'), (2, 'Ana@Example.com', NULL), (3, 'bo@example.com', NULL);`,
      remediation:
        'Merge or delete the duplicate rows (the sample keys show some), then add a unique constraint — on `lower(email)` where the engine has expression indexes, and only over live rows (`WHERE deleted_at IS NULL`) where it has partial indexes.',
    },
    options: { columns: NATURAL_KEY_NAMES, caseInsensitive: CASE_INSENSITIVE_KEYS },
  },
  async check(ctx) {
    const names = stringList(ctx.options.columns, NATURAL_KEY_NAMES);
    const ci = stringList(ctx.options.caseInsensitive, CASE_INSENSITIVE_KEYS);
    const caps = capabilitiesOf(ctx);
    interface Plan {
      t: Table;
      c: Column;
      lower: boolean;
      deleted: Column | undefined;
      src: ScanSource;
      exprOf: (alias: string) => string;
      liveOf: (alias: string) => string;
    }
    const plans: Plan[] = [];
    for (const t of dataTables(ctx.catalog)) {
      const deleted = softDeleteColumn(t.columns);
      for (const c of t.columns) {
        if (!nameMatches(c.name, names) || isUniqueSomewhere(t, c) || c.type.kind === 'json' || c.type.kind === 'jsonb') continue;
        const lower = isTextColumn(c) && nameMatches(c.name, ci);
        const src = await scanSource(ctx, t, deleted ? [c.name, deleted.name] : [c.name]);
        if (!src) continue;
        const exprOf = (alias: string) => (lower ? `LOWER(${alias}.${ctx.quoteIdent(c.name)})` : `${alias}.${ctx.quoteIdent(c.name)}`);
        const liveOf = (alias: string) => `${alias}.${ctx.quoteIdent(c.name)} IS NOT NULL${deleted ? ` AND ${alias}.${ctx.quoteIdent(deleted.name)} IS NULL` : ''}`;
        plans.push({ t, c, lower, deleted, src, exprOf, liveOf });
      }
    }
    // A column of a table with a key is read once: its duplicated rows, numbered per value, carry the
    // totals (window aggregates over them) and the sample keys of the largest groups (the value itself
    // is never selected). A table without a key gets the totals alone, from a grouping.
    const keyed = plans.filter((p) => keyColumns(p.t).length > 0);
    const unkeyed = plans.filter((p) => keyColumns(p.t).length === 0);
    const groupsOf = (p: Plan, alias: string) => `SELECT ${p.exprOf(alias)} AS v, COUNT(*) AS n FROM ${p.src.expr} ${alias} WHERE ${p.liveOf(alias)} GROUP BY ${p.exprOf(alias)} HAVING COUNT(*) > 1`;
    const totals = await runBatched<{ g: unknown; r: unknown; m: unknown }>(
      ctx,
      unkeyed.map((p) => ({ path: p.c.path, sql: `SELECT COUNT(*) AS g, SUM(d.n) AS r, MAX(d.n) AS m FROM (${groupsOf(p, 'src')}) d`, weight: armWeight(ctx, p.t, p.src.sampled) })),
      { maxArms: GROUPING_ARMS },
    );
    const keyRows = await runBatchedBy<Record<string, unknown>>(
      ctx,
      keyed.map((p) => {
        const keys = keyColumns(p.t).map((_, i) => `k${i}`);
        if (ctx.dataMode === 'full') {
          // Every row: one grouped aggregate (GROUP BY … HAVING COUNT(*) > 1) carries the totals and the
          // largest groups; the rows of those few groups give the sample keys (values stay in the engine).
          const top = `SELECT d.v, d.n, COUNT(*) OVER () AS g, SUM(d.n) OVER () AS r, MAX(d.n) OVER () AS m FROM (${groupsOf(p, 'src')}) d ORDER BY d.n DESC, d.v LIMIT ${SAMPLE_KEYS}`;
          return {
            path: p.c.path,
            sql: `SELECT ${selectKeys(ctx, p.t, 's2').join(', ')}, top.g, top.r, top.m FROM ${p.src.expr} s2 JOIN (${top}) top ON ${p.exprOf('s2')} = top.v WHERE ${p.liveOf('s2')} ORDER BY top.n DESC, top.v, ${keys.join(', ')} LIMIT ${SAMPLE_KEYS}`,
            weight: armWeight(ctx, p.t, false),
            signature: keySignature(p.t),
          };
        }
        const rows = `SELECT ${selectKeys(ctx, p.t, 's2').join(', ')}, ${p.exprOf('s2')} AS v, COUNT(*) OVER (PARTITION BY ${p.exprOf('s2')}) AS n, ROW_NUMBER() OVER (PARTITION BY ${p.exprOf('s2')}) AS rn FROM ${p.src.expr} s2 WHERE ${p.liveOf('s2')}`;
        const dups = `SELECT ${keys.map((k) => `w.${k}`).join(', ')}, w.v, w.n, SUM(CASE WHEN w.rn = 1 THEN 1 ELSE 0 END) OVER () AS g, COUNT(*) OVER () AS r, MAX(w.n) OVER () AS m FROM (${rows}) w WHERE w.n > 1`;
        return {
          path: p.c.path,
          sql: `SELECT ${keys.map((k) => `d.${k}`).join(', ')}, d.g, d.r, d.m FROM (${dups}) d ORDER BY d.n DESC, d.v, ${keys.map((k) => `d.${k}`).join(', ')} LIMIT ${SAMPLE_KEYS}`,
          weight: armWeight(ctx, p.t, p.src.sampled),
          signature: keySignature(p.t),
        };
      }),
      { maxArms: GROUPING_ARMS },
    );
    const dup = [
      ...unkeyed.map((p, i) => ({ p, row: totals[i]?.[0], sampleKeys: [] as SampleKey[] })),
      ...keyed.map((p, i) => ({ p, row: keyRows[i]?.[0], sampleKeys: sampleKeysOf((keyRows[i] ?? []).map((r) => ({ key: sampleKey(p.t, r) }))) })),
    ].filter((x) => x.row && num(x.row.g) > 0);
    for (const { p, row, sampleKeys } of dup) {
      const g = num(row!.g);
      const table = ctx.quoteQualified(p.t.schema, p.t.name);
      const ixName = ctx.quoteIdent(`${p.t.name}_${p.c.name}_key`);
      const target = p.lower && caps?.expressionIndexes ? `((LOWER(${ctx.quoteIdent(p.c.name)})))` : `(${ctx.quoteIdent(p.c.name)})`;
      const where = p.deleted && caps?.partialIndexes ? ` WHERE ${ctx.quoteIdent(p.deleted.name)} IS NULL` : '';
      ctx.report({
        path: p.c.path,
        message: `${g} ${p.lower ? 'case-insensitive ' : ''}value${g === 1 ? '' : 's'} of ${p.c.path} occur${g === 1 ? 's' : ''} more than once (${num(row!.r)} rows${p.deleted ? ', soft-deleted rows ignored' : ''}) and no unique constraint prevents it${sampleNote(p.src.sampled, ctx, p.t)}`,
        evidence: { duplicateValues: g, rowsInvolved: num(row!.r), largestGroup: num(row!.m), caseInsensitive: p.lower, ignoresSoftDeleted: p.deleted?.name ?? null, sampleKeys },
        fix: `-- merge or delete the duplicate rows first\nCREATE UNIQUE INDEX ${ixName} ON ${table} ${target}${where};`,
        ...(p.src.sampled ? { sampled: true } : {}),
      });
    }
  },
});
