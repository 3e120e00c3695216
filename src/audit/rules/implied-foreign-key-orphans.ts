// PLB101: rows of a `<thing>_id` column with no foreign key whose value
// matches no row of the table the name implies (`gauge_id` → gauges). The
// missing constraint itself is a catalog rule; this one counts the damage.
import { defineRule } from '../rule.js';
import type { Column, Table } from '../../catalog/types.js';
import type { RuleContext } from '../rule.js';
import { countOrphansMany, hasDeclaredForeignKey, impliedParent, orphanCleanupSql, orphanProbe, type OrphanCheck, type Relation } from '../data/relations.js';
import { dataTables, sampleNote } from '../data/sql.js';

type Implied = { column: Column; parent: Table; key: Column };

/** Every `<thing>_id` column without a foreign key whose name points at another table. */
function checksOf(ctx: RuleContext): OrphanCheck<Implied>[] {
  const checks: OrphanCheck<Implied>[] = [];
  for (const t of dataTables(ctx.catalog)) {
    for (const col of t.columns) {
      if (hasDeclaredForeignKey(t, col.name)) continue;
      const implied = impliedParent(ctx.catalog, t, col);
      if (!implied || implied.table === t) continue; // self-references: self-referencing-rows
      const rel: Relation = { child: t, columns: [col.name], parent: { schema: implied.table.schema, table: implied.table.name }, parentColumns: [implied.key.name] };
      checks.push({ rel, path: col.path, about: { column: col, parent: implied.table, key: implied.key } });
    }
  }
  return checks;
}

export default defineRule({
  meta: {
    id: 'implied-foreign-key-orphans',
    code: 'PLB101',
    title: 'Implied reference with orphaned rows',
    category: 'integrity',
    severity: 'warning',
    data: true,
    docs: {
      description:
        'A column named `<thing>_id` with no foreign key, in a schema that has a table `<thing>s` (also `<thing>`, the child\'s prefix as in `core_users`, or the last word of `created_by_user_id`), holds values that match no row of that table. Without a constraint nothing stops deletes from leaving such rows behind (seed 000: orphaned `gauge_notes`, audit rows of deleted users).',
      bad: `CREATE TABLE gauges (id int PRIMARY KEY);
CREATE TABLE gauge_notes (id int PRIMARY KEY, gauge_id int, note text);
INSERT INTO gauges VALUES (1);
INSERT INTO gauge_notes VALUES (1, 1, 'ok'), (2, 42, 'gauge 42 no longer exists');`,
      good: `CREATE TABLE gauges (id int PRIMARY KEY);
CREATE TABLE gauge_notes (id int PRIMARY KEY, gauge_id int, note text);
INSERT INTO gauges VALUES (1), (42);
INSERT INTO gauge_notes VALUES (1, 1, 'ok'), (2, 42, 'still here');`,
      remediation:
        'Clean the orphans (re-point, NULL or delete them), then declare the relationship so the engine keeps it true: `ALTER TABLE child ADD CONSTRAINT … FOREIGN KEY (thing_id) REFERENCES things (id)`.',
    },
  },
  probes: (ctx) => checksOf(ctx).map((c) => orphanProbe(ctx, c.rel)),
  async check(ctx) {
    for (const { check, result: r } of await countOrphansMany(ctx, checksOf(ctx))) {
      const { rel, about } = check;
      const t = rel.child;
      const col = about.column;
      const table = ctx.quoteQualified(t.schema, t.name);
      const fkName = `${t.name}_${col.name}_fkey`;
      ctx.report({
        path: col.path,
        message: `${r.orphans} row${r.orphans === 1 ? '' : 's'} of ${t.path} ha${r.orphans === 1 ? 's' : 've'} a ${col.name} matching no ${about.parent.path}.${about.key.name}, and no foreign key declares the relationship${sampleNote(r.sampled, ctx, t)}`,
        evidence: {
          orphans: r.orphans,
          impliedParent: `${about.parent.path}.${about.key.name}`,
          sampleKeys: r.sampleKeys,
          missingParentValues: r.missingValues,
        },
        fix: `${orphanCleanupSql(ctx, rel)}\nALTER TABLE ${table} ADD CONSTRAINT ${ctx.quoteIdent(fkName)} FOREIGN KEY (${ctx.quoteIdent(col.name)}) REFERENCES ${ctx.quoteQualified(about.parent.schema, about.parent.name)} (${ctx.quoteIdent(about.key.name)});`,
        ...(r.sampled ? { sampled: true } : {}),
      });
    }
  },
});
