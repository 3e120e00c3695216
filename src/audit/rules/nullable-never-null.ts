// PLB106: nullable columns that hold no NULL in a table with enough rows —
// the data says NOT NULL, the schema does not. The counts come from the
// shared table profile: one bounded scan per table (COUNT(col) for every
// nullable column at once). Info only.
import { defineRule } from '../rule.js';
import { renderFix } from '../data/fix-sql.js';
import { SOFT_DELETE_NAMES, nameMatches } from '../data/names.js';
import type { Column, Table } from '../../catalog/types.js';
import { dataTables, sampleNote, surelyBelow } from '../data/sql.js';
import { profileProbes, tableProfiles } from '../data/table-profile.js';
import type { RuleContext } from '../rule.js';

/** Tables with enough rows (maybe) and the nullable columns to look at. */
function plansOf(ctx: RuleContext, minRows: number): { t: Table; cols: Column[] }[] {
  const plans: { t: Table; cols: Column[] }[] = [];
  for (const t of dataTables(ctx.catalog)) {
    if (surelyBelow(t, minRows)) continue;
    const cols = t.columns.filter((c) => c.nullable && !c.generated && !nameMatches(c.name, SOFT_DELETE_NAMES) && !t.primaryKey?.columns.includes(c.name));
    if (cols.length) plans.push({ t, cols });
  }
  return plans;
}

export default defineRule({
  meta: {
    id: 'nullable-never-null',
    code: 'PLB106',
    title: 'Nullable column that is never null',
    category: 'integrity',
    severity: 'info',
    data: true,
    docs: {
      description:
        'A column allows NULL but none of the table\'s rows (at least `minRows` of them) holds one. Either the column is required in practice and should say so — the engine then rejects the bad insert instead of a reader tripping over it later — or NULL has a meaning nobody has used yet. Soft-delete timestamps and generated columns are not reported.',
      bad: `CREATE TABLE customers (id int PRIMARY KEY, name varchar(100));
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 120) g;`,
      good: `CREATE TABLE customers (id int PRIMARY KEY, name varchar(100) NOT NULL);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 120) g;`,
      remediation: 'If the column is required, declare it NOT NULL (the `fix` is rendered for the audited engine; not offered when only a sample was read). If NULL is meaningful, document it in a column comment.',
    },
    options: { minRows: 100 },
  },
  probes: (ctx) => plansOf(ctx, Number(ctx.options.minRows ?? 100)).flatMap((p) => profileProbes(ctx, p.t)),
  async check(ctx) {
    const minRows = Number(ctx.options.minRows ?? 100);
    const plans = plansOf(ctx, minRows);
    // The counts come from the audit's shared table profile (one scan per table for several rules).
    const profiles = await tableProfiles(ctx, plans.map((p) => p.t));
    for (const { t, cols } of plans) {
      const p = profiles.get(t.path);
      if (!p || p.rows < minRows) continue;
      for (const c of cols) {
        if (p.nonNull.get(c.name) !== p.rows) continue;
        const fix = renderFix(ctx, { kind: 'alterColumnNullability', path: c.path, table: { schema: t.schema, name: t.name }, before: c, after: { ...c, nullable: false } });
        ctx.report({
          path: c.path,
          message: `${c.path} is nullable but none of ${p.rows} rows is NULL${sampleNote(p.sampled, ctx, t)}`,
          evidence: { rows: p.rows, nulls: 0 },
          ...(fix && !p.sampled ? { fix } : {}),
          ...(p.sampled ? { sampled: true } : {}),
        });
      }
    }
  },
});
