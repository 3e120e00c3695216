// Every difference between the live database and the declarative spec, as a
// drift finding: the same diff `plumb diff` shows, inside the audit and its grade.
import type { Catalog } from '../../catalog/types.js';
import { describeChange } from '../../diff/describe.js';
import { diffCatalogs } from '../../diff/diff.js';
import { diffOptionsFromSpec, specSchemaNames } from '../../spec/spec-diff-options.js';
import type { Spec } from '../../spec/types.js';
import { boundSchemaMap } from '../../spec/bind-target.js';
import { defineRule } from '../rule.js';
import { withoutPlumbObjects } from '../../catalog/plumb-schemas.js';

const DESTRUCTIVE = /^drop/i;

export default defineRule({
  meta: {
    id: 'spec-difference',
    code: 'PLB302',
    title: 'Database differs from the spec',
    category: 'drift',
    severity: 'warning',
    docs: {
      description:
        'With `--spec`, every difference between the live schema and the declared one is a finding: a table the spec declares that is missing ' +
        '(seed 001: "Missing table lead.lead_scores"), a column of another type, an index nobody declared. Only the schemas the spec speaks for are compared. ' +
        'Objects the spec would drop are reported as warnings like the rest; `plumb plan` decides how to change them safely.',
      bad: `-- spec.yaml declares: tables: [{ name: lead_scores, columns: { id: { type: bigint, identity: true, primaryKey: true } } }]
CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);`,
      good: `-- spec.yaml declares: tables: [{ name: lead_scores, columns: { id: { type: bigint, identity: true, primaryKey: true } } }]
CREATE TABLE lead_scores (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);`,
      remediation: '`plumb plan --spec spec.yaml` writes a phased, reversible plan that makes the database match; or update the spec if the database is right.',
    },
    fixture: { skip: 'needs a spec beside the database; test/audit/spec-drift.test.ts runs it with one' },
  },
  check(ctx) {
    const desired: Catalog | undefined = ctx.specCatalog;
    const spec = ctx.spec as Spec | undefined;
    if (!desired || !spec?.schemas) return;
    const schemas = new Set(specSchemaNames(spec, desired));
    // What `plumb chain install` added is plumb's, not drift (the same view `plumb diff` takes).
    const current: Catalog = withoutPlumbObjects({ ...ctx.catalog, schemas: ctx.catalog.schemas.filter((s) => schemas.has(s.name)) }, desired);
    for (const c of diffCatalogs(current, desired, diffOptionsFromSpec(spec, boundSchemaMap(spec, desired)))) {
      ctx.report({
        path: c.path,
        key: c.kind,
        message: `differs from the spec: ${describeChange(c)}`,
        evidence: { change: c.kind, destructive: DESTRUCTIVE.test(c.kind) },
      });
    }
  },
});
