// The HTML report's browser script, as text inlined into the page. It reads
// the embedded JSON, renders findings, the catalog browser and ERDs lazily,
// and must never fetch anything: the page works offline from file://.
// Kept as plain ES2020 in a string (no DOM types in this project's compiler settings).
export const REPORT_CLIENT_JS = String.raw`
(function () {
  'use strict';
  // Milestones since navigation start, read by bench/html.bench.ts.
  var timings = window.__plumbTimings = { scriptStart: performance.now() };
  var M = JSON.parse(document.getElementById('plumb-data').textContent);
  timings.dataParsed = performance.now();
  var $ = function (id) { return document.getElementById(id); };
  var esc = function (s) { return String(s == null ? '' : s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); };
  var RANK = { error: 3, warning: 2, info: 1 };
  var PAGE = 200;
  var tableByPath = {};
  M.tables.forEach(function (t, i) { tableByPath[t.p] = i; });
  var marks = {};
  M.findings.forEach(function (f) {
    if (f.t < 0) return;
    var m = marks[f.t] || (marks[f.t] = { s: f.s, n: 0 });
    m.n++;
    if (RANK[f.s] > RANK[m.s]) m.s = f.s;
  });
  var ruleById = {};
  if (M.audit) M.audit.rules.forEach(function (r) { ruleById[r.id] = r; });
  var findings = M.findings.map(function (f, i) { f.i = i; return f; }).sort(function (a, b) {
    return (RANK[b.s] - RANK[a.s]) || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0) || (a.r < b.r ? -1 : a.r > b.r ? 1 : 0);
  });
  // Inflates a gzip+base64 block embedded in the page (no network: DecompressionStream runs locally).
  function unpack(id) {
    var bin = atob(document.getElementById(id).textContent.trim());
    var bytes = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  }
  function fmtBytes(n) {
    if (n == null) return '\u2014';
    var u = ['B', 'kB', 'MB', 'GB', 'TB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + u[i];
  }
  // Exact (x), estimated (~), or unknown: a never-analysed table has no estimate, and says so.
  function fmtRows(n, x) { return n == null ? 'not analysed' : (x ? '' : '~') + Math.round(n).toLocaleString('en-US'); }
  function tableHref(i, col) { return '#table/' + encodeURIComponent(M.tables[i].p) + (col ? '/' + encodeURIComponent(col) : ''); }

  // ---------- tabs and routing ----------
  function show(panel) {
    ['findings', 'catalog', 'erd'].forEach(function (p) {
      var el = $('p-' + p); if (el) el.classList.toggle('on', p === panel);
      var tab = $('tab-' + p); if (tab) tab.classList.toggle('on', p === panel);
    });
    // The diagram wants the height: the score cards fold away while it is shown.
    document.body.classList.toggle('erd-mode', panel === 'erd');
  }
  function route() {
    var h = decodeURIComponent(location.hash.slice(1));
    var parts = location.hash.slice(1).split('/').map(decodeURIComponent);
    if (parts[0] === 'table' && tableByPath[parts[1]] != null) { show('catalog'); openTable(tableByPath[parts[1]], parts[2] || null); return; }
    if (parts[0] === 'schema') { show('catalog'); openSchema(parts[1]); return; }
    if (parts[0] === 'erd') {
      show('erd');
      if (parts[1] === 'table' && tableByPath[parts[2]] != null) erdNeighbourhood(tableByPath[parts[2]], Number(parts[3] || 1));
      else if (parts[1] === 'schema') erdSchema(parts[2]);
      else erdSchema(null);
      return;
    }
    if (h === 'catalog') { show('catalog'); if (!currentTable && M.tables.length) openTable(0, null); return; }
    show($('p-findings') ? 'findings' : 'catalog');
    if (!$('p-findings') && !currentTable && M.tables.length) openTable(0, null);
  }
  window.addEventListener('hashchange', route);

  // ---------- findings ----------
  var shown = PAGE;
  function fillSelect(id, values, label) {
    var el = $(id); if (!el) return;
    el.innerHTML = '<option value="">' + esc(label) + '</option>' + values.map(function (v) { return '<option value="' + esc(v[0]) + '">' + esc(v[1]) + '</option>'; }).join('');
  }
  function uniq(list) { var s = {}; list.forEach(function (x) { s[x] = 1; }); return Object.keys(s).sort(); }
  function currentFindings() {
    var sev = $('f-sev').value, cat = $('f-cat').value, rule = $('f-rule').value, sch = $('f-schema').value, q = $('f-q').value.toLowerCase();
    return findings.filter(function (f) {
      return (!sev || f.s === sev) && (!cat || f.g === cat) && (!rule || f.r === rule) && (!sch || f.sc === sch) &&
        (!q || f.p.toLowerCase().indexOf(q) >= 0 || f.m.toLowerCase().indexOf(q) >= 0);
    });
  }
  function renderFindings() {
    var list = currentFindings();
    var rows = list.slice(0, shown).map(function (f) {
      var rule = ruleById[f.r];
      var obj = f.t >= 0 ? '<a class="obj" href="' + esc(tableHref(f.t, f.col)) + '"><code>' + esc(f.p) + '</code></a>'
        : (f.sc && M.schemas.some(function (s) { return s.name === f.sc; }) ? '<a class="obj" href="#schema/' + esc(encodeURIComponent(f.sc)) + '"><code>' + esc(f.p) + '</code></a>' : '<code>' + esc(f.p) + '</code>');
      var doc = rule ? '<a class="doc" href="' + esc(rule.doc) + '" target="_blank" rel="noopener">' + esc(f.r) + '</a>' : esc(f.r);
      return '<tr data-sev="' + f.s + '"><td><span class="sev sev-' + f.s + '">' + f.s + '</span></td><td>' + esc(f.g) + '</td><td>' + doc + '<br><span class="muted">' + esc(f.c) + '</span></td><td>' + obj + '</td><td>' + esc(f.m) +
        (f.f ? '<details><summary class="muted">fix</summary><pre class="mono">' + esc(f.f) + '</pre></details>' : '') + '</td></tr>';
    });
    $('f-body').innerHTML = rows.join('');
    $('f-count').textContent = list.length + ' of ' + findings.length + ' findings';
    $('f-count').setAttribute('data-count', String(list.length));
    $('f-more').style.display = list.length > shown ? '' : 'none';
    $('f-more').textContent = 'Show ' + Math.min(PAGE, list.length - shown) + ' more (' + (list.length - shown) + ' hidden)';
  }
  function initFindings() {
    if (!$('p-findings')) return;
    fillSelect('f-sev', ['error', 'warning', 'info'].map(function (s) { return [s, s + ' (' + M.audit.counts[s] + ')']; }), 'all severities');
    fillSelect('f-cat', uniq(findings.map(function (f) { return f.g; })).map(function (c) { return [c, c]; }), 'all categories');
    fillSelect('f-rule', uniq(findings.map(function (f) { return f.r; })).map(function (r) { return [r, r]; }), 'all rules');
    fillSelect('f-schema', uniq(findings.map(function (f) { return f.sc; }).filter(Boolean)).map(function (s) { return [s, s]; }), 'all schemas');
    ['f-sev', 'f-cat', 'f-rule', 'f-schema'].forEach(function (id) { $(id).addEventListener('change', function () { shown = PAGE; renderFindings(); }); });
    var timer = 0;
    $('f-q').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { shown = PAGE; renderFindings(); }, 120); });
    $('f-more').addEventListener('click', function () { shown += PAGE; renderFindings(); });
    renderFindings();
  }

  // ---------- catalog browser ----------
  var currentTable = null;
  var LIST_CAP = 400;
  function renderList() {
    var q = $('c-q').value.toLowerCase();
    var out = [], n = 0, hidden = 0;
    M.schemas.forEach(function (s) {
      var items = [];
      s.tables.forEach(function (i) {
        var t = M.tables[i];
        if (q && t.p.toLowerCase().indexOf(q) < 0) return;
        if (n >= LIST_CAP) { hidden++; return; }
        n++;
        var m = marks[i];
        items.push('<a href="' + esc(tableHref(i)) + '" data-t="' + i + '"' + (i === currentTable ? ' class="on"' : '') + '><span>' + esc(t.n) + '</span>' + (m ? '<span class="dot dot-' + m.s + '" title="' + m.n + ' findings"></span>' : '') + '</a>');
      });
      if (items.length || (!q && !s.tables.length)) out.push('<div class="sch"><a href="#schema/' + esc(encodeURIComponent(s.name)) + '">' + esc(s.name) + '</a> <span class="muted">' + s.tables.length + '</span></div>' + items.join(''));
    });
    if (hidden) out.push('<div class="muted" style="padding:8px">' + hidden + ' more \u2014 type to narrow the list</div>');
    $('c-list').innerHTML = out.join('');
  }
  function list(items) { return items.length ? '<ul>' + items.map(function (x) { return '<li>' + x + '</li>'; }).join('') + '</ul>' : '<p class="muted">none</p>'; }
  function openTable(i, col) {
    currentTable = i;
    var t = M.tables[i];
    var fkCols = {}; t.fk.forEach(function (k) { k[1].forEach(function (c) { fkCols[c] = 1; }); });
    var pk = {}; (t.pk || []).forEach(function (c) { pk[c] = 1; });
    var uq = {}; t.uq.forEach(function (u) { if (u[1].length === 1) uq[u[1][0]] = 1; });
    var h = [];
    h.push('<h2 id="t-title"><span class="muted">' + esc(t.s) + '.</span>' + esc(t.n) + '</h2>');
    h.push('<div class="facts">' + esc(t.k) + ' \u00b7 rows ' + fmtRows(t.r, t.x) + ' \u00b7 size ' + fmtBytes(t.b) + (t.rls ? ' \u00b7 RLS on' : '') +
      ' \u00b7 ERD: <a href="#erd/table/' + esc(encodeURIComponent(t.p)) + '/1">neighbourhood</a> \u00b7 <a href="#erd/table/' + esc(encodeURIComponent(t.p)) + '/2">depth 2</a></div>');
    if (t.c) h.push('<p>' + esc(t.c) + '</p>');
    var fs = M.findings.filter(function (f) { return f.t === i; });
    if (fs.length) h.push('<h3>Findings (' + fs.length + ')</h3>' + list(fs.map(function (f) { return '<span class="sev sev-' + f.s + '">' + f.s + '</span> <code>' + esc(f.p) + '</code> ' + esc(f.m) + ' <a href="' + esc((ruleById[f.r] || {}).doc || '#') + '" target="_blank" rel="noopener">' + esc(f.r) + '</a>'; })));
    h.push('<h3>Columns (' + t.cols.length + ')</h3><table class="grid" id="t-cols"><thead><tr><th>#</th><th>Column</th><th>Type</th><th>Null</th><th>Default</th><th>Keys</th><th>Comment</th></tr></thead><tbody>');
    t.cols.forEach(function (c, k) {
      var keys = [pk[c[0]] && 'PK', fkCols[c[0]] && 'FK', uq[c[0]] && 'UQ'].filter(Boolean).join(' ');
      h.push('<tr id="col-' + esc(c[0]) + '"' + (c[0] === col ? ' class="hl"' : '') + '><td class="muted">' + (k + 1) + '</td><td><code>' + esc(c[0]) + '</code></td><td><code>' + esc(c[1]) + '</code></td><td>' + (c[2] ? 'yes' : 'no') + '</td><td>' + (c[3] != null ? '<code>' + esc(c[3]) + '</code>' : '') + '</td><td>' + keys + '</td><td>' + esc(c[4] || '') + '</td></tr>');
    });
    h.push('</tbody></table>');
    h.push('<h3>Keys</h3>' + list([].concat(
      t.pk ? ['primary key (' + t.pk.map(esc).join(', ') + ')'] : ['<b>no primary key</b>'],
      t.uq.map(function (u) { return 'unique <code>' + esc(u[0]) + '</code> (' + u[1].map(esc).join(', ') + ')'; }),
      t.ck.map(function (c) { return 'check <code>' + esc(c[0]) + '</code>: <code>' + esc(c[1]) + '</code>'; })
    )));
    h.push('<h3>References</h3>' + list(t.fk.map(function (k) {
      var target = k[6] >= 0 ? '<a href="' + esc(tableHref(k[6])) + '">' + esc(k[2]) + '</a>' : esc(k[2]);
      return '<code>' + esc(k[0]) + '</code>: (' + k[1].map(esc).join(', ') + ') \u2192 ' + target + ' (' + k[3].map(esc).join(', ') + ') <span class="muted">on delete ' + esc(k[4]) + ', on update ' + esc(k[5]) + '</span>';
    })));
    h.push('<h3>Referenced by</h3>' + list(t.rb.map(function (j) { return '<a href="' + esc(tableHref(j)) + '">' + esc(M.tables[j].p) + '</a>'; })));
    h.push('<h3>Indexes</h3>' + list(t.ix.map(function (x) { return '<code>' + esc(x[0]) + '</code> <code class="muted">' + esc(x[1]) + '</code>' + (x[2] ? ' <span class="muted">(backs ' + esc(x[2]) + ')</span>' : ''); })));
    if (t.tg.length) h.push('<h3>Triggers</h3>' + list(t.tg.map(esc)));
    if (t.po.length) h.push('<h3>Policies</h3>' + list(t.po.map(esc)));
    $('c-detail').innerHTML = h.join('');
    $('c-detail').scrollTop = 0;
    if (col) { var el = document.getElementById('col-' + col); if (el) el.scrollIntoView({ block: 'center' }); }
    renderList();
  }
  function openSchema(name) {
    var s = M.schemas.filter(function (x) { return x.name === name; })[0];
    if (!s) return;
    currentTable = null;
    var h = ['<h2>Schema ' + esc(s.name) + '</h2><div class="facts">' + s.tables.length + ' tables \u00b7 <a href="#erd/schema/' + esc(encodeURIComponent(s.name)) + '">diagram</a></div>'];
    if (s.comment) h.push('<p>' + esc(s.comment) + '</p>');
    h.push('<table class="grid"><thead><tr><th>Table</th><th>Rows</th><th>Size</th><th>Columns</th><th>Findings</th></tr></thead><tbody>');
    s.tables.slice(0, 1000).forEach(function (i) { var t = M.tables[i]; var m = marks[i]; h.push('<tr><td><a href="' + esc(tableHref(i)) + '">' + esc(t.n) + '</a></td><td>' + fmtRows(t.r, t.x) + '</td><td>' + fmtBytes(t.b) + '</td><td>' + t.cols.length + '</td><td>' + (m ? '<span class="sev sev-' + m.s + '">' + m.n + '</span>' : '') + '</td></tr>'); });
    h.push('</tbody></table>');
    // Views and routines with what they are: columns, definition, signature and body (folded).
    if (s.views.length) h.push('<h3>Views</h3>' + list(s.views.map(function (v) { return '<details><summary><code>' + esc(v[0]) + '</code> <span class="muted">(' + esc(v[1].join(', ')) + ')</span></summary><pre class="mono">' + esc(v[2]) + '</pre></details>'; })));
    if (s.enums.length) h.push('<h3>Enums</h3>' + list(s.enums.map(function (e) { return '<code>' + esc(e[0]) + '</code>: ' + e[1].map(function (l) { return '<span class="pill">' + esc(l) + '</span>'; }).join(' '); })));
    if (s.routines.length) h.push('<h3>Routines</h3>' + list(s.routines.map(function (r) { return '<details><summary><code>' + esc(r[0]) + '</code>' + (r[1] ? ' <span class="muted">returns ' + esc(r[1]) + '</span>' : '') + '</summary><pre class="mono">' + esc(r[2]) + '</pre></details>'; })));
    $('c-detail').innerHTML = h.join('');
    renderList();
  }
  function initCatalog() {
    var timer = 0;
    $('c-q').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(renderList, 80); });
    renderList();
  }

  // ---------- ERD ----------
  var view = null;
  function sceneNodeFor(i, focus, schemaOfView) {
    var t = M.tables[i], MAX = 14;
    var pk = {}; (t.pk || []).forEach(function (c) { pk[c] = 1; });
    var fk = {}; t.fk.forEach(function (k) { k[1].forEach(function (c) { fk[c] = 1; }); });
    var uq = {}; t.uq.forEach(function (u) { if (u[1].length === 1) uq[u[1][0]] = 1; });
    var cols = t.cols.map(function (c) { return { n: c[0], t: c[1].replace(/ (identity|generated) .*$/, ''), k: [pk[c[0]] && 'PK', fk[c[0]] && 'FK', !pk[c[0]] && uq[c[0]] && 'UQ'].filter(Boolean).join(' ') }; });
    var shownCols = cols;
    if (cols.length > MAX) {
      var keyed = cols.filter(function (c) { return c.k; }).concat(cols.filter(function (c) { return !c.k; })).slice(0, MAX);
      shownCols = cols.filter(function (c) { return keyed.indexOf(c) >= 0; });
    }
    var m = marks[i];
    var n = { id: t.p, title: t.n, sub: t.s !== schemaOfView ? t.s : null, cols: shownCols, more: cols.length - shownCols.length, mark: m ? m.s : '', badge: m ? m.n : 0, ext: false, focus: i === focus, x: 0, y: 0, w: 0, h: 0 };
    var sz = erdNodeSize(n); n.w = sz.w; n.h = sz.h;
    return n;
  }
  var LAZY_ABOVE = 120;
  function mountScene(scene, focusId, note) {
    var compact = scene.nodes.length > LAZY_ABOVE;
    var box = $('e-view');
    box.innerHTML = erdSceneSvg(scene, { compact: compact });
    var svg = box.querySelector('svg');
    var byId = {};
    scene.nodes.forEach(function (n) { byId[n.id] = n; });
    view = { svg: svg, W: scene.width, H: scene.height, x: 0, y: 0, s: 1, compact: compact, byId: byId, scene: scene };
    $('e-note').textContent = note || '';
    fit();
    if (focusId) centerOn(focusId, false);
    svg.addEventListener('click', function (ev) {
      var g = ev.target.closest && ev.target.closest('g.n');
      if (!g || view.moved) return;
      var i = tableByPath[g.getAttribute('data-id')];
      if (i != null) location.hash = tableHref(i);
    });
  }
  // Big diagrams start as boxes and titles; column rows are added to the boxes in view once they are legible.
  function fillDetail(vw, vh) {
    if (!view.compact || view.s < 0.4) return;
    var x0 = view.x, y0 = view.y, x1 = x0 + vw, y1 = y0 + vh;
    var lazy = view.svg.querySelectorAll('g.n.lazy');
    for (var k = 0; k < lazy.length; k++) {
      var n = view.byId[lazy[k].getAttribute('data-id')];
      if (!n || n.x > x1 || n.y > y1 || n.x + n.w < x0 || n.y + n.h < y0) continue;
      lazy[k].insertAdjacentHTML('beforeend', erdColumnsSvg(n));
      lazy[k].classList.remove('lazy');
    }
  }
  function apply() {
    if (!view) return;
    var r = $('e-view').getBoundingClientRect();
    view.svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + (r.width / view.s) + ' ' + (r.height / view.s));
    $('e-zoom').textContent = Math.round(view.s * 100) + '%';
    clearTimeout(view.timer);
    view.timer = setTimeout(function () { fillDetail(r.width / view.s, r.height / view.s); }, 60);
    if (view.compact) $('e-note').textContent = view.s < 0.4 ? 'zoom in to see columns' : '';
  }
  function fit() {
    if (!view) return;
    var r = $('e-view').getBoundingClientRect();
    var s = Math.min(r.width / view.W, r.height / view.H, 1.25);
    // A huge diagram fitted whole is unreadable: start legible at the top-left instead.
    if (s < 0.3) s = 0.6;
    view.s = s;
    view.x = s === 0.6 && r.width / view.W < 0.3 ? 0 : -(r.width / s - view.W) / 2;
    view.y = s === 0.6 && r.height / view.H < 0.3 ? 0 : -(r.height / s - view.H) / 2;
    apply();
  }
  function zoom(f, cx, cy) {
    if (!view) return;
    var r = $('e-view').getBoundingClientRect();
    if (cx == null) { cx = r.width / 2; cy = r.height / 2; }
    var ns = Math.max(0.05, Math.min(4, view.s * f));
    var wx = view.x + cx / view.s, wy = view.y + cy / view.s;
    view.s = ns; view.x = wx - cx / ns; view.y = wy - cy / ns;
    apply();
  }
  function centerOn(id, flash) {
    if (!view) return false;
    var gs = view.svg.querySelectorAll('g.n');
    var hit = null;
    for (var k = 0; k < gs.length; k++) { gs[k].classList.remove('hit'); if (gs[k].getAttribute('data-id') === id) hit = gs[k]; }
    if (!hit) return false;
    var n = view.byId[id];
    var r = $('e-view').getBoundingClientRect();
    if (view.s < 0.7) view.s = 0.9;
    view.x = n.x + n.w / 2 - r.width / 2 / view.s;
    view.y = n.y + n.h / 2 - r.height / 2 / view.s;
    if (flash) hit.classList.add('hit');
    apply();
    return true;
  }
  var scenes = {};
  var erdToken = 0;
  function erdSchema(name) {
    var idx = -1;
    M.schemas.forEach(function (s, k) { if (s.name === name) idx = k; });
    if (idx < 0) M.schemas.some(function (s, k) { if (s.tables.length) { idx = k; return true; } return false; });
    if (idx < 0) { $('e-view').innerHTML = '<div class="erdnote">No tables to draw.</div>'; return; }
    var s = M.schemas[idx];
    $('e-schema').value = s.name; $('e-depth').style.display = 'none';
    $('e-title').textContent = 'schema ' + s.name + ' \u00b7 ' + s.tables.length + ' tables';
    if (!document.getElementById('plumb-erd-' + idx)) { $('e-view').innerHTML = '<div class="erdnote">This schema is too big to draw whole. Open a table and choose its neighbourhood.</div>'; return; }
    var token = ++erdToken;
    var draw = function (scene) { if (token === erdToken) mountScene(scene, null, ''); };
    if (scenes[idx]) { draw(scenes[idx]); return; }
    $('e-view').innerHTML = '<div class="erdnote">Drawing ' + s.tables.length + ' tables\u2026</div>';
    unpack('plumb-erd-' + idx).then(function (text) { scenes[idx] = JSON.parse(text); draw(scenes[idx]); });
  }
  var elkPromise = null;
  function elk() {
    // The layout library ships inside the page, packed; it is inflated and evaluated only when first needed.
    if (!elkPromise) elkPromise = unpack('plumb-elk').then(function (src) {
      var sc = document.createElement('script');
      sc.textContent = src;
      document.head.appendChild(sc);
      return new window.ELK();
    });
    return elkPromise;
  }
  function erdNeighbourhood(i, depth) {
    depth = depth === 2 ? 2 : 1;
    var t = M.tables[i];
    $('e-schema').value = ''; $('e-depth').style.display = ''; $('e-depth').value = String(depth);
    $('e-title').textContent = t.p + ' \u00b7 depth ' + depth;
    var adj = {};
    var link = function (a, b) { (adj[a] || (adj[a] = [])).push(b); };
    M.tables.forEach(function (x, k) { x.fk.forEach(function (f) { if (f[6] >= 0) { link(k, f[6]); link(f[6], k); } }); });
    var chosen = {}; chosen[i] = 1;
    var frontier = [i], count = 1, CAP = 300, capped = false;
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (a) { (adj[a] || []).forEach(function (b) { if (!chosen[b]) { if (count >= CAP) { capped = true; return; } chosen[b] = 1; count++; next.push(b); } }); });
      frontier = next;
    }
    var ids = Object.keys(chosen).map(Number).sort(function (a, b) { return a - b; });
    var nodes = ids.map(function (k) { return sceneNodeFor(k, i, t.s); });
    var edges = [];
    ids.forEach(function (k) {
      var x = M.tables[k];
      x.fk.forEach(function (f) {
        if (f[6] < 0 || !chosen[f[6]]) return;
        var required = f[1].every(function (c) { return x.cols.some(function (cc) { return cc[0] === c && !cc[2]; }); });
        var one = (x.pk && x.pk.length === f[1].length && f[1].every(function (c) { return x.pk.indexOf(c) >= 0; })) || x.uq.some(function (u) { return u[1].length === f[1].length && f[1].every(function (c) { return u[1].indexOf(c) >= 0; }); });
        edges.push({ id: x.p + '.' + f[0], parent: M.tables[f[6]].p, child: x.p, pts: [], oneToOne: one, required: required, label: f[0] + ': ' + f[1].join(', ') + ' \u2192 ' + f[2] + '(' + f[3].join(', ') + ')' });
      });
    });
    $('e-view').innerHTML = '<div class="erdnote">Laying out ' + nodes.length + ' tables\u2026</div>';
    var token = ++erdToken;
    elk().then(function (engine) {
      return erdLayoutWith(engine, { width: 0, height: 0, nodes: nodes, edges: edges });
    }).then(function (scene) {
        if (token !== erdToken) return;
        mountScene(scene, t.p, capped ? 'Showing the first ' + CAP + ' tables of this neighbourhood.' : '');
    }, function (e) { $('e-view').innerHTML = '<div class="erdnote">Layout failed: ' + esc(e && e.message) + '</div>'; });
  }
  function initErd() {
    $('e-schema').innerHTML = '<option value="">(neighbourhood)</option>' + M.schemas.map(function (s) { return '<option value="' + esc(s.name) + '">' + esc(s.name) + ' (' + s.tables.length + ')</option>'; }).join('');
    $('e-schema').addEventListener('change', function () { if (this.value) location.hash = '#erd/schema/' + encodeURIComponent(this.value); });
    $('e-depth').addEventListener('change', function () { var p = location.hash.split('/'); if (p[1] === 'table') location.hash = p.slice(0, 3).join('/') + '/' + this.value; });
    $('e-in').addEventListener('click', function () { zoom(1.25); });
    $('e-out').addEventListener('click', function () { zoom(0.8); });
    $('e-fit').addEventListener('click', fit);
    $('e-q').addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter' || !view) return;
      var q = this.value.toLowerCase();
      var gs = view.svg.querySelectorAll('g.n');
      for (var k = 0; k < gs.length; k++) { var id = gs[k].getAttribute('data-id'); if (id.toLowerCase().indexOf(q) >= 0) { centerOn(id, true); $('e-note').textContent = ''; return; } }
      $('e-note').textContent = 'no table matches ' + this.value;
    });
    var box = $('e-view');
    box.addEventListener('wheel', function (ev) { ev.preventDefault(); var r = box.getBoundingClientRect(); zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top); }, { passive: false });
    var drag = null;
    box.addEventListener('mousedown', function (ev) { if (!view) return; drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; view.moved = false; box.classList.add('drag'); });
    window.addEventListener('mousemove', function (ev) { if (!drag) return; var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y; if (Math.abs(dx) + Math.abs(dy) > 3) view.moved = true; view.x = drag.vx - dx / view.s; view.y = drag.vy - dy / view.s; apply(); });
    window.addEventListener('mouseup', function () { drag = null; box.classList.remove('drag'); });
    window.addEventListener('resize', apply);
  }

  initFindings();
  initCatalog();
  initErd();
  route();
  timings.ready = performance.now();
  window.__plumbReady = true;
})();
`;
