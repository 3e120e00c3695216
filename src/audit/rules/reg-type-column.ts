// Columns of reg* types that pg_upgrade refuses (splinter 0018): they store
// OIDs, which pg_upgrade does not preserve for these catalogs.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

const UNSUPPORTED = new Set(['regcollation', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator', 'regproc', 'regprocedure']);

export default defineRule({
  meta: {
    id: 'reg-type-column',
    code: 'PLB065',
    title: 'Column of a reg* type that blocks pg_upgrade',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        'Types such as `regproc`, `regoper` or `regconfig` store the OID of a catalog entry. `pg_upgrade` does not keep those OIDs, so it ' +
        'refuses to upgrade a cluster with a user column of these types — the major-version upgrade is blocked until the column is ' +
        'converted. (`regclass`, `regtype` and `regrole` are supported and not reported.)',
      bad: `CREATE TABLE search_settings (id bigint PRIMARY KEY, dictionary regconfig NOT NULL);`,
      good: `CREATE TABLE search_settings (id bigint PRIMARY KEY, dictionary text NOT NULL);`,
      remediation: '`ALTER TABLE … ALTER COLUMN … TYPE text USING col::text` (and cast back with `::regconfig` where it is used).',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        const name = (c.type.kind === 'array' ? c.type.element?.raw : c.type.raw)?.replace(/^pg_catalog\./, '').replace(/\[\]$/, '');
        if (!name || !UNSUPPORTED.has(name)) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} is ${c.type.raw}: pg_upgrade refuses a cluster with this column`,
          evidence: { type: c.type.raw },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ALTER COLUMN ${ctx.quoteIdent(c.name)} TYPE text USING ${ctx.quoteIdent(c.name)}::text;`,
        });
      }
    }
  },
});
