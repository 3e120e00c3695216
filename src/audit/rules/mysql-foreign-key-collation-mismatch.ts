// MySQL/MariaDB foreign keys whose text columns differ in charset or collation
// from the referenced columns: joins convert every row and skip the index.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';
import { effectiveCharset, effectiveCollation } from '../../dialects/mysql/mysql-catalog-facts.js';
import { findTable } from '../../catalog/normalize.js';

export default defineRule({
  meta: {
    id: 'mysql-foreign-key-collation-mismatch',
    code: 'PLB202',
    title: 'Foreign key between columns of different collations',
    category: 'performance',
    severity: 'warning',
    dialects: ['mysql'],
    docs: {
      description:
        'The server refuses a foreign key between columns of different collations, except when foreign_key_checks was off ' +
        '(restored dumps, hand-run migrations) — and then the key stays. Every join over it converts values on the fly, so the ' +
        'referenced index cannot be used and equal-looking keys may not match. Both sides of a key should share charset and collation.',
      bad: `-- how dumps restored out of order (foreign_key_checks = 0) leave it
SET SESSION foreign_key_checks = 0;
CREATE TABLE uses (id INT PRIMARY KEY, code VARCHAR(20) COLLATE utf8mb4_general_ci, FOREIGN KEY (code) REFERENCES codes (code)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE codes (code VARCHAR(20) PRIMARY KEY) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
SET SESSION foreign_key_checks = 1;`,
      good: `CREATE TABLE codes (code VARCHAR(20) PRIMARY KEY) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE uses (id INT PRIMARY KEY, code VARCHAR(20), FOREIGN KEY (code) REFERENCES codes (code)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`,
      remediation: 'Drop the foreign key, convert the referencing column to the referenced column\'s charset and collation, and add the key again.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const fk of table.foreignKeys) {
        const parent = findTable(ctx.catalog, fk.references.schema, fk.references.table);
        if (!parent) continue;
        const pairs = fk.columns.map((c, i) => {
          const child = table.columns.find((x) => x.name === c);
          const ref = parent.columns.find((x) => x.name === fk.references.columns[i]);
          if (!child || !ref) return null;
          const a = { charset: effectiveCharset(table, child), collation: effectiveCollation(table, child) };
          const b = { charset: effectiveCharset(parent, ref), collation: effectiveCollation(parent, ref) };
          if (a.collation === null || b.collation === null || a.collation === b.collation) return null;
          return { column: c, collation: a.collation, charset: a.charset, references: ref.name, referencedCollation: b.collation, referencedCharset: b.charset };
        });
        const bad = pairs.filter((p): p is NonNullable<typeof p> => p !== null);
        if (!bad.length) continue;
        const col = table.columns.find((x) => x.name === bad[0]!.column)!;
        const target = bad[0]!;
        const tq = ctx.quoteQualified(table.schema, table.name);
        ctx.report({
          path: fk.path,
          message: `${fk.path}: ${bad.map((p) => `${p.column} is ${p.collation}, ${fk.references.table}.${p.references} is ${p.referencedCollation}`).join('; ')}`,
          evidence: { mismatches: bad },
          // The server refuses to change a column under a foreign key (even with foreign_key_checks off): drop, change, re-add.
          fix: [
            `ALTER TABLE ${tq} DROP FOREIGN KEY ${ctx.quoteIdent(fk.name)};`,
            `ALTER TABLE ${tq} MODIFY ${ctx.quoteIdent(col.name)} ${col.type.raw} CHARACTER SET ${target.referencedCharset} COLLATE ${target.referencedCollation}${col.nullable ? ' NULL' : ' NOT NULL'}${col.default !== null ? ` DEFAULT ${col.default}` : ''};`,
            `ALTER TABLE ${tq} ADD CONSTRAINT ${ctx.quoteIdent(fk.name)} FOREIGN KEY (${fk.columns.map((c) => ctx.quoteIdent(c)).join(', ')}) REFERENCES ${ctx.quoteQualified(fk.references.schema, fk.references.table)} (${fk.references.columns.map((c) => ctx.quoteIdent(c)).join(', ')})${fk.onDelete !== 'no action' ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : ''}${fk.onUpdate !== 'no action' ? ` ON UPDATE ${fk.onUpdate.toUpperCase()}` : ''};`,
          ].join('\n'),
        });
      }
    }
  },
});
