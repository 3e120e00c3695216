// Numbered columns (phone1, phone2, phone3): a list stored as columns, a first-normal-form smell.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'repeating-column-group',
    code: 'PLB051',
    title: 'Repeating group of numbered columns',
    category: 'design',
    severity: 'info',
    docs: {
      description:
        'Columns like `phone1, phone2, phone3` store a list in a fixed number of slots: the fourth phone has nowhere to go, and every query ' +
        'has to look in each slot. A child table (one row per value) is the usual fix.',
      bad: `CREATE TABLE suppliers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, phone1 text, phone2 text, phone3 text);`,
      good: `CREATE TABLE suppliers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, display_name text NOT NULL);
CREATE TABLE supplier_phones (supplier_id bigint NOT NULL REFERENCES suppliers (id), phone text NOT NULL, PRIMARY KEY (supplier_id, phone));`,
      remediation: 'Move the values to a child table with one row per value.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const groups = new Map<string, number[]>();
      for (const c of table.columns) {
        const m = /^(.*?[a-z])_?(\d+)$/i.exec(c.name);
        if (!m) continue;
        groups.set(m[1]!.toLowerCase(), [...(groups.get(m[1]!.toLowerCase()) ?? []), Number(m[2])]);
      }
      for (const [stem, nums] of [...groups.entries()].sort()) {
        const sorted = [...nums].sort((a, b) => a - b);
        if (sorted.length < 3 || !sorted.every((n, i) => i === 0 || n === sorted[i - 1]! + 1)) continue;
        ctx.report({
          path: table.path,
          key: stem,
          message: `${table.path} has numbered columns ${stem}${sorted[0]}…${stem}${sorted[sorted.length - 1]}: a list stored as columns`,
          evidence: { stem, numbers: sorted },
        });
      }
    }
  },
});
