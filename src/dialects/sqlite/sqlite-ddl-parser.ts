// Reads what SQLite keeps only as text in sqlite_schema.sql: CHECK constraints,
// constraint names, COLLATE, GENERATED expressions, AUTOINCREMENT, STRICT and
// WITHOUT ROWID, index expressions and predicates, view and trigger bodies.
// A small tokenizer (quotes, comments, nested parentheses); never evaluates SQL.

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'punct' | 'blob';

export interface Token {
  type: TokenType;
  /** Unquoted value for identifiers; upper-cased text for words; raw text otherwise. */
  value: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const code = sql.charCodeAt(i);
    if (code === 32 || code === 10 || code === 13 || code === 9 || code === 12 || code === 11) {
      i++;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const start = i;
    if ((ch === 'x' || ch === 'X') && sql[i + 1] === "'") {
      const e = closeQuote(sql, i + 1, "'");
      out.push({ type: 'blob', value: sql.slice(start, e), start, end: e });
      i = e;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const e = closeQuote(sql, i, ch);
      const inner = sql.slice(i + 1, e - 1).split(ch + ch).join(ch);
      out.push(ch === "'" ? { type: 'string', value: sql.slice(start, e), start, end: e } : { type: 'ident', value: inner, start, end: e });
      i = e;
      continue;
    }
    if (ch === '[') {
      const e = sql.indexOf(']', i + 1);
      const end = e < 0 ? n : e + 1;
      out.push({ type: 'ident', value: sql.slice(i + 1, end - 1), start, end });
      i = end;
      continue;
    }
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 128) {
      WORD.lastIndex = i;
      WORD.test(sql);
      const j = WORD.lastIndex;
      out.push({ type: 'word', value: sql.slice(i, j).toUpperCase(), start, end: j });
      i = j;
      continue;
    }
    if (/[0-9.]/.test(ch) && (ch !== '.' || /[0-9]/.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j]!)) {
        if ((sql[j] === 'e' || sql[j] === 'E') && (sql[j + 1] === '+' || sql[j + 1] === '-')) j++;
        j++;
      }
      out.push({ type: 'number', value: sql.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    const two = sql.slice(i, i + 2);
    const p = ['<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->'].includes(two) ? (sql.slice(i, i + 3) === '->>' ? '->>' : two) : ch;
    out.push({ type: 'punct', value: p, start, end: i + p.length });
    i += p.length;
  }
  return out;
}

