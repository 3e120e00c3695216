// time with time zone columns (pg-index-health "columns with timetz"; the
// Postgres wiki's "Don't use timetz"): an offset without a date cannot
// follow daylight saving, so the value is ambiguous.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'timetz-column',
    code: 'PLB070',
    title: 'time with time zone column',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        '`time with time zone` stores a time of day with a fixed UTC offset but no date, so it cannot say which offset a zone has on the ' +
        'day it is used (daylight saving): 09:00+01 is a different local time in summer. The Postgres documentation keeps it only for SQL ' +
        'compliance and recommends against it. Store a `timestamptz`, or a `time` plus the zone name.',
      bad: `CREATE TABLE store_hours (id bigint PRIMARY KEY, opens_at timetz NOT NULL);`,
      good: `CREATE TABLE store_hours (id bigint PRIMARY KEY, opens_at time NOT NULL, time_zone text NOT NULL);`,
      remediation: 'Convert to `time` plus a zone name column (or to `timestamptz` if the values are instants), and adapt the code that reads them.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        if (c.type.kind !== 'timetz' && c.type.element?.kind !== 'timetz') continue;
        ctx.report({ path: c.path, message: `${c.path} is ${c.type.raw}: a UTC offset without a date cannot follow daylight saving`, evidence: { type: c.type.raw } });
      }
    }
  },
});
