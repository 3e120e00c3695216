// Implied relationships (SchemaSpy-style): a `<thing>_id` column whose name and
// type match a table's key, with no foreign key declared. Orphans follow.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';
import { impliedParent } from '../data/relations.js';

export default defineRule({
  meta: {
    id: 'missing-foreign-key',
    code: 'PLB002',
    title: 'Implied foreign key is not declared',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'A column named `<thing>_id` (or `<thing>Id`) whose type matches the single-column primary key of a table called `<thing>` ' +
        '(its plural, or either with the table family\'s prefix such as `core_`) is almost always a reference. Without a FOREIGN KEY the database accepts ids that point nowhere, ' +
        'and deleting the parent silently orphans rows (seed 000 found orphaned notes exactly this way).',
      bad: `CREATE TABLE gauges (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, serial_no text NOT NULL);
CREATE TABLE gauge_notes (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gauge_id bigint NOT NULL,
  body     text NOT NULL
);`,
      good: `CREATE TABLE gauges (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, serial_no text NOT NULL);
CREATE TABLE gauge_notes (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gauge_id bigint NOT NULL REFERENCES gauges (id),
  body     text NOT NULL
);
CREATE INDEX gauge_notes_gauge_id_idx ON gauge_notes (gauge_id);`,
      remediation:
        'Clean up orphans first (see the orphaned-rows data rule), then add the constraint NOT VALID and VALIDATE it separately so the check does not block writes.',
    },
  },
  check(ctx) {
    // One definition of "implied relationship", shared with the orphan data rule (PLB101), so the two never disagree.
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const col of table.columns) {
        if (table.foreignKeys.some((fk) => fk.columns.includes(col.name))) continue;
        const parent = impliedParent(ctx.catalog, table, col);
        if (!parent) continue;
        const { table: target, key: pk } = parent;
        if (target === table && table.primaryKey?.columns[0] === col.name) continue;
        const name = `${table.name}_${col.name}_fkey`.slice(0, 63);
        ctx.report({
          path: col.path,
          message: `${col.path} looks like a reference to ${target.path}(${pk.name}) but has no foreign key`,
          evidence: { references: `${target.path}.${pk.name}`, type: col.type.raw },
          fix: ctx.capabilities?.notValidConstraints
            ? `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ADD CONSTRAINT ${ctx.quoteIdent(name)} FOREIGN KEY (${ctx.quoteIdent(col.name)}) REFERENCES ${ctx.quoteQualified(target.schema, target.name)} (${ctx.quoteIdent(pk.name)}) NOT VALID;\nALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} VALIDATE CONSTRAINT ${ctx.quoteIdent(name)};`
            : `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ADD CONSTRAINT ${ctx.quoteIdent(name)} FOREIGN KEY (${ctx.quoteIdent(col.name)}) REFERENCES ${ctx.quoteQualified(target.schema, target.name)} (${ctx.quoteIdent(pk.name)});`,
        });
      }
    }
  },
});
