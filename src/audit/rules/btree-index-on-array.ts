// B-tree indexes on array columns (pg-index-health): they only serve equality
// on the whole array, never "contains", and large arrays overflow the b-tree's
// row limit at insert time.
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'btree-index-on-array',
    code: 'PLB057',
    title: 'B-tree index on an array column',
    category: 'performance',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        'A b-tree index on an array column can only answer `tags = \'{a,b}\'` (the whole array, in order). The queries people write on arrays — ' +
        '`tags @> \'{a}\'`, `\'a\' = ANY(tags)`, `tags && …` — cannot use it, so it is write cost without reads; and a row whose array ' +
        'is larger than about a third of a page (2,704 bytes) fails to insert with "index row size exceeds maximum". A GIN index serves ' +
        'containment and has no such limit.',
      bad: `CREATE TABLE articles (id bigint PRIMARY KEY, tags text[] NOT NULL DEFAULT '{}');
CREATE INDEX articles_tags_idx ON articles (tags);`,
      good: `CREATE TABLE articles (id bigint PRIMARY KEY, tags text[] NOT NULL DEFAULT '{}');
CREATE INDEX articles_tags_idx ON articles USING gin (tags);`,
      remediation: '`CREATE INDEX CONCURRENTLY … USING gin (col)`, then drop the b-tree index.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const ix of table.indexes) {
        if ((ix.method || 'btree').toLowerCase() !== 'btree') continue;
        const arrays = ix.elements.filter((e) => e.column && column(table, e.column)?.type.kind === 'array').map((e) => e.column!);
        if (!arrays.length) continue;
        ctx.report({
          path: ix.path,
          message: `index ${ix.name} on ${table.path} is a b-tree over array ${arrays.length > 1 ? 'columns' : 'column'} ${arrays.join(', ')}: it cannot serve @>, && or = ANY()`,
          evidence: { columns: arrays },
        });
      }
    }
  },
});
