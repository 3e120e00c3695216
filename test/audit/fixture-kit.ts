// Turns rules' docs examples (or fixture overrides) into schemas on a real
// database: each example in its own schema, so one audit covers them all.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection } from '../../src/drivers/connection.js';
import { defineRule, type Rule } from '../../src/audit/rule.js';
import type { RuleSettings } from '../../src/audit/audit.js';
import type { Severity } from '../../src/audit/types.js';

export interface FixtureCase {
  rule: Rule;
  side: 'bad' | 'good';
  schema: string;
  sql: string;
}

/** Per-rule fixture file `test/audit/fixtures/<id>.ts`: `export default { bad, good, options? }`. */
export interface FixtureFile {
  bad: string;
  good: string;
  options?: Record<string, unknown>;
}

export function fixtureSchema(rule: Rule, side: 'bad' | 'good'): string {
  return `fx_${rule.meta.code.toLowerCase()}_${side}`;
}

export function fixtureFilePath(id: string): string {
  return fileURLToPath(new URL(`./fixtures/${id}.ts`, import.meta.url));
}

export async function loadFixtureFile(id: string): Promise<FixtureFile | undefined> {
  if (!existsSync(fixtureFilePath(id))) return undefined;
  return ((await import(`./fixtures/${id}.ts`)) as { default: FixtureFile }).default;
}

/** The runnable cases of a rule on Postgres, or a reason it has none. */
export async function casesOf(rule: Rule): Promise<FixtureCase[] | string> {
  if (rule.meta.dialects && !rule.meta.dialects.includes('postgres')) return `a ${rule.meta.dialects.join('/')} rule`;
  const file = await loadFixtureFile(rule.meta.id);
  if (!file && rule.meta.fixture?.skip) return rule.meta.fixture.skip;
  const bad = file?.bad ?? rule.meta.fixture?.bad ?? rule.meta.docs.bad;
  const good = file?.good ?? rule.meta.fixture?.good ?? rule.meta.docs.good;
  return [
    { rule, side: 'bad', schema: fixtureSchema(rule, 'bad'), sql: bad },
    { rule, side: 'good', schema: fixtureSchema(rule, 'good'), sql: good },
  ];
}

export async function fixtureOptions(rule: Rule): Promise<Record<string, unknown> | undefined> {
  const file = await loadFixtureFile(rule.meta.id);
  return file?.options ?? rule.meta.fixture?.options;
}

function substitute(v: unknown, schemas: string[]): unknown {
  if (v === '$schema') return schemas;
  if (Array.isArray(v)) return v.flatMap((x) => (x === '$schema' ? schemas : [x]));
  return v;
}

/** Rule settings that make each fixture's options apply to the given fixture schemas. */
export async function settingsFor(rules: Rule[], sides: ('bad' | 'good')[]): Promise<Record<string, RuleSettings>> {
  const out: Record<string, RuleSettings> = {};
  for (const r of rules) {
    const o = await fixtureOptions(r);
    if (!o) continue;
    const schemas = sides.map((s) => fixtureSchema(r, s));
    out[r.meta.id] = { options: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, substitute(v, schemas)])) };
  }
  return out;
}

export async function plant(conn: Connection, c: FixtureCase): Promise<void> {
  await conn.exec(`CREATE SCHEMA ${c.schema}; SET search_path = ${c.schema}, public;`);
  try {
    await conn.exec(c.sql);
  } catch (e) {
    throw new Error(`fixture ${c.rule.meta.id}/${c.side} failed to run: ${(e as Error).message}`);
  } finally {
    await conn.exec('RESET search_path');
  }
}

/**
 * Every case that can be planted on Postgres: catalog rules run their docs
 * examples; other registries only when they ship test/audit/fixtures/<id>.ts
 * (their docs describe data in prose and are tested in data-*.test.ts).
 */
export async function plantableCases(rules: readonly Rule[], catalogRules: readonly Rule[]): Promise<FixtureCase[]> {
  const out: FixtureCase[] = [];
  for (const r of rules) {
    const cs = await casesOf(r);
    if (typeof cs === 'string') continue;
    if (!catalogRules.includes(r) && !(await loadFixtureFile(r.meta.id))) continue;
    out.push(...cs);
  }
  return out;
}

/** A data rule that exists only in a test: its meta is boilerplate, its check is what the test exercises. */
export function testRule(id: string, code: string, title: string, severity: Severity, check: Rule['check']): Rule {
  return defineRule({
    meta: { id, code, title, category: 'integrity', severity, data: true, docs: { description: 'test only', bad: '-', good: '--', remediation: 'test only' } },
    check,
  });
}
