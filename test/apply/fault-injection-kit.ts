// Fault injection through applyPlan (interruptAtEachCut, which
// fault-injection.test.ts runs on Postgres too), here on SQLite and MariaDB: interrupt apply at every statement
// boundary in turn; afterwards the database is exactly as before (nothing
// journaled), or --resume completes it to exactly the target, or --rollback
// returns it exactly (content checksums, quarantined rows included, and the
// catalog). SQLite commits per phase here (singleTransaction: false) so the
// journal is exercised; MariaDB DDL commits per statement anyway, so there the
// run is also killed right after each statement ran, before the journal
// records it done: resume and rollback must read the catalog, not re-run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions } from '../../src/apply/apply-plan.js';
import type { Catalog } from '../../src/catalog/types.js';
import type { Connection } from '../../src/drivers/connection.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planSteps, type Plan } from '../../src/plan/types.js';
import { freshTarget, targetCatalog, type ApplyTarget, type TargetEngine } from '../helpers/apply-targets.js';

interface Types {
  int: string;
  big: string;
  text: string;
  short: string;
  long: string;
  date: string;
  suffix: string;
}

const TYPES: Record<TargetEngine, Types> = {
  sqlite: { int: 'INTEGER', big: 'BIGINT', text: 'TEXT', short: 'VARCHAR(20)', long: 'VARCHAR(40)', date: 'DATE', suffix: '' },
  mariadb: { int: 'INT', big: 'BIGINT', text: 'VARCHAR(100)', short: 'VARCHAR(20)', long: 'VARCHAR(40)', date: 'DATE', suffix: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' },
};

/** Table names carry a per-engine prefix: MariaDB keeps quarantined rows server-wide, named after the table. */
function schemas(engine: TargetEngine, p: string): { A: string[]; B: string[] } {
  const t = TYPES[engine];
  const q = (n: string) => (engine === 'sqlite' ? `"${n}"` : '`' + n + '`');
  const items = q(`${p}items`);
  const moves = q(`${p}moves`);
  const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => `(${f(i + 1)})`).join(', ');
  const A = [
    `CREATE TABLE ${items} (id ${t.int} NOT NULL PRIMARY KEY, sku ${t.short}, qty ${t.int}, meta ${t.text})${t.suffix}`,
    `CREATE TABLE ${moves} (id ${t.int} NOT NULL PRIMARY KEY, item_id ${t.int}, delta ${t.int}, at ${t.text})${t.suffix}`,
    `INSERT INTO ${items} (id, sku, qty, meta) VALUES ${rows(50, (g) => `${g}, 'sku${g}', ${g * 2}, '{"a": ${g}}'`)}`,
    `INSERT INTO ${moves} (id, item_id, delta, at) VALUES ${rows(200, (g) => `${g}, ${(g % 50) + 1}, ${g}, '2024-01-0${(g % 9) + 1}'`)}`,
    // The orphan the foreign key's pre-check finds; quarantined, and put back by rollback.
    `INSERT INTO ${moves} (id, item_id, delta, at) VALUES (900, 777, 1, '2024-01-01')`,
  ];
  const B = [
    `CREATE TABLE ${items} (id ${t.int} NOT NULL PRIMARY KEY, sku ${t.long} NOT NULL, qty ${t.big}, meta ${t.text}, added_at ${t.date}, CONSTRAINT ${q(`${p}items_sku_uq`)} UNIQUE (sku), CONSTRAINT ${q(`${p}items_qty_chk`)} CHECK (qty >= 0))${t.suffix}`,
    `CREATE TABLE ${moves} (id ${t.int} NOT NULL PRIMARY KEY, item_id ${t.int}, delta ${t.int} NOT NULL, at ${t.date}, CONSTRAINT ${q(`${p}moves_item_fk`)} FOREIGN KEY (item_id) REFERENCES ${items} (id))${t.suffix}`,
    `CREATE TABLE ${q(`${p}locations`)} (code ${t.short} NOT NULL PRIMARY KEY, item_id ${t.int}, CONSTRAINT ${q(`${p}locations_item_fk`)} FOREIGN KEY (item_id) REFERENCES ${items} (id))${t.suffix}`,
    `CREATE INDEX ${q(`${p}moves_item_idx`)} ON ${moves} (item_id)`,
    `CREATE INDEX ${q(`${p}items_qty_idx`)} ON ${items} (qty)`,
    `CREATE VIEW ${q(`${p}stock`)} AS SELECT i.id, i.sku, sum(m.delta) AS moved FROM ${items} i LEFT JOIN ${moves} m ON m.item_id = i.id GROUP BY i.id, i.sku`,
  ];
  // MariaDB gets a third table with DDL of every kind the server commits on its own: types widened and narrowed
  // to a date, NOT NULL, a column dropped with its index, columns added with a default, a composite index, a
  // unique key and a check (the plan then has 20+ statements, each a cut).
  if (engine === 'mariadb') {
    const audit = q(`${p}audit`);
    A.push(
      // legacy is last: a rollback re-adds a dropped column at the end of the table (no AFTER yet).
      `CREATE TABLE ${audit} (id ${t.int} NOT NULL PRIMARY KEY, msg VARCHAR(50), created VARCHAR(30), legacy ${t.int})${t.suffix}`,
      `CREATE INDEX ${q(`${p}audit_legacy_idx`)} ON ${audit} (legacy)`,
      `INSERT INTO ${audit} (id, msg, created, legacy) VALUES ${rows(20, (g) => `${g}, 'm${g}', '2024-03-${String(g).padStart(2, '0')}', ${g}`)}`,
    );
    B.push(
      `CREATE TABLE ${audit} (id ${t.int} NOT NULL PRIMARY KEY, msg VARCHAR(120) NOT NULL, created ${t.date}, level ${t.int} NOT NULL DEFAULT 0, tag VARCHAR(10), CONSTRAINT ${q(`${p}audit_tag_uq`)} UNIQUE (tag), CONSTRAINT ${q(`${p}audit_level_chk`)} CHECK (level >= 0))${t.suffix}`,
      `CREATE INDEX ${q(`${p}audit_level_idx`)} ON ${audit} (level, created)`,
    );
  }
  return { A, B };
}

