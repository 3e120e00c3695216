// The HTML report as a file: one self-contained page whose embedded JSON
// parses back to the audit, with no network references and no way for catalog
// text to break out of its <script> blocks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRun } from '../../src/audit/audit.js';
import { renderAudit } from '../../src/report/audit-report.js';
import { renderAuditHtml, renderInspectHtml, type ReportModel } from '../../src/report/html/index.js';
import { auditGaugeBefore, HOSTILE_COMMENT } from './gauge-report-fixture.js';

let run: AuditRun & { dispose(): Promise<void> };
let html: string;

beforeAll(async () => {
  run = await auditGaugeBefore();
  html = await renderAuditHtml(run.result, run.catalog);
});
afterAll(async () => run?.dispose());

function embedded(page: string): ReportModel {
  const m = /<script type="application\/json" id="plumb-data">([\s\S]*?)<\/script>/.exec(page);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as ReportModel;
}

describe('audit HTML', () => {
  it('embeds the audit as JSON that parses back to the same grade, findings and tables', () => {
    const model = embedded(html);
    expect(model.kind).toBe('audit');
    expect(model.audit!.grade).toBe(run.result.grade);
    expect(model.findings).toHaveLength(run.result.findings.length);
    expect(model.findings.length).toBeGreaterThan(5);
    expect(model.tables.map((t) => t.p).sort()).toEqual(run.catalog.schemas.flatMap((s) => s.tables.map((t) => t.path)).sort());
    expect(html).toContain(`data-grade="${run.result.grade}"`);
    // Findings on a table point at it, so the page can link the row to the catalog browser.
    const fk = model.findings.find((f) => f.r === 'foreign-key-without-index');
    expect(fk && model.tables[fk.t]!.p).toBe('public.gauges');
  });

  it('keeps hostile catalog text inside its script block', () => {
    expect(embedded(html).tables.find((t) => t.p === 'public.gauges')!.c).toBe(HOSTILE_COMMENT);
    expect(html).not.toContain('<script>window.__pwned');
    const opened = html.match(/<script[\s>]/g)!.length;
    const closed = html.match(/<\/script>/g)!.length;
    expect(closed).toBe(opened);
    expect(html.match(/<!--/g)).toBeNull();
  });

  it('references nothing on the network except rule documentation', () => {
    const docs = new Set(embedded(html).audit!.rules.map((r) => r.doc));
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]!);
    for (const r of refs) if (/^(https?:)?\/\//i.test(r)) expect(docs.has(r), r).toBe(true);
    expect(html).not.toMatch(/<link\b|<script[^>]+\bsrc=|<img[^>]+\bsrc=["']https?:|@import|url\(\s*["']?https?:/i);
    for (const d of docs) expect(d).toMatch(/^(docs\/rules\/[a-z0-9-]+\.md|https:\/\/\S+)$/);
  });

  it('is what renderAudit(result, "html") returns', async () => {
    expect(await renderAudit(run.result, 'html', { catalog: run.catalog })).toBe(html);
  });
});

describe('inspect HTML', () => {
  it('has the catalog and diagrams but no findings panel, and the same bytes every time', async () => {
    const a = await renderInspectHtml(run.catalog);
    expect(embedded(a).kind).toBe('inspect');
    expect(a).not.toContain('id="p-findings"');
    expect(a).toContain('id="plumb-erd-0"');
    expect(await renderInspectHtml(run.catalog)).toBe(a);
  });
});
