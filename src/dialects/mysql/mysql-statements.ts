// Splits MySQL/MariaDB SQL into statements the way the server reads them:
// quotes ('…', "…", `…` with backslash and doubled-quote escapes), comments
// (`-- `, `#`, `/* */`, and executable `/*! */` ones, reported apart), and
// compound bodies (BEGIN…END, CASE…END, IF/LOOP/WHILE/REPEAT…END x) whose
// semicolons do not end the statement. Pure; never decides what may run.
// (sqlparser-rs, a devDependency, rejects CREATE PROCEDURE/FUNCTION/EVENT
// and single-statement trigger bodies, so it cannot be the splitter here.)

import { PlumbError } from '../../errors.js';

export type MysqlTokenKind = 'word' | 'quoted-ident' | 'string' | 'number' | 'punct' | 'comment' | 'executable-comment';

export interface MysqlToken {
  kind: MysqlTokenKind;
  /** Words upper-cased; quoted identifiers and strings unquoted; everything else as written. */
  value: string;
  /** The token as written. */
  raw: string;
  start: number;
  end: number;
}

export interface MysqlStatement {
  /** The statement's text, trimmed, without its terminating semicolon. */
  text: string;
  /** Its tokens without comments (executable comments are kept: they run). */
  tokens: MysqlToken[];
}

/** Tokens of `sql`, comments included. Unterminated quotes and comments run to the end. */
export function tokenizeMysql(sql: string): MysqlToken[] {
  const out: MysqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const start = i;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // `--` starts a comment only when followed by whitespace (or the end), as in the server.
    if ((ch === '-' && sql[i + 1] === '-' && (i + 2 >= n || /\s/.test(sql[i + 2]!))) || ch === '#') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      out.push({ kind: 'comment', value: sql.slice(start, i), raw: sql.slice(start, i), start, end: i });
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      const text = sql.slice(start, i);
      out.push({ kind: /^\/\*M?!/.test(text) ? 'executable-comment' : 'comment', value: text, raw: text, start, end: i });
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      i++;
      let value = '';
      while (i < n) {
        const c = sql[i]!;
        if (c === '\\' && ch !== '`') {
          value += sql[i + 1] ?? '';
          i += 2;
          continue;
        }
        if (c === ch) {
          if (sql[i + 1] === ch) {
            value += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      out.push({ kind: ch === '`' ? 'quoted-ident' : 'string', value, raw: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9a-zA-Z_.]/.test(sql[i]!)) i++;
      out.push({ kind: 'number', value: sql.slice(start, i), raw: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[A-Za-z_$\u0080-\uffff]/.test(ch)) {
      while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i]!)) i++;
      out.push({ kind: 'word', value: sql.slice(start, i).toUpperCase(), raw: sql.slice(start, i), start, end: i });
      continue;
    }
    i++;
    out.push({ kind: 'punct', value: ch, raw: ch, start, end: i });
  }
  return out;
}

