// PLB102: rows whose companion/parent/manager reference is the row itself
// (seed 000: gauges paired with themselves). Checks declared self-foreign
// keys and self-references implied by name. Bounded count; read-only.
import type { Catalog, Column, Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { nameMatches, typeFamily } from '../data/names.js';
import { impliedParent, singleKey } from '../data/relations.js';
import { passCounts, type PassProbe } from '../data/table-pass.js';
import type { RuleContext } from '../rule.js';
import { armWeight, dataTables, keyColumns, num, orderByKey, runBatched, runQuery, SAMPLE_KEYS, sampleKey, sampleKeysOf, sampleNote, scanSource, selectKeys, type ScanSource } from '../data/sql.js';

/** Words in a self-reference whose rows legitimately point at themselves (the root of a tree, the head of a thread). */
const ALLOW_SELF = ['*root*', '*thread*', '*canonical*', '*original*', '*origin*', '*head*', '*group*', '*family*', '*cluster*', '*conversation*', '*master*', '*primary*', '*tenant*'];
/** Names that mean "another row of the same table" even without a foreign key. */
const SELF_NAMES = ['parent_id', 'companion_id', 'partner_id', 'manager_id', 'supervisor_id', 'mentor_id', 'spouse_id', 'twin_id', 'pair_id', 'sibling_id', 'successor_id', 'predecessor_id', 'replaced_by_id', 'replacement_id', 'duplicate_of_id', 'merged_into_id', 'reports_to_id', 'reports_to'];

interface Target {
  column: Column;
  key: Column;
  declared: string | null;
}

function targets(catalog: Catalog, t: Table, allow: string[]): Target[] {
  const out: Target[] = [];
  const pk = singleKey(t);
  for (const fk of t.foreignKeys) {
    if (fk.columns.length !== 1 || fk.references.schema !== t.schema || fk.references.table !== t.name) continue;
    const column = t.columns.find((c) => c.name === fk.columns[0]);
    const key = t.columns.find((c) => c.name === fk.references.columns[0]);
    if (column && key && column !== key) out.push({ column, key, declared: fk.name });
  }
  if (!pk) return out;
  for (const column of t.columns) {
    if (column === pk || out.some((x) => x.column === column) || t.foreignKeys.some((fk) => fk.columns.includes(column.name))) continue;
    const implied = impliedParent(catalog, t, column);
    const self = implied?.table === t || (!implied && nameMatches(column.name, SELF_NAMES) && typeFamily(column) !== 'other' && typeFamily(column) === typeFamily(pk));
    if (self) out.push({ column, key: pk, declared: null });
  }
  return out.filter((x) => !nameMatches(x.column.name, allow));
}

/** Full mode's count of rows pointing at themselves through `x`, a probe of the table's one pass. */
function selfProbe(ctx: RuleContext, t: Table, x: Target): PassProbe {
  return { table: t, id: `self:${x.column.name}=${x.key.name}`, sql: () => `COUNT(CASE WHEN src.${ctx.quoteIdent(x.column.name)} = src.${ctx.quoteIdent(x.key.name)} THEN 1 END)` };
}

export default defineRule({
  meta: {
    id: 'self-referencing-rows',
    code: 'PLB102',
    title: 'Rows that reference themselves',
    category: 'integrity',
    severity: 'warning',
    data: true,
    docs: {
      description:
        'A self-reference (a foreign key to the same table, or a column like `companion_gauge_id` in `gauges`, `parent_id`, `manager_id`) whose value is the row\'s own key. A gauge cannot be its own companion, an employee not their own manager; such rows are loops that tree walks and pairing logic never leave. Names where pointing at oneself is a convention (root, thread, canonical, group…) are ignored (option `allowSelf`).',
      bad: `CREATE TABLE gauges (id int PRIMARY KEY, serial_no varchar(20) NOT NULL, companion_gauge_id int REFERENCES gauges (id));
INSERT INTO gauges VALUES (1, 'G-1', NULL), (2, 'G-2', 1), (3, 'G-3', 3);`,
      good: `CREATE TABLE gauges (id int PRIMARY KEY, serial_no varchar(20) NOT NULL, companion_gauge_id int REFERENCES gauges (id),
  CONSTRAINT chk_no_self_companion CHECK (companion_gauge_id IS NULL OR companion_gauge_id <> id));
INSERT INTO gauges VALUES (1, 'G-1', NULL), (2, 'G-2', 1), (3, 'G-3', 2);`,
      remediation: 'Clear the self-references (or point them at the intended row), then add a CHECK constraint so they cannot come back.',
    },
    options: { allowSelf: ALLOW_SELF },
  },
  probes: (ctx) => {
    const allow = stringList(ctx.options.allowSelf, ALLOW_SELF);
    return [...dataTables(ctx.catalog)].flatMap((t) => targets(ctx.catalog, t, allow).map((x) => selfProbe(ctx, t, x)));
  },
  async check(ctx) {
    const allow = stringList(ctx.options.allowSelf, ALLOW_SELF);
    const plans: { t: Table; x: Target; src: ScanSource; where: string }[] = [];
    for (const t of dataTables(ctx.catalog)) {
      for (const x of targets(ctx.catalog, t, allow)) {
        const src = await scanSource(ctx, t, [x.column.name, x.key.name]);
        if (src) plans.push({ t, x, src, where: `src.${ctx.quoteIdent(x.column.name)} = src.${ctx.quoteIdent(x.key.name)}` });
      }
    }
    const counts =
      ctx.dataMode === 'full'
        ? await Promise.all(
            plans.map(async ({ t, x }) => {
              const p = selfProbe(ctx, t, x);
              const got = await passCounts(ctx, t, [p]);
              return got ? [{ n: got.values.get(p.id) as unknown }] : null;
            }),
          )
        : await runBatched<{ n: unknown }>(
            ctx,
            plans.map(({ t, x, src, where }) => ({ path: x.column.path, sql: `SELECT COUNT(*) AS n FROM ${src.from} WHERE ${where}`, weight: armWeight(ctx, t, src.sampled) })),
          );
    for (const [i, { t, x, src, where }] of plans.entries()) {
      const n = num(counts[i]?.[0]?.n);
      if (n === 0) continue;
      const keys = keyColumns(t).length ? await runQuery<Record<string, unknown>>(ctx, x.column.path, `SELECT ${selectKeys(ctx, t).join(', ')} FROM ${src.from} WHERE ${where}${orderByKey(ctx, t, 'src')} LIMIT ${SAMPLE_KEYS}`) : null;
      const table = ctx.quoteQualified(t.schema, t.name);
      const c = ctx.quoteIdent(x.column.name);
      const k = ctx.quoteIdent(x.key.name);
      const cleanup = x.column.nullable ? `UPDATE ${table} SET ${c} = NULL WHERE ${c} = ${k};` : `-- ${x.column.name} is NOT NULL: point these rows at the intended row first`;
      ctx.report({
        path: x.column.path,
        message: `${n} row${n === 1 ? '' : 's'} of ${t.path} reference${n === 1 ? 's' : ''} ${n === 1 ? 'itself' : 'themselves'} through ${x.column.name}${sampleNote(src.sampled, ctx, t)}`,
        evidence: {
          rows: n,
          references: `${t.path}.${x.key.name}`,
          constraint: x.declared,
          sampleKeys: keys ? sampleKeysOf(keys.map((r) => ({ key: sampleKey(t, r) }))) : [],
        },
        fix: `${cleanup}\nALTER TABLE ${table} ADD CONSTRAINT ${ctx.quoteIdent(`chk_${t.name}_${x.column.name}_not_self`)} CHECK (${c} IS NULL OR ${c} <> ${k});`,
        ...(src.sampled ? { sampled: true } : {}),
      });
    }
  },
});
