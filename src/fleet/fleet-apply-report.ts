// The rollout report: status, per-target result by wave, and the timeline,
// as text, Markdown, JSON and HTML. Pure; the state holds redacted URLs only.
import { stableStringify } from '../catalog/normalize.js';
import { PlumbError } from '../errors.js';
import type { FleetApplyReport } from './fleet-apply.js';
import { escapeHtml, gridTable, htmlPage, mdCell, timelineHtml } from './fleet-format.js';

export const FLEET_APPLY_FORMATS = ['text', 'md', 'json', 'html'] as const;

const waveName = (w: number) => (w === 0 ? 'canary' : `wave ${w}`);

export function headline(r: FleetApplyReport): string {
  const s = r.summary;
  const parts = (['applied', 'up-to-date', 'drifted', 'failed', 'pending', 'running'] as const).filter((k) => s[k]).map((k) => `${s[k]} ${k}`);
  return `rollout ${r.rollout.id}: ${r.rollout.status.toUpperCase()}${r.rollout.halt_reason ? ` (${r.rollout.halt_reason})` : ''} — ${s.targets} target(s): ${parts.join(', ')}; failure budget ${r.budget}`;
}

export function renderFleetApply(r: FleetApplyReport, format: string): string {
  if (format === 'json') return stableStringify(r, 2) + '\n';
  if (format === 'text') {
    const lines = [headline(r), ''];
    const w = Math.max(6, ...r.targets.map((t) => t.name.length));
    for (const t of r.targets) lines.push(`  ${waveName(t.wave).padEnd(7)} ${t.name.padEnd(w)}  ${t.status.padEnd(10)} ${t.plan_checksum ? t.plan_checksum.slice(0, 12) : ''.padEnd(12)}  ${t.error ?? ''}`);
    if (r.rollout.status !== 'done') lines.push('', `continue with: plumb fleet apply … --rollout ${r.rollout.id} --resume`);
    return lines.join('\n') + '\n';
  }
  if (format === 'md') return ['# plumb fleet apply', '', ...rolloutMarkdown(r, '##')].join('\n') + '\n';
  if (format === 'html') return htmlPage(`plumb fleet apply ${r.rollout.id}`, escapeHtml(headline(r)), rolloutHtml(r));
  throw new PlumbError('E_USAGE', `unknown format "${format}"`, `use one of: ${FLEET_APPLY_FORMATS.join(', ')}`);
}

/** The rollout in Markdown: headline, per-target table, timeline (`level` is the timeline's heading). */
export function rolloutMarkdown(r: FleetApplyReport, level: string): string[] {
  const out = [headline(r), '', '| wave | target | status | plan | attempts | finished | problem |', '|---|---|---|---|---:|---|---|'];
  for (const t of r.targets) out.push(`| ${waveName(t.wave)} | ${mdCell(t.name)} | ${t.status} | ${t.plan_checksum?.slice(0, 12) ?? ''} | ${t.attempts} | ${t.finished_at ?? ''} | ${mdCell(t.error ?? '')} |`);
  out.push('', `${level} Rollout timeline`, '');
  for (const e of r.events) out.push(`- ${e.at} ${e.target ? `**${mdCell(e.target)}** ` : ''}${e.event}${e.detail ? `: ${mdCell(e.detail)}` : ''}`);
  return out;
}

/** The rollout's HTML sections: per-target state by wave, then the timeline. */
export function rolloutHtml(r: FleetApplyReport): string {
  const cls: Record<string, string> = { applied: 'ok', 'up-to-date': 'ok', drifted: 'drift', failed: 'fail', pending: '', running: 'drift' };
  const rows = r.targets.map(
    (t) =>
      `<tr class="${cls[t.status]}"><td>${waveName(t.wave)}</td><td>${escapeHtml(t.name)}<div class="muted">${escapeHtml(t.url)}</div></td><td class="st">${t.status}</td><td><code>${t.plan_checksum?.slice(0, 12) ?? ''}</code></td><td>${t.attempts}</td><td class="muted">${escapeHtml(t.finished_at ?? '')}</td><td class="muted">${escapeHtml(t.error ?? '')}</td></tr>`,
  );
  return `<h2>Rollout ${escapeHtml(r.rollout.id)} by wave</h2>${gridTable(['wave', 'target', 'status', 'plan', 'attempts', 'finished', 'problem'], rows)}<h2>Rollout timeline</h2>${timelineHtml(r.events)}`;
}
