// Turns an ErdGraph into a laid-out scene with elkjs, and renders SVG files.
// Pure apart from elk's computation; never reads or writes files.
import { createRequire } from 'node:module';
import type { Catalog } from '../catalog/types.js';
import { selectErd, type ErdGraph, type ErdSelection } from './erd-graph.js';
import { erdLayoutWith, erdNodeSize, erdSceneSvg, type ErdScene, type SceneEdge, type SceneNode } from './erd-scene.js';

// elkjs ships CommonJS; its bundled build runs in-process (no worker thread).
const require = createRequire(import.meta.url);
type Elk = { layout(g: unknown): Promise<unknown> };
let elkInstance: Elk | undefined;
function elk(): Elk {
  if (!elkInstance) {
    const ELK = require('elkjs/lib/elk.bundled.js') as new () => Elk;
    elkInstance = new ELK();
  }
  return elkInstance;
}

/** Tables show at most this many columns in a diagram; the rest are counted. */
export const ERD_MAX_COLUMNS = 14;

export interface TableMark {
  severity: 'error' | 'warning' | 'info';
  count: number;
}

/** Scene nodes and edges (unpositioned) for a graph; `marks` flags tables with findings. */
export function sceneFromGraph(g: ErdGraph, options: { marks?: Map<string, TableMark>; focus?: string; maxColumns?: number } = {}): ErdScene {
  const max = options.maxColumns ?? ERD_MAX_COLUMNS;
  const schemas = new Set(g.nodes.filter((n) => !n.external).map((n) => n.schema));
  const nodes: SceneNode[] = g.nodes.map((n) => {
    // Keys first when the box must be cut: they are what the lines connect.
    const keyed = n.columns.length > max ? [...n.columns.filter((c) => c.pk || c.fk), ...n.columns.filter((c) => !c.pk && !c.fk)].slice(0, max) : n.columns;
    const shown = n.columns.length > max ? n.columns.filter((c) => keyed.includes(c)) : n.columns;
    const mark = options.marks?.get(n.id);
    const base = {
      id: n.id,
      title: n.name,
      sub: n.external || schemas.size > 1 ? n.schema : null,
      cols: shown.map((c) => ({ n: c.name, t: c.type, k: [c.pk && 'PK', c.fk && 'FK', !c.pk && c.unique && 'UQ'].filter(Boolean).join(' ') })),
      more: n.columns.length - shown.length,
      mark: mark?.severity ?? ('' as const),
      badge: mark?.count ?? 0,
      ext: n.external,
      focus: n.id === options.focus,
    };
    return { ...base, x: 0, y: 0, ...erdNodeSize(base) };
  });
  const edges: SceneEdge[] = g.edges.map((e) => ({
    id: e.id,
    parent: e.to,
    child: e.from,
    pts: [],
    oneToOne: e.oneToOne,
    required: e.required,
    label: `${e.name}: ${e.columns.join(', ')} → ${e.to}(${e.refColumns.join(', ')})`,
  }));
  return { width: 0, height: 0, nodes, edges };
}

export async function layoutScene(scene: ErdScene): Promise<ErdScene> {
  return erdLayoutWith(elk(), scene);
}

/** An SVG file of the whole catalog, one schema, or one table's neighbourhood. */
export async function toSvg(catalog: Catalog, sel: ErdSelection = {}, options: { marks?: Map<string, TableMark> } = {}): Promise<string> {
  const g = selectErd(catalog, sel);
  const focus = sel.table ? g.nodes.find((n) => n.name === sel.table || n.id === sel.table)?.id : undefined;
  const scene = await layoutScene(sceneFromGraph(g, { ...options, ...(focus ? { focus } : {}) }));
  return erdSceneSvg(scene, { standalone: true }) + '\n';
}
