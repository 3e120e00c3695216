// AUTO_INCREMENT counters close to their column's maximum (skeema's auto-inc):
// MySQL has no sequences for sequence-near-exhaustion to read, so this reads
// each table's next AUTO_INCREMENT value from information_schema.
import { defineRule } from '../rule.js';
import { integerMax, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'mysql-auto-increment-near-exhaustion',
    code: 'PLB207',
    title: 'AUTO_INCREMENT counter near its column\'s maximum',
    category: 'performance',
    severity: 'warning',
    dialects: ['mysql'],
    data: true,
    options: { threshold: 0.75 },
    docs: {
      description:
        'When an AUTO_INCREMENT counter reaches the maximum of its column type (2,147,483,647 for `INT`, 4,294,967,295 for ' +
        '`INT UNSIGNED`, 127 for `TINYINT`), every insert fails with a duplicate-key error. Counters jump ahead of the row count (deleted ' +
        'rows, rolled-back inserts, `INSERT … ON DUPLICATE KEY` and `innodb_autoinc_lock_mode` gaps), so a table far from 2 billion rows ' +
        'can still be near the end. Reported when the next value has used more than `threshold` of the range (an error past 95%).',
      bad: `CREATE TABLE clicks (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, url VARCHAR(255) NOT NULL) AUTO_INCREMENT = 4000000000;`,
      good: `CREATE TABLE clicks (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, url VARCHAR(255) NOT NULL) AUTO_INCREMENT = 4000000000;`,
      remediation: 'Widen the column to BIGINT (UNSIGNED) with an online schema change tool (gh-ost, pt-online-schema-change) before the counter runs out.',
    },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads information_schema.TABLES.AUTO_INCREMENT: needs a live connection');
      return;
    }
    const threshold = Number(ctx.options.threshold ?? 0.75);
    const rows = await ctx.query<{ s: string; t: string; next: string | number }>(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, AUTO_INCREMENT AS next FROM information_schema.TABLES
        WHERE AUTO_INCREMENT IS NOT NULL AND TABLE_SCHEMA IN (${ctx.catalog.schemas.map(() => '?').join(', ') || "''"})`,
      ctx.catalog.schemas.map((s) => s.name),
    );
    const next = new Map(rows.map((r) => [`${r.s}.${r.t}`, BigInt(String(r.next))]));
    for (const { table } of tablesOf(ctx.catalog)) {
      const col = table.columns.find((c) => c.autoIncrement);
      const value = next.get(table.path);
      if (!col || value === undefined) continue;
      const signedMax = integerMax(col.type.kind);
      if (signedMax === null) continue;
      const max = col.type.unsigned ? signedMax * 2n + 1n : signedMax;
      const used = Number(value - 1n) / Number(max);
      if (used < threshold) continue;
      ctx.report({
        path: col.path,
        message: `${col.path} (${col.type.raw}) AUTO_INCREMENT is at ${value} of ${max}: ${(used * 100).toFixed(1)}% of its range used`,
        evidence: { next: value.toString(), max: max.toString(), used: Math.round(used * 1000) / 1000, type: col.type.raw },
        ...(used >= 0.95 ? { severity: 'error' as const } : {}),
        fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} MODIFY ${ctx.quoteIdent(col.name)} BIGINT UNSIGNED NOT NULL AUTO_INCREMENT; -- rebuilds the table: use an online schema change tool`,
      });
    }
  },
});
