// Tables, columns and views named after SQL reserved words: every query must quote them, and ports to other engines break.
import type { DialectName } from '../../catalog/types.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isPartition } from '../rule-helpers.js';

/**
 * Words that must be quoted as a table or column name. MySQL/MariaDB and
 * SQLite: their reserved words that schemas often use, plus the SQL standard's.
 */
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

/**
 * Postgres: the words pg_get_keywords() puts in the reserved categories (R,
 * and T: "reserved, can be function or type" — also not a column name), as of
 * Postgres 15–18. Used only when the audit has no connection to ask the server;
 * unreserved keywords such as `key`, `name` or `value` are ordinary names there.
 */
export const POSTGRES_RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date ' +
    'current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from ' +
    'grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary ' +
    'references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with ' +
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer ' +
    'overlaps right similar tablesample verbose'
  ).split(/\s+/),
);

/** Where each engine lists its own keyword categories (reserved ones only). */
const SERVER_KEYWORDS: Partial<Record<DialectName, { sql: string; fallback: ReadonlySet<string> }>> = {
  postgres: { sql: `SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')`, fallback: POSTGRES_RESERVED },
};

async function reservedWords(ctx: RuleContext): Promise<ReadonlySet<string>> {
  const src = SERVER_KEYWORDS[ctx.catalog.dialect];
  if (!src) return RESERVED;
  if (!ctx.query) return src.fallback;
  try {
    const rows = await ctx.query<{ word: string }>(src.sql);
    return rows.length ? new Set(rows.map((r) => r.word.toLowerCase())) : src.fallback;
  } catch {
    return src.fallback;
  }
}

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
        'ORMs, BI tools — and some tools get it wrong. On Postgres the server\'s own keyword list decides (`pg_get_keywords()`, ' +
        'reserved categories only: `key` or `value` are unreserved there and not reported); on MySQL/MariaDB and SQLite, names ' +
        'reserved by the engine or the SQL standard are.',
      bad: `CREATE TABLE "order" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "desc" text NOT NULL);`,
      good: `CREATE TABLE purchase_order (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, description text NOT NULL);`,
      remediation: 'Rename the object (declare `renamedFrom` in the spec so the data is kept).',
    },
  },
  async check(ctx) {
    const reserved = await reservedWords(ctx);
    for (const s of ctx.catalog.schemas) {
      for (const t of s.tables) {
        if (isPartition(t)) continue;
        if (reserved.has(t.name.toLowerCase())) ctx.report({ path: t.path, message: `table ${t.path} is named after the reserved word ${t.name.toUpperCase()}` });
        for (const c of t.columns) if (reserved.has(c.name.toLowerCase())) ctx.report({ path: c.path, message: `column ${c.path} is named after the reserved word ${c.name.toUpperCase()}` });
      }
      for (const v of s.views) if (reserved.has(v.name.toLowerCase())) ctx.report({ path: v.path, message: `view ${v.path} is named after the reserved word ${v.name.toUpperCase()}` });
    }
  },
});
