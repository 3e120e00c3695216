// Same column name, different types across a schema's tables (SchemaCrawler's
// "column with same name but different data types", pg-index-health's
// "columns with inconsistent types"): `user_id` integer here, bigint there.
import type { TypeKind } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { isPartition } from '../rule-helpers.js';

/** Kinds that differ only in length or spelling count as one: varchar(50) beside text is a length choice, not a different type. */
function family(kind: TypeKind): string {
  return kind === 'varchar' || kind === 'text' || kind === 'char' ? 'string' : kind;
}

/** What a value of the kind is: integers of every width are numbers, a timestamp with or without zone a point in time. */
function category(kind: TypeKind): string {
  if (['smallint', 'int', 'bigint', 'tinyint', 'mediumint', 'numeric', 'real', 'double', 'money', 'year'].includes(kind)) return 'number';
  if (['date', 'time', 'timetz', 'timestamp', 'timestamptz'].includes(kind)) return 'time';
  if (kind === 'varchar' || kind === 'text' || kind === 'char' || kind === 'enum') return 'string';
  if (kind === 'json' || kind === 'jsonb') return 'json';
  if (kind === 'bytea' || kind === 'blob') return 'binary';
  return kind;
}

/** A name that joins tables (`id`, `user_id`, `order_ref`, `account_uuid`): its types must agree whatever they are. */
const KEY_LIKE = /(^|_)(id|uuid|ref|key|code)$/i;

export default defineRule({
  meta: {
    id: 'inconsistent-column-types',
    code: 'PLB061',
    title: 'Same column name with different types',
    category: 'design',
    severity: 'info',
    docs: {
      description:
        'When `user_id` is `integer` in one table and `bigint` in another (or `created_at` is `timestamp` here and `timestamptz` there), ' +
        'joins between them need casts that defeat indexes, the narrower one overflows first, and application code cannot treat the ' +
        'column the same way everywhere. Reported once per column name and schema, listing each type and the tables that use it. ' +
        'Text types that differ only in length (`varchar(50)`, `varchar(255)`, `text`) count as one type; so do enums. ' +
        'A generic name used for different kinds of value (`status` a number here and text there, `time` a timestamp here and a ' +
        'counter there) is two columns that share a name, not one column with two types: it is reported only when the name ' +
        'joins tables (`id`, `*_id`, `*_uuid`, `*_ref`, `*_key`, `*_code`).',
      bad: `CREATE TABLE orders (id bigint PRIMARY KEY, customer_ref bigint NOT NULL);
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_ref integer NOT NULL);`,
      good: `CREATE TABLE orders (id bigint PRIMARY KEY, customer_ref bigint NOT NULL);
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_ref bigint NOT NULL);`,
      remediation: 'Change the narrower columns to the common type (a table rewrite for each: plan it), and use that type for the name from now on.',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      const byName = new Map<string, Map<string, { raw: Set<string>; tables: string[] }>>();
      for (const t of s.tables) {
        if (isPartition(t) || (t.inherits?.length ?? 0) > 0) continue;
        for (const c of t.columns) {
          const f = family(c.type.kind);
          const types = byName.get(c.name) ?? new Map<string, { raw: Set<string>; tables: string[] }>();
          const entry = types.get(f) ?? { raw: new Set<string>(), tables: [] };
          entry.raw.add(c.type.raw);
          entry.tables.push(t.name);
          types.set(f, entry);
          byName.set(c.name, types);
        }
      }
      for (const [name, types] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
        if (types.size < 2) continue;
        if (new Set([...types.keys()].map((f) => category(f === 'string' ? 'text' : (f as TypeKind)))).size > 1 && !KEY_LIKE.test(name)) continue;
        const uses = [...types.values()]
          .map((e) => ({ type: [...e.raw].sort().join(' / '), tables: e.tables.sort() }))
          .sort((a, b) => b.tables.length - a.tables.length || a.type.localeCompare(b.type));
        ctx.report({
          path: s.path,
          key: name,
          message: `column ${name} has ${types.size} types in ${s.name}: ${uses.map((u) => `${u.type} in ${u.tables.length > 3 ? `${u.tables.slice(0, 3).join(', ')} and ${u.tables.length - 3} more` : u.tables.join(', ')}`).join('; ')}`,
          evidence: { column: name, types: uses },
        });
      }
    }
  },
});
