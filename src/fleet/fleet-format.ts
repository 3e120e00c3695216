// Small formatting pieces every fleet report shares (Markdown cells, HTML
// escaping, the dashboard page shell). Pure.

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

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{margin:0 0 .3rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}
th,td{border-bottom:1px solid #e3e6ea;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f5f7f9}.dim{color:#6a737d;font-size:12px}
.tiles{display:flex;gap:.5rem;margin:1rem 0}.tile{padding:.5rem .9rem;border-radius:6px;background:#f5f7f9}.tile b{font-size:20px}
.gA{background:#dcf5e3}.gB{background:#eaf6d5}.gC{background:#fff4cc}.gD{background:#ffe2c2}.gF,.gX{background:#ffd6d6}
.error{color:#b31d28;font-weight:600}.warning{color:#9a6700}.info{color:#0969da}.ok{background:#dcf5e3}.drift{background:#fff4cc}.fail{background:#ffd6d6}`;

/** A complete, self-contained HTML page (no scripts, no external assets). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>\n<body>${body}</body></html>\n`;
}
