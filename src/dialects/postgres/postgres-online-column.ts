// An online column type change on Postgres (expand / contract, as pgroll
// does): a new column of the target type kept in sync by a trigger, filled in
// batches, indexed concurrently, then swapped in by renames in one short
// transaction; the old column is dropped later, by `apply --contract`, once
// nothing reads it. Pure: decides and renders SQL; refuses (with the reason)
// any column whose dependents the renames would leave on the old column.
import type { Catalog, Column, Index, Table } from '../../catalog/types.js';
import type { ChangeOf } from '../../diff/changes.js';
import type { OnlineColumnChange, OnlineColumnRefusal } from '../../diff/render-types.js';
import { quoteIdent as q, quoteLiteral as literal } from './postgres-dialect.js';
import { createIndexSql, qCollation } from './postgres-render.js';
import { pgTypeSql } from './postgres-render-types.js';

const NAME_MAX = 63;
const nameOf = (...parts: string[]) => {
  const s = parts.join('_');
  return s.length <= NAME_MAX ? s : s.slice(0, NAME_MAX);
};
const mentions = (text: string | null | undefined, column: string) => !!text && new RegExp(`(^|[^\\w$])"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?([^\\w$]|$)`).test(text);

/**
 * Why this column cannot change type online in this table (live, or as the
 * plan leaves it), or undefined when it can: whatever refers to the column
 * by position would stay with the old column through the renames.
 */
