// The gate everything else stands on: a failing test must make the runner exit
// non-zero and say so in its closing line. Run in a child vitest with the
// suite's config and global setup (which starts the embedded server), where a
// process-wide exit hook would do its harm.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countResults, summaryLine } from '../helpers/summary-reporter.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the test gate', () => {
  it('a failing test makes vitest exit non-zero and end with "0 passed, 1 failed"', async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/gate/vitest.gate.config.ts'],
        { cwd: root, env: { ...process.env, PLUMB_TEST_SUMMARY_FILE: '', NO_COLOR: '1' }, maxBuffer: 1 << 22 },
        (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('the summary counts files that failed to load and errors outside tests as failures', () => {
    const line = summaryLine({ passed: 3, failed: 1, skipped: 2, brokenFiles: ['a.test.ts'], unhandled: 1 });
    expect(line).toBe('3 passed, 3 failed, 2 skipped');
    expect(countResults([], []).passed).toBe(0);
  });
});