function closeQuote(sql: string, i: number, q: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === q) {
      if (sql[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

/** Index of the token closing the parenthesis opened at `open`. */
export function matchParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Split tokens[from, to) on top-level commas. */
function splitTop(tokens: Token[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let s = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')') depth--;
    else if (t.value === ',' && depth === 0) {
      out.push([s, i]);
      s = i + 1;
    }
  }
  if (s < to) out.push([s, to]);
  return out;
}

const isName = (t: Token | undefined): boolean => !!t && (t.type === 'ident' || t.type === 'word' || t.type === 'string');
const nameOf = (t: Token): string => (t.type === 'string' ? t.value.slice(1, -1).replace(/''/g, "'") : t.type === 'word' ? t.value : t.value);
/** Names keep their case: a bare word's value is upper-cased, so re-read it from the source. */
function rawName(sql: string, t: Token): string {
  return t.type === 'word' ? sql.slice(t.start, t.end) : nameOf(t);
}

export interface ParsedCheck {
  name: string | null;
  expression: string;
  /** Column the check was declared on (column constraint), or null for a table constraint. */
  column: string | null;
}

export interface ParsedColumn {
  name: string;
  collation: string | null;
  generated: string | null;
  generatedStored: boolean;
  autoIncrement: boolean;
  /** `CONSTRAINT name PRIMARY KEY` on the column. */
  pkName: string | null;
  uniqueName: string | null;
  unique: boolean;
  fkName: string | null;
  references: string | null;
}

export interface ParsedTable {
  columns: ParsedColumn[];
  checks: ParsedCheck[];
  pk: { name: string | null; columns: string[] } | null;
  uniques: { name: string | null; columns: string[] }[];
  foreignKeys: { name: string | null; columns: string[]; table: string; deferrable: 'deferred' | 'immediate' | null }[];
  strict: boolean;
  withoutRowid: boolean;
}

const COLUMN_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);
const TABLE_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

function columnList(sql: string, tokens: Token[], open: number): string[] {
  const close = matchParen(tokens, open);
  return splitTop(tokens, open + 1, close).map(([s]) => rawName(sql, tokens[s]!));
}

/** Parses `CREATE TABLE … ( … ) [STRICT] [WITHOUT ROWID]`. */
export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const out: ParsedTable = { columns: [], checks: [], pk: null, uniques: [], foreignKeys: [], strict: false, withoutRowid: false };
  const open = tokens.findIndex((t) => t.type === 'punct' && t.value === '(');
  if (open < 0) return out;
  const close = matchParen(tokens, open);
  for (const t of tokens.slice(close + 1)) {
    if (t.type === 'word' && t.value === 'STRICT') out.strict = true;
    if (t.type === 'word' && t.value === 'ROWID') out.withoutRowid = true;
  }
  const text = (a: number, b: number) => sql.slice(tokens[a]!.start, tokens[b]!.end);
  for (const [s, e] of splitTop(tokens, open + 1, close)) {
    const first = tokens[s]!;
    if (first.type === 'word' && TABLE_CONSTRAINT_START.has(first.value)) {
      let i = s;
      let name: string | null = null;
      if (first.value === 'CONSTRAINT') {
        name = rawName(sql, tokens[i + 1]!);
        i += 2;
      }
      const kw = tokens[i]?.value;
      const paren = tokens.findIndex((t, k) => k >= i && k < e && t.type === 'punct' && t.value === '(');
      if (paren < 0) continue;
      if (kw === 'CHECK') {
        out.checks.push({ name, expression: text(paren + 1, matchParen(tokens, paren) - 1), column: null });
      } else if (kw === 'PRIMARY') {
        out.pk = { name, columns: columnList(sql, tokens, paren) };
      } else if (kw === 'UNIQUE') {
        out.uniques.push({ name, columns: columnList(sql, tokens, paren) });
      } else if (kw === 'FOREIGN') {
        const refIdx = tokens.findIndex((t, k) => k > paren && k < e && t.type === 'word' && t.value === 'REFERENCES');
        out.foreignKeys.push({ name, columns: columnList(sql, tokens, paren), table: refIdx >= 0 ? rawName(sql, tokens[refIdx + 1]!) : '', deferrable: deferrability(tokens, refIdx, e) });
      }
      continue;
    }
    if (!isName(first)) continue;
    const col: ParsedColumn = { name: rawName(sql, first), collation: null, generated: null, generatedStored: false, autoIncrement: false, pkName: null, uniqueName: null, unique: false, fkName: null, references: null };
    let pendingName: string | null = null;
    let i = s + 1;
    // Skip the type name and its (n, m).
    while (i < e && !(tokens[i]!.type === 'word' && COLUMN_CONSTRAINT_START.has(tokens[i]!.value))) {
      if (tokens[i]!.type === 'punct' && tokens[i]!.value === '(') i = matchParen(tokens, i);
      i++;
    }
    while (i < e) {
      const t = tokens[i]!;
      const v = t.type === 'word' ? t.value : '';
      if (v === 'CONSTRAINT') {
        pendingName = rawName(sql, tokens[i + 1]!);
        i += 2;
        continue;
      }
      if (v === 'CHECK' && tokens[i + 1]?.value === '(') {
        const c = matchParen(tokens, i + 1);
        out.checks.push({ name: pendingName, expression: text(i + 2, c - 1), column: col.name });
        pendingName = null;
        i = c + 1;
        continue;
      }
      if (v === 'AS' && tokens[i + 1]?.value === '(') {
        const c = matchParen(tokens, i + 1);
        col.generated = text(i + 2, c - 1);
        if (tokens[c + 1]?.value === 'STORED') col.generatedStored = true;
        i = c + 1;
        continue;
      }
      if (v === 'COLLATE') {
        col.collation = rawName(sql, tokens[i + 1]!);
        i += 2;
        continue;
      }
      if (v === 'AUTOINCREMENT') col.autoIncrement = true;
      if (v === 'PRIMARY') {
        col.pkName = pendingName;
        out.pk = { name: pendingName, columns: [col.name] };
        pendingName = null;
      }
      if (v === 'UNIQUE') {
        col.unique = true;
        col.uniqueName = pendingName;
        out.uniques.push({ name: pendingName, columns: [col.name] });
        pendingName = null;
      }
      if (v === 'REFERENCES') {
        col.fkName = pendingName;
        col.references = rawName(sql, tokens[i + 1]!);
        out.foreignKeys.push({ name: pendingName, columns: [col.name], table: col.references, deferrable: deferrability(tokens, i, e) });
        pendingName = null;
      }
      if (v === 'DEFAULT' || v === 'NOT' || v === 'NULL') pendingName = null;
      if (t.type === 'punct' && t.value === '(') {
        i = matchParen(tokens, i) + 1;
        continue;
      }
      i++;
    }
    out.columns.push(col);
  }
  return out;
}

