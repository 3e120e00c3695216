// The drawing of an ERD: node sizes, elk layout options and the SVG markup.
// These functions run in Node (plumb erd --format svg) AND in the HTML report's
// browser script, which inlines their source via Function.prototype.toString —
// so each must stay self-contained: no imports, no module-level helpers, no closures.

export interface SceneColumn {
  /** Column name. */
  n: string;
  /** Type text. */
  t: string;
  /** Key badges: `PK`, `FK`, `PK FK`, `UQ` or empty. */
  k: string;
}

export interface SceneNode {
  id: string;
  title: string;
  /** Schema label shown above the title (for tables outside the diagram's schema). */
  sub: string | null;
  cols: SceneColumn[];
  /** Columns left out to keep the box small. */
  more: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Worst finding severity on the table, or empty. */
  mark: '' | 'error' | 'warning' | 'info';
  /** Number of findings on the table. */
  badge: number;
  ext: boolean;
  focus: boolean;
}

export interface SceneEdge {
  id: string;
  /** Referenced (parent) and referencing (child) node ids. */
  parent: string;
  child: string;
  /** Polyline from the parent to the child: x0, y0, x1, y1, … */
  pts: number[];
  oneToOne: boolean;
  required: boolean;
  label: string;
}

export interface ErdScene {
  width: number;
  height: number;
  nodes: SceneNode[];
  edges: SceneEdge[];
}

/** Box size for a table: wide enough for its longest line, tall enough for its (capped) columns. */
export function erdNodeSize(node: { title: string; sub: string | null; cols: SceneColumn[]; more: number; badge: number }): { w: number; h: number } {
  const TITLE_CH = 7.4;
  const CH = 6.7;
  let w = Math.min(node.title.length, 48) * TITLE_CH + 24 + (node.badge ? 30 : 0);
  if (node.sub) w = Math.max(w, node.sub.length * 6 + 24);
  for (const c of node.cols) w = Math.max(w, 42 + Math.min(c.n.length, 34) * CH + 18 + Math.min(c.t.length, 24) * CH + 10);
  const header = node.sub ? 38 : 26;
  const rows = node.cols.length + (node.more ? 1 : 0);
  return { w: Math.round(Math.min(Math.max(w, 130), 460)), h: header + rows * 17 + (rows ? 6 : 0) };
}

/** Layout options for elk's layered algorithm; big graphs get the fast strategies (seconds, not minutes). */
export function erdElkOptions(nodeCount: number): Record<string, string> {
  const o: Record<string, string> = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.edgeRouting': 'POLYLINE',
    'elk.spacing.nodeNode': '28',
    'elk.layered.spacing.nodeNodeBetweenLayers': '70',
    'elk.spacing.componentComponent': '50',
  };
  if (nodeCount <= 150) {
    // Stable, wide layouts for diagrams people read; both options cost 3-5x the time on big graphs.
    o['elk.layered.considerModelOrder.strategy'] = 'NODES_AND_EDGES';
    o['elk.aspectRatio'] = '2.4';
  } else {
    o['elk.layered.thoroughness'] = '1';
    o['elk.layered.layering.strategy'] = 'LONGEST_PATH';
    o['elk.layered.nodePlacement.strategy'] = 'SIMPLE';
    o['elk.layered.crossingMinimization.greedySwitch.type'] = 'OFF';
  }
  return o;
}

/**
 * Lays a scene out with an elk instance (elkjs in Node, the inlined bundle in the
 * browser): nodes keep their sizes, edges run from parent to child so parents
 * sit left of the tables that reference them.
 */
export async function erdLayoutWith(elk: { layout(g: unknown): Promise<unknown> }, scene: ErdScene): Promise<ErdScene> {
  type ElkOut = { width?: number; height?: number; children?: { id: string; x?: number; y?: number }[]; edges?: { id: string; sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[] }[] };
  const ids = new Set(scene.nodes.map((n) => n.id));
  const edges = scene.edges.filter((e) => ids.has(e.parent) && ids.has(e.child));
  const graph = {
    id: '__root',
    layoutOptions: erdElkOptions(scene.nodes.length),
    children: scene.nodes.map((n) => ({ id: n.id, width: n.w, height: n.h })),
    edges: edges.map((e, i) => ({ id: 'e' + i, sources: [e.parent], targets: [e.child] })),
  };
  const res = (await elk.layout(graph)) as ElkOut;
  const pos = new Map<string, { x: number; y: number }>();
  for (const c of res.children || []) pos.set(c.id, { x: c.x || 0, y: c.y || 0 });
  const PAD = 20;
  const nodes = scene.nodes.map((n) => ({ ...n, x: (pos.get(n.id) || { x: 0 }).x + PAD, y: (pos.get(n.id) || { y: 0 }).y + PAD }));
  const outEdges: SceneEdge[] = [];
  const res2 = res.edges || [];
  for (let i = 0; i < edges.length; i++) {
    const sec = res2[i] && res2[i]!.sections && res2[i]!.sections![0];
    const pts: number[] = [];
    if (sec) {
      pts.push(sec.startPoint.x + PAD, sec.startPoint.y + PAD);
      for (const b of sec.bendPoints || []) pts.push(b.x + PAD, b.y + PAD);
      pts.push(sec.endPoint.x + PAD, sec.endPoint.y + PAD);
    }
    outEdges.push({ ...edges[i]!, pts });
  }
  return { width: (res.width || 0) + 2 * PAD, height: (res.height || 0) + 2 * PAD, nodes, edges: outEdges };
}

