// Columns holding large-object handles (pg-index-health "columns with blob
// type"): oid / lo values point into pg_largeobject, which deleting the row
// does not clean.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'large-object-column',
    code: 'PLB078',
    title: 'Column holds large-object handles (oid / lo)',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        'A column of type `oid` (or the `lo` extension\'s domain over it) stores a handle to a large object in `pg_largeobject`. Deleting ' +
        'or updating the row leaves the object behind unless a trigger unlinks it (`lo_manage`) or `vacuumlo` runs, so storage grows ' +
        'without bound; the objects are not copied by logical replication, and reading them takes extra round trips. `bytea` (or `text`) ' +
        'keeps the value in the row, TOASTed when large.',
      bad: `CREATE TABLE attachments (id bigint PRIMARY KEY, body oid NOT NULL);`,
      good: `CREATE TABLE attachments (id bigint PRIMARY KEY, body bytea NOT NULL);`,
      remediation: 'Migrate the contents to a bytea column (`lo_get(body)`), then `lo_unlink` the objects; until then, add a `lo_manage` trigger and run `vacuumlo`.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        const raw = c.type.raw.replace(/^(pg_catalog|public)\./, '').toLowerCase();
        if (raw !== 'oid' && !(c.type.kind === 'domain' && /(^|\.)lo$/.test(c.type.ref ?? raw))) continue;
        ctx.report({ path: c.path, message: `${c.path} is ${c.type.raw}: it holds large-object handles that deleting the row does not free`, evidence: { type: c.type.raw } });
      }
    }
  },
});
