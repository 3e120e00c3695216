// One self-contained HTML file for `plumb audit --format html` and
// `plumb inspect --format html`: inlined CSS, script, data and layout library;
// it must never reference the network (rule-doc links aside) and works from file://.
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { AuditResult } from '../../audit/types.js';
import type { Catalog } from '../../catalog/types.js';
import { erdColumnsSvg, erdElkOptions, erdLayoutWith, erdNodeSize, erdSceneSvg } from '../../erd/erd-scene.js';
import { buildReportModel, type ModelOptions, type ReportModel } from './report-model.js';
import { REPORT_CLIENT_JS } from './report-client.js';
import { REPORT_CSS } from './report-styles.js';

const require = createRequire(import.meta.url);
let elkSource: string | undefined;
/** elkjs's browser bundle, embedded as inert text and evaluated only when a neighbourhood diagram is opened. */
function elkBundle(): string {
  elkSource ??= (require('node:fs') as typeof import('node:fs')).readFileSync(require.resolve('elkjs/lib/elk.bundled.js'), 'utf8');
  return elkSource;
}

/** JSON safe inside a <script> element: no `</script`, `<!--` or line separators can end or confuse it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Lazily used blobs (the layout engine, per-schema diagrams) ship gzipped and
 * base64-encoded: a quarter of the bytes to read and tokenise when the page
 * opens; the browser inflates them with DecompressionStream when first needed.
 */
function packed(text: string): string {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
}

/** Script text safe inside a <script> element. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The shared ERD drawing functions, as browser source (tsx/vitest may wrap names with esbuild's __name). */
function sharedErdJs(): string {
  return ['var __name = function (f) { return f; };', erdNodeSize.toString(), erdElkOptions.toString(), erdLayoutWith.toString(), erdColumnsSvg.toString(), erdSceneSvg.toString()].join('\n');
}

function header(m: ReportModel): string {
  const meta = `${esc(m.dialect)} ${esc(m.serverVersion)}${m.database ? ` · ${esc(m.database)}` : ''} · ${m.tables.length} tables${m.generatedAt ? ` · ${esc(m.generatedAt)}` : ''}`;
  if (!m.audit) return `<header class="top"><div><h1>${esc(m.title)}</h1><div class="meta">${meta}</div></div></header>`;
  const a = m.audit;
  const cats = a.categories
    .map(
      (c) =>
        `<div class="cat" data-category="${esc(c.category)}"><small>${esc(c.category)}</small><b>${Math.round(c.score)}</b><span class="l g-${esc(c.letter)}">${esc(c.letter)}</span><small>${c.counts.error} errors · ${c.counts.warning} warnings · ${c.counts.info} info</small></div>`,
    )
    .join('');
  return (
    `<header class="top"><div id="grade" class="grade g-${esc(a.grade)}" data-grade="${esc(a.grade)}" title="score ${a.score}">${esc(a.grade)}</div>` +
    `<div><h1>${esc(m.title)}</h1><div class="meta">score <b id="score">${Math.round(a.score)}</b>/100 · ${a.counts.error} errors · ${a.counts.warning} warnings · ${a.counts.info} info · ${meta}</div>` +
    `<div class="meta">${esc(a.target)}${a.skipped.length ? ` · ${a.skipped.length} checks skipped` : ''}</div>` +
    (a.data ? `<div class="meta" id="data-coverage">${esc(a.data)}</div>` : '') +
    `</div><div class="cats">${cats}</div></header>`
  );
}

