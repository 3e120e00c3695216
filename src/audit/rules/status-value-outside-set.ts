// PLB105: status-like text columns (status, state, *_status, type, *_type,
// kind) holding values outside the set a CHECK or enum declares for that
// column name, or — with nothing declared — rare outliers among few values.
// One bounded GROUP BY per column; status values are reported (not secrets).
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { declaredSet, type DeclaredSet } from '../data/declared-sets.js';
import { STATUS_NAMES, isTextColumn, nameMatches } from '../data/names.js';
import type { Column, Table } from '../../catalog/types.js';
import { passCounts, type PassProbe } from '../data/table-pass.js';
import type { RuleContext } from '../rule.js';
import { armWeight, dataTables, GROUPING_ARMS, keyColumns, num, orderByKey, placeholder, runBatched, runQuery, SAMPLE_KEYS, sampleKey, sampleNote, scanSource, selectKeys, surelyBelow, type ScanSource } from '../data/sql.js';

const MAX_GROUPS = 200;

/** Status-like text columns to look at, with the set declared for each (null: none, look for rare outliers). */
function targetsOf(ctx: RuleContext): { t: Table; c: Column; set: DeclaredSet | null }[] {
  const names = stringList(ctx.options.columns, STATUS_NAMES);
  const minRows = Number(ctx.options.minRows ?? 100);
  const out: { t: Table; c: Column; set: DeclaredSet | null }[] = [];
  for (const t of dataTables(ctx.catalog)) {
    for (const c of t.columns) {
      if (!isTextColumn(c) || !nameMatches(c.name, names)) continue;
      const set = declaredSet(ctx.catalog, t, c);
      if (set?.enforcedHere) continue;
      if (!set && surelyBelow(t, minRows)) continue;
      out.push({ t, c, set });
    }
  }
  return out;
}

/**
 * Full mode: rows outside a declared set, as a probe of the table's one pass
 * (the grouping that lists the values runs only when there are some). None
 * for a value with a backslash, which MySQL would read as an escape.
 */
function outsideProbe(ctx: RuleContext, t: Table, c: Column, set: DeclaredSet): PassProbe | null {
  if (!set.values.length || set.values.some((v) => v.includes('\\'))) return null;
  const col = `src.${ctx.quoteIdent(c.name)}`;
  const list = set.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  return { table: t, id: `outside:${c.name}:${JSON.stringify(set.values)}`, sql: () => `COUNT(CASE WHEN ${col} IS NOT NULL AND ${col} NOT IN (${list}) THEN 1 END)` };
}

