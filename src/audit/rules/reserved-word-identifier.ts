// Tables, columns and views named after SQL reserved words: every query must quote them, and ports to other engines break.
import { defineRule } from '../rule.js';
import { isPartition } from '../rule-helpers.js';

/** Reserved in Postgres (and mostly in the SQL standard), plus words MySQL reserves that schemas often use. */
export const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently ' +
    'constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default ' +
    'deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect ' +
    'into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps ' +
    'placing primary references returning right select session_user similar some symmetric system_user table tablesample then to trailing true ' +
    'union unique user using variadic verbose when where window with ' +
    'key keys index range interval rank rows groups match condition read write release'
  ).split(/\s+/),
);

export default defineRule({
  meta: {
    id: 'reserved-word-identifier',
    code: 'PLB046',
    title: 'Identifier is a reserved word',
    category: 'design',
    severity: 'warning',
    docs: {
      description:
        'A table called `user` or `order`, or a column called `group`, `desc` or `key`, must be quoted in every statement — hand-written SQL, ' +
        'ORMs, BI tools — and some tools get it wrong. Names reserved by Postgres, the SQL standard or MySQL are reported.',
      bad: `CREATE TABLE "order" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "desc" text NOT NULL);`,
      good: `CREATE TABLE purchase_order (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, description text NOT NULL);`,
      remediation: 'Rename the object (declare `renamedFrom` in the spec so the data is kept).',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      for (const t of s.tables) {
        if (isPartition(t)) continue;
        if (RESERVED.has(t.name.toLowerCase())) ctx.report({ path: t.path, message: `table ${t.path} is named after the reserved word ${t.name.toUpperCase()}` });
        for (const c of t.columns) if (RESERVED.has(c.name.toLowerCase())) ctx.report({ path: c.path, message: `column ${c.path} is named after the reserved word ${c.name.toUpperCase()}` });
      }
      for (const v of s.views) if (RESERVED.has(v.name.toLowerCase())) ctx.report({ path: v.path, message: `view ${v.path} is named after the reserved word ${v.name.toUpperCase()}` });
    }
  },
});