function refusal(c: ChangeOf<'alterColumnType'>, t: Table, from: Catalog): string | undefined {
  const col = c.before.name;
  if (!t.primaryKey?.columns.length) return 'the table has no primary key to walk in batches';
  if (t.kind !== 'table' || t.partitionKey || t.partitionOf || t.inherits?.length) return 'the table is partitioned, a partition or inherits';
  if (c.using !== null) return 'the change has its own USING expression';
  if (c.before.identity || c.before.generated !== null || c.after.generated !== null) return 'an identity or generated column';
  if (c.before.default !== null && /nextval\s*\(/i.test(c.before.default)) return 'its default takes values from a sequence';
  if (t.primaryKey.columns.includes(col) || t.uniques.some((u) => u.columns.includes(col))) return 'it is part of a primary or unique key';
  if (t.foreignKeys.some((f) => f.columns.includes(col))) return 'it is part of a foreign key';
  for (const s of from.schemas) for (const o of s.tables) {
    if (o.foreignKeys.some((f) => f.references.schema === t.schema && f.references.table === t.name && f.references.columns.includes(col))) return `a foreign key of ${o.path} references it`;
  }
  if (t.checks.some((k) => mentions(k.expression, col)) || t.exclusions.length) return 'a check or exclusion constraint uses it';
  if (t.columns.some((o) => o.name !== col && mentions(o.generated, col))) return 'a generated column reads it';
  if (t.indexes.some((i) => i.constraint === null && usesColumn(i, col) && (i.predicate !== null || i.elements.some((e) => e.column === undefined && mentions(e.expression, col))))) return 'a partial or expression index uses it';
  if (t.triggers.some((tr) => mentions(tr.when, col))) return 'a trigger condition reads it';
  if (t.policies.some((p) => mentions(p.using, col) || mentions(p.withCheck, col))) return 'a row-level security policy reads it';
  for (const s of from.schemas) for (const v of s.views) if (mentions(v.definition, t.name) && mentions(v.definition, col)) return `view ${v.path} may read it`;
  return undefined;
}

function usesColumn(i: Index, col: string): boolean {
  return i.elements.some((e) => e.column === col || mentions(e.expression, col)) || i.include.includes(col) || mentions(i.predicate, col);
}

/** An index as the engine builds it: its name, path and comment aside. */
const shape = (i: Index) => JSON.stringify({ ...i, name: undefined, path: undefined, comment: undefined, valid: undefined });

export function postgresOnlineColumn(c: ChangeOf<'alterColumnType'>, t: Table, target: Table, from: Catalog, to: Catalog): OnlineColumnChange | OnlineColumnRefusal {
  const why = refusal(c, t, from) ?? refusal(c, target, to);
  if (why) return { refused: why };
  // Indexes the plan creates or changes on the column would be built on the old one, before the swap.
  const col0 = c.before.name;
  const changed = target.indexes.find((i) => i.constraint === null && usesColumn(i, col0) && !t.indexes.some((l) => l.name === i.name && shape(l) === shape(i)));
  if (changed) return { refused: `this plan creates or changes index ${changed.name} on it` };
  const tq = `${q(t.schema)}.${q(t.name)}`;
  const col = c.before.name;
  const names = {
    column: col,
    added: nameOf(col, 'plumb_new'),
    old: nameOf(col, 'plumb_old'),
    sync: nameOf(t.name, col, 'plumb_sync'),
    notNull: nameOf(col, 'plumb_new_not_null'),
  };
  const before: Column = c.before;
  const after: Column = c.after;
  const ty = pgTypeSql(after.type);
  const oldTy = pgTypeSql(before.type);
  const collate = after.collation ? ` COLLATE ${qCollation(after.collation)}` : '';
  const fn = `${q(t.schema)}.${q(names.sync)}`;
  const syncSql = [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $plumb$BEGIN NEW.${q(names.added)} := NEW.${q(col)}::${ty}; RETURN NEW; END$plumb$`,
    `CREATE TRIGGER ${q(names.sync)} BEFORE INSERT OR UPDATE OF ${q(col)} ON ${tq} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  ];
  const dropSync = [`DROP TRIGGER IF EXISTS ${q(names.sync)} ON ${tq}`, `DROP FUNCTION IF EXISTS ${fn}()`];
  // The indexes on the column the plan keeps; those it drops go with the old column's name.
  const indexes = t.indexes
    .filter((i) => i.constraint === null && usesColumn(i, col) && target.indexes.some((x) => x.name === i.name))
    .map((i) => {
      const rename = (x: string) => (x === col ? names.added : x);
      return {
        original: i.name,
        added: nameOf(i.name, 'plumb_new'),
        old: nameOf(i.name, 'plumb_old'),
        index: { ...i, name: nameOf(i.name, 'plumb_new'), path: `${t.path}.${nameOf(i.name, 'plumb_new')}`, elements: i.elements.map((e) => (e.column !== undefined ? { ...e, column: rename(e.column) } : e)), include: i.include.map(rename), comment: undefined },
        oldIndex: { ...i, name: nameOf(i.name, 'plumb_old'), path: `${t.path}.${nameOf(i.name, 'plumb_old')}`, elements: i.elements.map((e) => (e.column === col ? { ...e, column: names.old } : e)), include: i.include.map((x) => (x === col ? names.old : x)), comment: undefined },
      };
    });
  const idx = (name: string) => `${q(t.schema)}.${q(name)}`;
  const newDefault = after.default !== null && after.default !== before.default;

  // The old column is no longer written once the new one takes its name: it must accept the rows inserted from
  // now on, whatever default or NOT NULL it had or the plan gave it before the swap.
  const swap: string[] = [...dropSync, `ALTER TABLE ${tq} ALTER COLUMN ${q(col)} DROP DEFAULT`, `ALTER TABLE ${tq} ALTER COLUMN ${q(col)} DROP NOT NULL`];
  swap.push(`ALTER TABLE ${tq} RENAME COLUMN ${q(col)} TO ${q(names.old)}`, `ALTER TABLE ${tq} RENAME COLUMN ${q(names.added)} TO ${q(col)}`);
  if (after.default !== null) swap.push(`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} SET DEFAULT ${after.default}`);
  // Through the validated check: no scan under the exclusive lock.
  if (!after.nullable) swap.push(`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} SET NOT NULL`, `ALTER TABLE ${tq} DROP CONSTRAINT ${q(names.notNull)}`);
  for (const i of indexes) swap.push(`ALTER INDEX ${idx(i.original)} RENAME TO ${q(i.old)}`, `ALTER INDEX ${idx(i.added)} RENAME TO ${q(i.original)}`);
  if (after.comment !== null) swap.push(`COMMENT ON COLUMN ${tq}.${q(col)} IS ${literal(after.comment)}`);

  const unswap: string[] = [];
  if (after.comment !== null) unswap.push(`COMMENT ON COLUMN ${tq}.${q(col)} IS NULL`);
  for (const i of [...indexes].reverse()) unswap.push(`ALTER INDEX ${idx(i.original)} RENAME TO ${q(i.added)}`, `ALTER INDEX ${idx(i.old)} RENAME TO ${q(i.original)}`);
  // The check goes back as the step before left it, so that step's own rollback finds it.
  if (!after.nullable) unswap.push(`ALTER TABLE ${tq} ADD CONSTRAINT ${q(names.notNull)} CHECK (${q(col)} IS NOT NULL) NOT VALID`, `ALTER TABLE ${tq} ALTER COLUMN ${q(col)} DROP NOT NULL`);
  if (after.default !== null) unswap.push(`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} DROP DEFAULT`);
  unswap.push(`ALTER TABLE ${tq} RENAME COLUMN ${q(col)} TO ${q(names.added)}`, `ALTER TABLE ${tq} RENAME COLUMN ${q(names.old)} TO ${q(col)}`);
  // Rows written since the swap hold their value only in the new column.
  unswap.push(`UPDATE ${tq} SET ${q(col)} = ${q(names.added)}::${oldTy} WHERE ${q(col)} IS NULL AND ${q(names.added)} IS NOT NULL`);
  if (before.default !== null) unswap.push(`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} SET DEFAULT ${before.default}`);
  if (!before.nullable) unswap.push(`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} SET NOT NULL`);
  unswap.push(...syncSql);

  return {
    names,
    impact: { lock: 'ACCESS EXCLUSIVE', blocks: 'reads-and-writes', work: 'metadata' },
    expand: {
      // Rows written meanwhile without a value get the target default already, through the old column.
      forward: [`ALTER TABLE ${tq} ADD COLUMN ${q(names.added)} ${ty}${collate}`, ...syncSql, ...(newDefault ? [`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} SET DEFAULT ${after.default}`] : [])],
      rollback: [
        ...(newDefault ? [`ALTER TABLE ${tq} ALTER COLUMN ${q(col)} ${before.default !== null ? `SET DEFAULT ${before.default}` : 'DROP DEFAULT'}`] : []),
        ...dropSync,
        `ALTER TABLE ${tq} DROP COLUMN IF EXISTS ${q(names.added)}`,
      ],
    },
    backfill: { column: names.added, expression: `${q(col)}::${ty}`, onlyWhere: `${q(col)} IS NOT NULL` },
    notNull: after.nullable ? null : { name: names.notNull, expression: `${q(names.added)} IS NOT NULL`, column: names.added },
    indexes: indexes.map((i) => ({ index: i.index })),
    swap: { forward: swap, rollback: unswap },
    contract: {
      forward: [`ALTER TABLE ${tq} DROP COLUMN ${q(names.old)}`],
      // The old column comes back empty; the swap's rollback fills it from the new one, and its indexes with it.
      rollback: [`ALTER TABLE ${tq} ADD COLUMN ${q(names.old)} ${oldTy}`, ...indexes.map((i) => createIndexSql({ schema: t.schema, name: t.name }, i.oldIndex))],
    },
  };
}
