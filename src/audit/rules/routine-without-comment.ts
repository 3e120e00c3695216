// Functions and procedures with no comment (pg-index-health "functions without description"). Opt-in.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'routine-without-comment',
    code: 'PLB073',
    title: 'Function or procedure without a comment',
    category: 'design',
    severity: 'info',
    requires: ['routines', 'comments'],
    enabledByDefault: false,
    docs: {
      description:
        'Code inside the database is the easiest to forget: a `COMMENT ON FUNCTION` says what it is for and who calls it, next to the code. ' +
        'Off by default; enable it with `table-without-comment` when the schema is to be fully described.',
      bad: `CREATE FUNCTION cents(amount numeric) RETURNS bigint LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$ SELECT (amount * 100)::bigint $$;`,
      good: `CREATE FUNCTION cents(amount numeric) RETURNS bigint LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$ SELECT (amount * 100)::bigint $$;
COMMENT ON FUNCTION cents(numeric) IS 'Amount in currency units to integer cents, for the ledger.';`,
      remediation: 'COMMENT ON FUNCTION name(args) IS \'what it does, who calls it\'.',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      for (const r of s.routines) if (!r.comment) ctx.report({ path: r.path, message: `${r.kind} ${r.path} has no comment` });
    }
  },
});
