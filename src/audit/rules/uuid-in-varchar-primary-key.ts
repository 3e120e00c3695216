// Primary keys stored as varchar(32/36/38) (pg-index-health): UUIDs kept as
// text take 2-3x the space in the table and in every index and foreign key.
import { defineRule } from '../rule.js';
import { column, isPartition, tablesOf } from '../rule-helpers.js';

const UUID_LENGTHS = new Set([32, 36, 38]);
/** Key names that say "identifier": `version_num varchar(32)` (alembic) or a 32-character hash code is not a UUID. */
const ID_NAME = /(^|_)(id|uuid|guid)$/i;

export default defineRule({
  meta: {
    id: 'uuid-in-varchar-primary-key',
    code: 'PLB059',
    title: 'UUID primary key stored as varchar',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        'A primary key named like an identifier (`id`, `…_id`, `uuid`, `guid`) of type `varchar(36)` (or 32 / 38: a UUID without ' +
        'dashes or with braces) is almost always a UUID kept as text. The `uuid` type stores it in 16 bytes instead of 37-39, compares ' +
        'it as a number instead of collating a string, and rejects malformed values; the difference is paid again in every index and ' +
        'every foreign key that references it. Keys with other names are not reported: a 32-character revision number or hash code ' +
        '(alembic\'s `version_num`) is not a UUID.',
      bad: `CREATE TABLE devices (id varchar(36) PRIMARY KEY, label text NOT NULL);`,
      good: `CREATE TABLE devices (id uuid PRIMARY KEY, label text NOT NULL);`,
      remediation: '`ALTER TABLE … ALTER COLUMN id TYPE uuid USING id::uuid` (rewrites the table and its referencing keys; plan it), after checking every value parses.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table) || !table.primaryKey) continue;
      for (const name of table.primaryKey.columns) {
        const c = column(table, name);
        if (!c || (c.type.kind !== 'varchar' && c.type.kind !== 'char') || !UUID_LENGTHS.has(c.type.length ?? -1) || !ID_NAME.test(c.name)) continue;
        ctx.report({
          path: c.path,
          message: `primary key column ${c.path} is ${c.type.raw}: a UUID stored as text (use the uuid type)`,
          evidence: { type: c.type.raw },
        });
      }
    }
  },
});
