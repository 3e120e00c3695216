// The fleet audit as text, Markdown, JSON, SARIF (one run per target) and a
// self-contained HTML dashboard. Pure: report in, string out, same bytes for
// the same report. Shows redacted URLs only.
import { stableStringify } from '../catalog/normalize.js';
import { renderAuditSarif, SARIF_SCHEMA_URI } from '../report/sarif.js';
import { PlumbError } from '../errors.js';
import type { FleetAuditReport, FleetTargetAudit } from './fleet-audit.js';
import { driftMatrixHtml, escapeHtml, gridTable, htmlPage, labelText, mdCell } from './fleet-format.js';
import { headline as rolloutHeadline, rolloutHtml, rolloutMarkdown } from './fleet-apply-report.js';

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
  if (r.drift) {
    lines.push('', `Drift from ${r.drift.spec}: ${r.drift.matching} target(s) match, ${r.drift.drifted} differ (${r.drift.variants.filter((v) => v.changes.length).length} variant(s)); the drift matrix is in -f md/html/json.`);
  }
  if (r.rollout) lines.push('', rolloutHeadline(r.rollout));
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
  if (r.drift) {
    out.push('', '## Drift matrix', '', `Against ${mdCell(r.drift.spec)}: ${r.drift.matching} target(s) match, ${r.drift.drifted} differ.`, '');
    if (r.drift.matrix.length) {
      out.push('| difference | targets | which |', '|---|---:|---|');
      for (const m of r.drift.matrix) out.push(`| \`${mdCell(m.change)}\` | ${m.targets.length} | ${mdCell(m.targets.slice(0, 10).join(', ') + (m.targets.length > 10 ? ' …' : ''))} |`);
    }
  }
  if (r.rollout) out.push('', '## Rollout', '', ...rolloutMarkdown(r.rollout, '###'));
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
  const grade = (t: FleetTargetAudit) => (t.status === 'ok' ? `<span class="sev g-${t.grade}">${t.grade}</span> ${t.score}` : `<span class="sev sev-error">${escapeHtml(t.status)}</span>`);
  const targets = gridTable(
    ['target', 'labels', 'grade', 'errors', 'warnings', 'info', 'time / problem'],
    r.targets.map(
      (t) =>
        `<tr><td>${escapeHtml(t.name)}<div class="muted">${escapeHtml(t.url)}</div></td><td class="muted">${escapeHtml(labelText(t.labels))}</td><td>${grade(t)}</td>` +
        `<td>${t.counts?.error ?? ''}</td><td>${t.counts?.warning ?? ''}</td><td>${t.counts?.info ?? ''}</td><td class="muted">${escapeHtml(t.error ?? `${(t.durationMs / 1000).toFixed(1)} s`)}</td></tr>`,
    ),
  );
  const rules = gridTable(
    ['severity', 'rule', 'findings', 'targets', 'which'],
    r.rules.map((x) => `<tr><td><span class="sev sev-${x.severity}">${x.severity}</span></td><td><code>${escapeHtml(x.code)}</code> ${escapeHtml(x.rule)}<div class="muted">${escapeHtml(x.title)}</div></td><td>${x.findings}</td><td>${x.targets.length}/${r.summary.audited}</td><td class="muted">${x.targets.map((n) => `<span class="pill">${escapeHtml(n)}</span>`).join('')}</td></tr>`),
  );
  const tiles =
    (Object.entries(r.summary.grades) as [string, number][]).map(([g, n]) => `<div class="tile"><b>${n}</b><span class="sev g-${g}">${g}</span></div>`).join('') +
    `<div class="tile"><b>${r.summary.unreachable + r.summary.timeout + r.summary.error}</b>not audited</div>` +
    (r.drift ? `<div class="tile"><b>${r.drift.drifted}</b>differ from the spec</div>` : '') +
    (r.rollout ? `<div class="tile"><b>${r.rollout.summary.applied}/${r.rollout.summary.targets}</b>applied (${escapeHtml(r.rollout.rollout.status)})</div>` : '');
  let drift = '';
  if (r.drift) {
    const byName = new Map(r.targets.map((t) => [t.name, t]));
    const changes = new Map(r.drift.variants.flatMap((v) => v.targets.map((n) => [n, v.changes] as const)));
    const rows = [...byName.values()].map((t) => {
      const c = changes.get(t.name);
      return { name: t.name, labels: t.labels, state: !c ? ('fail' as const) : c.length ? ('drift' as const) : ('ok' as const), detail: !c ? t.status : c.length ? `${c.length} difference(s)` : 'matches', ...(c ? { changes: c } : {}) };
    });
    drift = `<h2>Drift matrix: who differs from ${escapeHtml(r.drift.spec)}, and how</h2>${driftMatrixHtml(r.drift.matrix, rows)}`;
  }
  return htmlPage(
    'plumb fleet report',
    escapeHtml(headline(r)),
    `<div class="tiles">${tiles}</div><h2>Grade per target</h2>${targets}<h2>Findings by rule across the fleet</h2>${rules}${drift}${r.rollout ? rolloutHtml(r.rollout) : ''}`,
  );
}
