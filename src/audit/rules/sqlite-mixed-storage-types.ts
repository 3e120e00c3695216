// SQLite tables without STRICT whose columns hold values of several storage
// classes (text in an INTEGER column…): type affinity let them in silently.
import { defineRule } from '../rule.js';
import type { Column, TypeKind } from '../../catalog/types.js';
import { tablesOf } from '../rule-helpers.js';
import { sqliteAffinity } from '../../dialects/sqlite/sqlite-types.js';

/** Storage classes each affinity is expected to hold (https://www.sqlite.org/datatype3.html). */
const EXPECTED: Record<ReturnType<typeof sqliteAffinity>, string[]> = {
  INTEGER: ['integer', 'real'],
  REAL: ['real', 'integer'],
  NUMERIC: ['integer', 'real'],
  TEXT: ['text'],
  BLOB: ['blob', 'text', 'integer', 'real'],
};

const TEMPORAL: ReadonlySet<TypeKind> = new Set<TypeKind>(['date', 'time', 'timetz', 'timestamp', 'timestamptz']);

/**
 * Storage classes a column may hold. A date/time column may use any one date
 * representation (ISO-8601 text, or numbers), not a mix: with text dates the
 * numbers are the odd ones out, and text no date function can read always is.
 */
function expectedFor(c: Column, counts: Record<string, number>): string[] {
  if (!TEMPORAL.has(c.type.kind)) return EXPECTED[sqliteAffinity(c.type.raw)];
  return counts['date-text'] ? ['date-text'] : ['integer', 'real'];
}

export default defineRule({
  meta: {
    id: 'sqlite-mixed-storage-types',
    code: 'PLB251',
    title: 'Column holds values of another storage type (table not STRICT)',
    category: 'integrity',
    severity: 'warning',
    dialects: ['sqlite'],
    data: true,
    options: { sampleRows: 10_000 },
    docs: {
      description:
        'Outside STRICT tables SQLite stores whatever it is given: "abc" in an INTEGER column stays text, "12" in a TEXT column is ' +
        'fine but 12 in a NUMERIC column and "12x" next to it are not comparable. Queries then sort, compare and sum differently ' +
        'than the schema suggests. The rule counts typeof() per column (sampled on large tables) and reports columns holding a ' +
        'storage class their declared type should not. Date and time columns may hold ISO-8601 text (what SQLite\'s date functions read) ' +
        'or numbers (Julian day, Unix time), but not both, and not text those functions cannot read.',
      bad: `CREATE TABLE readings (id INTEGER PRIMARY KEY, value INTEGER);
INSERT INTO readings (value) VALUES (12), ('twelve');`,
      good: `CREATE TABLE readings (id INTEGER PRIMARY KEY, value INTEGER) STRICT;
INSERT INTO readings (value) VALUES (12);`,
      remediation: 'Fix or NULL the odd values (SELECT … WHERE typeof(col) = …), then rebuild the table as STRICT (plumb plans the 12-step rebuild).',
    },
  },
  async check(ctx) {
    if (!ctx.query) return;
    const limit = Math.max(1, Number(ctx.options.sampleRows ?? 10_000));
    for (const { table } of tablesOf(ctx.catalog)) {
      if (table.options?.strict) continue;
      const cols = table.columns.filter((c) => !c.generated && c.type.raw.trim() !== '');
      if (!cols.length) continue;
      const src = ctx.quoteQualified(table.schema, table.name);
      // Date/time columns: SQLite has no date storage class; ISO-8601 text, Julian-day
      // reals and Unix-time integers are all valid (https://www.sqlite.org/lang_datefunc.html).
      // Text the date functions can read counts as 'date-text'.
      const storage = (c: (typeof cols)[number]) => {
        const q = ctx.quoteIdent(c.name);
        return TEMPORAL.has(c.type.kind) ? `CASE WHEN typeof(${q}) = 'text' AND julianday(${q}) IS NOT NULL THEN 'date-text' ELSE typeof(${q}) END` : `typeof(${q})`;
      };
      const sql = `WITH s AS (SELECT * FROM ${src} LIMIT ${limit + 1}) ` + cols.map((c, i) => `SELECT ${i} AS col, ${storage(c)} AS t, count(*) AS n FROM s GROUP BY 2`).join(' UNION ALL ');
      let rows: { col: number; t: string; n: number }[];
      try {
        rows = await ctx.query(sql);
      } catch (e) {
        ctx.skip(`could not count storage types: ${(e as Error).message}`, table.path);
        continue;
      }
      const sampled = rows.filter((r) => r.col === 0).reduce((s, r) => s + Number(r.n), 0) > limit;
      cols.forEach((c, i) => {
        const counts = Object.fromEntries(rows.filter((r) => Number(r.col) === i && r.t !== 'null').map((r) => [r.t, Number(r.n)]));
        const odd = Object.keys(counts).filter((t) => !expectedFor(c, counts).includes(t));
        if (!odd.length) return;
        ctx.report({
          path: c.path,
          message: `${c.path} is declared ${c.type.raw} but holds ${odd.map((t) => `${counts[t]} ${t} value(s)`).join(', ')}`,
          evidence: { declared: c.type.raw, affinity: sqliteAffinity(c.type.raw), storageClasses: counts },
          sampled: sampled || undefined,
          fix: `SELECT rowid, ${ctx.quoteIdent(c.name)} FROM ${src} WHERE typeof(${ctx.quoteIdent(c.name)}) IN (${odd.map((t) => `'${t}'`).join(', ')}); -- fix these, then rebuild the table STRICT`,
        });
      });
    }
  },
});
