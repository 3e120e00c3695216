// PLB100: rows whose declared foreign key points at no parent row. Possible
// when the constraint was added NOT VALID, or loaded with checks off (MySQL
// FOREIGN_KEY_CHECKS=0, SQLite foreign_keys=OFF). Bounded anti-join; read-only.
import { defineRule } from '../rule.js';
import type { ForeignKey } from '../../catalog/types.js';
import type { RuleContext } from '../rule.js';
import { countOrphansMany, orphanCleanupSql, orphanProbe, type OrphanCheck } from '../data/relations.js';
import { capabilitiesOf, dataTables, sampleNote } from '../data/sql.js';

/** The foreign keys to check: all of them, except validated ones where NOT VALID exists (the engine enforces those). */
function checksOf(ctx: RuleContext): OrphanCheck<ForeignKey>[] {
  const caps = capabilitiesOf(ctx);
  // Where NOT VALID exists, a validated FK is engine-enforced; elsewhere "validated" proves nothing.
  const trustValidated = caps?.notValidConstraints === true && ctx.options.checkValidated !== true;
  const checks: OrphanCheck<ForeignKey>[] = [];
  for (const t of dataTables(ctx.catalog)) {
    for (const fk of t.foreignKeys) {
      if (trustValidated && fk.validated) continue;
      if (fk.columns.length !== fk.references.columns.length) continue;
      checks.push({ rel: { child: t, columns: fk.columns, parent: { schema: fk.references.schema, table: fk.references.table }, parentColumns: fk.references.columns }, path: fk.path, about: fk });
    }
  }
  return checks;
}

export default defineRule({
  meta: {
    id: 'foreign-key-orphans',
    code: 'PLB100',
    title: 'Foreign key with orphaned rows',
    category: 'integrity',
    severity: 'error',
    data: true,
    docs: {
      description:
        'Rows whose foreign-key value matches no row of the referenced table. The engine lets this happen when the constraint was added `NOT VALID`, when data was loaded with checks disabled (MySQL `FOREIGN_KEY_CHECKS=0`, SQLite without `PRAGMA foreign_keys=ON`), or when triggers were bypassed. Joins silently drop these rows, and `VALIDATE CONSTRAINT` will fail until they are cleaned.\n\nOn engines that support `NOT VALID`, validated constraints are enforced and are only checked with the `checkValidated` option; elsewhere every foreign key is checked.',
      bad: `CREATE TABLE gauges (id int PRIMARY KEY);
CREATE TABLE gauge_notes (id int PRIMARY KEY, gauge_id int NOT NULL, note text);
INSERT INTO gauges VALUES (1);
INSERT INTO gauge_notes VALUES (1, 1, 'calibrated'), (2, 99, 'gauge 99 was deleted');
ALTER TABLE gauge_notes ADD CONSTRAINT gauge_notes_gauge_id_fkey
  FOREIGN KEY (gauge_id) REFERENCES gauges (id) NOT VALID;`,
      good: `CREATE TABLE gauges (id int PRIMARY KEY);
CREATE TABLE gauge_notes (id int PRIMARY KEY, gauge_id int NOT NULL, note text);
INSERT INTO gauges VALUES (1);
INSERT INTO gauge_notes VALUES (1, 1, 'calibrated'), (2, 1, 'recalibrated');
ALTER TABLE gauge_notes ADD CONSTRAINT gauge_notes_gauge_id_fkey
  FOREIGN KEY (gauge_id) REFERENCES gauges (id) NOT VALID;
ALTER TABLE gauge_notes VALIDATE CONSTRAINT gauge_notes_gauge_id_fkey;`,
      remediation:
        'Decide per orphan: re-point it to the right parent, set the reference to NULL, or delete the row (the `fix` shows the NULL/DELETE form). Then validate the constraint (`ALTER TABLE … VALIDATE CONSTRAINT …` on Postgres) so the engine enforces it from now on.',
    },
    options: { checkValidated: false },
  },
  probes: (ctx) => checksOf(ctx).map((c) => orphanProbe(ctx, c.rel)),
  async check(ctx) {
    const caps = capabilitiesOf(ctx);
    for (const { check, result: r } of await countOrphansMany(ctx, checksOf(ctx))) {
      const { rel, about: fk } = check;
      const t = rel.child;
      const parent = `${fk.references.schema}.${fk.references.table}`;
      let fix = orphanCleanupSql(ctx, rel);
      if (!fk.validated && caps?.notValidConstraints) fix += `\nALTER TABLE ${ctx.quoteQualified(t.schema, t.name)} VALIDATE CONSTRAINT ${ctx.quoteIdent(fk.name)};`;
      ctx.report({
        path: fk.path,
        message: `${r.orphans} row${r.orphans === 1 ? '' : 's'} of ${t.path} reference${r.orphans === 1 ? 's' : ''} no row of ${parent} through ${fk.columns.join(', ')} (constraint ${fk.name}${fk.validated ? '' : ', NOT VALID'})${sampleNote(r.sampled, ctx, t)}`,
        evidence: {
          orphans: r.orphans,
          constraint: fk.name,
          validated: fk.validated,
          columns: fk.columns,
          references: { table: parent, columns: fk.references.columns },
          sampleKeys: r.sampleKeys,
          missingParentValues: r.missingValues,
        },
        fix,
        ...(r.sampled ? { sampled: true } : {}),
      });
    }
  },
});
