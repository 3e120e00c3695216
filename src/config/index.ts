// Configuration for plumb: the file format, loading, and resolution into audit options.
export { configSchema, type PlumbConfig } from './config-schema.js';
export { loadConfig, findConfig, CONFIG_NAMES } from './load-config.js';
export { resolveAuditConfig, validateConfig, type AuditFlags, type ResolvedAuditConfig } from './resolve-config.js';
