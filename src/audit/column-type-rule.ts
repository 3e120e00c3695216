// Builds the family of "don't use this column type" rules (timestamp, char,
// money, json): same loop, different predicate, fix and docs.
import type { Column, Table } from '../catalog/types.js';
import type { Rule, RuleContext, RuleMeta } from './rule.js';
import { defineRule } from './rule.js';
import { isPartition, tablesOf } from './rule-helpers.js';

export function columnTypeRule(meta: RuleMeta, spec: { matches(c: Column): boolean; message(c: Column): string; fix?(ctx: RuleContext, t: Table, c: Column): string | undefined }): Rule {
  return defineRule({
    meta,
    check(ctx) {
      for (const { table } of tablesOf(ctx.catalog)) {
        if (isPartition(table)) continue;
        for (const c of table.columns) {
          if (!spec.matches(c)) continue;
          const fix = spec.fix?.(ctx, table, c);
          ctx.report({ path: c.path, message: spec.message(c), evidence: { type: c.type.raw }, ...(fix ? { fix } : {}) });
        }
      }
    },
  });
}

export function alterType(ctx: RuleContext, t: Table, c: Column, type: string, using?: string): string {
  return `ALTER TABLE ${ctx.quoteQualified(t.schema, t.name)} ALTER COLUMN ${ctx.quoteIdent(c.name)} TYPE ${type}${using ? ` USING ${using}` : ''}; -- rewrites the table`;
}
