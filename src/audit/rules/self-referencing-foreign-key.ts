// A foreign key from a table's key to the same key of the same table
// (SchemaCrawler "foreign key self-references primary key", pg-index-health
// "self-referenced foreign keys"): it can never fail, and it costs a lookup
// on every write.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'self-referencing-foreign-key',
    code: 'PLB068',
    title: 'Foreign key references its own columns',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'A foreign key whose columns are the very columns it references, on the same table (`id REFERENCES same_table (id)`), checks that ' +
        'each row references itself: it can never fail, yet every insert and update pays for the lookup and every delete for the ' +
        'reverse check. It is almost always a mistake for a parent reference (`parent_id REFERENCES same_table (id)`). Ordinary ' +
        'self-references to *other* columns (trees, `manager_id`) are not reported.',
      bad: `CREATE TABLE categories (id bigint PRIMARY KEY, parent_id bigint, name text NOT NULL,
  CONSTRAINT categories_parent_fk FOREIGN KEY (id) REFERENCES categories (id));`,
      good: `CREATE TABLE categories (id bigint PRIMARY KEY, parent_id bigint, name text NOT NULL,
  CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id));
CREATE INDEX categories_parent_id_idx ON categories (parent_id);`,
      remediation: 'Drop the constraint, or point it at the column that really holds the reference (`FOREIGN KEY (parent_id) REFERENCES …`).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const fk of table.foreignKeys) {
        if (fk.references.schema !== table.schema || fk.references.table !== table.name) continue;
        if (fk.columns.length !== fk.references.columns.length || fk.columns.some((c, i) => fk.references.columns[i] !== c)) continue;
        ctx.report({
          path: fk.path,
          message: `foreign key ${fk.name} on ${table.path} makes (${fk.columns.join(', ')}) reference itself: it can never fail`,
          evidence: { columns: fk.columns },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} DROP CONSTRAINT ${ctx.quoteIdent(fk.name)};`,
        });
      }
    }
  },
});
