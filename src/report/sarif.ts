// The audit as SARIF 2.1.0 (code-scanning dashboards). Database objects have no
// file, so each result carries a logical location (the object path) and rules
// link to their docs through helpUri.
import type { AuditResult, Severity } from '../audit/types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export function logicalKind(path: string, rule: string): string {
  if (path.includes('(')) return 'function';
  const depth = path.split('.').length;
  if (depth === 1) return 'namespace';
  if (depth === 2) return rule.includes('sequence') ? 'variable' : 'type';
  return 'member';
}

export function renderAuditSarif(r: AuditResult, o: { rules?: { id: string; description?: string }[] } = {}): string {
  const index = new Map(r.rules.map((x, i) => [x.id, i]));
  const desc = new Map((o.rules ?? []).map((x) => [x.id, x.description]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'plumb',
            version: r.tool.version,
            informationUri: 'https://github.com/plumb-db/plumb',
            rules: r.rules.map((x) => ({
              id: x.id,
              name: x.code,
              shortDescription: { text: x.title },
              ...(desc.get(x.id) ? { fullDescription: { text: desc.get(x.id)! } } : {}),
              helpUri: x.helpUri,
              defaultConfiguration: { level: LEVEL[x.severity] },
              properties: { category: x.category, tags: [x.category, 'database'] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: r.generatedAt,
            toolExecutionNotifications: r.skipped.map((s) => ({
              level: 'note' as const,
              message: { text: `${s.rule}${s.path ? ` ${s.path}` : ''}: check skipped: ${s.reason}` },
              ...(index.has(s.rule) ? { associatedRule: { id: s.rule, index: index.get(s.rule)! } } : {}),
            })),
          },
        ],
        results: r.findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule)! } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ logicalLocations: [{ fullyQualifiedName: f.path, kind: logicalKind(f.path, f.rule) }] }],
          partialFingerprints: { 'plumbFingerprint/v1': f.fingerprint },
          properties: {
            category: f.category,
            code: f.code,
            ...(f.evidence ? { evidence: f.evidence } : {}),
            ...(f.fix ? { fix: f.fix } : {}),
            ...(f.sampled ? { sampled: true } : {}),
          },
        })),
        properties: { grade: r.grade, score: r.score, target: r.target },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
