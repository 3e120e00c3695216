// Diagrams of a catalog in the formats people share: SVG, Mermaid, DBML, DOT.
export { selectErd, resolveTable, type ErdSelection, type ErdGraph, type ErdNode, type ErdEdge, type ErdColumn } from './erd-graph.js';
export { toMermaid, graphToMermaid, mermaidWord, MERMAID_GITHUB_MAX_CHARS } from './mermaid.js';
export { toDbml } from './dbml.js';
export { toDot } from './dot.js';
export { toSvg, sceneFromGraph, layoutScene, ERD_MAX_COLUMNS, type TableMark } from './erd-layout.js';
export type { ErdScene, SceneNode, SceneEdge } from './erd-scene.js';
