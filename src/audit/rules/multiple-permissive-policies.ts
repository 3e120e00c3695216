// Several permissive policies for the same role and command: each is evaluated
// for every row (they are ORed), which is slow and hard to reason about.
import type { PolicyCommand } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

const COMMANDS: Exclude<PolicyCommand, 'all'>[] = ['select', 'insert', 'update', 'delete'];

export default defineRule({
  meta: {
    id: 'multiple-permissive-policies',
    code: 'PLB017',
    title: 'Multiple permissive policies for the same role and command',
    category: 'performance',
    severity: 'warning',
    requires: ['rowLevelSecurity'],
    docs: {
      description:
        'Permissive row-level-security policies are combined with OR, and every one is evaluated for every row a query touches. ' +
        'Two permissive policies for the same role and command (a `FOR ALL` policy counts for each command) double that work ' +
        'and make the effective rule hard to read. Merge them into one policy.',
      bad: `CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL, shared boolean NOT NULL);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes FOR SELECT TO public USING (owner_name = current_user);
CREATE POLICY notes_shared ON notes FOR SELECT TO public USING (shared);`,
      good: `CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_name text NOT NULL, shared boolean NOT NULL);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT TO public USING (owner_name = current_user OR shared);`,
      remediation: 'Combine the policies\' conditions with OR in a single policy per role and command.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      const overlaps: string[] = [];
      const roles = [...new Set(table.policies.flatMap((p) => p.roles))].sort();
      for (const role of roles) {
        for (const cmd of COMMANDS) {
          const ps = table.policies.filter((p) => p.permissive && (p.command === cmd || p.command === 'all') && (p.roles.includes(role) || (role !== 'public' && p.roles.includes('public'))));
          if (ps.length > 1) overlaps.push(`${role}/${cmd}: ${ps.map((p) => p.name).sort().join(', ')}`);
        }
      }
      if (!overlaps.length) continue;
      ctx.report({ path: table.path, message: `${table.path} has several permissive policies for the same role and command (${overlaps.join('; ')})`, evidence: { overlaps } });
    }
  },
});
