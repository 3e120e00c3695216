// The planner's promises, on catalogs built in memory (no engine needed).
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planChecksum } from '../../src/plan/plan-checksum.js';
import { renderPlanMarkdown, renderPlanSql } from '../../src/plan/render-plan.js';
import { planSteps, type Plan, type PlanOptions } from '../../src/plan/types.js';
import { defineSpec } from '../../src/spec/define-spec.js';
import { specToDraftCatalog } from '../../src/spec/spec-draft-catalog.js';
import type { SpecInput } from '../../src/spec/types.js';

const cat = (i: SpecInput): Catalog => specToDraftCatalog(defineSpec(i));
const pg = getDialect('postgres');

const A: SpecInput = {
  defaultSchema: 'app',
  schemas: ['app'],
  tables: [
    { name: 'users', columns: { id: { type: 'int', primaryKey: true }, email: 'text', legacy: 'text', score: 'int' } },
    { name: 'orders', columns: { id: { type: 'int', primaryKey: true }, user_id: 'int', total: 'numeric(10,2)', meta: 'text' } },
  ],
  views: [{ name: 'order_users', sql: 'SELECT o.id, o.total FROM app.orders o' }],
};
const B: SpecInput = {
  defaultSchema: 'app',
  schemas: ['app'],
  tables: [
    { name: 'users', columns: { id: { type: 'int', primaryKey: true }, email: { type: 'text', nullable: false, unique: true }, score: 'bigint', team_id: 'int' }, foreignKeys: [{ columns: ['team_id'], references: { table: 'teams' } }] },
    {
      name: 'orders',
      columns: { id: { type: 'int', primaryKey: true }, user_id: 'int', total: 'numeric(12,2)', meta: 'jsonb' },
      foreignKeys: [{ columns: ['user_id'], references: { table: 'users' } }],
      checks: [{ name: 'orders_total_check', expression: 'total >= 0' }],
      indexes: [{ name: 'orders_user_idx', columns: ['user_id'] }],
    },
    // A cycle: teams → users → teams.
    { name: 'teams', columns: { id: { type: 'int', primaryKey: true }, owner_id: 'int' }, foreignKeys: [{ columns: ['owner_id'], references: { table: 'users' } }] },
  ],
  views: [{ name: 'order_users', sql: 'SELECT o.id, o.total, o.user_id FROM app.orders o' }],
};

function plan(from: Catalog, to: Catalog, options: PlanOptions = {}): Plan {
  return buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: pg, options: { schemas: ['app'], ...options }, createdAt: '2026-01-01T00:00:00.000Z', plumbVersion: '9.9.9' });
}

