// Turns zod issues into lines a spec author can act on: where (`tables[2].columns.email.type`),
// what is wrong, and a hint (closest known key for a typo). Pure.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(word.toLowerCase(), c.toLowerCase());
    if (dd < bestD) [best, bestD] = [c, dd];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

const KNOWN_KEYS = [
  'version', 'dialect', 'defaultSchema', 'include', 'extensions', 'schemas', 'tables', 'views', 'enums', 'domains', 'compositeTypes', 'sequences', 'routines', 'events',
  'triggers', 'policies', 'comments', 'grants', 'seed', 'verify', 'manage', 'name', 'schema', 'type', 'nullable', 'default', 'identity', 'generated', 'collation',
  'comment', 'renamedFrom', 'primaryKey', 'unique', 'references', 'check', 'using', 'columns', 'uniques', 'foreignKeys', 'checks', 'exclusions', 'indexes', 'rls',
  'expressions', 'statistics', 'compression', 'where', 'include', 'method', 'nullsNotDistinct', 'onDelete', 'onUpdate', 'deferrable', 'initiallyDeferred', 'match', 'validated', 'labels',
  'renamedLabels', 'attributes', 'sql', 'materialized', 'securityInvoker', 'checkOption', 'arguments', 'returns', 'language', 'body', 'securityDefiner',
  'volatility', 'config', 'timing', 'events', 'level', 'function', 'when', 'enabled', 'command', 'permissive', 'roles', 'withCheck', 'grantee', 'privileges',
  'grantable', 'table', 'key', 'rows', 'encrypt', 'hash', 'prune', 'expect', 'reject', 'errorClass', 'dialects', 'start', 'increment', 'min', 'max', 'cache', 'cycle', 'ownedBy',
];

export function formatZodIssues(issues: readonly Issue[]): string {
  const lines: string[] = [];
  for (const i of issues.slice(0, 20)) {
    const where = issuePath(i.path);
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) {
        const guess = closest(k, KNOWN_KEYS);
        lines.push(`  - ${where}: unknown key \`${k}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`);
      }
    } else if (i.code === 'invalid_union') {
      // Report the branch that got furthest: the one whose first issue has the longest path.
      const branches = (i as { errors?: Issue[][] }).errors ?? [];
      const best = [...branches].sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0];
      if (best?.length) lines.push(formatZodIssues(best.map((x) => ({ ...x, path: [...i.path, ...x.path] }) as Issue)));
      else lines.push(`  - ${where}: ${i.message}`);
    } else {
      lines.push(`  - ${where}: ${i.message}`);
    }
  }
  if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
  return lines.join('\n');
}
