// A `<thing>_id` column without a foreign key whose name points at a table's
// key but whose type differs from it: the reference cannot be declared as is,
// joins cast, and the child cannot hold every key (SchemaCrawler's and
// pg-index-health's FK type mismatch, for references nobody declared).
import { defineRule } from '../rule.js';
import { isPartition, tablesOf, typeKey } from '../rule-helpers.js';
import { impliedParentByName } from '../data/relations.js';

export default defineRule({
  meta: {
    id: 'implied-reference-type-mismatch',
    code: 'PLB009',
    title: 'Implied reference has a different type than the key it names',
    category: 'integrity',
    severity: 'warning',
    docs: {
      description:
        'A column named like a reference (`<thing>_id`, `<thing>Id`, see missing-foreign-key) with no foreign key declared, whose type is not the ' +
        'type of the key it names: `text` against a `bigint` key, `integer` against `bigint`, `varchar(20)` against `uuid`. A FOREIGN KEY cannot be ' +
        'added until the types agree, every join casts (and so cannot use the key\'s index), and values valid in the parent may not fit the child. ' +
        'Declared foreign keys are covered by foreign-key-type-mismatch.',
      bad: `CREATE TABLE warehouses (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL);
CREATE TABLE stock_moves (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  warehouse_id text NOT NULL,
  quantity     integer NOT NULL
);`,
      good: `CREATE TABLE warehouses (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL);
CREATE TABLE stock_moves (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  warehouse_id bigint NOT NULL REFERENCES warehouses (id),
  quantity     integer NOT NULL
);
CREATE INDEX stock_moves_warehouse_id_idx ON stock_moves (warehouse_id);`,
      remediation:
        'Convert the column to the key\'s exact type (after checking every value converts), then declare the foreign key (NOT VALID, then VALIDATE). ' +
        'If the column is not a reference at all, rename it so it does not read like one.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const col of table.columns) {
        if (table.foreignKeys.some((fk) => fk.columns.includes(col.name))) continue;
        const named = impliedParentByName(ctx.catalog, table, col);
        if (!named || typeKey(named.key.type) === typeKey(col.type)) continue;
        ctx.report({
          path: col.path,
          message: `${col.path} (${col.type.raw}) reads as a reference to ${named.key.path} but that key is ${named.key.type.raw}`,
          evidence: { references: named.key.path, columnType: col.type.raw, keyType: named.key.type.raw },
        });
      }
    }
  },
});
