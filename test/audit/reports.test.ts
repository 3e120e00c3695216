// Every report format on a real audit (PGlite with a handful of planted
// defects): JSON matches its documented schema, SARIF validates against the
// 2.1.0 subset schema, JUnit parses, text and Markdown say what they should.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditRun } from '../../src/audit/audit.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import { renderAudit } from '../../src/report/audit-report.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { casesOf, plant, settingsFor } from './fixture-kit.js';
import { findAll, parseXml } from './xml-check.js';

const ids = ['public-write-grant', 'foreign-key-without-index', 'char-column', 'hidden-automation', 'table-without-primary-key'];
const rules = catalogRules.filter((r) => ids.includes(r.meta.id));
// ajv-formats is CommonJS: its function is the default export's default under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => Ajv;
const read = (p: string) => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8')) as object;

describe('audit reports', () => {
  let db: FreshDb;
  let run: AuditRun;
  beforeAll(async () => {
    db = await freshDatabase(pgEngines().find((e) => e.kind === 'pglite')!);
    for (const r of rules) for (const c of (await casesOf(r)) as Exclude<Awaited<ReturnType<typeof casesOf>>, string>) if (c.side === 'bad') await plant(db.conn, c);
    run = await runAudit(db.conn, { rules, ruleSettings: await settingsFor(rules, ['bad']), toolVersion: '9.9.9', now: () => new Date('2026-01-02T03:04:05.000Z'), inspect: { schemas: ['fx_*'] } });
  });
  afterAll(async () => db?.dispose());

  it('the audit found the planted defects of every severity', () => {
    expect(new Set(run.result.findings.map((f) => f.severity))).toEqual(new Set(['error', 'warning', 'info']));
  });

  it('json validates against docs/audit-result.schema.json and is byte-stable', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(read('../../docs/audit-result.schema.json'));
    const text = await renderAudit(run.result, 'json');
    const ok = validate(JSON.parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(await renderAudit(run.result, 'json')).toBe(text);
    expect(text).not.toMatch(/password=|:\/\/[^@\s]*:[^@\s]*@/);
  });

  it('sarif validates against the SARIF 2.1.0 subset schema; one result per finding, rules link to docs', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(read('./schemas/sarif-2.1.0-subset.schema.json'));
    const log = JSON.parse(await renderAudit(run.result, 'sarif', { ruleDescriptions: rules.map((r) => ({ id: r.meta.id, description: r.meta.docs.description })) })) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string }[] }[];
    };
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const [sr] = log.runs;
    expect(sr!.results.length).toBe(run.result.findings.length);
    for (const res of sr!.results) expect(sr!.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(sr!.tool.driver.rules.every((r) => r.helpUri.endsWith(`/docs/rules/${r.id}.md`))).toBe(true);
    expect(sr!.results.filter((x) => x.level === 'error').length).toBe(run.result.findings.filter((f) => f.severity === 'error').length);
  });

  it('a SARIF log that breaks the schema is rejected (the validator has teeth)', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(read('./schemas/sarif-2.1.0-subset.schema.json'));
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: { text: 'm' } }] }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('junit parses: one testcase per rule, one failure per finding at or above the fail level', async () => {
    const xml = await renderAudit(run.result, 'junit', { failOn: 'warning' });
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const cases = findAll(root, 'testcase');
    expect(cases.length).toBe(run.result.rules.length);
    const failures = findAll(root, 'failure');
    expect(failures.length).toBe(run.result.findings.filter((f) => f.severity !== 'info').length);
    expect(root.attrs.failures).toBe(String(failures.length));
    const fkCase = cases.find((c) => c.attrs.name!.startsWith('foreign-key-without-index'))!;
    expect(findAll(fkCase, 'failure')[0]!.text).toContain('CREATE INDEX');
  });

  it('text is grouped by severity then rule, with the grade; colour only when asked', async () => {
    const plain = await renderAudit(run.result, 'text');
    expect(plain).not.toMatch(/\x1b\[/);
    expect(plain.indexOf('ERRORS')).toBeLessThan(plain.indexOf('WARNINGS'));
    expect(plain.indexOf('WARNINGS')).toBeLessThan(plain.indexOf('INFOS'));
    expect(plain).toContain(`Grade ${run.result.grade} (${run.result.score}/100)`);
    expect(await renderAudit(run.result, 'text', { color: true })).toMatch(/\x1b\[/);
  });

  it('markdown is a hand-over report: grade per category, findings table, objects, sizes, RLS', async () => {
    const md = await renderAudit(run.result, 'md', { catalog: run.catalog });
    for (const h of ['## Summary', '## Grade by category', '## Findings', '## Objects', '## Largest tables', '## Row-level security']) expect(md).toContain(h);
    expect(md.match(/^\| (🔴|🟡|🔵) \|/gm)?.length).toBe(run.result.findings.length);
    expect(md).toContain(`**${run.result.grade} (${run.result.score}/100)**`);
  });

  it('an unknown format is a usage error with a hint', async () => {
    await expect(renderAudit(run.result, 'pdf')).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
