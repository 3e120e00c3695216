// One entry point that renders an audit in any format, so the CLI and the
// library agree. `html` is registered by src/report/html (renderAuditHtml).
import type { Catalog } from '../catalog/types.js';
import type { AuditResult, Severity } from '../audit/types.js';
import { PlumbError } from '../errors.js';
import { renderAuditJson } from './audit-json.js';
import { renderAuditJunit } from './audit-junit.js';
import { renderAuditMarkdown } from './audit-markdown.js';
import { renderAuditText } from './audit-text.js';
import { renderAuditSarif } from './sarif.js';

export const AUDIT_FORMATS = ['text', 'md', 'json', 'sarif', 'junit'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number] | 'html';

export interface RenderAuditOptions {
  catalog?: Catalog;
  color?: boolean;
  failOn?: Severity;
  ruleDescriptions?: { id: string; description?: string }[];
}

type Renderer = (r: AuditResult, o: RenderAuditOptions) => string | Promise<string>;

const renderers = new Map<string, Renderer>([
  ['text', (r, o) => renderAuditText(r, { color: o.color ?? false })],
  ['md', (r, o) => renderAuditMarkdown(r, o.catalog)],
  ['json', (r) => renderAuditJson(r)],
  ['sarif', (r, o) => renderAuditSarif(r, { rules: o.ruleDescriptions ?? [] })],
  ['junit', (r, o) => renderAuditJunit(r, { failOn: o.failOn ?? 'warning' })],
]);

/** Lets another module add a format (the HTML report registers `html` here). */
export function registerAuditFormat(name: string, render: Renderer): void {
  renderers.set(name, render);
}

export async function renderAudit(r: AuditResult, format: string, o: RenderAuditOptions = {}): Promise<string> {
  const render = renderers.get(format);
  if (!render) throw new PlumbError('E_USAGE', `unknown audit format "${format}"`, `use one of: ${[...renderers.keys()].join(', ')}`);
  return render(r, o);
}

export function auditFormats(): string[] {
  return [...renderers.keys()];
}