/** The database the cut loop interrupts, restores and compares (an ApplyTarget is one). */
export interface CutTarget {
  conn: Connection;
  /** Rows of every user table, comparable with toEqual. */
  content(): Promise<unknown>;
  /** The live catalog the plan covers. */
  inspect(): Promise<Catalog>;
  journalRows(planChecksum: string): Promise<number>;
}

export interface CutRun {
  /** A fresh copy of A and its plan to B, with the remediations its pre-checks need. */
  setup(): Promise<{ plan: Plan; from: Catalog; remediate: ApplyOptions['remediate'] }>;
  /** The checksum every setup's plan must have (the reference apply's). */
  checksum: string;
  /**
   * When given, every setup's plan must run these statements instead (its
   * checksum may then differ: plans state table sizes, which the engine
   * estimates afresh for each copy).
   */
  statements?: string[];
  /** The statement boundaries (ApplyProgress.global) to interrupt at, one fresh setup each. */
  cuts: readonly number[];
  opts: ApplyOptions;
  /**
   * `before`: the fault comes before statement k starts (default). `after`:
   * statement k ran, and the run dies before the journal records it done — a
   * kill during DDL, which commits on its own.
   */
  when?: 'before' | 'after';
  /** After a resume completed the plan: what else the reference run did (an online plan's --contract). */
  finish?(plan: Plan): Promise<void>;
  /** content() of A, and after a clean apply of the plan. */
  before: unknown;
  target: unknown;
  /** B's catalog. */
  to: Catalog;
}

/**
 * Interrupts applyPlan before statement k for every k in `cuts`; afterwards
 * the database is exactly as before with nothing journaled, or a plain apply
 * refuses the interrupted plan and --resume (even k) completes it to exactly
 * the target or --rollback (odd k) returns it exactly, journal cleared.
 * Returns how many cuts ended each way.
 */
export async function interruptAtEachCut(db: CutTarget, run: CutRun): Promise<{ before: number; resumed: number; rolledBack: number }> {
  const { opts, before, target, to } = run;
  const seen = { before: 0, resumed: 0, rolledBack: 0 };
  for (const k of run.cuts) {
    const { plan, from, remediate } = await run.setup();
    if (run.statements) expect(planSteps(plan).flatMap((s) => s.forward.map((f) => f.sql))).toEqual(run.statements);
    else expect(plan.checksum).toBe(run.checksum);
    const fault = (at: { global: number }) => {
      if (at.global === k) throw new Error(`injected fault at ${k}`);
    };
    await expect(applyPlan(db.conn, plan, { ...opts, remediate, ...(run.when === 'after' ? { afterStatement: fault } : { beforeStatement: fault }) })).rejects.toThrow(/injected fault/);
    if ((await db.journalRows(plan.checksum)) === 0) {
      expect(await db.content(), `k=${k}: nothing journaled, so nothing may have changed`).toEqual(before);
      expect(diffCatalogs(await db.inspect(), from), `k=${k}: nothing journaled`).toEqual([]);
      seen.before++;
      continue;
    }
    // A second plain apply refuses: the journal holds an interrupted apply.
    await expect(applyPlan(db.conn, plan, { ...opts, remediate })).rejects.toThrow(/interrupted/);
    if (k % 2 === 0) {
      const r = await applyPlan(db.conn, plan, { ...opts, remediate, resume: true });
      expect(r.outcome).toBe('resumed');
      await run.finish?.(plan);
      expect(await db.content(), `k=${k}: resume`).toEqual(target);
      expect(diffCatalogs(await db.inspect(), to), `k=${k}: resume`).toEqual([]);
      seen.resumed++;
    } else {
      const r = await applyPlan(db.conn, plan, { rollback: true });
      expect(r.outcome).toBe('rolled-back');
      expect(await db.content(), `k=${k}: rollback`).toEqual(before);
      expect(diffCatalogs(await db.inspect(), from), `k=${k}: rollback`).toEqual([]);
      expect(await db.journalRows(plan.checksum)).toBe(0);
      seen.rolledBack++;
    }
  }
  return seen;
}

