// A run killed while a DDL statement ran leaves it journaled `started`, and
// only the catalog can tell whether it committed. Here it did not (the
// object is absent): resume runs it, and rollback must not undo a step that
// never happened (before: `Unknown table` on DROP). When it did, resume skips
// it (fault-injection-kit.ts, killed-during-ddl).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { ApplyStore } from '../../src/apply/apply-store.js';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planSteps, type Plan } from '../../src/plan/types.js';
import { freshTarget, targetCatalog, type ApplyTarget } from '../helpers/apply-targets.js';
import { mysqlServer } from '../helpers/mysql.js';

const A = ['CREATE TABLE rk_items (id INT NOT NULL PRIMARY KEY, sku VARCHAR(20)) ENGINE=InnoDB'];
const B = [
  'CREATE TABLE rk_items (id INT NOT NULL PRIMARY KEY, sku VARCHAR(20), qty INT) ENGINE=InnoDB',
  'CREATE TABLE rk_moves (id INT NOT NULL PRIMARY KEY, item_id INT) ENGINE=InnoDB',
];

describe.runIf(!!mysqlServer())('MariaDB: a statement journaled started that never took effect', () => {
  let db: ApplyTarget;
  let scratch: ApplyTarget;
  let to: Catalog;
  beforeAll(async () => {
    db = await freshTarget('mariadb');
    scratch = await freshTarget('mariadb');
    to = await targetCatalog(scratch, db, B);
  });
  afterAll(async () => {
    await db?.dispose();
    await scratch?.dispose();
  });

  let plan: Plan;
  let from: Catalog;
  beforeEach(async () => {
    await db.reset();
    await db.run(A);
    from = await db.inspect();
    plan = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: getDialect('mysql'), options: { schemas: db.schemas } });
    await db.forget(plan.checksum);
    const create = planSteps(plan).find((s) => s.kind === 'createTable')!;
    expect(create.forward).toHaveLength(1);
    // Killed "during" CREATE TABLE: the journal says started; the table is not there (it had not committed).
    await expect(
      applyPlan(db.conn, plan, {
        afterStatement: (at) => {
          if (at.stepId === create.id) throw new Error('killed');
        },
      }),
    ).rejects.toThrow(/killed/);
    await db.conn.exec('DROP TABLE rk_moves');
    const journal = await new ApplyStore(getDialect('mysql'), db.conn).readJournal(plan.checksum);
    expect(journal.find((j) => j.step_id === create.id)?.status).toBe('started');
  });

  it('rollback undoes what ran and leaves the step that never happened alone', async () => {
    const r = await applyPlan(db.conn, plan, { rollback: true });
    expect(r.outcome).toBe('rolled-back');
    expect(diffCatalogs(await db.inspect(), from)).toEqual([]);
  });

  it('resume runs it, and reaches the target', async () => {
    const r = await applyPlan(db.conn, plan, { resume: true });
    expect(r.outcome).toBe('resumed');
    expect(diffCatalogs(await db.inspect(), to)).toEqual([]);
  });
});
