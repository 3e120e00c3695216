// Triggers that exist but are disabled: whatever they enforced is not enforced.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'disabled-trigger',
    code: 'PLB047',
    title: 'Disabled trigger',
    category: 'design',
    severity: 'warning',
    requires: ['triggers'],
    docs: {
      description:
        'A trigger disabled for a bulk load and never re-enabled leaves its rule (an audit write, a guard, a derived column) silently off. ' +
        'Either enable it again or drop it so the schema says what really happens.',
      bad: `CREATE TABLE stock (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, quantity integer NOT NULL, touched_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION stock_touch() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN NEW.touched_at := now(); RETURN NEW; END $$;
COMMENT ON FUNCTION stock_touch() IS 'Keeps stock.touched_at current.';
CREATE TRIGGER stock_touch BEFORE UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION stock_touch();
ALTER TABLE stock DISABLE TRIGGER stock_touch;`,
      good: `CREATE TABLE stock (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, quantity integer NOT NULL, touched_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION stock_touch() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN NEW.touched_at := now(); RETURN NEW; END $$;
COMMENT ON FUNCTION stock_touch() IS 'Keeps stock.touched_at current.';
CREATE TRIGGER stock_touch BEFORE UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION stock_touch();`,
      remediation: 'ALTER TABLE … ENABLE TRIGGER …, or DROP TRIGGER if it is no longer wanted.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const t of table.triggers) {
        if (t.enabled) continue;
        ctx.report({
          path: t.path,
          message: `trigger ${t.name} on ${table.path} is disabled`,
          evidence: { timing: t.timing, events: t.events, function: t.function },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ENABLE TRIGGER ${ctx.quoteIdent(t.name)};`,
        });
      }
    }
  },
});
