// 32- and 16-bit surrogate keys (squawk prefer-bigint-over-int and
// prefer-bigint-over-smallint). Opt-in: sequence-near-exhaustion reports the
// ones actually running out.
import { defineRule } from '../rule.js';
import { column, integerMax, isPartition, tablesOf } from '../rule-helpers.js';

const NARROW = new Set(['int', 'smallint', 'mediumint', 'tinyint']);

export default defineRule({
  meta: {
    id: 'integer-primary-key',
    code: 'PLB074',
    title: 'Generated key narrower than bigint',
    category: 'design',
    severity: 'info',
    // SQLite stores every INTEGER in up to 8 bytes: its keys cannot be narrower than bigint.
    dialects: ['postgres', 'mysql'],
    enabledByDefault: false,
    docs: {
      description:
        'An `integer` key fed by a sequence, identity or AUTO_INCREMENT stops at 2,147,483,647 (a `smallint` at 32,767), and widening it ' +
        'later rewrites the table and every table that references it. `bigint` costs four bytes more per row. Only generated single-column ' +
        'primary keys are reported (natural codes are sized by their domain). Off by default: `sequence-near-exhaustion` reports the keys ' +
        'actually running out; enable this one to hold new tables to bigint.',
      bad: `CREATE TABLE clicks (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, url text NOT NULL);`,
      good: `CREATE TABLE clicks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, url text NOT NULL);`,
      remediation: 'Use bigint for new keys; widen an existing one in a planned migration (it rewrites the table and the referencing columns).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.primaryKey?.columns.length !== 1) continue;
      const c = column(table, table.primaryKey.columns[0]!);
      if (!c || !NARROW.has(c.type.kind)) continue;
      const generated = c.identity !== null || c.autoIncrement || /nextval\(/i.test(c.default ?? '');
      if (!generated) continue;
      const max = integerMax(c.type.kind)!;
      ctx.report({ path: c.path, message: `generated key ${c.path} is ${c.type.raw}: it runs out at ${(c.type.unsigned ? max * 2n + 1n : max).toLocaleString('en-US')}`, evidence: { type: c.type.raw } });
    }
  },
});
