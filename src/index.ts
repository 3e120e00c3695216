// The public library API: everything the CLI does is callable from here.
export * from './catalog/index.js';
export { connect, parseDbUrl, redactUrl, wrapPglite, type Connection, type DbTarget, type Row } from './drivers/index.js';
export { getDialect, registerDialect, type Dialect, type Capabilities, type InspectOptions } from './dialects/index.js';
export { inspect } from './inspect.js';
export { PlumbError, isPlumbError, type ErrorCode } from './errors.js';
export { renderCatalogMarkdown, renderCatalogText } from './report/catalog-report.js';
