// Comparison forms for SQL text the catalog carries (defaults, checks, index
// expressions, predicates, view bodies) so equivalent spellings compare equal:
// case outside quotes, whitespace, redundant parentheses, casts on literals.
// Only for comparing — never render SQL from these forms.
import type { ColumnType } from '../catalog/types.js';

interface Tok {
  t: 'word' | 'qident' | 'str' | 'num' | 'op' | 'open' | 'close' | 'comma';
  v: string;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (ch === "'" || ((ch === 'E' || ch === 'e') && s[i + 1] === "'")) {
      let j = ch === "'" ? i + 1 : i + 2;
      let v = '';
      for (;;) {
        if (j >= s.length) break;
        if (s[j] === "'" && s[j + 1] === "'") {
          v += "'";
          j += 2;
          continue;
        }
        if (s[j] === "'") break;
        if (ch !== "'" && s[j] === '\\' && j + 1 < s.length) {
          v += s[j + 1];
          j += 2;
          continue;
        }
        v += s[j];
        j++;
      }
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let v = '';
      while (j < s.length) {
        if (s[j] === '"' && s[j + 1] === '"') {
          v += '"';
          j += 2;
          continue;
        }
        if (s[j] === '"') break;
        v += s[j];
        j++;
      }
      // A quoted identifier that needs no quotes is the same identifier unquoted.
      out.push(/^[a-z_][a-z0-9_$]*$/.test(v) ? { t: 'word', v } : { t: 'qident', v });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < s.length && /[A-Za-z0-9_$]/.test(s[j]!)) j++;
      out.push({ t: 'word', v: s.slice(i, j).toLowerCase() });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      let j = i;
      while (j < s.length && /[0-9.eE]/.test(s[j]!)) j++;
      out.push({ t: 'num', v: String(Number(s.slice(i, j))) });
      i = j;
      continue;
    }
    if (ch === '(' || ch === '[') {
      out.push({ t: 'open', v: ch });
      i++;
      continue;
    }
    if (ch === ')' || ch === ']') {
      out.push({ t: 'close', v: ch });
      i++;
      continue;
    }
    if (ch === ',') {
      out.push({ t: 'comma', v: ',' });
      i++;
      continue;
    }
    if (ch === ';') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < s.length && /[+\-*/<>=~!@#%^&|`?:.]/.test(s[j]!) && /[+\-*/<>=~!@#%^&|`?:.]/.test(ch)) j++;
    out.push({ t: 'op', v: s.slice(i, j) });
    i = j;
  }
  return out;
}

const TYPE_WORDS = new Set([
  'text', 'character', 'varying', 'varchar', 'bpchar', 'integer', 'int', 'int2', 'int4', 'int8', 'bigint', 'smallint', 'numeric', 'decimal', 'real', 'double',
  'precision', 'boolean', 'bool', 'date', 'timestamp', 'timestamptz', 'time', 'timetz', 'with', 'without', 'zone', 'interval', 'json', 'jsonb', 'uuid', 'regclass',
  'bytea', 'name', 'oid', 'inet', 'cidr',
]);

/** Drop `::type` casts that directly follow a literal or NULL, e.g. `'x'::text`, `'{}'::jsonb`, `NULL::integer`. */
function dropLiteralCasts(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i]!;
    const prev = out[out.length - 1];
    if (tk.t === 'op' && tk.v === '::' && prev && (prev.t === 'str' || prev.t === 'num' || (prev.t === 'word' && prev.v === 'null') || (prev.t === 'close' && prev.v === ']') || groupedLiteral(out, toks[i + 1]))) {
      let j = i + 1;
      // Consume a (possibly multi-word, possibly qualified) type name, modifiers and [].
      // `schema.type`: the qualifier and its dot belong to the cast.
      if (isName(toks[j]) && isDot(toks[j + 1]) && isName(toks[j + 2])) j += 3;
      else while (j < toks.length && (toks[j]!.t === 'word' || toks[j]!.t === 'qident') && (j === i + 1 || TYPE_WORDS.has(toks[j]!.v))) j++;
      if (toks[j]?.t === 'open' && toks[j]!.v === '(') {
        let d = 0;
        for (; j < toks.length; j++) {
          if (toks[j]!.t === 'open') d++;
          else if (toks[j]!.t === 'close' && --d === 0) {
            j++;
            break;
          }
        }
      }
      while (toks[j]?.t === 'open' && toks[j]!.v === '[' && toks[j + 1]?.t === 'close') j += 2;
      i = j - 1;
      continue;
    }
    out.push(tk);
  }
  return out;
}

