// Renders a VerifyReport as text, Markdown, JSON or JUnit. Pure and deterministic.
import type { VerifyReport } from './verify.js';

export const verifyFormats = ['text', 'md', 'json', 'junit'] as const;

const mark = { pass: 'PASS', fail: 'FAIL', skip: 'skip' } as const;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function renderVerify(r: VerifyReport, format: string): string {
  const summary = `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
  switch (format) {
    case 'json':
      return JSON.stringify(r, null, 2) + '\n';
    case 'md':
      return [
        `# plumb verify: ${r.failed ? 'FAILED' : 'passed'}`,
        '',
        summary,
        '',
        '| Result | Kind | Check | Detail |',
        '|---|---|---|---|',
        ...r.results.map((x) => `| ${mark[x.status]} | ${x.kind} | ${x.name.replace(/\|/g, '\\|')} | ${x.detail.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
        '',
      ].join('\n');
    case 'junit':
      return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuite name="plumb verify" tests="${r.results.length}" failures="${r.failed}" skipped="${r.skipped}">`,
        ...r.results.map((x) => {
          const open = `  <testcase classname="plumb.${x.kind}" name="${esc(x.name)}">`;
          if (x.status === 'fail') return `${open}<failure message="${esc(x.detail)}"/></testcase>`;
          if (x.status === 'skip') return `${open}<skipped message="${esc(x.detail)}"/></testcase>`;
          return `${open}</testcase>`;
        }),
        '</testsuite>',
        '',
      ].join('\n');
    default: {
      const w = Math.max(10, ...r.results.map((x) => x.name.length));
      return [...r.results.map((x) => `${mark[x.status].padEnd(4)}  ${x.kind.padEnd(6)} ${x.name.padEnd(w)}  ${x.detail}`), '', summary, ''].join('\n');
    }
  }
}
