// Graphviz DOT for a catalog selection: one record-like HTML label per table,
// one edge per foreign key (child -> parent). Pure text out.
import type { Catalog } from '../catalog/types.js';
import { selectErd, type ErdSelection } from './erd-graph.js';

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** DOT for the whole catalog, one schema, or one table's neighbourhood (`dot -Tsvg` renders it). */
export function toDot(catalog: Catalog, sel: ErdSelection = {}): string {
  const g = selectErd(catalog, sel);
  const out: string[] = [
    'digraph plumb_erd {',
    '  graph [rankdir=LR, splines=true, nodesep=0.4, ranksep=0.9, fontname="Helvetica"];',
    '  node [shape=plain, fontname="Helvetica", fontsize=10];',
    '  edge [color="#64748b", arrowhead=crow, arrowtail=tee, dir=both];',
  ];
  for (const n of g.nodes) {
    const rows = n.columns.map((c) => {
      const keys = [c.pk && 'PK', c.fk && 'FK', c.unique && 'UQ'].filter(Boolean).join(' ');
      return `<tr><td align="left" port=${q(c.name)}>${keys ? `<b>${keys}</b> ` : ''}${html(c.name)}</td><td align="left"><font color="#64748b">${html(c.type)}</font></td></tr>`;
    });
    const title = `<tr><td colspan="2" bgcolor="${n.external ? '#64748b' : '#1e3a5f'}"><font color="white"><b>${html(n.external ? n.id : n.name)}</b></font></td></tr>`;
    out.push(`  ${q(n.id)} [label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">${title}${rows.join('')}</table>>];`);
  }
  for (const e of g.edges) {
    const style = e.required ? '' : ', style=dashed';
    const head = e.oneToOne ? ', arrowhead=tee' : '';
    out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.columns.join(', '))}, tooltip=${q(e.name)}${style}${head}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
