// A `<thing>_id` column without a foreign key whose name points at a table's
// key but whose type differs from it: the reference cannot be declared as is,
// joins cast, and the child cannot hold every key (SchemaCrawler's and
// pg-index-health's FK type mismatch, for references nobody declared).
import type { Column, ColumnType, Table, TypeKind } from '../../catalog/types.js';
import { defineRule, type RuleContext } from '../rule.js';
import { typeFamily } from '../data/names.js';
import { runQuery, scanSource } from '../data/sql.js';
import { isPartition, tablesOf, typeKey } from '../rule-helpers.js';
import { impliedParentByName } from '../data/relations.js';

const INT_WIDTH: Partial<Record<TypeKind, number>> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 8 };

/**
 * A wider column of the same family holds every key and compares through the
 * key's index (`bigint = integer` has cross-type btree operators; a longer
 * varchar is still text): legacy `integer` keys referenced by newer `bigint`
 * columns are common in Rails schemas and harmless. Narrower or another
 * family is what breaks.
 */
function holdsEveryKey(col: ColumnType, key: ColumnType): boolean {
  const a = INT_WIDTH[col.kind];
  const b = INT_WIDTH[key.kind];
  if (a !== undefined && b !== undefined) return a >= b && !(key.unsigned && !col.unsigned && a === b);
  const text = new Set<TypeKind>(['text', 'varchar']);
  if (text.has(col.kind) && text.has(key.kind)) return col.kind === 'text' || (key.kind === 'varchar' && (col.length ?? Infinity) >= (key.length ?? Infinity));
  return false;
}

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
        'A wider column of the same family (`bigint` naming an `integer` key, `text` naming a `varchar` key) holds every key and is not reported. ' +
        'Across type families (`text` against `bigint`) the column is reported only when its values (the first 200, read-only) all look like ' +
        'keys of the parent\'s type: `external_subscription_id` holding a vendor\'s `sub_…` ids is another identifier, not a broken reference ' +
        '(without a connection — a catalog-only audit or `--no-data` — only same-family mismatches are reported). ' +
        'Declared foreign keys are covered by foreign-key-type-mismatch.',
      bad: `CREATE TABLE warehouses (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL);
CREATE TABLE stock_moves (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  warehouse_id text NOT NULL,
  quantity     integer NOT NULL
);
INSERT INTO warehouses (code) VALUES ('north'), ('south');
INSERT INTO stock_moves (warehouse_id, quantity) VALUES ('1', 5), ('2', -3);`,
      good: `CREATE TABLE warehouses (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL);
CREATE TABLE stock_moves (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  warehouse_id bigint NOT NULL REFERENCES warehouses (id),
  quantity     integer NOT NULL
);
CREATE INDEX stock_moves_warehouse_id_idx ON stock_moves (warehouse_id);
INSERT INTO warehouses (code) VALUES ('north'), ('south');
INSERT INTO stock_moves (warehouse_id, quantity) VALUES (1, 5), (2, -3);`,
      remediation:
        'Convert the column to the key\'s exact type (after checking every value converts), then declare the foreign key (NOT VALID, then VALIDATE). ' +
        'If the column is not a reference at all, rename it so it does not read like one.',
    },
  },
  async check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const col of table.columns) {
        if (table.foreignKeys.some((fk) => fk.columns.includes(col.name))) continue;
        const named = impliedParentByName(ctx.catalog, table, col);
        if (!named || typeKey(named.key.type) === typeKey(col.type) || holdsEveryKey(col.type, named.key.type)) continue;
        const keyFamily = typeFamily(named.key);
        let evidence: Record<string, unknown> = { references: named.key.path, columnType: col.type.raw, keyType: named.key.type.raw };
        if (typeFamily(col) !== keyFamily) {
          // Another type family is as often another identifier (`external_subscription_id` holding the
          // vendor's id, `action_id` holding an action name) as a mistyped reference: the values decide.
          const looks = await valuesLookLikeKeys(ctx, table, col, keyFamily);
          if (!looks) continue;
          evidence = { ...evidence, ...looks };
        }
        ctx.report({
          path: col.path,
          message: `${col.path} (${col.type.raw}) reads as a reference to ${named.key.path} but that key is ${named.key.type.raw}`,
          evidence,
          ...(evidence.sampled ? { sampled: true } : {}),
        });
      }
    }
  },
});

const SHAPES: Record<string, RegExp> = {
  int: /^-?\d{1,19}$/,
  uuid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
};

/** Whether the column's (sampled) values are all shaped like the key's family; null when they are not, or nothing can be read. */
async function valuesLookLikeKeys(ctx: RuleContext, t: Table, c: Column, family: string): Promise<{ valuesChecked: number; sampled?: boolean } | null> {
  const shape = SHAPES[family];
  if (!shape || !ctx.query) return null;
  const src = await scanSource(ctx, t, [c.name]);
  if (!src) return null;
  const q = ctx.quoteIdent(c.name);
  const rows = await runQuery<{ v: unknown }>(ctx, c.path, `SELECT src.${q} AS v FROM ${src.from} WHERE src.${q} IS NOT NULL LIMIT ${SAMPLE_VALUES}`);
  if (!rows?.length) return null;
  if (!rows.every((r) => shape.test(String(r.v).trim()))) return null;
  return { valuesChecked: rows.length, ...(src.sampled ? { sampled: true } : {}) };
}

const SAMPLE_VALUES = 200;
