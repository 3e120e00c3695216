// varchar(n) columns on Postgres (schemalint prefer-text-to-varchar, squawk
// prefer-text-field, pg-index-health "columns with fixed length varchar").
// Opt-in: a length limit is sometimes the rule the data must follow.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'varchar-instead-of-text',
    code: 'PLB079',
    title: 'varchar(n) where text would do',
    category: 'design',
    severity: 'info',
    dialects: ['postgres'],
    enabledByDefault: false,
    docs: {
      description:
        'On Postgres `varchar(n)` is `text` plus a length check: no faster, no smaller. The arbitrary limit (255 is the usual one) rejects ' +
        'the first longer value at run time, and raising it later takes a lock on the table (lowering it rewrites it). Prefer `text`, with ' +
        'a `CHECK (char_length(col) <= n)` where the limit is a real rule. Off by default (a varchar with a deliberate limit is fine); ' +
        '`varchar-values-at-limit` reports the limits data is already hitting.',
      bad: `CREATE TABLE contacts (id bigint PRIMARY KEY, display_name varchar(255) NOT NULL);`,
      good: `CREATE TABLE contacts (id bigint PRIMARY KEY, display_name text NOT NULL CHECK (char_length(display_name) <= 200));`,
      remediation: '`ALTER TABLE … ALTER COLUMN … TYPE text` (no rewrite), adding a CHECK constraint where the limit matters.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        if (c.type.kind !== 'varchar' || c.type.length === undefined) continue;
        ctx.report({ path: c.path, message: `${c.path} is ${c.type.raw}: text with a CHECK does the same without the arbitrary limit`, evidence: { type: c.type.raw } });
      }
    }
  },
});
