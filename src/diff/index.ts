// The diff: Catalog × Catalog → typed Change[], and how to describe them.
export * from './changes.js';
export type { RenderedChange, RenderOptions, ChangeRenderer } from './render-types.js';
export { diffCatalogs, sortChanges, type DiffOptions, type RenameHints } from './diff.js';
export { describeChange, formatDiff, type DiffFormat } from './describe.js';
export { normExpr, normViewSql, typeKey } from './normalize-sql.js';
