// Foreign keys whose parent has no unique key on the referenced columns (or no
// parent table at all): MySQL/MariaDB accept both, Postgres cannot have them
// (skeema's fk-parent). A child row then "references" several parents.
import type { Table } from '../../catalog/types.js';
import { findTable } from '../../catalog/normalize.js';
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

/** True when a primary key, unique constraint or unique index is exactly these columns (any order, no prefix). */
function uniqueOn(t: Table, columns: readonly string[]): boolean {
  const same = (cols: readonly string[]) => cols.length === columns.length && cols.every((c) => columns.includes(c));
  if (t.primaryKey && same(t.primaryKey.columns)) return true;
  if (t.uniques.some((u) => same(u.columns))) return true;
  return t.indexes.some((ix) => ix.unique && !ix.predicate && ix.elements.every((e) => e.column && !e.prefixLength) && same(ix.elements.map((e) => e.column!)));
}

export default defineRule({
  meta: {
    id: 'foreign-key-parent-not-unique',
    code: 'PLB055',
    title: 'Foreign key references columns that are not a unique key',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'Standard SQL (and Postgres) only lets a foreign key reference a primary key or unique constraint. InnoDB accepts any indexed ' +
        'columns, and with `foreign_key_checks=0` even a parent table that does not exist. A child row then matches several parent rows: ' +
        '`ON DELETE CASCADE` and `ON UPDATE` act on an ill-defined set, replication of cascades can diverge, MySQL 8.4 deprecates it, and ' +
        'every other engine refuses the schema when it is ported. The rule reports a reference whose parent has no primary key, unique ' +
        'constraint or unique index on exactly the referenced columns, and a reference to a table that is missing.',
      bad: `-- MySQL/MariaDB (Postgres refuses it)
CREATE TABLE plans (id bigint PRIMARY KEY, code varchar(20) NOT NULL, KEY plans_code_idx (code)) ENGINE=InnoDB;
CREATE TABLE subscriptions (
  id bigint PRIMARY KEY,
  plan_code varchar(20) NOT NULL,
  CONSTRAINT subscriptions_plan_fk FOREIGN KEY (plan_code) REFERENCES plans (code)
) ENGINE=InnoDB;`,
      good: `-- MySQL/MariaDB
CREATE TABLE plans (id bigint PRIMARY KEY, code varchar(20) NOT NULL, UNIQUE KEY plans_code_key (code)) ENGINE=InnoDB;
CREATE TABLE subscriptions (
  id bigint PRIMARY KEY,
  plan_code varchar(20) NOT NULL,
  CONSTRAINT subscriptions_plan_fk FOREIGN KEY (plan_code) REFERENCES plans (code)
) ENGINE=InnoDB;`,
      remediation:
        'Make the referenced columns unique in the parent (`ALTER TABLE plans ADD UNIQUE (code)`, after removing duplicates), or reference the parent\'s primary key instead; create the missing parent table or drop the dangling constraint.',
    },
    fixture: { skip: 'Postgres refuses a foreign key to non-unique columns, so its docs examples run on MariaDB (test/audit/peer-rules.test.ts)' },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const fk of table.foreignKeys) {
        const parent = findTable(ctx.catalog, fk.references.schema, fk.references.table);
        // A parent outside the audited schemas is unknown, not missing.
        if (!parent) {
          if (!ctx.catalog.schemas.some((s) => s.name === fk.references.schema)) continue;
          ctx.report({
            path: fk.path,
            key: 'missing',
            message: `foreign key ${fk.name} on ${table.path} references ${fk.references.schema}.${fk.references.table}, which does not exist: writes to ${table.name} fail`,
            evidence: { references: `${fk.references.schema}.${fk.references.table}` },
          });
          continue;
        }
        if (uniqueOn(parent, fk.references.columns)) continue;
        ctx.report({
          path: fk.path,
          message: `foreign key ${fk.name} on ${table.path} references ${parent.path} (${fk.references.columns.join(', ')}), which is not a primary key or unique key: a child row can match several parents`,
          evidence: { references: parent.path, columns: fk.references.columns },
          fix: `ALTER TABLE ${ctx.quoteQualified(parent.schema, parent.name)} ADD UNIQUE (${fk.references.columns.map((c) => ctx.quoteIdent(c)).join(', ')});`,
        });
      }
    }
  },
});
