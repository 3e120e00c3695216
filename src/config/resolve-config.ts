// Turns a validated config plus command-line flags into audit options, and
// rejects unknown rule ids and bad options with a hint. Pure.
import type { AuditOptions, RuleSettings } from '../audit/audit.js';
import type { Rule } from '../audit/rule.js';
import type { Severity } from '../audit/types.js';
import { PlumbError } from '../errors.js';
import { configSchema, type PlumbConfig, type RuleSettingInput } from './config-schema.js';

export interface AuditFlags {
  rule?: string[];
  enable?: string[];
  disable?: string[];
  severity?: string[]; // id=severity
  ignore?: string[];
  failOn?: Severity | 'none';
  statementTimeoutMs?: number;
  schema?: string[];
  excludeSchema?: string[];
}

export interface ResolvedAuditConfig {
  options: AuditOptions;
  failOn: Severity | 'none';
  baseline?: string;
}

/** Validates a parsed config object (from JSON, YAML or a TS module's default export). */
export function validateConfig(value: unknown, source: string): PlumbConfig {
  const r = configSchema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  throw new PlumbError('E_CONFIG', `${source}: ${where}: ${issue.message}`, 'see docs/audit-config.md for the config file format');
}

export function nearest(id: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(3, Math.floor(id.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

function checkId(id: string, rules: readonly Rule[], source: string): Rule {
  const r = rules.find((x) => x.meta.id === id || x.meta.code === id);
  if (r) return r;
  const guess = nearest(id, rules.map((x) => x.meta.id));
  throw new PlumbError('E_CONFIG', `${source}: unknown rule "${id}"`, guess ? `did you mean "${guess}"? (plumb rules lists every rule)` : 'plumb rules lists every rule id');
}

function toSettings(s: RuleSettingInput): RuleSettings {
  if (s === 'off') return { enabled: false };
  if (s === 'on') return { enabled: true };
  if (typeof s === 'string') return { enabled: true, severity: s };
  const out: RuleSettings = {};
  if (s.enabled !== undefined) out.enabled = s.enabled;
  if (s.severity) out.severity = s.severity;
  if (s.options) out.options = s.options;
  return out;
}

export function resolveAuditConfig(config: PlumbConfig, flags: AuditFlags, rules: readonly Rule[], source = 'plumb.config'): ResolvedAuditConfig {
  const ruleSettings: Record<string, RuleSettings> = {};
  for (const [id, s] of Object.entries(config.rules ?? {})) {
    const rule = checkId(id, rules, source);
    const settings = toSettings(s);
    if (settings.options) {
      const known = Object.keys(rule.meta.options ?? {});
      const unknown = Object.keys(settings.options).filter((k) => !known.includes(k));
      if (unknown.length) {
        throw new PlumbError('E_CONFIG', `${source}: rule ${rule.meta.id} has no option ${unknown.map((u) => `"${u}"`).join(', ')}`, known.length ? `its options are: ${known.join(', ')}` : 'this rule takes no options');
      }
    }
    ruleSettings[rule.meta.id] = { ...ruleSettings[rule.meta.id], ...settings };
  }
  for (const id of flags.enable ?? []) ruleSettings[checkId(id, rules, '--enable').meta.id] = { ...ruleSettings[id], enabled: true };
  for (const id of flags.disable ?? []) ruleSettings[checkId(id, rules, '--disable').meta.id] = { ...ruleSettings[id], enabled: false };
  for (const pair of flags.severity ?? []) {
    const [id, sev] = pair.split('=');
    if (!id || !sev || !['error', 'warning', 'info'].includes(sev)) throw new PlumbError('E_USAGE', `--severity ${pair}: expected RULE=error|warning|info`, 'for example: --severity table-without-comment=warning');
    const rule = checkId(id, rules, '--severity');
    ruleSettings[rule.meta.id] = { ...ruleSettings[rule.meta.id], severity: sev as Severity };
  }
  const only = (flags.rule ?? []).map((id) => checkId(id, rules, '--rule').meta.id);
  const options: AuditOptions = { ruleSettings };
  if (only.length) options.only = only;
  const ignore = [...(config.ignore ?? []), ...(flags.ignore ?? [])];
  if (ignore.length) options.ignore = ignore;
  const st = flags.statementTimeoutMs ?? config.statementTimeoutMs;
  if (st !== undefined) options.statementTimeoutMs = st;
  if (config.lockTimeoutMs !== undefined) options.lockTimeoutMs = config.lockTimeoutMs;
  if (config.sampleThreshold !== undefined) options.sampleThreshold = config.sampleThreshold;
  if (config.data !== undefined) options.data = config.data;
  const schemas = flags.schema?.length ? flags.schema : config.schemas;
  const exclude = flags.excludeSchema?.length ? flags.excludeSchema : config.excludeSchemas;
  if (schemas?.length || exclude?.length) options.inspect = { ...(schemas?.length ? { schemas } : {}), ...(exclude?.length ? { excludeSchemas: exclude } : {}) };
  const out: ResolvedAuditConfig = { options, failOn: flags.failOn ?? config.failOn ?? 'error' };
  if (config.baseline) out.baseline = config.baseline;
  return out;
}