/**
 * `(0)::numeric`, `(-1)::integer`: a parenthesised literal with a cast. Also
 * `(col)::text`, the implicit cast Postgres prints on varchar columns.
 */
function groupedLiteral(out: Tok[], castTo: Tok | undefined): boolean {
  const n = out.length;
  if (out[n - 1]?.t !== 'close' || out[n - 1]!.v !== ')') return false;
  const lit = (x: Tok | undefined) => !!x && (x.t === 'str' || x.t === 'num' || (x.t === 'word' && x.v === 'null'));
  if (out[n - 3]?.t === 'open' && out[n - 3]!.v === '(') {
    if (lit(out[n - 2])) return true;
    const ident = out[n - 2]!;
    const before = out[n - 4];
    // `(col)::text` but not `f(col)::text` (a call's result is cast, not the column).
    if ((ident.t === 'word' || ident.t === 'qident') && !(before && (before.t === 'word' || before.t === 'qident')) && castTo?.t === 'word' && (castTo.v === 'text' || castTo.v === 'character' || castTo.v === 'varchar')) return true;
  }
  return out[n - 4]?.t === 'open' && out[n - 3]?.t === 'op' && out[n - 3]!.v === '-' && lit(out[n - 2]);
}

function isCallable(prev: Tok | undefined): boolean {
  // `f(`, `"f"(`, `ARRAY[`… a parenthesis after a name is a call or a type modifier, never redundant.
  return !!prev && (prev.t === 'word' || prev.t === 'qident') && !['and', 'or', 'not', 'in', 'is', 'then', 'else', 'when', 'case', 'select', 'where', 'on', 'as', 'by', 'using', 'check', 'exists', 'from', 'join'].includes(prev.v);
}

/** Remove parentheses that group a single operand or a whole expression without AND/OR inside (`(a > 0) AND (b < 5)` → `a > 0 and b < 5`). */
function dropRedundantParens(toks: Tok[]): Tok[] {
  let cur = toks;
  for (let pass = 0; pass < 8; pass++) {
    const match = new Map<number, number>();
    const stack: number[] = [];
    cur.forEach((tk, i) => {
      if (tk.t === 'open' && tk.v === '(') stack.push(i);
      else if (tk.t === 'close' && tk.v === ')' && stack.length) match.set(stack.pop()!, i);
    });
    const drop = new Set<number>();
    for (const [open, close] of match) {
      if (isCallable(cur[open - 1])) continue;
      const inner = cur.slice(open + 1, close);
      let depth = 0;
      let logical = false;
      let comma = false;
      for (const tk of inner) {
        if (tk.t === 'open') depth++;
        else if (tk.t === 'close') depth--;
        else if (depth === 0 && tk.t === 'word' && (tk.v === 'and' || tk.v === 'or' || tk.v === 'select')) logical = true;
        else if (depth === 0 && tk.t === 'comma') comma = true;
      }
      if (comma) continue;
      const whole = open === 0 && close === cur.length - 1;
      const next = cur[close + 1];
      // `(a + b)::int` keeps its parentheses: the cast binds to the whole group.
      if (next?.t === 'op' && next.v === '::' && inner.length > 1) continue;
      const prev = cur[open - 1];
      const atLogicalBoundary = (!prev || (prev.t === 'word' && ['and', 'or', 'not', 'where', 'when', 'then', 'else'].includes(prev.v)) || prev.t === 'open' || prev.t === 'comma') &&
        (!next || (next.t === 'word' && ['and', 'or', 'then', 'else', 'end'].includes(next.v)) || next.t === 'close' || next.t === 'comma');
      const negativeNumber = inner.length === 2 && inner[0]!.t === 'op' && inner[0]!.v === '-' && inner[1]!.t === 'num';
      if (whole || inner.length <= 1 || negativeNumber || (!logical && atLogicalBoundary) || (logical && whole)) {
        drop.add(open);
        drop.add(close);
      }
    }
    if (!drop.size) break;
    cur = cur.filter((_, i) => !drop.has(i));
  }
  return cur;
}

