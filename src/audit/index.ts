// The audit's public surface: run an audit, grade, baselines, rule metadata and reports.
export { audit, runAudit, type AuditOptions, type AuditRun, type RuleSettings } from './audit.js';
export { grade, letterFor } from './grade.js';
export { createBaseline, applyBaseline, parseBaseline, failsAt, type Baseline } from './baseline.js';
export { defineRule, type Rule, type RuleMeta, type RuleContext, type RuleReport } from './rule.js';
export { allRules } from './rules/index.js';
export type { AuditResult, Finding, Severity, Category, Grade, SkippedCheck, CategoryScore } from './types.js';
export { renderAudit, registerAuditFormat, AUDIT_FORMATS, type AuditFormat } from '../report/audit-report.js';
export { loadConfig, resolveAuditConfig, type PlumbConfig } from '../config/index.js';
