// The defect zoo on a Postgres server: one database with every planted defect
// (each rule's bad fixture, plus an extension in public), and its clean twin
// built from the good fixtures. Every planted rule fires in the zoo; NO rule
// fires on the twin, which grades A (100/100).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { allRules } from '../../src/audit/rules/index.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import type { AuditResult } from '../../src/audit/types.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';
import { plant, plantableCases, settingsFor, type FixtureCase } from './fixture-kit.js';

const extensionRule = catalogRules.find((r) => r.meta.id === 'extension-in-public')!;

describe('defect zoo and clean twin (postgres server)', () => {
  let zooDb: FreshDb;
  let twinDb: FreshDb;
  let zoo: AuditResult;
  let twin: AuditResult;
  let cases: FixtureCase[] = [];

  beforeAll(async () => {
    const engine = { name: 'server', kind: 'server' as const, url: pgServerUrl() };
    [zooDb, twinDb] = await Promise.all([freshDatabase(engine), freshDatabase(engine)]);
    cases = await plantableCases(allRules, catalogRules);
    for (const c of cases) await plant(c.side === 'bad' ? zooDb.conn : twinDb.conn, c);
    // Database-wide: planted as the docs show it, outside the per-rule schemas.
    await zooDb.conn.exec(extensionRule.meta.docs.bad);
    await twinDb.conn.exec(extensionRule.meta.docs.good);
    const rules = [...new Set(cases.map((c) => c.rule))];
    // The zoo turns on opt-in rules too (table-without-comment); the twin runs the defaults.
    const zooSettings = await settingsFor(rules, ['bad']);
    for (const r of allRules) if (r.meta.enabledByDefault === false) zooSettings[r.meta.id] = { ...zooSettings[r.meta.id], enabled: true };
    zoo = await audit(zooDb.conn, { ruleSettings: zooSettings });
    twin = await audit(twinDb.conn, { ruleSettings: await settingsFor(rules, ['good']) });
  });
  afterAll(async () => {
    await zooDb?.dispose();
    await twinDb?.dispose();
  });

  it('every planted defect is found', () => {
    const fired = new Set(zoo.findings.map((f) => f.rule));
    const planted = [...new Set(cases.map((c) => c.rule.meta.id)), 'extension-in-public'];
    expect(planted.filter((id) => !fired.has(id))).toEqual([]);
    // Every catalog rule is in the zoo except those that need more than a database (spec-difference: test/audit/spec-drift.test.ts)
    // or another engine or an old extension script (test/audit/peer-rules.test.ts).
    const needsMore = catalogRules.filter((r) => r.meta.fixture?.skip && r.meta.id !== 'extension-in-public').map((r) => r.meta.id).sort();
    expect(needsMore).toEqual(['extension-outdated', 'foreign-key-parent-not-unique', 'spec-difference']);
    expect(planted.length).toBeGreaterThanOrEqual(catalogRules.length - needsMore.length);
  });

  it('no rule fires on the clean twin', () => {
    expect(twin.findings.map((f) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([]);
    expect(twin.skipped.filter((s) => s.rule !== 'inspect')).toEqual([]);
    expect([twin.grade, twin.score]).toEqual(['A', 100]);
  });

  it('the zoo grades far below its twin, and every category with an error is capped below A', () => {
    expect(zoo.score).toBeLessThan(80);
    for (const c of zoo.categories) if (c.counts.error) expect(c.letter).not.toBe('A');
  });
});
