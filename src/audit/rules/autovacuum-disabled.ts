// Tables with autovacuum switched off (splinter "autovacuum disabled"): dead
// rows pile up, and the table can reach transaction-ID wraparound.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'autovacuum-disabled',
    code: 'PLB066',
    title: 'Autovacuum disabled on a table',
    category: 'performance',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        '`WITH (autovacuum_enabled = false)` stops autovacuum from removing dead rows and refreshing statistics for the table: it bloats, ' +
        'plans go stale, and only the anti-wraparound vacuum (which cannot be disabled and runs at the worst time) still visits it. ' +
        'It is sometimes set for a bulk load and forgotten. Reported for tables and their TOAST storage parameter alike.',
      bad: `CREATE TABLE page_views (id bigint PRIMARY KEY, url text NOT NULL) WITH (autovacuum_enabled = false);`,
      good: `CREATE TABLE page_views (id bigint PRIMARY KEY, url text NOT NULL);`,
      remediation: '`ALTER TABLE … RESET (autovacuum_enabled);` — tune `autovacuum_vacuum_scale_factor` / `_cost_limit` on the table instead if autovacuum was too aggressive.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      const off = (table.storageParameters ?? []).filter((p) => /^(toast\.)?autovacuum_enabled=(false|off|0|no)$/i.test(p));
      if (!off.length) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} has ${off.join(', ')}: autovacuum never cleans it`,
        evidence: { parameters: off },
        fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} RESET (${off.map((p) => p.split('=')[0]).join(', ')});`,
      });
    }
  },
});
