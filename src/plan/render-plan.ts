// Plan → plan.md (phases with explanation, hazards, pre-check results and a
// rollback per phase, in the spirit of a hand-written rebuild plan) and
// plan.sql (a runnable script). Pure: text out, deterministic for a given plan.
import { getDialect } from '../dialects/index.js';
import type { DialectName } from '../catalog/types.js';
import { stableStringify } from '../catalog/normalize.js';
import { redactRow } from '../catalog/sensitive-columns.js';
import type { Plan, PlanPhase, PlanStep, PreCheck } from './types.js';
import { describeImpact, formatMs, touchesRows } from './step-impact.js';
import { formatBytes, formatRows } from '../report/catalog-report.js';

/** Live pre-check outcome by pre-check id (from `plumb plan`, read-only). */
export type PreCheckResults = Record<string, { count: number; samples: Record<string, unknown>[] } | { error: string }>;

const fence = (sql: string[]) => (sql.length ? '```sql\n' + sql.map((s) => s.trimEnd() + ';').join('\n') + '\n```' : '_(nothing)_');

function sampleText(check: PreCheck, samples: Record<string, unknown>[]): string {
  return samples.map((s) => redactRow(s)).map((s) => '(' + check.keyColumns.map((c) => `${c}=${JSON.stringify(s[c])}`).join(', ') + ')').join(', ');
}

function preCheckLine(step: PlanStep, check: PreCheck, results?: PreCheckResults): string {
  const r = results?.[check.id];
  let status = '_not run_';
  if (r && 'error' in r) status = `could not run yet (${r.error.split('\n')[0]}); it runs again at apply, after the earlier steps`;
  else if (r && r.count === 0) status = '**0 rows** ✓';
  else if (r && 'count' in r) status = `**${r.count} row(s)** ✗ — e.g. ${sampleText(check, r.samples)}`;
  return `- [${check.kind}] rows of \`${check.table.schema}.${check.table.name}\` that ${check.description}: ${status} → remediation \`${step.remediation}\``;
}

function worst(phase: PlanPhase): string {
  const order = ['safe', 'blocking', 'data-dependent', 'destructive'];
  return order[Math.max(0, ...phase.steps.map((s) => order.indexOf(s.safety)))]!;
}

export function renderPlanMarkdown(plan: Plan, results?: PreCheckResults): string {
  const steps = plan.phases.flatMap((p) => p.steps);
  const out: string[] = [];
  out.push(`# Rebuild plan: ${steps.length} step(s) in ${plan.phases.length} phase(s)`, '');
  out.push(`- plan checksum \`${plan.checksum}\` (format ${plan.formatVersion})`);
  out.push(`- made from catalog \`${plan.catalogChecksum}\`${plan.specChecksum ? `, spec \`${plan.specChecksum}\`` : ''}`);
  out.push(`- target catalog \`${plan.targetChecksum}\``);
  out.push(`- plumb ${plan.plumbVersion}, ${plan.createdAt}`);
  out.push(`- lock_timeout ${plan.options.lockTimeoutMs} ms; NOT VALID + VALIDATE on tables with ≥ ${plan.options.largeTableRows} rows; concurrent indexes: ${plan.options.concurrently ? 'yes' : 'no'}`, '');
  if (!steps.length) {
    out.push('The database already matches the spec: nothing to do.');
    return out.join('\n') + '\n';
  }
  out.push('| Phase | Steps | Worst safety | Transaction |', '|---|---|---|---|');
  plan.phases.forEach((p, i) => out.push(`| ${i + 1}. ${p.title} | ${p.steps.length} | ${worst(p)} | ${!p.transactional ? 'no (journaled per statement)' : p.stepTransactions ? 'one per step' : 'yes'} |`));
  out.push('');
  const destructive = steps.filter((s) => s.safety === 'destructive');
  if (destructive.length) {
    out.push('## Destructive steps (apply refuses them until allowed)', '');
    for (const s of destructive) out.push(`- ${s.id} \`${s.path}\`: ${s.hazards.map((h) => `${h.code} ${h.message}`).join('; ')} — allow with \`--allow ${s.hazards.find((h) => h.code.startsWith('PH'))?.code ?? s.id}:${s.path}\``);
    out.push('');
  }
  const heavy = steps.filter((s) => s.impact && touchesRows(s.impact.work));
  if (heavy.length) {
    out.push(
      '## Locks held while rows are read or written',
      '',
      'Steps that read, index or rewrite an existing table, with the lock they hold meanwhile. Catalog-only steps hold theirs for a moment, bounded by the lock timeout. Estimates come from the table size (docs/zero-downtime.md) and are rough.',
      '',
      '| Step | Table | Lock | Blocks | Work | Rows | Size | Estimate |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const s of heavy) {
      const i = s.impact!;
      out.push(`| ${s.id} | \`${i.table.schema}.${i.table.name}\` | ${i.lock} | ${i.blocks} | ${i.work} | ${formatRows(i.table.rows)} | ${formatBytes(i.table.bytes)} | ${i.estimatedMs ? '≈ ' + formatMs(i.estimatedMs) : '—'} |`);
    }
    out.push('');
  }
  const checks = steps.flatMap((s) => s.preChecks.map((c) => ({ s, c })));
  if (checks.length) {
    out.push('## Data clean-up (pre-checks)', '', 'Each query counts the rows that would make its step fail. They run again inside the apply transaction, right before the step; the remediation policy decides what happens to the rows (`abort`, `nullify`, `delete`, or `quarantine` into `plumb_quarantine.<schema>__<table>_<step>`, restorable).', '');
    for (const { s, c } of checks) out.push(`${s.id} ${preCheckLine(s, c, results).slice(2)}`.replace(/^/, '- '));
    out.push('');
  }
  plan.phases.forEach((p, i) => {
    out.push(`## Phase ${i + 1}: ${p.title}`, '', p.explanation, '');
    for (const s of p.steps) {
      out.push(`### ${s.id} ${s.summary} — ${s.safety}`, '');
      if (s.impact) out.push(`- lock: ${describeImpact(s.impact)}`);
      for (const h of s.hazards) out.push(`- ${h.code}: ${h.message}`);
      for (const c of s.preChecks) out.push(preCheckLine(s, c, results));
      if (s.impact || s.hazards.length || s.preChecks.length) out.push('');
      out.push(fence(s.forward.map((f) => f.sql)), '');
    }
    out.push('**Validation checkpoint**: the catalog of every object above matches the spec (`plumb verify`).', '');
    out.push(`#### Phase ${i + 1} rollback`, '', fence([...p.steps].reverse().flatMap((s) => s.rollback.map((r) => r.sql))), '');
  });
  return out.join('\n') + '\n';
}

