// varchar(n) columns whose values pile up at exactly n characters: the shape
// of text cut by the application (or by a non-strict MySQL) to fit, not of
// text that happens to be long. Bounded read: one aggregate per table over
// the audit's sample.
import { defineRule } from '../rule.js';
import type { Column, Table } from '../../catalog/types.js';
import { dataTables, num, runQuery, sampleNote, scanSource } from '../data/sql.js';
import { passCounts, type PassProbe } from '../data/table-pass.js';
import type { RuleContext } from '../rule.js';

/** Tables with varchar columns long enough to look at, and those columns. */
function plansOf(ctx: RuleContext): { t: Table; cols: Column[] }[] {
  const minLength = Number(ctx.options.minLength ?? 16);
  const plans: { t: Table; cols: Column[] }[] = [];
  for (const t of dataTables(ctx.catalog)) {
    const cols = t.columns.filter((c) => c.type.kind === 'varchar' && (c.type.length ?? 0) > minLength && !c.generated);
    if (cols.length) plans.push({ t, cols });
  }
  return plans;
}

/** Values of `c` at its limit, just below it, and shorter: aggregates over `src` (full mode: probes of the table's one pass). */
function lengthProbes(ctx: RuleContext, t: Table, c: Column): PassProbe[] {
  const n = c.type.length!;
  const len = `CHAR_LENGTH(src.${ctx.quoteIdent(c.name)})`;
  const probe = (k: string, when: string): PassProbe => ({ table: t, id: `length-${k}:${c.name}`, sql: () => `SUM(CASE WHEN ${when} THEN 1 ELSE 0 END)` });
  return [probe('at', `${len} = ${n}`), probe('near', `${len} BETWEEN ${n - 3} AND ${n - 1}`), probe('short', `${len} < ${n}`)];
}

export default defineRule({
  meta: {
    id: 'varchar-values-at-limit',
    code: 'PLB121',
    title: 'varchar values cut at the column\'s limit',
    category: 'integrity',
    severity: 'warning',
    dialects: ['postgres', 'mysql'],
    data: true,
    options: { minLength: 16, minRows: 3 },
    docs: {
      description:
        'Values of a `varchar(n)` column that are exactly `n` characters long, more of them than are `n-3` to `n-1` long, while other values are ' +
        'shorter: natural text thins out towards a limit, text that was cut to fit piles up on it. The application (or MySQL without strict ' +
        'mode, which truncates with only a warning) has been losing the end of names, addresses or messages. Columns of at most `minLength` ' +
        'characters (codes) and columns whose values all have the same length (hashes, UUIDs) are not reported.',
      bad: `CREATE TABLE support_tickets (id int PRIMARY KEY, subject varchar(24) NOT NULL);
INSERT INTO support_tickets VALUES
  (1, 'Printer on floor 3 is ou'), (2, 'Cannot log in after the '), (3, 'Invoice 2024-113 shows t'),
  (4, 'Refund for order 99871 n'), (5, 'VPN drops every ten minu'), (6, 'Password reset'), (7, 'New laptop request');`,
      good: `CREATE TABLE support_tickets (id int PRIMARY KEY, subject varchar(200) NOT NULL);
INSERT INTO support_tickets VALUES
  (1, 'Printer on floor 3 is out of toner'), (2, 'Cannot log in after the update'), (3, 'Invoice 2024-113 shows the wrong VAT'),
  (4, 'Refund for order 99871 not received'), (5, 'VPN drops every ten minutes'), (6, 'Password reset'), (7, 'New laptop request');`,
      remediation:
        'Widen the column (or make it `text` with a CHECK on the length you really need), turn on strict mode on MySQL, and recover the lost ' +
        'text from its source where you can: the sample keys name the rows.',
    },
  },
  probes: (ctx) => plansOf(ctx).flatMap(({ t, cols }) => cols.flatMap((c) => lengthProbes(ctx, t, c))),
  async check(ctx) {
    const minRows = Math.max(1, Number(ctx.options.minRows ?? 3));
    for (const { t, cols } of plansOf(ctx)) {
      const src = await scanSource(ctx, t, cols.map((c) => c.name));
      if (!src) continue;
      let r: Record<string, unknown>;
      if (ctx.dataMode === 'full') {
        // Every row: the counts come from the table's one pass.
        const got = await passCounts(ctx, t, cols.flatMap((c) => lengthProbes(ctx, t, c)));
        if (!got) continue;
        r = Object.fromEntries(cols.flatMap((c, i) => (['at', 'near', 'short'] as const).map((k) => [`${k}${i}`, got.values.get(`length-${k}:${c.name}`)])));
      } else {
        const arms = cols.flatMap((c, i) => lengthProbes(ctx, t, c).map((p) => `${p.sql('')} AS ${p.id.slice('length-'.length, p.id.indexOf(':'))}${i}`));
        const rows = await runQuery<Record<string, unknown>>(ctx, t.path, `SELECT ${arms.join(', ')} FROM ${src.from}`);
        if (!rows?.[0]) continue;
        r = rows[0];
      }
      cols.forEach((c, i) => {
        const at = num(r[`at${i}`]);
        const near = num(r[`near${i}`]);
        const short = num(r[`short${i}`]);
        if (at < minRows || at <= near || short === 0) return;
        ctx.report({
          path: c.path,
          message: `${at} value${at === 1 ? '' : 's'} of ${c.path} ${at === 1 ? 'is' : 'are'} exactly ${c.type.length} characters, the column's limit, against ${near} just below it: text cut to fit${sampleNote(src.sampled, ctx, t)}`,
          evidence: { limit: c.type.length, atLimit: at, justBelow: near, shorter: short },
          ...(src.sampled ? { sampled: true } : {}),
        });
      });
    }
  },
});
