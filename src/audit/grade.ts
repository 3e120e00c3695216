// The audit grade: a 0–100 score and a letter per category, from
// severity-weighted findings normalised by the size of the schema; overall,
// the lowest category score (never below every category).
// The formula is documented in docs/audit-grading.md; keep the two in step.
import type { AuditResult, Category, CategoryScore, Finding, Grade, Severity } from './types.js';
import { CATEGORIES } from './types.js';

/** Weight of one finding. Info is advice: it barely moves the score. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { error: 10, warning: 2, info: 0.1 };
/** Pseudo-count of clean objects, so a tiny schema is not failed by one warning. */
export const SIZE_PRIOR = 20;
/** Highest score a category (or the whole audit) can have while it holds an error. */
export const ERROR_CAP = 89;

export function letterFor(score: number): Grade {
  return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
}

/** Objects a finding can be about: tables, views and routines. */
export function gradedObjects(o: AuditResult['objects']): number {
  return o.tables + o.views + o.routines;
}

/** score = 100 / (1 + Σ weight / (objects + SIZE_PRIOR)), capped at ERROR_CAP when any finding is an error. */
export function scoreOf(findings: readonly Pick<Finding, 'severity'>[], objects: number): number {
  const penalty = findings.reduce((s, f) => s + SEVERITY_WEIGHT[f.severity], 0);
  let score = 100 / (1 + penalty / (Math.max(0, objects) + SIZE_PRIOR));
  if (findings.some((f) => f.severity === 'error')) score = Math.min(score, ERROR_CAP);
  return Math.floor(score);
}

export function grade(findings: readonly Finding[], objects: AuditResult['objects']): { score: number; letter: Grade; categories: CategoryScore[] } {
  const n = gradedObjects(objects);
  const categories = CATEGORIES.map((category: Category): CategoryScore => {
    const fs = findings.filter((f) => f.category === category);
    const score = scoreOf(fs, n);
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of fs) counts[f.severity]++;
    return { category, score, letter: letterFor(score), counts };
  });
  // The overall grade is the weakest category's: pooling every finding into one
  // penalty let five good categories add up to a grade below all of them.
  const score = Math.min(...categories.map((c) => c.score));
  return { score, letter: letterFor(score), categories };
}
