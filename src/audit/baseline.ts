// Baselines: a saved set of finding fingerprints, so CI reports only findings
// that are new since the baseline was written. Pure: the CLI reads/writes files.
import { PlumbError } from '../errors.js';
import { grade } from './grade.js';
import type { AuditResult, Severity } from './types.js';

export interface Baseline {
  formatVersion: 1;
  generatedAt: string;
  /** Sorted; rule and path are kept so people can read and edit the file. */
  findings: { fingerprint: string; rule: string; path: string }[];
}

export function createBaseline(r: AuditResult): Baseline {
  const findings = r.findings
    .map((f) => ({ fingerprint: f.fingerprint, rule: f.rule, path: f.path }))
    .sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return { formatVersion: 1, generatedAt: r.generatedAt, findings };
}

export function parseBaseline(text: string, file = 'baseline'): Baseline {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new PlumbError('E_CONFIG', `${file} is not valid JSON: ${(e as Error).message}`, 'write a fresh one with: plumb audit --write-baseline FILE');
  }
  const b = v as Partial<Baseline>;
  if (b?.formatVersion !== 1 || !Array.isArray(b.findings) || b.findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new PlumbError('E_CONFIG', `${file} is not a plumb baseline (formatVersion 1 with a findings list)`, 'write a fresh one with: plumb audit --write-baseline FILE');
  }
  return b as Baseline;
}

/** Drops findings the baseline holds; the grade is recomputed over what remains. */
export function applyBaseline(r: AuditResult, b: Baseline): AuditResult {
  const known = new Set(b.findings.map((f) => f.fingerprint));
  const findings = r.findings.filter((f) => !known.has(f.fingerprint));
  const g = grade(findings, r.objects);
  return { ...r, findings, score: g.score, grade: g.letter, categories: g.categories, suppressedByBaseline: r.findings.length - findings.length };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** True when a finding at or above `failOn` exists (the CLI then exits 1). */
export function failsAt(r: AuditResult, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  return r.findings.some((f) => RANK[f.severity] <= RANK[failOn]);
}
