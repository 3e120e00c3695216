// docs/peer-coverage.md stays true to the registry: every rule it names
// exists, and its totals are what its tables say, peer by peer.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/audit/rules/index.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/peer-coverage.md', import.meta.url)), 'utf8');
const STATUSES = ['covered', 'partly', 'n/a', 'missing'] as const;

/** Markdown tables as arrays of rows of trimmed cells, header row first. */
function tables(md: string): string[][][] {
  const out: string[][][] = [];
  let cur: string[][] | null = null;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      cur = null;
      continue;
    }
    if (/^\|[-:| ]+\|$/.test(line)) continue;
    const cells = line.slice(1, -1).split(' | ').map((c) => c.trim().replace(/^\| ?|\|$/g, ''));
    if (!cur) out.push((cur = []));
    cur.push(cells);
  }
  return out;
}

describe('docs/peer-coverage.md', () => {
  const [totals, ...peers] = tables(doc);

  it('names only rules that exist', () => {
    const ids = new Set(allRules.map((r) => r.meta.id));
    const named = [...doc.matchAll(/\]\(rules\/([a-z0-9-]+)\.md\)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('has one table per totals row, and each row of totals is its table counted', () => {
    const rows = totals!.slice(1);
    expect(peers.length).toBe(rows.length);
    rows.forEach((row, i) => {
      const table = peers[i]!;
      const col = table[0]!.indexOf('status');
      const statuses = table.slice(1).map((r) => (r[col] === 'Supabase' ? 'n/a' : r[col]!));
      expect(statuses.filter((s) => !(STATUSES as readonly string[]).includes(s)), row[0]).toEqual([]);
      const counted = [statuses.length, ...STATUSES.map((s) => statuses.filter((x) => x === s).length)].map(String);
      expect(counted, row[0]).toEqual(row.slice(1));
    });
  });
});
