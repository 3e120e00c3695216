// The same foreign key declared twice: double the checking work on every write, no extra safety.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'duplicate-foreign-key',
    code: 'PLB008',
    title: 'Foreign key declared twice',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description: 'Two constraints with the same columns referencing the same columns. Typically left by a migration that re-added a constraint under a new name.',
      bad: `CREATE TABLE regions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL);
CREATE TABLE depots (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id bigint NOT NULL CONSTRAINT depots_region_fk REFERENCES regions (id)
);
ALTER TABLE depots ADD CONSTRAINT depots_region_id_fkey2 FOREIGN KEY (region_id) REFERENCES regions (id);
CREATE INDEX depots_region_id_idx ON depots (region_id);`,
      good: `CREATE TABLE regions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL);
CREATE TABLE depots (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_id bigint NOT NULL CONSTRAINT depots_region_fk REFERENCES regions (id)
);
CREATE INDEX depots_region_id_idx ON depots (region_id);`,
      remediation: 'Drop the extra constraint.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      const seen = new Map<string, string>();
      for (const fk of table.foreignKeys) {
        const sig = `${fk.columns.join(',')}>${fk.references.schema}.${fk.references.table}(${fk.references.columns.join(',')})`;
        const first = seen.get(sig);
        if (!first) {
          seen.set(sig, fk.name);
          continue;
        }
        ctx.report({
          path: fk.path,
          message: `foreign key ${fk.name} on ${table.path} duplicates ${first}`,
          evidence: { duplicateOf: first, columns: fk.columns },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} DROP CONSTRAINT ${ctx.quoteIdent(fk.name)};`,
        });
      }
    }
  },
});
