// Write privileges granted to PUBLIC: every role that can connect may change the data.
import { defineRule } from '../rule.js';

const WRITES = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

export default defineRule({
  meta: {
    id: 'public-write-grant',
    code: 'PLB026',
    title: 'Write privileges granted to PUBLIC',
    category: 'security',
    severity: 'error',
    requires: ['grants'],
    docs: {
      description:
        '`GRANT INSERT/UPDATE/DELETE/TRUNCATE … TO PUBLIC` gives every current and future role the right to change the table — ' +
        'including reporting users and anything an extension creates. Grant writes to a named role instead.',
      bad: `CREATE TABLE price_list (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, price_cents bigint NOT NULL);
GRANT SELECT, UPDATE ON price_list TO PUBLIC;`,
      good: `CREATE TABLE price_list (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, price_cents bigint NOT NULL);
GRANT SELECT ON price_list TO PUBLIC;`,
      remediation: 'REVOKE the write privileges from PUBLIC and grant them to the application role that needs them.',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      for (const rel of [...s.tables, ...s.views]) {
        const g = rel.grants.find((x) => x.grantee.toUpperCase() === 'PUBLIC');
        const writes = (g?.privileges ?? []).map((p) => p.toUpperCase()).filter((p) => WRITES.includes(p)).sort();
        if (!writes.length) continue;
        ctx.report({
          path: rel.path,
          message: `PUBLIC may ${writes.join(', ')} on ${rel.path}`,
          evidence: { privileges: writes },
          fix: `REVOKE ${writes.join(', ')} ON ${ctx.quoteQualified(s.name, rel.name)} FROM PUBLIC;`,
        });
      }
    }
  },
});