export function renderPlanSql(plan: Plan): string {
  const out: string[] = [`-- plumb plan ${plan.checksum} (format ${plan.formatVersion}), made from catalog ${plan.catalogChecksum}`, '-- Apply with `plumb apply --plan plan.json`: it adds drift checks, pre-checks, remediation, a journal and history.', ''];
  const frame = getDialect(plan.dialect as DialectName).scriptFrame?.(plan.options.lockTimeoutMs) ?? {
    begin: ['BEGIN;', `SET LOCAL lock_timeout = '${plan.options.lockTimeoutMs}ms';`],
    commit: ['COMMIT;'],
  };
  if (frame.session?.length) out.push(...frame.session, '');
  const statement = (sql: string) => frame.statement?.(sql) ?? [sql.trimEnd() + ';'];
  plan.phases.forEach((p, i) => {
    out.push(`-- Phase ${i + 1}: ${p.title}`);
    if (p.deferred) {
      // Not part of the run: dropping the old columns right after the swap would break readers still on them.
      out.push('-- Deferred: run these once nothing reads the old columns (plumb apply --plan plan.json --contract does).');
      for (const s of p.steps) for (const f of s.forward) out.push(...statement(f.sql).map((l) => `-- ${l}`));
      out.push('');
      return;
    }
    // One transaction for the phase, or one per step (validations: no lock outlives its own step).
    const perStep = p.transactional && !!p.stepTransactions;
    if (p.transactional && !perStep) out.push(...frame.begin);
    for (const s of p.steps) {
      out.push(`-- ${s.id} ${s.summary} [${s.safety}${s.hazards.length ? ': ' + s.hazards.map((h) => h.code).join(', ') : ''}]`);
      if (s.impact) out.push(`-- lock: ${describeImpact(s.impact)}`);
      for (const c of s.preChecks) out.push(`-- pre-check (${c.kind}, must be 0): ${c.countSql};`);
      if (perStep) out.push(...frame.begin);
      for (const f of s.forward) out.push(...statement(f.sql));
      if (perStep) out.push(...frame.commit);
    }
    if (p.transactional && !perStep) out.push(...frame.commit);
    out.push('');
  });
  out.push('-- Rollback (reverse order), for reference:');
  for (const s of plan.phases.flatMap((p) => p.steps).reverse()) for (const r of s.rollback) out.push(`-- ${r.sql.replace(/\n/g, '\n-- ')};`);
  return out.join('\n') + '\n';
}

export function renderPlanJson(plan: Plan): string {
  return stableStringify(plan, 2) + '\n';
}