describe('buildPlan', () => {
  const from = cat(A);
  const to = cat(B);

  it('orders phases by dependency: tables before foreign keys (cycles need nothing special), drops last', () => {
    const p = plan(from, to);
    const names = p.phases.map((x) => x.name);
    expect(names.indexOf('tables')).toBeLessThan(names.indexOf('foreign-keys'));
    expect(names.at(-1)).toBe('drops');
    const steps = planSteps(p);
    const idx = (kind: string, path?: string) => steps.findIndex((s) => s.kind === kind && (!path || s.path.startsWith(path)));
    // The index on orders(user_id) serves the new foreign key: built before it (MySQL would otherwise make its own
    // index for the key and refuse to drop the new one on rollback).
    expect(idx('createIndex', 'app.orders.orders_user_idx')).toBeGreaterThanOrEqual(0);
    expect(idx('createIndex', 'app.orders.orders_user_idx')).toBeLessThan(idx('addForeignKey', 'app.orders'));
    expect(idx('createTable', 'app.teams')).toBeLessThan(idx('addForeignKey', 'app.teams'));
    expect(idx('createTable', 'app.teams')).toBeLessThan(idx('addForeignKey', 'app.users'));
    expect(idx('dropColumn', 'app.users.legacy')).toBeGreaterThan(idx('addForeignKey'));
    // Every step has rollback SQL and a stable id.
    for (const s of steps) {
      expect(s.rollback.length, s.id).toBeGreaterThan(0);
      expect(s.id).toMatch(/^\d+\.\d+$/);
    }
  });

  it('classes steps and names hazards with stable codes; a type change is in place, never a recreate', () => {
    const steps = planSteps(plan(from, to));
    const by = (kind: string, path: string) => steps.find((s) => s.kind === kind && s.path.startsWith(path))!;
    expect(by('dropColumn', 'app.users.legacy')).toMatchObject({ safety: 'destructive' });
    expect(by('dropColumn', 'app.users.legacy').hazards.map((h) => h.code)).toEqual(['PH102']);
    const fk = by('addForeignKey', 'app.orders');
    expect(fk.safety).toBe('data-dependent');
    expect(fk.hazards.map((h) => h.code)).toContain('MF103');
    expect(fk.preChecks.map((c) => c.kind)).toEqual(['orphans']);
    expect(by('addUnique', 'app.users').preChecks.map((c) => c.kind)).toEqual(['duplicates']);
    expect(by('alterColumnNullability', 'app.users.email').preChecks.map((c) => c.kind)).toEqual(['nulls']);
    expect(by('addCheck', 'app.orders').preChecks.map((c) => c.kind)).toEqual(['check']);
    const meta = by('alterColumnType', 'app.orders.meta');
    expect(meta.hazards.map((h) => h.code)).toEqual(['LK101', 'MF107']);
    expect(meta.preChecks.map((c) => c.kind)).toEqual(['json']);
    expect(meta.forward.map((f) => f.sql).join('\n')).toMatch(/ALTER TABLE .* ALTER COLUMN "meta" TYPE jsonb/);
    // Widening needs no pre-check.
    expect(by('alterColumnType', 'app.users.score').preChecks).toEqual([]);
    expect(by('alterColumnType', 'app.orders.total').preChecks).toEqual([]);
    // Nothing on an existing table is dropped and recreated.
    expect(steps.some((s) => s.forward.some((f) => /DROP TABLE|TRUNCATE/i.test(f.sql)))).toBe(false);
    // New tables need no pre-checks.
    expect(by('addForeignKey', 'app.teams').preChecks).toEqual([]);
  });

  it('detaches a view reading a column whose type changes, and recreates it after', () => {
    const steps = planSteps(plan(from, to));
    const drop = steps.findIndex((s) => s.kind === 'dropView' && s.path === 'app.order_users');
    const alter = steps.findIndex((s) => s.kind === 'alterColumnType' && s.path === 'app.orders.total');
    const create = steps.findIndex((s) => s.kind === 'createView' && s.path === 'app.order_users');
    expect(drop).toBeGreaterThanOrEqual(0);
    expect(drop).toBeLessThan(alter);
    expect(create).toBeGreaterThan(alter);
  });

  it('uses NOT VALID + VALIDATE and a NOT VALID check for NOT NULL on large tables, and CONCURRENTLY outside the transaction', () => {
    const big: Catalog = structuredClone(from);
    for (const t of big.schemas[0]!.tables) t.rowEstimate = 5_000_000;
    const p = plan(big, to, { concurrently: true, largeTableRows: 1_000_000 });
    const steps = planSteps(p);
    const fk = steps.find((s) => s.kind === 'addForeignKey' && s.path.startsWith('app.orders'))!;
    expect(fk.forward[0]!.sql).toMatch(/NOT VALID/);
    expect(fk.safety).toBe('data-dependent');
    const validate = steps.filter((s) => s.kind === 'validateConstraint').map((s) => s.path);
    expect(validate).toContain(fk.path);
    // NOT NULL: three steps, so that no exclusive lock is held while the rows are read.
    const nnCheck = steps.find((s) => s.kind === 'addCheck' && s.path.endsWith('email_not_null_plumb'))!;
    expect(nnCheck.phase).toBe('constraints');
    expect(nnCheck.forward.map((f) => f.sql)).toEqual([expect.stringMatching(/ADD CONSTRAINT "email_not_null_plumb" CHECK \("email" IS NOT NULL\) NOT VALID/)]);
    expect(validate).toContain(nnCheck.path);
    const nn = steps.find((s) => s.kind === 'alterColumnNullability')!;
    expect(nn.phase).toBe('validate');
    expect(nn.forward.map((f) => f.sql)).toEqual([expect.stringMatching(/SET NOT NULL/), expect.stringMatching(/DROP CONSTRAINT "email_not_null_plumb"/)]);
    expect(nn.rollback.map((f) => f.sql)).toEqual([expect.stringMatching(/DROP NOT NULL/), expect.stringMatching(/ADD CONSTRAINT "email_not_null_plumb" CHECK \("email" IS NOT NULL\) NOT VALID/)]);
    expect(p.phases.find((x) => x.name === 'validate')!.stepTransactions).toBe(true);
    const conc = p.phases.find((x) => x.name === 'indexes-concurrent')!;
    expect(conc.transactional).toBe(false);
    expect(conc.steps[0]!.forward[0]!.sql).toMatch(/CREATE INDEX CONCURRENTLY/);
    expect(conc.steps[0]!.forward[0]!.onRetry![0]).toMatch(/DROP INDEX CONCURRENTLY IF EXISTS/);
    expect(p.phases.find((x) => x.name === 'indexes')).toBeUndefined();
  });

  it('checksums the normalised plan: stable across plumb versions and times, sensitive to content', () => {
    const p1 = plan(from, to);
    const p2 = buildPlan({ changes: diffCatalogs(from, to), from, to, dialect: pg, options: { schemas: ['app'] }, createdAt: '2030-05-05T00:00:00.000Z', plumbVersion: '10.0.0' });
    expect(p2.checksum).toBe(p1.checksum);
    expect(p1.checksum).toBe(planChecksum(JSON.parse(JSON.stringify(p1))));
    const p3 = plan(from, to, { remediate: { [planSteps(p1).find((s) => s.kind === 'addForeignKey')!.id]: 'quarantine' } });
    expect(p3.checksum).not.toBe(p1.checksum);
    // Table sizes are stated in the plan but are not what it does: the same changes on tables of other sizes are one plan.
    const resized: Catalog = structuredClone(from);
    for (const t of resized.schemas[0]!.tables) {
      t.rowEstimate = (t.rowEstimate ?? 0) + 17;
      t.totalBytes = (t.totalBytes ?? 0) + 8192;
    }
    const p4 = plan(resized, to);
    const sized = planSteps(p4).find((s) => s.impact)!;
    expect(sized.impact!.table.bytes).not.toBe(planSteps(p1).find((s) => s.id === sized.id)!.impact!.table.bytes);
    expect(p4.checksum).toBe(p1.checksum);
    expect(p1.formatVersion).toBe(1);
    expect(p1.catalogChecksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('renders plan.md with phases, pre-checks and a rollback per phase, and plan.sql with transactions', () => {
    const p = plan(from, to);
    const md = renderPlanMarkdown(p, { [planSteps(p).find((s) => s.kind === 'addForeignKey' && s.path.startsWith('app.orders'))!.preChecks[0]!.id]: { count: 3, samples: [{ id: 7, user_id: 99 }] } });
    expect(md).toMatch(/## Phase 1: /);
    expect(md).toMatch(/#### Phase \d+ rollback/);
    expect(md).toMatch(/\*\*3 row\(s\)\*\* ✗ — e\.g\. \(id=7, user_id=99\)/);
    expect(md).toMatch(/## Destructive steps[\s\S]*--allow PH102:app\.users\.legacy/);
    const sql = renderPlanSql(p);
    expect(sql).toMatch(/BEGIN;\nSET LOCAL lock_timeout = '2000ms';/);
    expect(sql.match(/COMMIT;/g)!.length).toBe(p.phases.filter((x) => x.transactional).length);
    expect(renderPlanMarkdown(plan(to, to))).toMatch(/nothing to do/);
  });
});