function join(toks: Tok[]): string {
  return toks
    .map((tk) => (tk.t === 'str' ? `'${tk.v.replace(/'/g, "''")}'` : tk.t === 'qident' ? `"${tk.v.replace(/"/g, '""')}"` : tk.v))
    .join(' ');
}

const cache = new Map<string, string>();

/** Forget memoised comparison forms (benchmarks measure a cold diff). */
export function clearNormCache(): void {
  cache.clear();
  viewCache.clear();
}

/** Comparison form of an SQL expression; null stays null. */
export function normExpr(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  let toks = tokenize(s);
  toks = dropLiteralCasts(toks);
  // `= ANY (ARRAY['a', 'b'])` and `IN ('a', 'b')` are the same test.
  toks = inToAny(toks);
  toks = dropRedundantParens(toks);
  const out = join(toks);
  if (cache.size > 50_000) cache.clear();
  cache.set(s, out);
  return out;
}

function inToAny(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i]!;
    if (tk.t === 'word' && tk.v === 'in' && toks[i + 1]?.t === 'open' && toks[i + 2]?.t !== 'word') {
      out.push({ t: 'op', v: '=' }, { t: 'word', v: 'any' }, { t: 'open', v: '(' }, { t: 'word', v: 'array' }, { t: 'open', v: '[' });
      let d = 0;
      let j = i + 2;
      for (; j < toks.length; j++) {
        if (toks[j]!.t === 'open') d++;
        if (toks[j]!.t === 'close') {
          if (d === 0) break;
          d--;
        }
        out.push(toks[j]!);
      }
      out.push({ t: 'close', v: ']' }, { t: 'close', v: ')' });
      i = j;
      continue;
    }
    out.push(tk);
  }
  return out;
}

const viewCache = new Map<string, string>();

/**
 * Comparison form of a view body (pg_get_viewdef output or hand-written
 * SELECT). Postgres 16+ prints columns of a single-relation query without
 * their qualifier (`id`), older servers qualify them (`roles.id`): a lone
 * qualifier is dropped so both compare equal. Each query level (a subquery,
 * each branch of a UNION) is one scope: `q.x … FROM (SELECT t.y FROM t) q`.
 */
export function normViewSql(s: string): string {
  const hit = viewCache.get(s);
  if (hit !== undefined) return hit;
  let toks = tokenize(s.trim().replace(/;\s*$/, ''));
  toks = dropLoneQualifierPerLevel(toks);
  toks = dropLiteralCasts(toks);
  toks = inToAny(toks);
  toks = dropRedundantParens(toks);
  const out = join(toks);
  if (viewCache.size > 20_000) viewCache.clear();
  viewCache.set(s, out);
  return out;
}

const isName = (t: Tok | undefined) => !!t && (t.t === 'word' || t.t === 'qident');
const isDot = (t: Tok | undefined) => !!t && t.t === 'op' && t.v === '.';
const RELATION_KEYWORDS = new Set(['from', 'join', 'only']);

const SET_OPERATORS = new Set(['union', 'intersect', 'except']);

