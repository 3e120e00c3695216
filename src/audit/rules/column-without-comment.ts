// Columns with no comment (pg-index-health "columns without description"). Opt-in.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'column-without-comment',
    code: 'PLB072',
    title: 'Column without a comment',
    category: 'design',
    severity: 'info',
    requires: ['comments'],
    enabledByDefault: false,
    docs: {
      description:
        'A `COMMENT ON COLUMN` says what a value means (units, who sets it, what NULL means) where every client and `plumb inspect -f md` ' +
        'show it. Off by default, like `table-without-comment`: enable it when a schema is to be fully described. Columns of partitions are ' +
        'their parent\'s and are not reported.',
      bad: `CREATE TABLE meters (id bigint PRIMARY KEY, reading numeric(12,3) NOT NULL);
COMMENT ON COLUMN meters.id IS 'Meter serial number.';`,
      good: `CREATE TABLE meters (id bigint PRIMARY KEY, reading numeric(12,3) NOT NULL);
COMMENT ON COLUMN meters.id IS 'Meter serial number.';
COMMENT ON COLUMN meters.reading IS 'Cumulative reading in kWh, as read on site.';`,
      remediation: 'COMMENT ON COLUMN … IS \'meaning, unit, what NULL means\'.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) if (!c.comment) ctx.report({ path: c.path, message: `${c.path} has no comment` });
    }
  },
});
