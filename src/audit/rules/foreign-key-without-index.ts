// FKs with no index led by their columns: every parent delete/update scans the
// child table. A composite PK or index whose leading columns match covers it.
import { defineRule } from '../rule.js';
import { isPartition, tableHasCoveringIndex, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'foreign-key-without-index',
    code: 'PLB010',
    title: 'Foreign key without a covering index',
    category: 'performance',
    severity: 'warning',
    docs: {
      description:
        'Deleting or updating a parent row makes the database look for referencing rows in the child table; without an index ' +
        'led by the foreign key\'s columns that is a sequential scan per parent row, under a lock. Joins along the relationship suffer too. ' +
        'An index (or a composite primary key) whose leading columns are the foreign key\'s columns, in any order, covers it — ' +
        'plumb does not report those (the false positives splinter#87/#90 complain about).',
      bad: `CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL);
CREATE TABLE books (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author_id bigint NOT NULL REFERENCES authors (id),
  title     text NOT NULL
);`,
      good: `CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL);
CREATE TABLE books (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author_id bigint NOT NULL REFERENCES authors (id),
  title     text NOT NULL
);
CREATE INDEX books_author_id_title_idx ON books (author_id, title);
CREATE TABLE book_authors (
  book_id   bigint NOT NULL REFERENCES books (id),
  author_id bigint NOT NULL REFERENCES authors (id),
  PRIMARY KEY (book_id, author_id)
);
CREATE INDEX book_authors_author_id_idx ON book_authors (author_id);`,
      remediation: 'Create an index on the foreign key columns (CONCURRENTLY on a live Postgres database).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const fk of table.foreignKeys) {
        if (tableHasCoveringIndex(table, fk.columns)) continue;
        const name = `${table.name}_${fk.columns.join('_')}_idx`.slice(0, 63);
        const conc = ctx.capabilities?.concurrentIndex && table.kind !== 'partitioned' ? 'CONCURRENTLY ' : '';
        ctx.report({
          path: fk.path,
          message: `foreign key ${fk.name} on ${table.path} (${fk.columns.join(', ')}) has no index led by its columns`,
          evidence: { columns: fk.columns, references: `${fk.references.schema}.${fk.references.table}` },
          fix: `CREATE INDEX ${conc}${ctx.quoteIdent(name)} ON ${ctx.quoteQualified(table.schema, table.name)} (${fk.columns.map((c) => ctx.quoteIdent(c)).join(', ')});`,
        });
      }
    }
  },
});
