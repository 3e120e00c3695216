// The declarative spec: types, loading (YAML/JSON/TS/SQL), the builder, and
// the bridge to the catalog (specToCatalog) and to the diff (diffOptionsFromSpec).
export * from './types.js';
export { defineSpec } from './define-spec.js';
export { parseSpec, normalizeSpec } from './normalize-spec.js';
export { loadSpec, parseSpecText } from './load.js';
export { specToCatalog, scratchEngine, disposeScratchEngine, type SpecToCatalogOptions } from './spec-to-catalog.js';
export { specToDraftCatalog } from './spec-draft-catalog.js';
export { renameHintsFromSpec, diffOptionsFromSpec, specSchemaNames } from './spec-diff-options.js';
export { catalogToSpecInput, specInputToYaml } from './catalog-to-spec.js';
export { compareWithSpec, type SpecComparison } from './compare-spec.js';
