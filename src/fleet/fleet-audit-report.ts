// The fleet audit as text, Markdown, JSON, SARIF (one run per target) and a
// self-contained HTML dashboard. Pure: report in, string out, same bytes for
// the same report. Shows redacted URLs only.
import { stableStringify } from '../catalog/normalize.js';
import { renderAuditSarif, SARIF_SCHEMA_URI } from '../report/sarif.js';
import { PlumbError } from '../errors.js';
import type { FleetAuditReport, FleetTargetAudit } from './fleet-audit.js';
import { escapeHtml, htmlPage, labelText, mdCell } from './fleet-format.js';

export const FLEET_AUDIT_FORMATS = ['text', 'md', 'json', 'html', 'sarif'] as const;
export type FleetAuditFormat = (typeof FLEET_AUDIT_FORMATS)[number];

export function renderFleetAudit(r: FleetAuditReport, format: string, o: { ruleDescriptions?: { id: string; description?: string }[] } = {}): string {
  switch (format) {
    case 'text':
      return renderText(r);
    case 'md':
      return renderMarkdown(r);
    case 'json':
      return stableStringify(r, 2) + '\n';
    case 'html':
      return renderHtml(r);
    case 'sarif':
      return renderSarif(r, o.ruleDescriptions ?? []);
    default:
      throw new PlumbError('E_USAGE', `unknown fleet audit format "${format}"`, `use one of: ${FLEET_AUDIT_FORMATS.join(', ')}`);
  }
}

const statusText = (t: FleetTargetAudit): string => (t.status === 'ok' ? `${t.grade} ${String(t.score).padStart(3)}` : t.status.toUpperCase());
const countsText = (t: FleetTargetAudit): string => (t.counts ? `${t.counts.error} error, ${t.counts.warning} warning, ${t.counts.info} info` : (t.error ?? ''));

function headline(r: FleetAuditReport): string {
  const s = r.summary;
  const grades = (Object.entries(s.grades) as [string, number][]).filter(([, n]) => n).map(([g, n]) => `${n}×${g}`).join(' ');
  const missed = s.unreachable + s.timeout + s.error;
  return `${s.audited}/${s.targets} targets audited in ${(r.durationMs / 1000).toFixed(1)} s` + (grades ? ` · grades ${grades}` : '') + (missed ? ` · ${s.unreachable} unreachable, ${s.timeout} timed out, ${s.error} failed` : '');
}

function renderText(r: FleetAuditReport): string {
  const lines = [`plumb fleet audit — ${headline(r)}`, ''];
  const w = Math.max(6, ...r.targets.map((t) => t.name.length));
  for (const t of r.targets) lines.push(`  ${t.name.padEnd(w)}  ${statusText(t).padEnd(11)}  ${countsText(t)}`);
  if (r.rules.length) {
    lines.push('', 'Findings by rule across the fleet:');
    for (const x of r.rules) {
      const few = x.targets.length <= 5 ? x.targets.join(', ') : `${x.targets.slice(0, 5).join(', ')} …`;
      lines.push(`  ${x.severity.padEnd(7)} ${x.code} ${x.rule}: ${x.findings} finding(s) on ${x.targets.length}/${r.summary.audited} target(s) (${few})`);
    }
  }
  return lines.join('\n') + '\n';
}

