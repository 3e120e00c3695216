// Soft-deleted rows still hold their unique values: a deleted customer's email
// can never be registered again unless the unique index excludes deleted rows.
import { defineRule } from '../rule.js';
import { isPartition, stringList, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'soft-delete-unique-ignores-deleted',
    code: 'PLB007',
    title: 'Unique constraint ignores the soft-delete column',
    category: 'integrity',
    severity: 'warning',
    options: { softDeleteColumns: ['deleted_at', 'is_deleted', 'deleted', 'archived_at'] },
    docs: {
      description:
        'With a soft-delete column (`deleted_at`, `is_deleted`), a plain UNIQUE constraint keeps counting deleted rows: ' +
        'a value that was "deleted" cannot be reused, and restoring rows can collide. Make the uniqueness partial (`WHERE deleted_at IS NULL`) ' +
        'or include the soft-delete column deliberately.',
      bad: `CREATE TABLE customers (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email      text NOT NULL UNIQUE,
  deleted_at timestamptz
);`,
      good: `CREATE TABLE customers (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email      text NOT NULL,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX customers_email_live_key ON customers (email) WHERE deleted_at IS NULL;`,
      remediation: 'Replace the constraint with a partial unique index `… WHERE deleted_at IS NULL` (build it concurrently, then drop the old constraint).',
    },
  },
  check(ctx) {
    const names = stringList(ctx.options.softDeleteColumns);
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const soft = table.columns.find((c) => names.includes(c.name));
      if (!soft) continue;
      const mentions = (s: string | null) => !!s && s.includes(soft.name);
      const seen = new Set<string>();
      for (const ix of table.indexes) {
        if (!ix.unique || ix.primary) continue;
        seen.add(ix.constraint ?? ix.name);
        if (mentions(ix.predicate) || ix.elements.some((e) => e.column === soft.name || mentions(e.expression ?? null))) continue;
        const cols = ix.elements.map((e) => e.column ?? e.expression).join(', ');
        ctx.report({
          path: ix.path,
          message: `unique ${ix.constraint ? 'constraint' : 'index'} ${ix.constraint ?? ix.name} on ${table.path} (${cols}) also counts rows soft-deleted through ${soft.name}`,
          evidence: { softDeleteColumn: soft.name, columns: ix.elements.map((e) => e.column ?? e.expression) },
        });
      }
      for (const u of table.uniques) {
        if (seen.has(u.name) || u.columns.includes(soft.name)) continue;
        ctx.report({ path: u.path, message: `unique constraint ${u.name} on ${table.path} (${u.columns.join(', ')}) also counts rows soft-deleted through ${soft.name}`, evidence: { softDeleteColumn: soft.name, columns: u.columns } });
      }
    }
  },
});
