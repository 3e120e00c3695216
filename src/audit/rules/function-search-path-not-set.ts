// Functions without a pinned search_path (splinter 0011): what an unqualified
// name inside them means depends on the caller's path. SECURITY DEFINER ones
// are security-definer-mutable-search-path's (an error); this is the rest.
import { defineRule } from '../rule.js';

const PINNED = /^search_path=/i;

export default defineRule({
  meta: {
    id: 'function-search-path-not-set',
    code: 'PLB056',
    title: 'Function without a fixed search_path',
    category: 'security',
    severity: 'info',
    dialects: ['postgres'],
    requires: ['routines'],
    docs: {
      description:
        'A function or procedure resolves every unqualified table, function and operator name through the *caller\'s* `search_path` at run ' +
        'time. The same trigger behaves differently for a session with another path, a role that can create objects in an earlier schema ' +
        'can shadow `now()` or a table the function writes, and a dump restored with `search_path = \'\'` breaks it. Supabase\'s splinter ' +
        'reports every such function. SECURITY DEFINER functions are reported at error by `security-definer-mutable-search-path`; this ' +
        'rule covers the others, at info, because they run with the caller\'s own rights. Functions that belong to an extension and ' +
        'C/internal functions are not reported.',
      bad: `CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
COMMENT ON FUNCTION touch_updated_at() IS 'Keeps orders.updated_at current.';
COMMENT ON TRIGGER orders_touch ON orders IS 'See touch_updated_at().';`,
      good: `CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
COMMENT ON FUNCTION touch_updated_at() IS 'Keeps orders.updated_at current.';
COMMENT ON TRIGGER orders_touch ON orders IS 'See touch_updated_at().';`,
      remediation:
        '`ALTER FUNCTION f(args) SET search_path = pg_catalog, pg_temp;` (or the schemas it needs, trusted ones only) and qualify the names it uses.',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      for (const r of s.routines) {
        if (r.securityDefiner || (r.kind !== 'function' && r.kind !== 'procedure')) continue;
        const lang = r.language.toLowerCase();
        if (lang === 'c' || lang === 'internal') continue;
        if (r.config.some((c) => PINNED.test(c.trim()))) continue;
        ctx.report({
          path: r.path,
          message: `${r.kind} ${r.path} has no SET search_path: the names in its body resolve through each caller's search_path`,
          evidence: { language: r.language },
          fix: `ALTER ${r.kind.toUpperCase()} ${ctx.quoteQualified(s.name, r.name)}(${r.signature}) SET search_path = pg_catalog, pg_temp;`,
        });
      }
    }
  },
});