export default defineRule({
  meta: {
    id: 'status-value-outside-set',
    code: 'PLB105',
    title: 'Status value outside the declared set',
    category: 'integrity',
    severity: 'warning',
    data: true,
    docs: {
      description:
        'A status-like text column (`status`, `state`, `*_status`, `type`, `*_type`, `kind`) holds values outside the set declared for it: by a CHECK `IN (…)` on it (NOT VALID), an enum type named after it (`gauge_status`), or the same-named column of another table (enum-typed or checked). State machines then meet states they do not know (seed 000: `pending_unseal`). When nothing declares a set, values used by fewer than 1% of rows of a column with few distinct values are reported as outliers (info).',
      bad: `CREATE TYPE gauge_status AS ENUM ('available', 'checked_out', 'retired');
CREATE TABLE gauges (id int PRIMARY KEY, status varchar(30) NOT NULL);
INSERT INTO gauges VALUES (1, 'available'), (2, 'checked_out'), (3, 'pending_unseal');`,
      good: `CREATE TYPE gauge_status AS ENUM ('available', 'checked_out', 'retired');
CREATE TABLE gauges (id int PRIMARY KEY, status varchar(30) NOT NULL);
INSERT INTO gauges VALUES (1, 'available'), (2, 'checked_out'), (3, 'retired');`,
      remediation:
        'Map each unknown value to a declared one (or add it to the set deliberately), then make the engine enforce the set: a CHECK constraint, or the enum type itself.',
    },
    options: { columns: STATUS_NAMES, minRows: 100, maxDistinct: 20, rareShare: 0.01 },
  },
  probes: (ctx) => targetsOf(ctx).flatMap(({ t, c, set }) => (set ? (outsideProbe(ctx, t, c, set) ?? []) : [])),
  async check(ctx) {
    const minRows = Number(ctx.options.minRows ?? 100);
    const maxDistinct = Number(ctx.options.maxDistinct ?? 20);
    const rareShare = Number(ctx.options.rareShare ?? 0.01);
    const plans: { t: Table; c: Column; set: DeclaredSet | null; src: ScanSource }[] = [];
    for (const { t, c, set } of targetsOf(ctx)) {
      const probe = ctx.dataMode === 'full' && set ? outsideProbe(ctx, t, c, set) : null;
      if (probe) {
        // Every row was counted in the table's one pass: nothing outside the set, nothing to group.
        const got = await passCounts(ctx, t, [probe]);
        if (!got || num(got.values.get(probe.id)) === 0) continue;
      }
      const src = await scanSource(ctx, t, [c.name]);
      if (src) plans.push({ t, c, set, src });
    }
    const grouped = await runBatched<{ v: unknown; n: unknown }>(
      ctx,
      plans.map(({ t, c, src }) => {
        const col = `src.${ctx.quoteIdent(c.name)}`;
        return { path: c.path, sql: `SELECT ${col} AS v, COUNT(*) AS n FROM ${src.from} WHERE ${col} IS NOT NULL GROUP BY ${col} ORDER BY COUNT(*) DESC, ${col} LIMIT ${MAX_GROUPS + 1}`, weight: armWeight(ctx, t, src.sampled) };
      }),
      { maxArms: GROUPING_ARMS },
    );
    for (const [k, { t, c, set, src }] of plans.entries()) {
      const col = `src.${ctx.quoteIdent(c.name)}`;
      // Batched arms lose their inner order: restore it (most used first, then by value).
      const groups = grouped[k]?.slice().sort((a, b) => num(b.n) - num(a.n) || (String(a.v) < String(b.v) ? -1 : 1));
      if (!groups?.length) continue;
      const counts = groups.slice(0, MAX_GROUPS).map((g) => ({ value: String(g.v), rows: num(g.n) }));
      const total = counts.reduce((a, g) => a + g.rows, 0);
      let outside: { value: string; rows: number }[];
      let rare = false;
      if (set) {
        const allowed = new Set(set.values);
        outside = counts.filter((g) => !allowed.has(g.value));
      } else {
        if (groups.length > maxDistinct || total < minRows) continue;
        outside = counts.filter((g) => g.rows / total < rareShare);
        rare = true;
      }
      if (!outside.length) continue;
      const rows = outside.reduce((a, g) => a + g.rows, 0);
      const shown = outside.slice(0, SAMPLE_KEYS);
      let sampleKeys: unknown[] = [];
      if (keyColumns(t).length) {
        const marks = shown.map((_, i) => placeholder(ctx, i + 1)).join(', ');
        const keyRows = await runQuery<Record<string, unknown>>(ctx, c.path, `SELECT ${selectKeys(ctx, t).join(', ')} FROM ${src.from} WHERE ${col} IN (${marks})${orderByKey(ctx, t, 'src')} LIMIT ${SAMPLE_KEYS}`, shown.map((g) => g.value));
        sampleKeys = keyRows ? keyRows.map((r) => sampleKey(t, r)) : [];
      }
      const list = shown.map((g) => `'${g.value}' (${g.rows})`).join(', ');
      ctx.report({
        path: c.path,
        message: rare
          ? `${c.path} has rare value${outside.length === 1 ? '' : 's'} used by under ${rareShare * 100}% of ${total} rows: ${list}${sampleNote(src.sampled, ctx, t)}`
          : `${rows} row${rows === 1 ? '' : 's'} of ${t.path} ha${rows === 1 ? 's' : 've'} a ${c.name} outside the set declared by ${set!.source}: ${list}${sampleNote(src.sampled, ctx, t)}`,
        evidence: {
          rows,
          outside: shown,
          ...(set ? { declaredBy: set.source, declared: set.values } : { distinctValues: counts.length, totalRows: total }),
          sampleKeys,
        },
        ...(rare ? { severity: 'info' as const } : {}),
        ...(set ? { fix: `-- map the unknown values to declared ones first\nALTER TABLE ${ctx.quoteQualified(t.schema, t.name)} ADD CONSTRAINT ${ctx.quoteIdent(`${t.name}_${c.name}_check`)} CHECK (${ctx.quoteIdent(c.name)} IN (${set.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}));` } : {}),
        ...(src.sampled ? { sampled: true } : {}),
      });
    }
  },
});