/** Statements that stay inside a transaction: reads and row changes (DDL, SET, CALL … commit or reach past it). */
const DML = new Set(['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'VALUES', 'TABLE', '(']);

/**
 * `sql` when it is one read or row change, else an E_SPEC error: a verify
 * check runs in a transaction that is rolled back, and MySQL commits DDL on
 * its own, so anything else would outlive it.
 */
export function singleDmlStatement(sql: string): string {
  const all = splitMysqlStatements(sql);
  const first = all[0]?.tokens[0];
  if (all.length !== 1 || !first || !DML.has(first.value) || all[0]!.tokens.some((t) => t.kind === 'executable-comment')) {
    throw new PlumbError(
      'E_SPEC',
      `a check must be one statement that reads or changes rows (SELECT, INSERT, UPDATE, DELETE); refused: ${sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`,
      'MySQL commits DDL on its own, outside the transaction verify rolls back: write one SELECT or row change per check',
    );
  }
  return all[0]!.text;
}

/** Words that open a block an `END <word>` closes (IF only where a statement can start). */
const BLOCK_AFTER_END = new Set(['IF', 'CASE', 'LOOP', 'WHILE', 'REPEAT']);
/** Tokens after which an IF is a statement, not the IF() function. */
const STATEMENT_START = new Set([';', 'BEGIN', 'THEN', 'ELSE', 'DO', 'ROW', ':', 'LOOP', 'REPEAT']);

/** The statements of `sql`, in order; empty ones (only comments or semicolons) are left out. */
export function splitMysqlStatements(sql: string): MysqlStatement[] {
  const tokens = tokenizeMysql(sql);
  const out: MysqlStatement[] = [];
  let from = 0;
  let depth = 0;
  let current: MysqlToken[] = [];
  const flush = (endAt: number) => {
    const text = sql.slice(from, endAt).trim();
    if (current.length) out.push({ text, tokens: current });
    current = [];
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && t.value === ';' && depth === 0) {
      flush(t.start);
      from = t.end;
      continue;
    }
    if (t.kind !== 'comment') current.push(t);
    if (t.kind !== 'word') continue;
    const prev = significantBefore(tokens, k);
    const next = significantAfter(tokens, k);
    const prevWord = prev?.kind === 'word' ? prev.value : undefined;
    if (t.value === 'END') {
      if (depth > 0) depth--;
      continue;
    }
    // `END IF`, `END CASE` …: the keyword names the block END just closed, it opens none.
    if (prevWord === 'END' && BLOCK_AFTER_END.has(t.value)) continue;
    switch (t.value) {
      case 'BEGIN':
        // `BEGIN;` / `BEGIN WORK` start a transaction; a block BEGIN is followed by a statement.
        if (next && !(next.kind === 'punct' && next.value === ';') && !(next.kind === 'word' && next.value === 'WORK') && !(prevWord === 'XA')) depth++;
        break;
      case 'CASE':
      case 'LOOP':
      case 'WHILE':
        depth++;
        break;
      case 'REPEAT':
        if (!(next?.kind === 'punct' && next.value === '(')) depth++;
        break;
      case 'IF': {
        const atStatement = prev === undefined ? false : STATEMENT_START.has(prev.kind === 'word' ? prev.value : prev.value);
        const after = next ? significantAfter(tokens, tokens.indexOf(next)) : undefined;
        const existence = next?.kind === 'word' && (next.value === 'EXISTS' || (next.value === 'NOT' && after?.kind === 'word' && after.value === 'EXISTS'));
        if (!existence && (atStatement || (depth === 0 && isRoutineHeader(current) && endsHeader(tokens, k)))) depth++;
        break;
      }
    }
  }
  flush(sql.length);
  return out;
}

function significantBefore(tokens: readonly MysqlToken[], k: number): MysqlToken | undefined {
  for (let j = k - 1; j >= 0; j--) if (tokens[j]!.kind !== 'comment') return tokens[j];
  return undefined;
}

function significantAfter(tokens: readonly MysqlToken[], k: number): MysqlToken | undefined {
  for (let j = k + 1; j < tokens.length; j++) if (tokens[j]!.kind !== 'comment') return tokens[j];
  return undefined;
}

/** The token before `k` ends a routine's header (parameters, RETURNS type, characteristics), so a body starts at `k`. */
function endsHeader(tokens: readonly MysqlToken[], k: number): boolean {
  const prev = significantBefore(tokens, k);
  if (!prev) return false;
  if (prev.kind === 'string' || (prev.kind === 'punct' && prev.value === ')')) return true;
  if (prev.kind !== 'word') return false;
  if (['DETERMINISTIC', 'DATA', 'INVOKER', 'DEFINER', 'SQL', 'UNSIGNED', 'ZEROFILL'].includes(prev.value)) return true;
  const before = significantBefore(tokens, tokens.indexOf(prev));
  return before?.kind === 'word' && before.value === 'RETURNS';
}

/** A CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT whose body has not begun: an IF here is the body's statement. */
function isRoutineHeader(tokens: readonly MysqlToken[]): boolean {
  if (tokens[0]?.value !== 'CREATE') return false;
  return tokens.some((t) => t.kind === 'word' && (t.value === 'PROCEDURE' || t.value === 'FUNCTION' || t.value === 'TRIGGER' || t.value === 'EVENT'));
}
