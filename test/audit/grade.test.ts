// Properties of the grade formula (docs/audit-grading.md).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CAP, grade, letterFor, scoreOf } from '../../src/audit/grade.js';
import type { Finding, Severity } from '../../src/audit/types.js';

const sev = fc.constantFrom<Severity>('error', 'warning', 'info');
const findingsArb = fc.array(sev, { maxLength: 60 }).map((s) => s.map((severity) => ({ severity })));
const objects = (tables: number) => ({ schemas: 1, tables, columns: tables * 5, indexes: tables, foreignKeys: 0, views: 0, routines: 0 });
const f = (severity: Severity, category: Finding['category'] = 'security', i = 0): Finding => ({
  rule: `r${i}`, code: 'PLB001', severity, category, path: `s.t${i}`, message: 'm', fingerprint: `${severity}${i}`,
});

describe('grade', () => {
  it('a clean schema scores 100 / A in every category', () => {
    const g = grade([], objects(45));
    expect(g.score).toBe(100);
    expect(g.letter).toBe('A');
    expect(g.categories.every((c) => c.score === 100 && c.letter === 'A')).toBe(true);
  });

  it('seed 001: one warning on a 45-table schema is still an A', () => {
    const g = grade([f('warning', 'design')], objects(45));
    expect(g.letter).toBe('A');
    expect(g.score).toBeGreaterThanOrEqual(95);
  });

  it('a handful of warnings keeps a mid-sized schema at A or B', () => {
    for (const n of [20, 45, 200]) {
      const g = grade([1, 2, 3, 4, 5].map((i) => f('warning', 'performance', i)), objects(n));
      expect(['A', 'B'], `tables=${n}`).toContain(g.letter);
    }
  });

  it('one security error hurts: that category and the whole audit lose the A, at any size', () => {
    for (const n of [5, 45, 2000]) {
      const g = grade([f('error', 'security')], objects(n));
      expect(g.categories.find((c) => c.category === 'security')!.score).toBeLessThanOrEqual(ERROR_CAP);
      expect(g.letter).not.toBe('A');
      expect(g.categories.find((c) => c.category === 'design')!.score).toBe(100);
    }
  });

  it('adding a finding never raises the score (monotone)', () => {
    fc.assert(fc.property(findingsArb, sev, fc.integer({ min: 0, max: 3000 }), (fs, s, n) => scoreOf([...fs, { severity: s }], n) <= scoreOf(fs, n)));
  });

  it('more objects with the same findings never lowers the score (normalised by size)', () => {
    fc.assert(fc.property(findingsArb, fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 500 }), (fs, n, more) => scoreOf(fs, n + more) >= scoreOf(fs, n)));
  });

  it('an error weighs more than a warning, a warning more than an info', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), (n) => scoreOf([{ severity: 'error' }], n) <= scoreOf([{ severity: 'warning' }], n) && scoreOf([{ severity: 'warning' }], n) <= scoreOf([{ severity: 'info' }], n)));
  });

  it('scores stay in 0..100 and letters follow the bands', () => {
    fc.assert(fc.property(findingsArb, fc.integer({ min: 0, max: 3000 }), (fs, n) => {
      const s = scoreOf(fs, n);
      return s >= 0 && s <= 100 && Number.isInteger(s);
    }));
    expect([letterFor(100), letterFor(90), letterFor(89), letterFor(80), letterFor(70), letterFor(60), letterFor(59)]).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'F']);
  });

  it('the overall grade is never below every category: it is the lowest category score', () => {
    const cat = fc.constantFrom<Finding['category']>('integrity', 'security', 'performance', 'design', 'drift');
    fc.assert(fc.property(fc.array(fc.tuple(sev, cat), { maxLength: 60 }), fc.integer({ min: 0, max: 3000 }), (fs, n) => {
      const g = grade(fs.map(([s, c], i) => f(s, c, i)), objects(n));
      return g.score === Math.min(...g.categories.map((c) => c.score)) && g.letter === letterFor(g.score);
    }));
  });

  it('docs/audit-grading.md worked example: A/A/A/B/A categories give an overall B, not C', () => {
    const fs = [
      ...[0, 1].map((i) => f('warning', 'integrity', i)),
      ...[2, 3, 4].map((i) => f('warning', 'security', i)),
      f('warning', 'performance', 5),
      ...[6, 7, 8, 9].map((i) => f('info', 'performance', i)),
      ...[10, 11, 12, 13, 14].map((i) => f('warning', 'design', i)),
    ];
    const g = grade(fs, objects(45));
    expect(g.categories.map((c) => [c.category, c.score, c.letter])).toEqual([
      ['integrity', 94, 'A'], ['security', 91, 'A'], ['performance', 96, 'A'], ['design', 86, 'B'], ['drift', 100, 'A'],
    ]);
    expect([g.score, g.letter]).toEqual([86, 'B']);
    expect(scoreOf(fs, 45)).toBe(74); // the old pooled formula: C below every category
  });

  it('info findings alone keep an A unless they are very dense', () => {
    expect(grade(Array.from({ length: 40 }, (_, i) => f('info', 'design', i)), objects(45)).letter).toBe('A');
  });
});
