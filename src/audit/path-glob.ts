// Glob matching on object paths (`schema.table.column`) for ignore lists and
// baselines: `*` matches within one part, `**` any number of parts; a glob
// that matches a prefix of the path (a table) covers everything inside it.
import { splitPath } from '../catalog/paths.js';

const cache = new Map<string, RegExp>();

function partRegex(p: string): RegExp {
  let re = cache.get(p);
  if (!re) {
    re = new RegExp('^' + p.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'u');
    cache.set(p, re);
  }
  return re;
}

export function pathMatches(path: string, glob: string): boolean {
  let parts: string[];
  let pats: string[];
  try {
    parts = splitPath(path);
    pats = splitPath(glob);
  } catch {
    return path === glob;
  }
  return match(parts, 0, pats, 0);
}

function match(parts: string[], i: number, pats: string[], j: number): boolean {
  if (j === pats.length) return true; // a glob naming an object also covers what is inside it
  const p = pats[j]!;
  if (p === '**') {
    for (let k = i; k <= parts.length; k++) if (match(parts, k, pats, j + 1)) return true;
    return false;
  }
  if (i === parts.length) return false;
  return partRegex(p).test(parts[i]!) && match(parts, i + 1, pats, j + 1);
}
