// `plumb rules` lists the audit rules; `plumb rules explain ID` prints one rule's doc.
import type { Command } from 'commander';
import pc from 'picocolors';
import { allRules } from '../../audit/rules/index.js';
import { renderRuleDoc } from '../../audit/rule-docs.js';
import { nearest } from '../../config/resolve-config.js';
import { PlumbError } from '../../errors.js';
import { emit } from '../output.js';

export function renderRulesTable(color = false): string {
  const c = pc.createColors(color);
  const rows = [...allRules].sort((a, b) => (a.meta.code < b.meta.code ? -1 : 1));
  const w = Math.max(...rows.map((r) => r.meta.id.length), 4);
  const out = [c.bold(`${'CODE'.padEnd(7)} ${'RULE'.padEnd(w)} ${'CATEGORY'.padEnd(11)} ${'SEVERITY'.padEnd(8)} READS    TITLE`)];
  for (const r of rows) {
    const m = r.meta;
    out.push(`${m.code.padEnd(7)} ${m.id.padEnd(w)} ${m.category.padEnd(11)} ${m.severity.padEnd(8)} ${(m.data ? 'data' : 'catalog').padEnd(8)} ${m.title}${m.enabledByDefault === false ? c.dim(' (off by default)') : ''}`);
  }
  out.push('', c.dim(`${rows.length} rules. Details: plumb rules explain <id>`));
  return out.join('\n') + '\n';
}

export function registerRules(program: Command): void {
  const cmd = program
    .command('rules')
    .summary('list the audit rules, or explain one')
    .description('Lists every audit rule with its code, category, default severity and what it reads.')
    .option('--json', 'as JSON (id, code, title, category, severity, data, dialects, options)')
    .action(async (opts: { json?: boolean }) => {
      if (opts.json) {
        const list = allRules.map((r) => ({ id: r.meta.id, code: r.meta.code, title: r.meta.title, category: r.meta.category, severity: r.meta.severity, data: !!r.meta.data, enabledByDefault: r.meta.enabledByDefault !== false, dialects: r.meta.dialects ?? null, options: r.meta.options ?? {} }));
        await emit(JSON.stringify(list.sort((a, b) => (a.code < b.code ? -1 : 1)), null, 2));
        return;
      }
      await emit(renderRulesTable(process.stdout.isTTY === true && !process.env.NO_COLOR));
    });
  cmd
    .command('explain <id>')
    .description('print the documentation of one rule (by id or PLB code): why, a failing and a passing example, the fix')
    .action(async (id: string) => {
      const rule = allRules.find((r) => r.meta.id === id || r.meta.code.toLowerCase() === id.toLowerCase());
      if (!rule) {
        const guess = nearest(id, allRules.map((r) => r.meta.id));
        throw new PlumbError('E_USAGE', `unknown rule "${id}"`, guess ? `did you mean "${guess}"? (plumb rules lists every rule)` : 'plumb rules lists every rule');
      }
      // The doc as docs/rules/ has it, less the generated-file notice meant for that file's editors.
      await emit(renderRuleDoc(rule).replace(/^<!--[\s\S]*?-->\n+/, ''));
    });
}
