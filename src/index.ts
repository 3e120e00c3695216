// The public library API: everything the CLI does is callable from here.
export * from './catalog/index.js';
export { connect, parseDbUrl, redactUrl, wrapPglite, type Connection, type DbTarget, type Row } from './drivers/index.js';
export { getDialect, registerDialect, type Dialect, type Capabilities, type InspectOptions } from './dialects/index.js';
export { inspect } from './inspect.js';
export { PlumbError, isPlumbError, type ErrorCode } from './errors.js';
export { renderCatalogMarkdown, renderCatalogText } from './report/catalog-report.js';
export * from './audit/index.js';
export { toMermaid, toDbml, toDot, toSvg, selectErd, type ErdSelection } from './erd/index.js';
export { renderAuditHtml, renderInspectHtml } from './report/html/index.js';
export { loadDbml, loadDbmlSpec } from './spec/dbml-loader.js';
export { installChain, verifyChain, makeAnchor, createAnchor, parseAnchor, generateSignKey, registerSqliteChainFunctions, renderVerifyText, type Anchor, type VerifyReport, type ChainProblem, type InstallResult } from './chain/index.js';
export { blueprints, getBlueprint, buildBlueprint, addToSpecText, type Blueprint, type BlueprintFragment, type BlueprintParams } from './blueprints/index.js';
export { defineSpec, loadSpec, parseSpecText, specToCatalog, compareWithSpec, diffOptionsFromSpec, catalogToSpecInput, specInputToYaml, type Spec, type SpecInput, type SpecComparison } from './spec/index.js';
export { diffCatalogs, describeChange, formatDiff, changeKinds, type Change, type ChangeKind, type DiffOptions, type RenameHints, type RenderedChange, type RenderOptions } from './diff/index.js';
export { buildPlan, planFromSpec, runPlanPreChecks, planChecksum, renderPlanMarkdown, renderPlanSql, renderPlanJson, PLAN_FORMAT_VERSION, type Plan, type PlanStep, type PlanPhase, type RemediationPolicy, type SafetyClass } from './plan/index.js';
export { applyPlan, type ApplyOptions, type ApplyResult } from './apply/index.js';
export { seed, parseEncryptionKey, type SeedReport, type EncryptionKey } from './seed/index.js';
export { verifyDatabase, renderVerify, type DatabaseVerifyReport, type VerifyResult } from './verify/index.js';