/** The column rows inside one table box (also added lazily by the page to boxes scrolled into view). */
export function erdColumnsSvg(n: SceneNode): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cut = (s: string, k: number) => (s.length > k ? s.slice(0, k - 1) + '\u2026' : s);
  const out: string[] = [];
  let y = (n.sub ? 38 : 26) + 3;
  let nameX = 30;
  for (const c of n.cols) if (c.k.length > 2) nameX = 44;
  for (let i = 0; i < n.cols.length; i++) {
    const c = n.cols[i]!;
    if (i % 2 === 1) out.push('<rect class="zebra" x="1" y="' + y + '" width="' + (n.w - 2) + '" height="17"/>');
    const kc = c.k.indexOf('PK') >= 0 ? 'kk pk' : c.k.indexOf('FK') >= 0 ? 'kk fk' : 'kk';
    if (c.k) out.push('<text class="' + kc + '" x="6" y="' + (y + 12) + '">' + esc(c.k.replace(' ', '\u00b7')) + '</text>');
    out.push('<text class="cn" x="' + nameX + '" y="' + (y + 12.5) + '">' + esc(cut(c.n, 34)) + '</text>');
    out.push('<text class="ty" x="' + (n.w - 8) + '" y="' + (y + 12.5) + '" text-anchor="end">' + esc(cut(c.t, 24)) + '</text>');
    y += 17;
  }
  if (n.more) out.push('<text class="more" x="30" y="' + (y + 12) + '">\u2026 ' + n.more + ' more column' + (n.more === 1 ? '' : 's') + '</text>');
  return out.join('\n');
}

