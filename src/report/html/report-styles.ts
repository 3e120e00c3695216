// The HTML report's stylesheet, inlined into the page (no network, works from file://).
export const REPORT_CSS = `
*{box-sizing:border-box}
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--accent:#1e3a5f;--err:#dc2626;--warn:#d97706;--info:#2563eb}
html,body{margin:0;height:100%}
body{font:14px/1.45 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg);display:flex;flex-direction:column}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
header.top{display:flex;align-items:center;gap:16px 20px;padding:10px 20px;background:#fff;border-bottom:1px solid var(--line);flex-wrap:wrap}
header.top h1{font-size:18px;margin:0}
header.top .meta{color:var(--muted);font-size:12.5px}
.grade{width:56px;height:56px;border-radius:10px;display:flex;align-items:center;justify-content:center;font-size:32px;font-weight:700;color:#fff;background:#475569}
.g-A{background:#15803d}.g-B{background:#65a30d}.g-C{background:#ca8a04}.g-D{background:#ea580c}.g-F{background:#dc2626}
.cats{display:flex;gap:8px;flex-wrap:wrap}
.cat{border:1px solid var(--line);border-radius:8px;padding:3px 10px;background:#fff;min-width:100px}
.cat b{font-size:15px}.cat .l{font-weight:700;margin-left:6px;padding:0 5px;border-radius:4px;color:#fff;font-size:12px}
.cat small{display:block;color:var(--muted);font-size:11px}
nav.tabs{display:flex;gap:2px;padding:0 20px;background:#fff;border-bottom:1px solid var(--line)}
nav.tabs a{padding:9px 14px;color:var(--muted);border-bottom:2px solid transparent;font-weight:500}
nav.tabs a.on{color:var(--fg);border-bottom-color:var(--accent)}
main{flex:1;min-height:0;display:flex}
section.panel{display:none;flex:1;min-height:0;overflow:auto;padding:16px 20px}
section.panel.on{display:block}
section#p-catalog.on,section#p-erd.on{display:flex;padding:0}
.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-bottom:10px}
select,input[type=search],button{font:inherit;font-size:13px;padding:5px 8px;border:1px solid #cbd5e1;border-radius:6px;background:#fff}
button{cursor:pointer}button:hover{background:#f1f5f9}
table.grid{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
table.grid th,table.grid td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
table.grid th{background:#f1f5f9;font-size:12px;color:#334155;position:sticky;top:0}
.sev{display:inline-block;padding:0 6px;border-radius:4px;font-size:11.5px;font-weight:600;color:#fff}
.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}
.count{color:var(--muted);font-size:12.5px}
aside.side{width:300px;min-width:220px;border-right:1px solid var(--line);background:#fff;display:flex;flex-direction:column}
aside.side input{margin:10px;width:calc(100% - 20px)}
aside.side .list{overflow:auto;flex:1;padding:0 6px 12px}
.list .sch a{display:inline;padding:0;color:#334155}
.list .sch{font-weight:600;color:#334155;padding:8px 6px 2px;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.list a{display:flex;justify-content:space-between;padding:2px 8px;border-radius:5px;color:var(--fg)}
.list a:hover{background:#f1f5f9;text-decoration:none}.list a.on{background:#e0e7ff}
.list a .dot{width:8px;height:8px;border-radius:4px;margin-top:6px;flex:none}
.dot-error{background:var(--err)}.dot-warning{background:var(--warn)}.dot-info{background:var(--info)}
.detail{flex:1;overflow:auto;padding:16px 20px}
.detail h2{margin:0 0 4px;font-size:20px}
.detail h3{margin:18px 0 6px;font-size:14px;color:#334155}
.facts{color:var(--muted);margin-bottom:10px}
tr.hl td{background:#fef9c3}
.erdwrap{flex:1;display:flex;flex-direction:column;min-width:0}
.erdbar{display:flex;gap:8px;align-items:center;padding:8px 12px;background:#fff;border-bottom:1px solid var(--line);flex-wrap:wrap}
.erdview{flex:1;position:relative;overflow:hidden;background:#fff;cursor:grab}
.erdview.drag{cursor:grabbing}
.erdview svg{position:absolute;left:0;top:0;width:100%;height:100%}
.erdnote{padding:30px;color:var(--muted)}
.erd-mode .cats,.erd-mode .meta+.meta{display:none}
.legend{color:var(--muted);font-size:12px}
.muted{color:var(--muted)}
.pill{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;font-size:12px;margin:1px}
`;
