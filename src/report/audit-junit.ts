// The audit as JUnit XML for CI dashboards: one testcase per rule that ran, one
// <failure> per finding at or above the failing severity; skipped checks as <skipped>.
import type { AuditResult, Severity } from '../audit/types.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function xmlEscape(s: string): string {
  // Drop characters XML 1.0 cannot carry at all, then escape markup.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function renderAuditJunit(r: AuditResult, o: { failOn?: Severity } = {}): string {
  const failOn = o.failOn ?? 'warning';
  const suiteName = `plumb audit ${r.target.database ?? r.target.url}`;
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const rule of r.rules) {
    const fs = r.findings.filter((f) => f.rule === rule.id);
    const failing = fs.filter((f) => RANK[f.severity] <= RANK[failOn]);
    const skips = r.skipped.filter((s) => s.rule === rule.id);
    const body: string[] = [];
    for (const f of failing) {
      failures++;
      body.push(
        `      <failure message="${xmlEscape(f.message)}" type="${f.severity}">${xmlEscape(
          [`${f.code} ${f.path}`, f.message, f.fix ? `fix: ${f.fix}` : '', `doc: ${rule.helpUri}`].filter(Boolean).join('\n'),
        )}</failure>`,
      );
    }
    const notes = fs.filter((f) => !failing.includes(f));
    if (skips.length && !fs.length) {
      skipped++;
      body.push(`      <skipped message="${xmlEscape(skips.map((s) => s.reason).join('; '))}"/>`);
    }
    if (notes.length) body.push(`      <system-out>${xmlEscape(notes.map((f) => `${f.severity}: ${f.path}: ${f.message}`).join('\n'))}</system-out>`);
    const open = `    <testcase classname="plumb.${rule.category}" name="${xmlEscape(`${rule.id} (${rule.code})`)}" time="0"`;
    cases.push(body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="plumb" tests="${r.rules.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xmlEscape(suiteName)}" tests="${r.rules.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${r.generatedAt.replace(/\.\d+Z$/, '')}">`,
    `    <properties><property name="grade" value="${r.grade}"/><property name="score" value="${r.score}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
