// Every rule against its own fixtures on PGlite: the bad example must make the
// rule report inside the bad schema, the near-identical good one must not.
// Then the whole set as a defect zoo: every planted defect found, and NO rule
// (catalog or data) fires anywhere on the good schemas — the clean twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { allRules } from '../../src/audit/rules/index.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import type { AuditResult } from '../../src/audit/types.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { plant, plantableCases, settingsFor, type FixtureCase } from './fixture-kit.js';

const engine = pgEngines().find((e) => e.kind === 'pglite')!;

describe('audit rules on their fixtures (pglite)', () => {
  let db: FreshDb;
  let zoo: AuditResult;
  let clean: AuditResult;
  const runnable: FixtureCase[] = [];

  beforeAll(async () => {
    db = await freshDatabase(engine);
    runnable.push(...(await plantableCases(allRules, catalogRules)));
    for (const c of runnable) await plant(db.conn, c);
    const rules = [...new Set(runnable.map((c) => c.rule))];
    const bad = runnable.filter((c) => c.side === 'bad').map((c) => c.schema);
    const good = runnable.filter((c) => c.side === 'good').map((c) => c.schema);
    zoo = await audit(db.conn, { inspect: { schemas: bad }, ruleSettings: await settingsFor(rules, ['bad']), only: rules.map((r) => r.meta.id) });
    clean = await audit(db.conn, { inspect: { schemas: good }, ruleSettings: await settingsFor(rules, ['good']) });
  });
  afterAll(async () => db?.dispose());

  it('has runnable fixtures for nearly every catalog rule', () => {
    // fixture.skip: spec-difference, extension-in-public, extension-outdated, foreign-key-parent-not-unique
    expect(runnable.length / 2).toBeGreaterThanOrEqual(catalogRules.length - 4);
  });

  it.each(catalogRules.map((r) => [r.meta.id, r] as const))('%s fires on its bad fixture and not on its good one', (id) => {
    const cs = runnable.filter((c) => c.rule.meta.id === id);
    if (!cs.length) return; // fixture.skip: covered by the server defect zoo
    const inBad = zoo.findings.filter((f) => f.rule === id && f.path.startsWith(`fx_`) && f.path.includes(cs[0]!.schema));
    expect(inBad.length, `${id} should fire in ${cs[0]!.schema}; skipped: ${JSON.stringify(zoo.skipped.filter((s) => s.rule === id))}`).toBeGreaterThan(0);
    expect(clean.findings.filter((f) => f.rule === id)).toEqual([]);
  });

  it('the clean twin (every good fixture in one database) has no finding from any rule', () => {
    expect(clean.findings.map((f) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([]);
    expect(clean.score).toBe(100);
    expect(clean.grade).toBe('A');
  });

  it('the defect zoo is found: every planted rule fires, and the zoo grades badly', () => {
    const fired = new Set(zoo.findings.map((f) => f.rule));
    const planted = [...new Set(runnable.filter((c) => c.side === 'bad').map((c) => c.rule.meta.id))];
    expect(planted.filter((id) => !fired.has(id))).toEqual([]);
    expect(zoo.score).toBeLessThan(clean.score);
    expect(['C', 'D', 'F']).toContain(zoo.grade);
  });

  it('findings are deterministic: sorted by severity, rule, path, with unique fingerprints', () => {
    const rank = { error: 0, warning: 1, info: 2 };
    for (let i = 1; i < zoo.findings.length; i++) {
      const a = zoo.findings[i - 1]!;
      const b = zoo.findings[i]!;
      expect(rank[a.severity] < rank[b.severity] || (a.severity === b.severity && (a.rule < b.rule || (a.rule === b.rule && a.path <= b.path)))).toBe(true);
    }
    expect(new Set(zoo.findings.map((f) => f.fingerprint)).size).toBe(zoo.findings.length);
  });
});
