// Names that can only be written quoted (SchemaCrawler "spaces in name",
// pg-index-health "objects/columns not following naming convention"): every
// query, tool and ORM must quote them, and one that forgets fails.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

/**
 * Letters, digits, underscores and `$`: what every engine accepts unquoted. A leading digit is not
 * reported: MySQL accepts `2fa_codes` unquoted, Postgres does not, and the rule says the same on both.
 */
const PLAIN = /^[A-Za-z0-9_$]*[A-Za-z_$][A-Za-z0-9_$]*$/;

export default defineRule({
  meta: {
    id: 'identifier-needs-quoting',
    code: 'PLB071',
    title: 'Identifier that must always be quoted',
    category: 'design',
    severity: 'info',
    docs: {
      description:
        'A table, view or column whose name holds a space, a hyphen, a dot or another character outside letters, digits and underscore ' +
        'can only be written quoted — `"order items"`, `` `e-mail` `` — in every query, migration, report and ORM ' +
        'mapping, and a tool that forgets the quotes fails or, worse, parses `e-mail` as a subtraction. Reserved words are ' +
        '`reserved-word-identifier`\'s; letter case is `mixed-naming-convention`\'s. Reported once per table or view, listing its ' +
        'columns that need quoting.',
      bad: `CREATE TABLE "order items" (id bigint PRIMARY KEY, "unit-price" numeric(10,2) NOT NULL);`,
      good: `CREATE TABLE order_items (id bigint PRIMARY KEY, unit_price numeric(10,2) NOT NULL);`,
      remediation: 'Rename to letters, digits and underscores (declare `renamedFrom` in the spec so the plan renames instead of recreating).',
    },
  },
  check(ctx) {
    const names = (xs: string[]) => xs.map((x) => JSON.stringify(x)).join(', ');
    const report = (path: string, kind: string, name: string, columns: string[]) => {
      const own = PLAIN.test(name) ? '' : `${kind} name ${JSON.stringify(name)}`;
      const cols = columns.length ? `${columns.length > 1 ? 'columns' : 'column'} ${names(columns)}${own ? '' : ` of ${path}`}` : '';
      ctx.report({
        path,
        message: `${[own, cols].filter(Boolean).join(' and ')} ${own && cols ? 'have' : columns.length > 1 ? 'have' : 'has'} characters that must always be quoted`,
        evidence: { kind, ...(own ? { name } : {}), columns },
      });
    };
    for (const s of ctx.catalog.schemas) {
      for (const v of s.views) {
        const cols = v.columns.map((c) => c.name).filter((c) => !PLAIN.test(c));
        if (!PLAIN.test(v.name) || cols.length) report(v.path, 'view', v.name, cols);
      }
    }
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const cols = table.columns.map((c) => c.name).filter((c) => !PLAIN.test(c));
      if (!PLAIN.test(table.name) || cols.length) report(table.path, 'table', table.name, cols);
    }
  },
});
