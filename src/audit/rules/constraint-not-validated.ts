// Constraints added NOT VALID and never validated: existing rows were never checked.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'constraint-not-validated',
    code: 'PLB004',
    title: 'Constraint added NOT VALID and never validated',
    category: 'integrity',
    severity: 'warning',
    requires: ['notValidConstraints'],
    docs: {
      description:
        '`ADD CONSTRAINT … NOT VALID` is the safe way to add a constraint online, but only half the job: until ' +
        '`VALIDATE CONSTRAINT` runs, rows that existed before are unchecked and the planner cannot trust the constraint.',
      bad: `CREATE TABLE shipments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, weight_kg numeric(8,2) NOT NULL);
ALTER TABLE shipments ADD CONSTRAINT shipments_weight_positive CHECK (weight_kg > 0) NOT VALID;`,
      good: `CREATE TABLE shipments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, weight_kg numeric(8,2) NOT NULL);
ALTER TABLE shipments ADD CONSTRAINT shipments_weight_positive CHECK (weight_kg > 0) NOT VALID;
ALTER TABLE shipments VALIDATE CONSTRAINT shipments_weight_positive;`,
      remediation: 'Fix the violating rows, then run `ALTER TABLE … VALIDATE CONSTRAINT …` (takes only a SHARE UPDATE EXCLUSIVE lock).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      const q = ctx.quoteQualified(table.schema, table.name);
      for (const c of [...table.foreignKeys, ...table.checks]) {
        if (c.validated) continue;
        ctx.report({
          path: c.path,
          message: `constraint ${c.name} on ${table.path} was added NOT VALID and never validated`,
          evidence: { kind: 'references' in c ? 'foreign key' : 'check' },
          fix: `ALTER TABLE ${q} VALIDATE CONSTRAINT ${ctx.quoteIdent(c.name)};`,
        });
      }
    }
  },
});
