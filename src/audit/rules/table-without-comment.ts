// Tables with no comment: the schema does not document itself. Opt-in.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'table-without-comment',
    code: 'PLB049',
    title: 'Table without a comment',
    category: 'design',
    severity: 'info',
    requires: ['comments'],
    enabledByDefault: false,
    docs: {
      description:
        'A `COMMENT ON TABLE` is the cheapest documentation there is: it travels with the schema, shows in every client and in `plumb inspect -f md`. ' +
        'Off by default (most schemas have none); enable it in plumb.config when you want every table described.',
      bad: `CREATE TABLE shifts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, starts_at timestamptz NOT NULL);`,
      good: `CREATE TABLE shifts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, starts_at timestamptz NOT NULL);
COMMENT ON TABLE shifts IS 'One work shift per row; rows are never deleted.';`,
      remediation: 'COMMENT ON TABLE … IS \'what one row means, who writes it\'.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || table.comment) continue;
      ctx.report({ path: table.path, message: `${table.path} has no comment` });
    }
  },
});
