// applyPlan end to end on SQLite (a file database, opened by URL like
// sqlite:./file.db) and MariaDB: pre-check refusal, quarantine, journal and
// history rows, already-applied, resume on a new connection after the process
// died mid-apply, rollback to exactly the rows and catalog before, and (SQLite)
// foreign keys: enforcement off during rebuilds, restored after, and checked
// before every commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { ApplyStore } from '../../src/apply/apply-store.js';
import type { Catalog } from '../../src/catalog/types.js';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planSteps, type Plan } from '../../src/plan/types.js';
import { freshTarget, targetCatalog, type ApplyTarget, type TargetEngine } from '../helpers/apply-targets.js';
import { mysqlServer } from '../helpers/mysql.js';

const T: Record<TargetEngine, { int: string; text: string; money: string; wide: string; ts: string; suffix: string }> = {
  sqlite: { int: 'INTEGER', text: 'TEXT', money: 'NUMERIC(10,2)', wide: 'NUMERIC(12,2)', ts: 'TIMESTAMP', suffix: '' },
  mariadb: { int: 'INT', text: 'VARCHAR(100)', money: 'DECIMAL(10,2)', wide: 'DECIMAL(12,2)', ts: 'DATETIME', suffix: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' },
};

/** Table names carry a prefix: MariaDB keeps quarantined rows server-wide, named after the table. */
function shop(engine: TargetEngine): { A: string[]; B: string[]; customers: string } {
  const t = T[engine];
  const p = engine === 'sqlite' ? '' : 'ae_';
  const customers = `${p}customers`;
  const orders = `${p}orders`;
  return {
    customers,
    A: [
      `CREATE TABLE ${customers} (id ${t.int} NOT NULL PRIMARY KEY, email ${t.text}, name ${t.text})${t.suffix}`,
      `CREATE TABLE ${orders} (id ${t.int} NOT NULL PRIMARY KEY, customer_id ${t.int}, total ${t.money}, status ${t.text})${t.suffix}`,
      `INSERT INTO ${customers} VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B')`,
      `INSERT INTO ${orders} VALUES (10, 1, 5.00, 'new'), (11, 2, 7.50, 'paid'), (12, 99, 1.00, 'new'), (13, 98, 2.00, 'paid')`,
    ],
    B: [
      `CREATE TABLE ${customers} (id ${t.int} NOT NULL PRIMARY KEY, email ${t.text} NOT NULL, name ${t.text}, created_at ${t.ts} DEFAULT CURRENT_TIMESTAMP, CONSTRAINT ${p}customers_email_uq UNIQUE (email))${t.suffix}`,
      `CREATE TABLE ${orders} (id ${t.int} NOT NULL PRIMARY KEY, customer_id ${t.int}, total ${t.wide}, status ${t.text}, note ${t.text}, CONSTRAINT ${p}orders_total_chk CHECK (total >= 0), CONSTRAINT ${p}orders_customer_fk FOREIGN KEY (customer_id) REFERENCES ${customers} (id))${t.suffix}`,
      `CREATE INDEX ${p}orders_customer_idx ON ${orders} (customer_id)`,
      `CREATE VIEW ${p}order_totals AS SELECT customer_id, sum(total) AS total FROM ${orders} GROUP BY customer_id`,
    ],
  };
}

const engines: { engine: TargetEngine; enabled: boolean }[] = [
  { engine: 'sqlite', enabled: true },
  { engine: 'mariadb', enabled: !!mysqlServer() },
];

describe.each(engines)('applyPlan on $engine', ({ engine, enabled }) => {
  let db: ApplyTarget;
  let scratch: ApplyTarget;
  let to: Catalog;
  const { A, B, customers } = shop(engine);
  beforeAll(async () => {
    if (!enabled) return;
    db = await freshTarget(engine);
    scratch = await freshTarget(engine);
    to = await targetCatalog(scratch, db, B);
  });
  afterAll(async () => {
    await db?.dispose();
    await scratch?.dispose();
  });

  /** A fresh copy of A and its plan to B (its journal and history forgotten, so every test starts clean). */
  const setup = async (conn: Connection = db.conn): Promise<{ plan: Plan; from: Catalog; before: Record<string, string>; fkStep: string }> => {
    await db.reset();
    await db.run(A);
    const from = await db.inspect();
    const plan = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: getDialect(conn.dialect), options: { schemas: db.schemas } });
    await db.forget(plan.checksum);
    const fk = planSteps(plan).find((s) => s.kind === 'addForeignKey')!;
    return { plan, from, before: await db.content(), fkStep: fk.id };
  };
  const history = async (checksum: string) => {
    const store = new ApplyStore(getDialect(db.conn.dialect), db.conn);
    return db.conn.query<{ outcome: string; applied_by: string | null; steps: string }>(`SELECT outcome, applied_by, steps FROM ${store.history} WHERE plan_checksum = ? ORDER BY id`, [checksum]);
  };

  it.runIf(enabled)('refuses at the orphan pre-check, naming the rows, before anything runs (SQLite: one transaction; MariaDB, whose DDL commits itself: every pre-check first)', async () => {
    const { plan, from, before } = await setup();
    await expect(applyPlan(db.conn, plan)).rejects.toThrow(new RegExp(`2 row\\(s\\) reference no row of .*${customers}.*id=12.*id=13`));
    expect(await db.journalRows(plan.checksum)).toBe(0);
    expect(await db.content()).toEqual(before);
    expect(diffCatalogs(await db.inspect(), from)).toEqual([]);
    expect((await history(plan.checksum)).map((h) => h.outcome)).toEqual(['failed']);
  });

  it.runIf(enabled)('quarantines orphans, applies exactly, journals and records it; applying again is a no-op; rollback restores every row', async () => {
    const { plan, from, before, fkStep } = await setup();
    const r = await applyPlan(db.conn, plan, { remediate: { [fkStep]: 'quarantine' } });
    expect(r.outcome).toBe('applied');
    expect(r.preChecks.map((p) => [p.policy, p.count])).toEqual([['quarantine', 2]]);
    expect(diffCatalogs(await db.inspect(), to)).toEqual([]);
    if (engine === 'sqlite') {
      // plumb's tables share SQLite's one schema: they stand for plumb's schemas, so excluding those leaves them out.
      const all = (await getDialect('sqlite').introspect(db.conn)).schemas[0]!.tables.map((t) => t.name);
      expect(all).toEqual(expect.arrayContaining(['plumb_journal', 'plumb_history', `plumb_quarantine_main__orders_${fkStep.replace('.', '_')}`]));
      expect((await db.inspect()).schemas[0]!.tables.map((t) => t.name).filter((n) => n.startsWith('plumb_'))).toEqual([]);
    }
    const after = await db.content();
    expect(after[`${engine === 'sqlite' ? '' : 'ae_'}orders`]).toMatch(/^2:/);

    // Journal: every forward statement done, plus the quarantine (a negative index).
    const store = new ApplyStore(getDialect(db.conn.dialect), db.conn);
    const journal = await store.readJournal(plan.checksum);
    const total = planSteps(plan).reduce((n, s) => n + s.forward.length, 0);
    expect(journal.filter((j) => j.statement_index >= 0 && j.status === 'done')).toHaveLength(total);
    expect(journal.filter((j) => j.statement_index < 0).map((j) => j.step_id)).toEqual([fkStep]);
    // History: who applied (SQLite has no users) and the steps' outcomes.
    const [h] = await history(plan.checksum);
    expect(h!.outcome).toBe('applied');
    if (engine === 'sqlite') expect(h!.applied_by).toBeNull();
    else expect(h!.applied_by).toMatch(/^root@/);
    expect(JSON.parse(h!.steps).steps).toHaveLength(planSteps(plan).length);

    expect((await applyPlan(db.conn, plan)).outcome).toBe('already-applied');
    expect((await applyPlan(db.conn, plan, { rollback: true })).outcome).toBe('rolled-back');
    expect(await db.content()).toEqual(before);
    expect(diffCatalogs(await db.inspect(), from)).toEqual([]);
    expect(await db.journalRows(plan.checksum)).toBe(0);
    expect((await history(plan.checksum)).map((x) => x.outcome)).toEqual(['applied', 'rolled-back']);
  });

  it.runIf(enabled)('resumes on a new connection after the process died mid-apply', async () => {
    const { plan, fkStep } = await setup();
    const total = planSteps(plan).reduce((n, s) => n + s.forward.length, 0);
    const first = await connect(db.url);
    const mid = Math.floor(total / 2);
    try {
      await expect(
        applyPlan(first, plan, {
          singleTransaction: false,
          remediate: { [fkStep]: 'quarantine' },
          beforeStatement: (at) => {
            if (at.global === mid) throw new Error('power cut');
          },
        }),
      ).rejects.toThrow(/power cut/);
    } finally {
      await first.close();
    }
    const journaled = await db.journalRows(plan.checksum);
    expect(journaled).toBeGreaterThan(0);
    expect(journaled).toBeLessThan(total);
    const second = await connect(db.url);
    try {
      const r = await applyPlan(second, plan, { singleTransaction: false, remediate: { [fkStep]: 'quarantine' }, resume: true });
      expect(r.outcome).toBe('resumed');
      expect(r.steps.filter((s) => s.status === 'skipped').length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
    expect(diffCatalogs(await db.inspect(), to)).toEqual([]);
    expect((await history(plan.checksum)).map((x) => x.outcome)).toEqual(['failed', 'applied']);
  });

  it.runIf(enabled && engine === 'mariadb')('journals a statement the engine refuses as failed: resume runs it again once the rows are fixed', async () => {
    await db.reset();
    const jobs = (extra: string) => `CREATE TABLE ae_jobs (id INT NOT NULL PRIMARY KEY, code ${extra})${T.mariadb.suffix}`;
    await db.run([jobs('VARCHAR(10), note VARCHAR(100)'), `INSERT INTO ae_jobs VALUES (1, '7', 'x'), (2, 'x8', 'y')`]);
    const from = await db.inspect();
    const target = await targetCatalog(scratch, db, [jobs('YEAR, note VARCHAR(100), extra VARCHAR(10)')]);
    const plan = buildPlan({ changes: diffCatalogs(from, target), from, to: target, dialect: getDialect('mysql'), options: { schemas: db.schemas } });
    await db.forget(plan.checksum);
    // No pre-check counts what MODIFY refuses as a YEAR (numbers and dates have one): the statement itself refuses 'x8'.
    expect(planSteps(plan).map((s) => [s.kind, s.preChecks.length])).toEqual([['addColumn', 0], ['alterColumnType', 0]]);
    await expect(applyPlan(db.conn, plan, { allowDestructive: true })).rejects.toThrow(/Incorrect integer value: 'x8'/);
    const store = new ApplyStore(getDialect('mysql'), db.conn);
    expect((await store.readJournal(plan.checksum)).map((j) => [j.step_id, j.statement_index, j.status])).toEqual([
      ['1.1', 0, 'done'],
      ['1.2', 0, 'failed'],
    ]);
    await db.conn.exec(`UPDATE ae_jobs SET code = '8' WHERE id = 2`);
    expect((await applyPlan(db.conn, plan, { allowDestructive: true, resume: true })).outcome).toBe('resumed');
    expect(diffCatalogs(await db.inspect(), target)).toEqual([]);
    expect(await db.conn.query('SELECT id, code FROM ae_jobs ORDER BY id')).toEqual([{ id: 1, code: 2007 }, { id: 2, code: 2008 }]);
    expect((await history(plan.checksum)).map((x) => x.outcome)).toEqual(['failed', 'applied']);
  });

  it.runIf(enabled && engine === 'sqlite')('turns foreign keys off for rebuilds, restores them after, and checks them before commit', async () => {
    const { plan, fkStep } = await setup();
    const fkOn = await connect(`${db.url}?foreign_keys=on`);
    try {
      expect(planSteps(plan).some((s) => s.forward.some((x) => x.sql.includes('plumb_new_')))).toBe(true);
      expect((await applyPlan(fkOn, plan, { remediate: { [fkStep]: 'quarantine' } })).outcome).toBe('applied');
      expect(await fkOn.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      // An orphan written while enforcement was off, in a table the plan does not touch: a plan that rebuilds
      // nothing (one index) still may not commit, since foreign_key_check runs before every commit.
      await db.reset();
      await db.run([...A, `CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES ${customers} (id))`, 'INSERT INTO notes VALUES (1, 404)']);
      const from = await db.inspect();
      const target = await targetCatalog(scratch, db, [...A.slice(0, 2), `CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES ${customers} (id))`, 'CREATE INDEX customers_name_idx ON customers (name)']);
      const indexOnly = buildPlan({ changes: diffCatalogs(from, target), from, to: target, dialect: getDialect('sqlite'), options: { schemas: db.schemas } });
      expect(planSteps(indexOnly).map((s) => s.kind)).toEqual(['createIndex']);
      const before = await db.content();
      await expect(applyPlan(fkOn, indexOnly)).rejects.toThrow(/foreign_key_check found rows violating a foreign key/);
      expect(await db.content()).toEqual(before);
      expect(diffCatalogs(await db.inspect(), from)).toEqual([]);
      expect(await fkOn.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await fkOn.close();
    }
  });
});
