// Ends every vitest run with one plain line, `N passed, N failed[, N skipped]`,
// counted from the runner's own results, so any reader of a log (and CI's
// judge of it) sees the totals. A test file that fails to load and an error
// raised outside any test each count as one failure: they fail the run too.
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import type { SerializedError } from 'vitest';

export interface RunTotals {
  passed: number;
  failed: number;
  skipped: number;
  /** Test files that failed outside their tests (import error, hook failure). */
  brokenFiles: string[];
  unhandled: number;
}

export function countResults(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): RunTotals {
  const totals: RunTotals = { passed: 0, failed: 0, skipped: 0, brokenFiles: [], unhandled: unhandled.length };
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'passed') totals.passed++;
      else if (state === 'failed') totals.failed++;
      else totals.skipped++;
    }
    if (m.errors().length > 0) totals.brokenFiles.push(m.moduleId);
  }
  return totals;
}

export function summaryLine(t: RunTotals): string {
  const failed = t.failed + t.brokenFiles.length + t.unhandled;
  return `${t.passed} passed, ${failed} failed` + (t.skipped > 0 ? `, ${t.skipped} skipped` : '');
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const t = countResults(modules, unhandled);
    const notes: string[] = [];
    if (t.brokenFiles.length) notes.push(`${t.brokenFiles.length} test file(s) failed outside their tests: ${t.brokenFiles.join(', ')}`);
    if (t.unhandled) notes.push(`${t.unhandled} error(s) outside any test`);
    const line = summaryLine(t);
    process.stdout.write('\n' + notes.map((n) => n + '\n').join('') + line + '\n');
    // .ci/run repeats the line after npm's own output, from this file.
    const file = process.env.PLUMB_TEST_SUMMARY_FILE;
    if (file) writeFileSync(file, JSON.stringify({ ...t, line }) + '\n');
  }
}
