// The audit as a Markdown report a DBA would hand over (like the seeds):
// summary, grade per category, findings, object counts, sizes, RLS status.
import type { Catalog } from '../catalog/types.js';
import type { AuditResult, Severity } from '../audit/types.js';
import { SEVERITIES } from '../audit/types.js';
import { dataCoverageLine } from './data-coverage.js';

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟡', info: '🔵' };

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function bytes(n: number | null): string {
  if (n === null) return '–';
  const u = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${u[i]}`;
}

export function renderAuditMarkdown(r: AuditResult, catalog?: Catalog): string {
  const L: string[] = [];
  const count = (s: Severity) => r.findings.filter((f) => f.severity === s).length;
  L.push(`# Database audit: ${r.target.database ?? r.target.url}`, '');
  L.push(`- **Engine:** ${r.target.dialect} ${r.target.serverVersion}`);
  L.push(`- **Generated:** ${r.generatedAt} by plumb ${r.tool.version} in ${(r.durationMs / 1000).toFixed(2)} s`);
  L.push(`- **Grade:** **${r.grade} (${r.score}/100)**`, '');
  L.push('## Summary', '');
  L.push(
    r.findings.length
      ? `${r.rules.length} rules ran over ${r.objects.tables} tables: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info.`
      : `${r.rules.length} rules ran over ${r.objects.tables} tables and found nothing to report.`,
  );
  if (r.skipped.length) L.push('', `${r.skipped.length} check(s) could not run; see *Skipped checks* below — the grade covers only what ran.`);
  const coverage = dataCoverageLine(r);
  if (coverage) L.push('', coverage.charAt(0).toUpperCase() + coverage.slice(1) + '.');
  L.push('', '## Grade by category', '', '| Category | Grade | Score | Errors | Warnings | Info |', '|---|---|---|---|---|---|');
  for (const c of r.categories) L.push(`| ${c.category} | ${c.letter} | ${c.score}/100 | ${c.counts.error} | ${c.counts.warning} | ${c.counts.info} |`);
  L.push('', '## Findings', '');
  if (!r.findings.length) L.push('None.');
  else {
    L.push('| | Severity | Rule | Object | Finding |', '|---|---|---|---|---|');
    for (const f of r.findings) L.push(`| ${ICON[f.severity]} | ${f.severity} | [${f.rule}](${r.rules.find((x) => x.id === f.rule)?.helpUri ?? ''}) \`${f.code}\` | \`${esc(f.path)}\` | ${esc(f.message)}${f.sampled && !f.sample ? ' *(sampled)*' : ''} |`);
    const fixes = r.findings.filter((f) => f.fix);
    if (fixes.length) {
      L.push('', '### Suggested fixes', '', 'Review each statement before running it; plumb never runs them during an audit.', '');
      for (const sev of SEVERITIES) {
        for (const f of fixes.filter((x) => x.severity === sev)) L.push(`**${f.rule}** — \`${f.path}\``, '', '```sql', f.fix!, '```', '');
      }
    }
  }
  if (r.skipped.length) {
    L.push('', '## Skipped checks', '', '| Rule | Object | Reason |', '|---|---|---|');
    for (const s of r.skipped) L.push(`| ${s.rule} | ${s.path ? `\`${esc(s.path)}\`` : '–'} | ${esc(s.reason)} |`);
  }
  L.push('', '## Objects', '', '| Schemas | Tables | Columns | Indexes | Foreign keys | Views | Routines |', '|---|---|---|---|---|---|---|');
  const o = r.objects;
  L.push(`| ${o.schemas} | ${o.tables} | ${o.columns} | ${o.indexes} | ${o.foreignKeys} | ${o.views} | ${o.routines} |`);
  if (catalog) {
    const tables = catalog.schemas.flatMap((s) => s.tables);
    const largest = [...tables].sort((a, b) => (b.totalBytes ?? -1) - (a.totalBytes ?? -1) || (a.path < b.path ? -1 : 1)).slice(0, 10);
    if (largest.length) {
      L.push('', '## Largest tables', '', '| # | Table | Size | Rows (estimate) |', '|---|---|---|---|');
      largest.forEach((t, i) => L.push(`| ${i + 1} | \`${esc(t.path)}\` | ${bytes(t.totalBytes)} | ${t.rowEstimate === null || t.rowEstimate < 0 ? '–' : Math.round(t.rowEstimate)} |`));
    }
    const rls = tables.filter((t) => t.rls.enabled || t.policies.length);
    if (catalog.schemas.length && tables.length) {
      L.push('', '## Row-level security', '');
      if (!rls.length) L.push('No table has row-level security enabled or policies defined.');
      else {
        L.push('| Table | RLS | Forced | Policies |', '|---|---|---|---|');
        for (const t of rls) L.push(`| \`${esc(t.path)}\` | ${t.rls.enabled ? 'on' : '**off**'} | ${t.rls.forced ? 'yes' : 'no'} | ${t.policies.map((p) => `${p.name} (${p.command})`).join(', ') || '**none**'} |`);
        L.push('', `${rls.filter((t) => t.rls.enabled).length} of ${tables.length} tables have RLS enabled.`);
      }
    }
  }
  L.push('', '---', '', `Grade formula: docs/audit-grading.md. Rule documentation: docs/rules/.`);
  return L.join('\n') + '\n';
}
