// Terminal rendering of an AuditResult: grouped by severity then rule, with a
// summary and the grade. Colour only when asked (the CLI asks when stdout is a TTY).
import pc from 'picocolors';
import type { AuditResult, Finding, Severity } from '../audit/types.js';
import { SEVERITIES } from '../audit/types.js';
import { dataCoverageLine } from './data-coverage.js';

export interface TextOptions {
  color?: boolean;
  /** Print the fix SQL under each finding (default true). */
  fixes?: boolean;
}

export function renderAuditText(r: AuditResult, o: TextOptions = {}): string {
  const c = pc.createColors(o.color ?? false);
  const sevColor: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const out: string[] = [];
  out.push(c.bold(`plumb audit — ${r.target.database ?? r.target.url} (${r.target.dialect} ${r.target.serverVersion})`));
  out.push('');
  for (const sev of SEVERITIES) {
    const fs = r.findings.filter((f) => f.severity === sev);
    if (!fs.length) continue;
    out.push(sevColor[sev](c.bold(`${sev.toUpperCase()}S (${fs.length})`)));
    const byRule = new Map<string, Finding[]>();
    for (const f of fs) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
    for (const [rule, list] of byRule) {
      const meta = r.rules.find((x) => x.id === rule);
      out.push(`  ${c.bold(rule)} ${c.dim(`${list[0]!.code} · ${list[0]!.category}${meta ? ` · ${meta.title}` : ''}`)}`);
      for (const f of list) {
        out.push(`    ${sevColor[sev]('●')} ${f.message}${f.sampled && !f.sample ? c.dim(' (sampled)') : ''}`);
        if (o.fixes !== false && f.fix) for (const line of f.fix.split('\n')) out.push(`      ${c.dim('fix:')} ${c.green(line)}`);
      }
    }
    out.push('');
  }
  if (!r.findings.length) out.push(c.green('No findings.'), '');
  if (r.skipped.length) {
    out.push(c.dim(`Skipped checks (${r.skipped.length}):`));
    for (const s of r.skipped) out.push(c.dim(`  - ${s.rule}${s.path ? ` ${s.path}` : ''}: ${s.reason}`));
    out.push('');
  }
  const coverage = dataCoverageLine(r);
  if (coverage) out.push(c.dim(coverage.charAt(0).toUpperCase() + coverage.slice(1) + '.'), '');
  const counts = SEVERITIES.map((s) => `${r.findings.filter((f) => f.severity === s).length} ${s}${r.findings.filter((f) => f.severity === s).length === 1 ? '' : 's'}`).join(', ');
  const gradeColor = r.grade === 'A' || r.grade === 'B' ? c.green : r.grade === 'C' ? c.yellow : c.red;
  out.push(`${c.bold('Grade')} ${gradeColor(c.bold(`${r.grade} (${r.score}/100)`))}   ${counts}   ${r.rules.length} rules, ${r.objects.tables} tables, ${(r.durationMs / 1000).toFixed(2)} s`);
  out.push(
    '  ' +
      r.categories
        .map((k) => `${k.category} ${(k.letter === 'A' ? c.green : k.letter === 'B' ? c.green : k.letter === 'C' ? c.yellow : c.red)(`${k.letter} ${k.score}`)}`)
        .join(c.dim(' · ')),
  );
  return out.join('\n') + '\n';
}
