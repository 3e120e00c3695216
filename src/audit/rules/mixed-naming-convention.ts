// A schema whose table and column names mix snake_case, camelCase and
// PascalCase: queries need quoting guesswork and ORMs map names inconsistently.
import { defineRule } from '../rule.js';

type Style = 'snake_case' | 'camelCase' | 'PascalCase' | 'UPPER_CASE';

export function namingStyle(name: string): Style | null {
  if (/^[a-z][a-z0-9]*$/.test(name)) return null; // one lower-case word fits snake and camel alike
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) return 'snake_case';
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(name)) return 'camelCase';
  if (/^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/.test(name)) return 'PascalCase';
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(name)) return 'UPPER_CASE';
  return null;
}

export default defineRule({
  meta: {
    id: 'mixed-naming-convention',
    code: 'PLB045',
    title: 'Mixed naming conventions in a schema',
    category: 'design',
    severity: 'info',
    docs: {
      description:
        'When some tables or columns are `snake_case` and others `camelCase` or `PascalCase`, every query author has to remember which ' +
        'is which (and quote the mixed-case ones in Postgres). Reported once per schema, with counts and the minority names.',
      bad: `CREATE TABLE order_lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, unit_price numeric(12,2) NOT NULL, "createdAt" timestamptz NOT NULL);`,
      good: `CREATE TABLE order_lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, unit_price numeric(12,2) NOT NULL, created_at timestamptz NOT NULL);`,
      remediation: 'Pick the dominant convention and rename the others (a spec with `renamedFrom` makes plumb plan the renames).',
    },
  },
  check(ctx) {
    for (const s of ctx.catalog.schemas) {
      const by = new Map<Style, string[]>();
      const add = (name: string, path: string) => {
        const st = namingStyle(name);
        if (st) by.set(st, [...(by.get(st) ?? []), path]);
      };
      for (const t of s.tables) {
        add(t.name, t.path);
        for (const c of t.columns) add(c.name, c.path);
      }
      for (const v of s.views) add(v.name, v.path);
      if (by.size < 2) continue;
      const ranked = [...by.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
      const counts = Object.fromEntries(ranked.map(([k, v]) => [k, v.length]));
      const minority = ranked.slice(1).flatMap(([, v]) => v).sort();
      ctx.report({
        path: s.path,
        message: `schema ${s.name} mixes naming conventions: ${ranked.map(([k, v]) => `${v.length} ${k}`).join(', ')}`,
        evidence: { counts, dominant: ranked[0]![0], others: minority.slice(0, 20) },
      });
    }
  },
});