/** dropLoneQualifier on each query level: subqueries `(SELECT …)` and the branches of set operations apart. */
function dropLoneQualifierPerLevel(toks: Tok[]): Tok[] {
  const level: (Tok | Tok[])[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.t === 'open' && t.v === '(' && toks[i + 1]?.t === 'word' && toks[i + 1]!.v === 'select') {
      let depth = 0;
      let j = i;
      for (; j < toks.length; j++) {
        if (toks[j]!.t === 'open') depth++;
        else if (toks[j]!.t === 'close' && --depth === 0) break;
      }
      level.push(t, dropLoneQualifierPerLevel(toks.slice(i + 1, j)), ...(j < toks.length ? [toks[j]!] : []));
      i = j;
      continue;
    }
    level.push(t);
  }
  // Branches of UNION / INTERSECT / EXCEPT at this level, each its own scope.
  const out: Tok[] = [];
  let branch: (Tok | Tok[])[] = [];
  let depth = 0;
  const flush = () => {
    const subs: Tok[][] = [];
    const flat = branch.map((x) => (Array.isArray(x) ? (subs.push(x), { t: 'op', v: `\u0000${subs.length - 1}` } as Tok) : x));
    for (const x of dropLoneQualifier(flat)) {
      const m = x.t === 'op' && x.v.startsWith('\u0000') ? subs[Number(x.v.slice(1))] : undefined;
      if (m) out.push(...m);
      else out.push(x);
    }
    branch = [];
  };
  for (const x of level) {
    if (!Array.isArray(x)) {
      if (x.t === 'open') depth++;
      else if (x.t === 'close') depth--;
      else if (depth === 0 && x.t === 'word' && SET_OPERATORS.has(x.v)) {
        flush();
        out.push(x);
        continue;
      }
    }
    branch.push(x);
  }
  flush();
  return out;
}

function dropLoneQualifier(toks: Tok[]): Tok[] {
  const quals = new Set<string>();
  const at: number[] = [];
  for (let i = 0; i + 2 < toks.length; i++) {
    if (!isName(toks[i]) || !isDot(toks[i + 1]) || !isName(toks[i + 2])) continue;
    const prev = toks[i - 1];
    // `FROM app.roles`: a relation name, not a column qualifier; `a.b.c`: skip the schema part.
    if ((prev?.t === 'word' && RELATION_KEYWORDS.has(prev.v)) || (prev?.t === 'op' && prev.v === '::') || isDot(prev) || isDot(toks[i + 3]) || (toks[i + 3]?.t === 'open' && toks[i + 3]!.v === '(')) continue;
    quals.add(`${toks[i]!.t}:${toks[i]!.v}`);
    at.push(i);
  }
  if (quals.size !== 1) return toks;
  const drop = new Set(at.flatMap((i) => [i, i + 1]));
  return toks.filter((_, i) => !drop.has(i));
}

/** Comparison key for a column type: user types by reference, builtins by canonical spelling. */
export function typeKey(t: ColumnType): string {
  if (t.kind === 'array' && t.element) return `${typeKey(t.element)}[]`;
  if (t.ref && (t.kind === 'enum' || t.kind === 'domain' || t.kind === 'composite' || t.kind === 'range')) return `${t.kind}:${t.ref}`;
  return t.raw.toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Rewrite identifiers (not string literals) through `map` (lower-case or exact
 * name → new name), so the "before" side of a renamed column or table reads
 * as Postgres would print it after the rename.
 */
export function renameIdentifiers(s: string, map: ReadonlyMap<string, string>): string {
  if (!map.size) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < s.length && !(s[j] === "'" && s[j + 1] !== "'")) j += s[j] === "'" ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < s.length && !(s[j] === '"' && s[j + 1] !== '"')) j += s[j] === '"' ? 2 : 1;
      const name = s.slice(i + 1, j).replace(/""/g, '"');
      const to = map.get(name);
      out += to !== undefined ? `"${to.replace(/"/g, '""')}"` : s.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch) && !/[A-Za-z0-9_$]/.test(s[i - 1] ?? '')) {
      let j = i;
      while (j < s.length && /[A-Za-z0-9_$]/.test(s[j]!)) j++;
      const word = s.slice(i, j);
      const to = map.get(word.toLowerCase());
      out += to !== undefined ? (/^[a-z_][a-z0-9_$]*$/.test(to) ? to : `"${to.replace(/"/g, '""')}"`) : word;
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Whether `s` names any of `columns` as an identifier (not inside a string literal). */
export function mentionsIdentifier(s: string | null | undefined, columns: ReadonlySet<string>): boolean {
  if (!s || !columns.size) return false;
  const marked = new Map<string, string>();
  for (const c of columns) marked.set(c, `${c}\u0000`).set(c.toLowerCase(), `${c}\u0000`);
  return renameIdentifiers(s, marked) !== s;
}
