// A `.sql` spec for MySQL/MariaDB read the way the `mysql`/`mariadb` client
// reads a mysqldump file or an application's schema script, into statements
// the scratch space runs one at a time (mysql-scratch.ts decides what may run).
// Pure; nothing is executed here.
//
// - `DELIMITER x` lines (a client command) change what ends a statement; each
//   piece the client would send is split further the way the server reads it.
// - Executable comments `/*!NNNNN … */` (and MariaDB's `/*M!NNNNNN … */`) are
//   unwrapped where the server would run them (its version ≥ NNNNN), else dropped.
// - Left out, each with its reason: row data (INSERT, REPLACE, UPDATE, DELETE,
//   LOAD DATA; a spec is the design), transaction control, LOCK/UNLOCK TABLES,
//   USE and CREATE DATABASE (a spec lands in the URL's database), server-wide
//   settings (SET GLOBAL/PERSIST), and ANALYZE/OPTIMIZE/FLUSH.
// - Kept: DDL, and session settings (SET NAMES, sql_mode, FOREIGN_KEY_CHECKS …),
//   which change how the DDL after them is read.
import { splitMysqlStatements } from './mysql-statements.js';

export interface MysqlScriptStatement {
  sql: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
  /** A session setting: it runs first in every retry pass, so statements retried later read as they were written. */
  session?: boolean;
}

export interface MysqlScript {
  statements: MysqlScriptStatement[];
  /** What was left out, counted by reason (`row data` → 710). */
  skipped: Record<string, number>;
}

/** `10.11.6-MariaDB-…` → 101106; `8.0.36` → 80036 (the number executable comments compare with). */
export function mysqlVersionNumber(version: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
}

const SKIP: Record<string, string> = {
  INSERT: 'row data',
  REPLACE: 'row data',
  UPDATE: 'row data',
  DELETE: 'row data',
  LOAD: 'row data',
  TRUNCATE: 'row data',
  START: 'transaction control',
  BEGIN: 'transaction control',
  COMMIT: 'transaction control',
  ROLLBACK: 'transaction control',
  SAVEPOINT: 'transaction control',
  XA: 'transaction control',
  LOCK: 'table locks',
  UNLOCK: 'table locks',
  USE: 'USE (the spec lands in the URL\'s database)',
  ANALYZE: 'maintenance',
  OPTIMIZE: 'maintenance',
  FLUSH: 'maintenance',
  CHECKSUM: 'maintenance',
  SELECT: 'queries',
  DO: 'queries',
  CALL: 'queries',
  GRANT: 'privileges (not managed from a .sql spec on MySQL)',
  REVOKE: 'privileges (not managed from a .sql spec on MySQL)',
};

/** Split and clean a MySQL `.sql` spec for a server of `serverVersion` (see the module comment). */
export function prepareMysqlScript(text: string, serverVersion: string): MysqlScript {
  const version = mysqlVersionNumber(serverVersion);
  const mariadb = /mariadb/i.test(serverVersion);
  const statements: MysqlScriptStatement[] = [];
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  for (const piece of clientPieces(text)) {
    for (const st of splitMysqlStatements(piece.text)) {
      const line = piece.line + linesBefore(piece.text, st.tokens[0]?.start ?? 0);
      const sql = unwrapExecutableComments(st.text, version, mariadb).trim();
      const words = splitMysqlStatements(sql)[0]?.tokens.filter((t) => t.kind === 'word').map((t) => t.value) ?? [];
      const first = words[0];
      if (!first) {
        // Nothing left once the comments this server would not run are gone.
        skip('executable comments for another server version');
        continue;
      }
      const why = SKIP[first] ?? (first === 'CREATE' && (words[1] === 'DATABASE' || words[1] === 'SCHEMA') ? "CREATE DATABASE (the spec lands in the URL's database)" : undefined);
      if (why) {
        skip(why);
        continue;
      }
      if (first === 'SET') {
        const scope = words[1];
        if (scope === 'GLOBAL' || scope === 'PERSIST' || scope === 'PERSIST_ONLY' || scope === 'PASSWORD' || scope === 'ROLE' || scope === 'DEFAULT' || scope === 'TRANSACTION') {
          skip(`SET ${scope} (server-wide or not a design setting)`);
          continue;
        }
        statements.push({ sql, line, session: true });
        continue;
      }
      statements.push({ sql, line });
    }
  }
  return { statements, skipped };
}

interface Piece {
  text: string;
  line: number;
}

/**
 * What the client sends, piece by piece: text between delimiters, with
 * `DELIMITER x` lines honoured (outside quotes and comments, as the client does).
 */
function clientPieces(text: string): Piece[] {
  const out: Piece[] = [];
  let delimiter = ';';
  let from = 0;
  let line = 1;
  let fromLine = 1;
  const push = (end: number) => {
    const t = text.slice(from, end);
    if (t.trim()) out.push({ text: t, line: fromLine });
  };
  let i = 0;
  let quote: string | null = null;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (quote) {
      if (ch === '\\' && quote !== '`') i++;
      else if (ch === quote) quote = null;
      i++;
      continue;
    }
    const atLineStart = i === 0 || text[i - 1] === '\n';
    if (atLineStart) {
      const m = /^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*\r?(?:\n|$)/i.exec(text.slice(i, i + 80));
      if (m) {
        push(i);
        delimiter = m[1]!;
        i += m[0].length;
        if (m[0].endsWith('\n')) line++;
        from = i;
        fromLine = line;
        continue;
      }
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      i++;
      continue;
    }
    if ((ch === '-' && text[i + 1] === '-' && /\s/.test(text[i + 2] ?? ' ')) || ch === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*' && text[i + 2] !== '!' && !(text[i + 2] === 'M' && text[i + 3] === '!')) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      for (let k = i; k < end; k++) if (text[k] === '\n') line++;
      i = end;
      continue;
    }
    if (delimiter !== ';' && text.startsWith(delimiter, i)) {
      push(i);
      i += delimiter.length;
      from = i;
      fromLine = line;
      continue;
    }
    i++;
  }
  push(n);
  return out;
}

/** `/*!40101 SET NAMES utf8 *\/` → ` SET NAMES utf8 ` where the server would run it, else nothing. */
function unwrapExecutableComments(sql: string, version: number, mariadb: boolean): string {
  return sql.replace(/\/\*(M?)!(\d{5,6})?([\s\S]*?)\*\//g, (_all, m: string, v: string | undefined, body: string) => {
    if (m && !mariadb) return ' ';
    if (v !== undefined && Number(v) > version) return ' ';
    return ` ${body} `;
  });
}

/** Line breaks in `text` before offset `at`. */
function linesBefore(text: string, at: number): number {
  let k = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) k++;
  return k;
}