function renderMarkdown(r: FleetAuditReport): string {
  const out = ['# plumb fleet audit', '', headline(r), '', '## Targets', '', '| target | labels | grade | score | errors | warnings | info | time |', '|---|---|---|---:|---:|---:|---:|---:|'];
  for (const t of r.targets) {
    out.push(
      t.status === 'ok'
        ? `| ${mdCell(t.name)} | ${mdCell(labelText(t.labels))} | ${t.grade} | ${t.score} | ${t.counts!.error} | ${t.counts!.warning} | ${t.counts!.info} | ${(t.durationMs / 1000).toFixed(1)} s |`
        : `| ${mdCell(t.name)} | ${mdCell(labelText(t.labels))} | **${t.status}** | | | | | ${mdCell(t.error ?? '')} |`,
    );
  }
  if (r.rules.length) {
    out.push('', '## Findings by rule', '', '| severity | rule | findings | targets | which |', '|---|---|---:|---:|---|');
    for (const x of r.rules) out.push(`| ${x.severity} | ${x.code} ${mdCell(x.rule)} | ${x.findings} | ${x.targets.length}/${r.summary.audited} | ${mdCell(x.targets.slice(0, 10).join(', ') + (x.targets.length > 10 ? ' …' : ''))} |`);
  }
  return out.join('\n') + '\n';
}

/** One SARIF run per target, each the single-database SARIF run with the target named in automationDetails. */
function renderSarif(r: FleetAuditReport, descriptions: { id: string; description?: string }[]): string {
  const runs = r.targets.map((t) => {
    if (t.result) {
      const run = (JSON.parse(renderAuditSarif(t.result, { rules: descriptions })) as { runs: Record<string, unknown>[] }).runs[0]!;
      return { ...run, automationDetails: { id: `plumb-fleet/${t.name}` }, properties: { ...(run.properties as object), fleetTarget: t.name, labels: t.labels } };
    }
    return {
      tool: { driver: { name: 'plumb', informationUri: 'https://github.com/plumb-db/plumb', rules: [] } },
      automationDetails: { id: `plumb-fleet/${t.name}` },
      invocations: [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: `${t.status}: ${t.error ?? ''}` } }] }],
      results: [],
      properties: { fleetTarget: t.name, labels: t.labels, target: { url: t.url }, status: t.status },
    };
  });
  return JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs }, null, 2) + '\n';
}

function renderHtml(r: FleetAuditReport): string {
  const gradeCls = (g?: string) => (g ? `g${g}` : 'gX');
  const rows = r.targets
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.name)}</td><td class="dim">${escapeHtml(labelText(t.labels))}</td><td class="${gradeCls(t.grade)}">${t.status === 'ok' ? `${t.grade} (${t.score})` : escapeHtml(t.status)}</td>` +
        `<td>${t.counts?.error ?? ''}</td><td>${t.counts?.warning ?? ''}</td><td>${t.counts?.info ?? ''}</td><td class="dim">${escapeHtml(t.error ?? `${(t.durationMs / 1000).toFixed(1)} s`)}</td></tr>`,
    )
    .join('\n');
  const rules = r.rules
    .map((x) => `<tr><td class="${x.severity}">${x.severity}</td><td>${escapeHtml(x.code)} ${escapeHtml(x.rule)}<div class="dim">${escapeHtml(x.title)}</div></td><td>${x.findings}</td><td>${x.targets.length}/${r.summary.audited}</td><td class="dim">${escapeHtml(x.targets.join(', '))}</td></tr>`)
    .join('\n');
  const tiles = (Object.entries(r.summary.grades) as [string, number][]).map(([g, n]) => `<div class="tile g${g}"><b>${n}</b> ${g}</div>`).join('');
  const body =
    `<h1>plumb fleet audit</h1><p>${escapeHtml(headline(r))}</p><div class="tiles">${tiles}<div class="tile gX"><b>${r.summary.unreachable + r.summary.timeout + r.summary.error}</b> not audited</div></div>` +
    `<h2>Targets</h2><table><thead><tr><th>target</th><th>labels</th><th>grade</th><th>errors</th><th>warnings</th><th>info</th><th>time / problem</th></tr></thead><tbody>\n${rows}\n</tbody></table>` +
    `<h2>Findings by rule</h2><table><thead><tr><th>severity</th><th>rule</th><th>findings</th><th>targets</th><th>which</th></tr></thead><tbody>\n${rules}\n</tbody></table>`;
  return htmlPage('plumb fleet audit', body);
}