function body(m: ReportModel): string {
  const findings = m.audit
    ? `<section class="panel" id="p-findings"><div class="filters">` +
      `<select id="f-sev" aria-label="severity"></select><select id="f-cat" aria-label="category"></select><select id="f-rule" aria-label="rule"></select><select id="f-schema" aria-label="schema"></select>` +
      `<input type="search" id="f-q" placeholder="filter by path or message" size="30"><span class="count" id="f-count"></span></div>` +
      `<table class="grid" id="findings"><thead><tr><th>Severity</th><th>Category</th><th>Rule</th><th>Object</th><th>Message</th></tr></thead><tbody id="f-body"></tbody></table>` +
      `<p><button id="f-more" type="button">Show more</button></p>` +
      (m.audit.skipped.length ? `<h3>Checks that could not run</h3><ul>${m.audit.skipped.map((s) => `<li><code>${esc(s.rule)}</code>${s.path ? ` on <code>${esc(s.path)}</code>` : ''}: ${esc(s.reason)}</li>`).join('')}</ul>` : '') +
      `</section>`
    : '';
  const catalog =
    `<section class="panel" id="p-catalog"><aside class="side"><input type="search" id="c-q" placeholder="find a table (${m.tables.length})"><div class="list" id="c-list"></div></aside>` +
    `<div class="detail" id="c-detail"><p class="muted">Choose a table.</p></div></section>`;
  const erd =
    `<section class="panel" id="p-erd"><div class="erdwrap"><div class="erdbar">` +
    `<select id="e-schema" aria-label="schema"></select><select id="e-depth" aria-label="depth"><option value="1">depth 1</option><option value="2">depth 2</option></select>` +
    `<input type="search" id="e-q" placeholder="find a table, press Enter"><button id="e-out" type="button" title="zoom out">−</button><span id="e-zoom" class="count">100%</span><button id="e-in" type="button" title="zoom in">+</button><button id="e-fit" type="button">fit</button>` +
    `<b id="e-title"></b><span id="e-note" class="count"></span><span class="legend">drag to pan · wheel to zoom · click a table to open it · red/orange border: findings · dashed line: nullable key</span></div>` +
    `<div class="erdview" id="e-view"></div></div></section>`;
  const tabs =
    `<nav class="tabs">${m.audit ? `<a id="tab-findings" href="#findings">Findings (${m.findings.length})</a>` : ''}<a id="tab-catalog" href="#catalog">Catalog</a><a id="tab-erd" href="#erd">Diagram</a></nav>`;
  return `${tabs}<main>${findings}${catalog}${erd}</main>`;
}

export interface HtmlReportOptions extends ModelOptions {
  /** Leave the layout library out (no in-page neighbourhood diagrams): a smaller file. */
  withoutLayoutEngine?: boolean;
}

async function render(catalog: Catalog, audit: AuditResult | null, options: HtmlReportOptions): Promise<string> {
  const { model, scenes } = await buildReportModel(catalog, audit, options);
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="plumb">`,
    `<title>${esc(`plumb · ${model.title}`)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    header(model),
    body(model),
    `<script type="application/json" id="plumb-data">${scriptJson(model)}</script>`,
  ];
  // One JSON block per schema diagram: the page parses a diagram only when it is opened.
  scenes.forEach((s, i) => {
    if (s) parts.push(`<script type="application/gzip+base64" id="plumb-erd-${i}">${packed(JSON.stringify(s))}</script>`);
  });
  if (!options.withoutLayoutEngine) parts.push(`<script type="application/gzip+base64" id="plumb-elk">${packed(elkBundle())}</script>`);
  parts.push(`<script>${scriptText(sharedErdJs())}\n${scriptText(REPORT_CLIENT_JS)}</script>`, '</body></html>');
  return parts.join('\n') + '\n';
}

/** HTML for an audit: grade, category scores, filterable findings, catalog browser, ERDs. */
export function renderAuditHtml(result: AuditResult, catalog: Catalog, options: HtmlReportOptions = {}): Promise<string> {
  return render(catalog, result, options);
}

/** HTML for a catalog snapshot: catalog browser and ERDs. */
export function renderInspectHtml(catalog: Catalog, options: HtmlReportOptions = {}): Promise<string> {
  return render(catalog, null, options);
}