/** `DEFERRABLE INITIALLY DEFERRED` (not `NOT DEFERRABLE`) in tokens (from, to). */
function deferrability(tokens: Token[], from: number, to: number): 'deferred' | 'immediate' | null {
  for (let k = from + 1; k < to; k++) {
    const t = tokens[k]!;
    if (t.type !== 'word') continue;
    // A following column constraint ends this REFERENCES clause.
    if (['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED'].includes(t.value)) return null;
    if (t.value === 'DEFERRABLE') {
      if (tokens[k - 1]?.value === 'NOT') return null;
      return tokens[k + 1]?.value === 'INITIALLY' && tokens[k + 2]?.value === 'DEFERRED' ? 'deferred' : 'immediate';
    }
  }
  return null;
}

export interface ParsedIndex {
  /** Expression text per key position (null when the position is a plain column). */
  elements: (string | null)[];
  predicate: string | null;
}

/** `CREATE [UNIQUE] INDEX n ON t (a, lower(b) DESC) WHERE …`. */
export function parseCreateIndex(sql: string): ParsedIndex {
  const tokens = tokenize(sql);
  const on = tokens.findIndex((t) => t.type === 'word' && t.value === 'ON');
  const open = tokens.findIndex((t, k) => k > on && t.type === 'punct' && t.value === '(');
  if (on < 0 || open < 0) return { elements: [], predicate: null };
  const close = matchParen(tokens, open);
  const elements = splitTop(tokens, open + 1, close).map(([s, e]) => {
    let end = e;
    // Strip trailing COLLATE x / ASC / DESC.
    while (end > s + 1 && tokens[end - 1]!.type === 'word' && ['ASC', 'DESC'].includes(tokens[end - 1]!.value)) end--;
    if (end > s + 2 && tokens[end - 2]!.type === 'word' && tokens[end - 2]!.value === 'COLLATE') end -= 2;
    if (end - s === 1 && (tokens[s]!.type === 'ident' || tokens[s]!.type === 'word')) return null;
    return sql.slice(tokens[s]!.start, tokens[end - 1]!.end);
  });
  const where = tokens.findIndex((t, k) => k > close && t.type === 'word' && t.value === 'WHERE');
  const predicate = where >= 0 && where + 1 < tokens.length ? sql.slice(tokens[where + 1]!.start, tokens[tokens.length - 1]!.end).replace(/;\s*$/, '') : null;
  return { elements, predicate };
}

/** The SELECT of `CREATE VIEW v [(cols)] AS SELECT …`. */
export function viewBody(sql: string): string {
  const tokens = tokenize(sql);
  let i = tokens.findIndex((t) => t.type === 'word' && t.value === 'VIEW');
  for (i = i + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === '(') i = matchParen(tokens, i);
    else if (t.type === 'word' && t.value === 'AS') break;
  }
  const s = tokens[i + 1];
  return s ? sql.slice(s.start).trim().replace(/;\s*$/, '') : sql;
}

export interface ParsedTrigger {
  timing: 'before' | 'after' | 'instead of';
  events: ('insert' | 'update' | 'delete')[];
  updateOf: string[];
  level: 'row' | 'statement';
  when: string | null;
  body: string;
}

export function parseCreateTrigger(sql: string): ParsedTrigger {
  const tokens = tokenize(sql);
  const out: ParsedTrigger = { timing: 'before', events: [], updateOf: [], level: 'row', when: null, body: '' };
  const on = tokens.findIndex((t) => t.type === 'word' && t.value === 'ON');
  for (let i = 0; i < on; i++) {
    const v = tokens[i]!.type === 'word' ? tokens[i]!.value : '';
    if (v === 'AFTER') out.timing = 'after';
    if (v === 'INSTEAD') out.timing = 'instead of';
    if (v === 'INSERT' || v === 'UPDATE' || v === 'DELETE') out.events.push(v.toLowerCase() as 'insert');
    if (v === 'OF' && tokens[i - 1]?.value === 'UPDATE') {
      for (let k = i + 1; k < on; k++) if (tokens[k]!.type !== 'punct') out.updateOf.push(rawName(sql, tokens[k]!));
      break;
    }
  }
  const begin = tokens.findIndex((t, k) => k > on && t.type === 'word' && t.value === 'BEGIN');
  const when = tokens.findIndex((t, k) => k > on && (begin < 0 || k < begin) && t.type === 'word' && t.value === 'WHEN');
  if (when >= 0 && begin > when) out.when = sql.slice(tokens[when + 1]!.start, tokens[begin - 1]!.end).trim();
  let last = tokens.length - 1;
  if (tokens[last]?.value === ';') last--;
  if (begin >= 0 && tokens[last]?.value === 'END') out.body = sql.slice(tokens[begin + 1]!.start, tokens[last]!.start).trim();
  return out;
}