export function faultInjection(engine: TargetEngine, enabled: boolean): void {
  describe.runIf(enabled)(`fault injection through applyPlan on ${engine}`, () => {
    let db: ApplyTarget;
    let scratch: ApplyTarget;
    let to: Catalog;
    const { A, B } = schemas(engine, engine === 'sqlite' ? '' : 'fim_');
    beforeAll(async () => {
      db = await freshTarget(engine);
      scratch = await freshTarget(engine);
      to = await targetCatalog(scratch, db, B);
    });
    afterAll(async () => {
      await db?.dispose();
      await scratch?.dispose();
    });

    /** A fresh copy of A and its plan to B, with the orphan's pre-check set to quarantine. */
    const setup = async (): Promise<{ plan: Plan; from: Catalog; remediate: ApplyOptions['remediate'] }> => {
      await db.reset();
      await db.run(A);
      const from = await db.inspect();
      const plan = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: getDialect(db.conn.dialect), options: { schemas: db.schemas } });
      await db.forget(plan.checksum);
      const fk = planSteps(plan).find((s) => s.kind === 'addForeignKey' && s.path.includes('moves'))!;
      expect(fk.preChecks.map((c) => c.kind)).toEqual(['orphans']);
      return { plan, from, remediate: { [fk.id]: 'quarantine' } };
    };

    // SQLite: one transaction per phase exercises the journal; `single` (one transaction for the whole plan) must roll back whole at every cut.
    const modes = engine === 'sqlite' ? (['per-phase', 'single'] as const) : (['per-statement', 'killed-during-ddl'] as const);
    for (const mode of modes) {
      it(`interrupting at every statement boundary (${mode}) loses nothing`, async () => {
        // The dropped column's values are copied aside first, so a rollback after the drop gives them back.
        const opts: ApplyOptions = { singleTransaction: mode === 'single', allowDestructive: true, backup: true };
        // MariaDB is judged by the server's own SHOW CREATE TABLE of every table too, besides rows and catalog.
        const judged: ApplyTarget = { ...db, content: async () => ({ ...(await db.content()), ...(engine === 'mariadb' ? await db.ddl() : {}) }) };
        // The reference: a clean apply.
        const ref = await setup();
        const before = await judged.content();
        expect(Object.entries(before).reduce((n, [k, v]) => n + (k.endsWith(')') ? 0 : Number(v.split(':')[0])), 0)).toBe(engine === 'mariadb' ? 271 : 251);
        const r0 = await applyPlan(db.conn, ref.plan, { ...opts, remediate: ref.remediate });
        expect(r0.outcome).toBe('applied');
        expect(r0.preChecks.map((p) => [p.policy, p.count])).toEqual([['quarantine', 1]]);
        const target = await judged.content();
        expect(target).not.toEqual(before);
        expect(diffCatalogs(await db.inspect(), to)).toEqual([]);
        const total = planSteps(ref.plan).reduce((n, s) => n + s.forward.length, 0);
        expect(total).toBeGreaterThan(engine === 'mariadb' ? 20 : 10);
        expect(ref.plan.phases.length).toBeGreaterThan(3);

        const seen = await interruptAtEachCut(judged, {
          setup,
          checksum: ref.plan.checksum,
          statements: planSteps(ref.plan).flatMap((s) => s.forward.map((f) => f.sql)),
          // A kill during a statement happens after one ran: cut k is statement k (there is none after the last).
          // MariaDB's fault before a statement is sampled (cuts 0, 1, 4, 5, 8, 9 …, resumed and rolled back alike, and
          // the last): each cut costs a fresh database, and the kill after every statement covers them all.
          cuts: Array.from({ length: mode === 'killed-during-ddl' ? total : total + 1 }, (_, i) => i).filter((k) => mode !== 'per-statement' || k % 4 < 2 || k === total),
          opts,
          when: mode === 'killed-during-ddl' ? 'after' : 'before',
          before,
          target,
          to,
        });
        process.stdout.write(`fault injection ${engine} ${mode}: ${total} statements, ${JSON.stringify(seen)}\n`);
        // One transaction: every cut before the commit leaves the database as it was; only the one after it finds a journal.
        if (mode === 'single') expect([seen.before, seen.resumed + seen.rolledBack]).toEqual([total, 1]);
        else {
          expect(seen.resumed).toBeGreaterThan(2);
          expect(seen.rolledBack).toBeGreaterThan(2);
        }
      }, 600_000);
    }
  });
}
