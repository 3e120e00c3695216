// Names exactly as long as the server keeps them: Postgres cuts identifiers
// to NAMEDATALEN-1 (63) bytes with only a NOTICE, so a name of exactly that
// length was almost always longer in the migration that created it.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

/** Suffixes of the names Postgres generates for constraints, indexes and sequences (ChooseRelationName). */
const GENERATED_SUFFIX = /_(pkey|key|fkey|check|excl|idx|seq|not_null)\d*$/;

interface Named {
  kind: string;
  name: string;
  path: string;
  /** Names the object is built from (an index's columns): a name ending on one of their words is whole. */
  parts?: string[];
}

const wordsOf = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

export default defineRule({
  meta: {
    id: 'truncated-identifier',
    code: 'PLB053',
    title: 'Identifier truncated to the server\'s maximum length',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    options: { maxBytes: 63 },
    docs: {
      description:
        'Postgres silently truncates identifiers longer than 63 bytes (NAMEDATALEN − 1) and only says so in a NOTICE. A table, column, index ' +
        'or constraint whose name is exactly 63 bytes long was almost certainly cut: the migration, the ORM and the error messages name ' +
        'something that does not exist, two long names can collide after the cut, and the next migration that uses the full name fails. ' +
        'Multi-byte characters count by bytes, not characters. Names the server generated itself (`…_pkey`, `…_fkey`, `…_idx`, `…_seq`) are ' +
        'shortened to fit on purpose and are not reported, nor are names that end on a whole word used elsewhere in the schema (or on one of ' +
        'the object\'s own columns): those were chosen to fit, as Rails does for its 63-character index names; a cut name ends mid-word.',
      bad: `CREATE TABLE customer_subscription_billing_adjustment_history_entries_archive (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  note text NOT NULL
);`,
      good: `CREATE TABLE subscription_adjustments_archive (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  note text NOT NULL
);`,
      remediation: 'Rename the object to a name under 63 bytes (declare `renamedFrom` in the spec), and use that name in the migrations and the code.',
    },
  },
  check(ctx) {
    const max = Number(ctx.options.maxBytes ?? 63);
    const named: Named[] = [];
    for (const s of ctx.catalog.schemas) {
      named.push(...s.views.map((v) => ({ kind: 'view', name: v.name, path: v.path })));
      named.push(...s.sequences.map((q) => ({ kind: 'sequence', name: q.name, path: q.path })));
      named.push(...s.routines.map((r) => ({ kind: r.kind, name: r.name, path: r.path })));
      named.push(...s.enums.map((e) => ({ kind: 'type', name: e.name, path: e.path })));
    }
    for (const { table: t } of tablesOf(ctx.catalog)) {
      named.push({ kind: 'table', name: t.name, path: t.path });
      named.push(...t.columns.map((c) => ({ kind: 'column', name: c.name, path: c.path })));
      named.push(...t.indexes.filter((i) => !i.constraint && !i.primary).map((i) => ({ kind: 'index', name: i.name, path: i.path, parts: i.elements.flatMap((e) => (e.column ? [e.column] : [])) })));
      if (t.primaryKey) named.push({ kind: 'primary key', name: t.primaryKey.name, path: t.primaryKey.path });
      named.push(...t.uniques.map((u) => ({ kind: 'unique constraint', name: u.name, path: u.path, parts: u.columns })));
      named.push(...t.foreignKeys.map((f) => ({ kind: 'foreign key', name: f.name, path: f.path, parts: [...f.columns, f.references.table] })));
      named.push(...t.checks.map((c) => ({ kind: 'check constraint', name: c.name, path: c.path })));
      named.push(...t.triggers.map((g) => ({ kind: 'trigger', name: g.name, path: g.path })));
    }
    // Every word used in a table, view or column name: a cut name ends inside a word, so its last word is
    // rarely one of these; a name that was chosen to fit (Rails refuses index names over 63) ends on one.
    const vocabulary = new Map<string, number>();
    for (const n of named) if (n.kind === 'table' || n.kind === 'view' || n.kind === 'column') for (const w of new Set(wordsOf(n.name))) vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
    const whole = (n: Named): boolean => {
      if (/[^a-z0-9]$/i.test(n.name)) return false;
      const last = wordsOf(n.name).at(-1);
      if (!last) return false;
      if (n.parts?.some((p) => wordsOf(p).includes(last))) return true;
      const own = wordsOf(n.name).filter((w) => w === last).length;
      return (vocabulary.get(last) ?? 0) > (n.kind === 'table' || n.kind === 'view' || n.kind === 'column' ? Math.min(own, 1) : 0);
    };
    const seen = new Set<string>();
    for (const n of named) {
      if (Buffer.byteLength(n.name, 'utf8') !== max || seen.has(`${n.kind}\u0000${n.path}`)) continue;
      // Names the server generated (`<table>_<col>_fkey`, `<table>_id_seq`) are shortened to fit on purpose.
      if (n.kind !== 'table' && n.kind !== 'column' && GENERATED_SUFFIX.test(n.name)) continue;
      if (whole(n)) continue;
      seen.add(`${n.kind}\u0000${n.path}`);
      ctx.report({
        path: n.path,
        key: n.kind,
        message: `${n.kind} ${n.name} is exactly ${max} bytes long: the server probably truncated a longer name`,
        evidence: { kind: n.kind, bytes: max },
      });
    }
  },
});
