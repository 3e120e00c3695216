// fleet diff / plan / verify reports: the drift matrix (targets × differences)
// as text, Markdown, JSON and an HTML dashboard. Pure; redacted URLs only.
import { stableStringify } from '../catalog/normalize.js';
import { PlumbError } from '../errors.js';
import type { FleetSpecReport, FleetSpecTarget } from './fleet-spec.js';
import { driftMatrixHtml, escapeHtml, htmlPage, labelText, mdCell } from './fleet-format.js';

export const FLEET_SPEC_FORMATS = ['text', 'md', 'json', 'html'] as const;

export function renderFleetSpec(r: FleetSpecReport, format: string): string {
  switch (format) {
    case 'text':
      return renderText(r);
    case 'md':
      return renderMarkdown(r);
    case 'json':
      return stableStringify(r, 2) + '\n';
    case 'html':
      return renderHtml(r);
    default:
      throw new PlumbError('E_USAGE', `unknown format "${format}"`, `use one of: ${FLEET_SPEC_FORMATS.join(', ')}`);
  }
}

const verb = (r: FleetSpecReport) => r.kind.replace('fleet-', '');

function headline(r: FleetSpecReport): string {
  const s = r.summary;
  const missed = s.unreachable + s.timeout + s.error;
  return (
    `${s.targets} targets against ${r.spec}: ${s.matching} match the spec, ${s.drifted} differ (${r.variants.filter((v) => v.changes.length).length} variant(s))` +
    (s.verifyFailed !== undefined ? `, ${s.verifyFailed} fail verification` : '') +
    (missed ? `, ${s.unreachable} unreachable, ${s.timeout} timed out, ${s.error} failed` : '') +
    ` — ${(r.durationMs / 1000).toFixed(1)} s`
  );
}

function targetDetail(t: FleetSpecTarget): string {
  if (t.status !== 'ok') return `${t.status.toUpperCase()} ${t.error ?? ''}`;
  const parts = [t.changes!.length ? `variant ${t.variant}: ${t.changes!.length} change(s)` : 'matches'];
  if (t.plan) parts.push(`plan ${t.plan.checksum.slice(0, 12)}: ${t.plan.steps} step(s)${Object.keys(t.plan.safety).length ? ` (${Object.entries(t.plan.safety).map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}${t.plan.hazards.length ? ` hazards ${t.plan.hazards.join(' ')}` : ''}`);
  if (t.verify) parts.push(`verify ${t.verify.passed} passed, ${t.verify.failed} failed${t.verify.failures.length ? `: ${t.verify.failures.slice(0, 3).join('; ')}` : ''}`);
  return parts.join(' · ');
}

function renderText(r: FleetSpecReport): string {
  const lines = [`plumb fleet ${verb(r)} — ${headline(r)}`, ''];
  const w = Math.max(6, ...r.targets.map((t) => t.name.length));
  for (const t of r.targets) lines.push(`  ${t.name.padEnd(w)}  ${targetDetail(t)}`);
  r.variants.forEach((v, i) => {
    if (!v.changes.length) return;
    lines.push('', `Variant ${i} (${v.targets.length} target(s)): ${v.targets.slice(0, 8).join(', ')}${v.targets.length > 8 ? ' …' : ''}`);
    for (const c of v.changes) lines.push(`    ${c}`);
  });
  return lines.join('\n') + '\n';
}

function renderMarkdown(r: FleetSpecReport): string {
  const out = [`# plumb fleet ${verb(r)}`, '', headline(r), '', '## Targets', '', '| target | labels | result |', '|---|---|---|'];
  for (const t of r.targets) out.push(`| ${mdCell(t.name)} | ${mdCell(labelText(t.labels))} | ${mdCell(targetDetail(t))} |`);
  if (r.matrix.length) {
    out.push('', '## Drift matrix', '', '| difference | targets | which |', '|---|---:|---|');
    for (const m of r.matrix) out.push(`| \`${mdCell(m.change)}\` | ${m.targets.length} | ${mdCell(m.targets.slice(0, 10).join(', ') + (m.targets.length > 10 ? ' …' : ''))} |`);
  }
  return out.join('\n') + '\n';
}

function renderHtml(r: FleetSpecReport): string {
  const rows = r.targets.map((t) => ({ ...t, state: t.status !== 'ok' ? ('fail' as const) : t.changes!.length || t.verify?.failed ? ('drift' as const) : ('ok' as const), detail: targetDetail(t) }));
  return htmlPage(`plumb fleet ${verb(r)}`, escapeHtml(headline(r)), `<h2>Drift matrix</h2>${driftMatrixHtml(r.matrix, rows)}`);
}
