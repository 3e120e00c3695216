// SQLite enforces foreign keys only on connections that turn them on: with
// PRAGMA foreign_keys off (SQLite's default) every declared key is decoration.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'sqlite-foreign-keys-off',
    code: 'PLB250',
    title: 'Foreign keys declared but PRAGMA foreign_keys is off',
    category: 'integrity',
    severity: 'warning',
    dialects: ['sqlite'],
    docs: {
      description:
        'SQLite checks FOREIGN KEY clauses only on connections that ran `PRAGMA foreign_keys = ON`; it is off by default and ' +
        'cannot be stored in the file. plumb connects the way an application does by default (off, unless the URL says ' +
        '`?foreign_keys=on`), so this finding means an application that does not turn it on can write orphans. With a live ' +
        'connection the rule also runs PRAGMA foreign_key_check: existing violations make it an error.',
      bad: `-- application connection: PRAGMA foreign_keys is off (the default)
CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent (id));`,
      good: `PRAGMA foreign_keys = ON; -- on every connection the application opens
CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent (id));`,
      remediation:
        'Run PRAGMA foreign_keys = ON on every connection (most drivers have an option), then clean up what PRAGMA foreign_key_check lists.',
    },
  },
  async check(ctx) {
    if (ctx.catalog.settings.foreign_keys !== '0') return;
    const withFks = [...tablesOf(ctx.catalog)].filter(({ table }) => table.foreignKeys.length);
    if (!withFks.length) return;
    let violations: { table: string; n: number }[] | null = null;
    if (ctx.query) {
      try {
        const rows = await ctx.query<{ tbl: string; n: number }>(`SELECT "table" AS tbl, count(*) AS n FROM pragma_foreign_key_check GROUP BY "table" ORDER BY "table"`);
        violations = rows.map((r) => ({ table: String(r.tbl), n: Number(r.n) }));
      } catch (e) {
        ctx.skip(`PRAGMA foreign_key_check failed: ${(e as Error).message}`);
      }
    }
    const total = violations?.reduce((s, v) => s + v.n, 0) ?? 0;
    ctx.report({
      path: ctx.catalog.schemas[0]?.path ?? 'main',
      key: 'foreign_keys',
      message: `PRAGMA foreign_keys is off: ${withFks.reduce((s, t) => s + t.table.foreignKeys.length, 0)} declared foreign key(s) on ${withFks.length} table(s) are not enforced${total ? `, and ${total} row(s) already violate them` : ''}`,
      evidence: { tables: withFks.map((t) => t.table.name), ...(violations ? { violations } : {}) },
      severity: total > 0 ? 'error' : undefined,
      fix: 'PRAGMA foreign_keys = ON; -- on every connection (plumb: sqlite:file.db?foreign_keys=on)',
    });
  },
});