/** Draws a laid-out scene as one SVG document (its own styles inside, so the file stands alone). */
export function erdSceneSvg(scene: ErdScene, opts?: { standalone?: boolean; compact?: boolean }): string {
  // compact: boxes and titles only; the page adds column rows (erdColumnsSvg) to the boxes in view when zoomed in.
  const compact = !!(opts && opts.compact);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '\u2026' : s);
  const r = (v: number) => Math.round(v * 10) / 10;
  const W = Math.ceil(scene.width);
  const H = Math.ceil(scene.height);
  const out: string[] = [];
  out.push(
    '<svg xmlns="http://www.w3.org/2000/svg" class="erd" viewBox="0 0 ' + W + ' ' + H + '"' + (opts && opts.standalone ? ' width="' + W + '" height="' + H + '"' : '') + '>',
    '<style>' +
      '.erd{font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;background:#fff}' +
      '.erd .box{fill:#fff;stroke:#94a3b8;stroke-width:1}' +
      '.erd .hd{fill:#1e3a5f}.erd .ext .hd{fill:#64748b}.erd .ext .box{stroke-dasharray:4 3}' +
      '.erd .tt{fill:#fff;font-weight:600;font-size:12.5px}.erd .sb{fill:#cbd5e1;font-size:10px}' +
      '.erd .cn{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;fill:#0f172a}' +
      '.erd .ty{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;fill:#64748b}' +
      '.erd .kk{font:bold 8.5px ui-sans-serif,system-ui,sans-serif;fill:#b45309}.erd .kk.pk{fill:#a16207}.erd .kk.fk{fill:#2563eb}' +
      '.erd .more{font-size:10.5px;fill:#64748b;font-style:italic}' +
      '.erd .zebra{fill:#f1f5f9}' +
      '.erd .e{fill:none;stroke:#64748b;stroke-width:1.3}.erd .e.opt{stroke-dasharray:5 3}' +
      '.erd .mark-error .box{stroke:#dc2626;stroke-width:2.5}.erd .mark-warning .box{stroke:#d97706;stroke-width:2.5}.erd .mark-info .box{stroke:#2563eb;stroke-width:2}' +
      '.erd .bd{font:bold 10px ui-sans-serif,system-ui,sans-serif;fill:#fff}.erd .bdc{fill:#dc2626}.erd .mark-warning .bdc{fill:#d97706}.erd .mark-info .bdc{fill:#2563eb}' +
      '.erd .focus .box{stroke:#7c3aed;stroke-width:3}.erd .hit .box{stroke:#db2777;stroke-width:4}' +
      '.erd .n{cursor:pointer}.erd .mk{fill:none;stroke:#64748b;stroke-width:1.3}' +
      '</style>',
    '<defs>' +
      '<marker id="erd-many" viewBox="0 0 16 16" refX="15" refY="8" markerWidth="16" markerHeight="16" orient="auto" markerUnits="userSpaceOnUse"><path class="mk" d="M15 2 L3 8 L15 14 M15 8 L3 8 M3 3 L3 13"/></marker>' +
      '<marker id="erd-one" viewBox="0 0 16 16" refX="15" refY="8" markerWidth="16" markerHeight="16" orient="auto" markerUnits="userSpaceOnUse"><path class="mk" d="M15 8 L1 8 M7 3 L7 13 M3 3 L3 13"/></marker>' +
      '<marker id="erd-parent" viewBox="0 0 16 16" refX="1" refY="8" markerWidth="16" markerHeight="16" orient="auto" markerUnits="userSpaceOnUse"><path class="mk" d="M1 8 L15 8 M6 3 L6 13 M10 3 L10 13"/></marker>' +
      '<marker id="erd-parent-opt" viewBox="0 0 16 16" refX="1" refY="8" markerWidth="16" markerHeight="16" orient="auto" markerUnits="userSpaceOnUse"><path class="mk" d="M1 8 L15 8 M5 3 L5 13"/><circle class="mk" cx="11" cy="8" r="3" fill="#fff"/></marker>' +
      '</defs>',
    '<rect width="' + W + '" height="' + H + '" fill="#fff"/>',
  );
  out.push('<g class="edges">');
  for (const e of scene.edges) {
    if (e.pts.length < 4) continue;
    let d = 'M' + r(e.pts[0]!) + ' ' + r(e.pts[1]!);
    for (let i = 2; i + 1 < e.pts.length; i += 2) d += ' L' + r(e.pts[i]!) + ' ' + r(e.pts[i + 1]!);
    out.push(
      '<path class="e' + (e.required ? '' : ' opt') + '" d="' + d + '" marker-start="url(#' + (e.required ? 'erd-parent' : 'erd-parent-opt') + ')" marker-end="url(#' + (e.oneToOne ? 'erd-one' : 'erd-many') + ')"><title>' + esc(e.label) + '</title></path>',
    );
  }
  out.push('</g><g class="nodes">');
  for (const n of scene.nodes) {
    const cls = 'n' + (n.mark ? ' mark-' + n.mark : '') + (n.ext ? ' ext' : '') + (n.focus ? ' focus' : '') + (compact && n.cols.length ? ' lazy' : '');
    const header = n.sub ? 38 : 26;
    out.push('<g class="' + cls + '" data-id="' + esc(n.id) + '" transform="translate(' + r(n.x) + ',' + r(n.y) + ')">');
    out.push('<title>' + esc(n.id) + (n.badge ? ' \u2014 ' + n.badge + ' finding' + (n.badge === 1 ? '' : 's') : '') + '</title>');
    out.push('<rect class="box" width="' + n.w + '" height="' + n.h + '" rx="5"/>');
    out.push('<path class="hd" d="M0 5 Q0 0 5 0 H' + (n.w - 5) + ' Q' + n.w + ' 0 ' + n.w + ' 5 V' + header + ' H0 Z"/>');
    if (n.sub) out.push('<text class="sb" x="10" y="13">' + esc(cut(n.sub, 40)) + '</text>');
    out.push('<text class="tt" x="10" y="' + (header - 8) + '">' + esc(cut(n.title, 48)) + '</text>');
    if (n.badge) {
      out.push('<circle class="bdc" cx="' + (n.w - 14) + '" cy="' + (header - 12) + '" r="9"/>');
      out.push('<text class="bd" x="' + (n.w - 14) + '" y="' + (header - 8.5) + '" text-anchor="middle">' + (n.badge > 99 ? '99+' : n.badge) + '</text>');
    }
    if (!compact) out.push(erdColumnsSvg(n));
    out.push('</g>');
  }
  out.push('</g></svg>');
  return out.join('\n');
}
