// Cycles of foreign keys between tables: inserts and deletes need deferred
// constraints or a fixed order, and copying the data is harder. Advice only.
import { qualifiedName } from '../../catalog/paths.js';
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'foreign-key-cycle',
    code: 'PLB005',
    title: 'Foreign keys form a cycle between tables',
    category: 'integrity',
    severity: 'info',
    docs: {
      description:
        'When table A references B and B references A (directly or through others), no insertion order satisfies both ' +
        'constraints unless one is DEFERRABLE or nullable, and bulk loads or rebuilds must break the cycle. Self-references are not cycles here.',
      bad: `CREATE TABLE teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, captain_id bigint);
CREATE TABLE players (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, team_id bigint NOT NULL REFERENCES teams (id));
ALTER TABLE teams ADD FOREIGN KEY (captain_id) REFERENCES players (id);
CREATE INDEX teams_captain_id_idx ON teams (captain_id);
CREATE INDEX players_team_id_idx ON players (team_id);`,
      good: `CREATE TABLE teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL);
CREATE TABLE players (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, team_id bigint NOT NULL REFERENCES teams (id));
CREATE TABLE team_captains (team_id bigint PRIMARY KEY REFERENCES teams (id), player_id bigint NOT NULL REFERENCES players (id));
CREATE INDEX players_team_id_idx ON players (team_id);
CREATE INDEX team_captains_player_id_idx ON team_captains (player_id);`,
      remediation: 'Move one direction of the relationship into a link table, or make one constraint DEFERRABLE INITIALLY DEFERRED.',
    },
  },
  check(ctx) {
    const edges = new Map<string, Set<string>>();
    for (const { table } of tablesOf(ctx.catalog)) {
      const out = edges.get(table.path) ?? new Set<string>();
      edges.set(table.path, out);
      for (const fk of table.foreignKeys) {
        const to = qualifiedName(fk.references.schema, fk.references.table);
        if (to !== table.path) out.add(to);
      }
    }
    for (const scc of stronglyConnected(edges)) {
      if (scc.length < 2) continue;
      const members = [...scc].sort();
      ctx.report({
        path: members[0]!,
        key: members.join(','),
        message: `foreign keys form a cycle: ${members.join(' → ')} → ${members[0]}`,
        evidence: { tables: members },
      });
    }
  },
});

/** Tarjan's algorithm, iterative-safe for the sizes catalogs have (recursion depth ≤ tables in one cycle). */
function stronglyConnected(g: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      out.push(comp);
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}
