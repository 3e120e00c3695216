// Small formatting pieces every fleet report shares (Markdown cells, HTML
// escaping, the dashboard page and its sections: drift matrix, timeline).
// Pure.
import { REPORT_CSS } from '../report/html/report-styles.js';

export function labelText(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(' ');
}

export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// The single-database HTML report's stylesheet and vocabulary (header.top, .grade/.g-X, table.grid, .sev, .pill),
// plus the few pieces only a fleet needs (tiles, matrix cells, row states).
const FLEET_CSS = `main{display:block;overflow:auto;padding:0 20px 24px}main h2{font-size:15px;margin:22px 0 8px}
.tiles{display:flex;gap:8px;flex-wrap:wrap}.tile{border:1px solid var(--line);border-radius:8px;padding:3px 12px;background:#fff;min-width:80px}.tile b{font-size:18px;margin-right:4px}
td.cell{text-align:center;width:28px}td.on{background:#fef3c7}tr.ok td.st{color:#15803d}tr.drift td.st{color:#b45309}tr.fail td.st{color:var(--err);font-weight:600}
.sev.g-A,.sev.g-B,.sev.g-C,.sev.g-D,.sev.g-F{min-width:22px;text-align:center}`;

/** A complete, self-contained HTML page (no scripts, no external assets) styled like `plumb audit -f html`. */
export function htmlPage(title: string, header: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}${FLEET_CSS}</style></head>\n<body><header class="top"><div><h1>${escapeHtml(title)}</h1><div class="meta">${header}</div></div></header><main>${body}</main></body></html>\n`;
}

/** A `table.grid` with a header row; cells are HTML already escaped. */
export function gridTable(head: readonly string[], rows: readonly string[]): string {
  return `<table class="grid"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The drift matrix: one row per target, one column per difference seen in the fleet (numbered, listed below the grid). */
export function driftMatrixHtml(matrix: readonly { change: string; targets: string[] }[], rows: readonly { name: string; labels: Record<string, string>; state: 'ok' | 'drift' | 'fail'; detail: string; changes?: string[] }[]): string {
  const cols = matrix.map((m) => m.change);
  const body = rows.map((t) => {
    const have = new Set(t.changes ?? []);
    return `<tr class="${t.state}"><td>${escapeHtml(t.name)}<div class="muted">${escapeHtml(labelText(t.labels))}</div></td><td class="st">${escapeHtml(t.detail)}</td>${cols.map((c) => (have.has(c) ? '<td class="cell on">●</td>' : '<td class="cell"></td>')).join('')}</tr>`;
  });
  const legend = matrix.map((m, i) => `<li><b>#${i + 1}</b> <code>${escapeHtml(m.change)}</code> — ${m.targets.length} target(s)</li>`).join('');
  return gridTable(['target', 'result', ...cols.map((c, i) => `<span title="${escapeHtml(c)}">#${i + 1}</span>`)], body) + `<ol style="list-style:none;padding:0">${legend}</ol>`;
}

/** A rollout's timeline (events in order). */
export function timelineHtml(events: readonly { at: string; target: string | null; event: string; detail: string | null }[]): string {
  return gridTable(['at', 'target', 'event', 'detail'], events.map((e) => `<tr><td class="muted mono">${escapeHtml(e.at)}</td><td>${escapeHtml(e.target ?? '')}</td><td>${escapeHtml(e.event)}</td><td class="muted">${escapeHtml(e.detail ?? '')}</td></tr>`));
}
