// PLB106: nullable columns that hold no NULL in a table with enough rows —
// the data says NOT NULL, the schema does not. One bounded COUNT query per
// table (COUNT(col) for every nullable column at once). Info only.
import { defineRule } from '../rule.js';
import { renderFix } from '../data/fix-sql.js';
import { SOFT_DELETE_NAMES, nameMatches } from '../data/names.js';
import type { Column, Table } from '../../catalog/types.js';
import { armWeight, dataTables, num, runBatched, sampleNote, scanSource, surelyBelow, type BatchArm } from '../data/sql.js';

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
  async check(ctx) {
    const minRows = Number(ctx.options.minRows ?? 100);
    const plans: { t: Table; cols: Column[]; sampled: boolean; sql: string }[] = [];
    for (const t of dataTables(ctx.catalog)) {
      if (surelyBelow(t, minRows)) continue;
      const cols = t.columns.filter((c) => c.nullable && !c.generated && !nameMatches(c.name, SOFT_DELETE_NAMES) && !t.primaryKey?.columns.includes(c.name));
      if (!cols.length) continue;
      const src = await scanSource(ctx, t, cols.map((c) => c.name));
      if (!src) continue;
      plans.push({ t, cols, sampled: src.sampled, sql: src.from });
    }
    // One row per table, padded to the widest table so the counts batch into few UNION ALL statements.
    const width = Math.max(0, ...plans.map((p) => p.cols.length));
    const arms: BatchArm[] = plans.map((p) => {
      const counts = Array.from({ length: width }, (_, i) => (p.cols[i] ? `COUNT(src.${ctx.quoteIdent(p.cols[i]!.name)})` : '0') + ` AS c${i}`);
      return { path: p.t.path, sql: `SELECT COUNT(*) AS n, ${counts.join(', ')} FROM ${p.sql}`, weight: armWeight(ctx, p.t, p.sampled) };
    });
    const results = await runBatched<Record<string, unknown>>(ctx, arms);
    plans.forEach((p, k) => {
      const row = results[k]?.[0];
      if (!row) return;
      const n = num(row.n);
      if (n < minRows) return;
      p.cols.forEach((c, i) => {
        if (num(row[`c${i}`]) !== n) return;
        const fix = renderFix(ctx, { kind: 'alterColumnNullability', path: c.path, table: { schema: p.t.schema, name: p.t.name }, before: c, after: { ...c, nullable: false } });
        ctx.report({
          path: c.path,
          message: `${c.path} is nullable but none of ${n} rows is NULL${sampleNote(p.sampled, ctx)}`,
          evidence: { rows: n, nulls: 0 },
          ...(fix && !p.sampled ? { fix } : {}),
          ...(p.sampled ? { sampled: true } : {}),
        });
      });
    });
  },
});
