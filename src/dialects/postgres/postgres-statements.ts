// Splits Postgres SQL into statements the way the server reads them: quotes
// ('…' with '' escapes, E'…' with backslashes, "…"), dollar quotes
// ($tag$…$tag$), and comments (-- and nested /* */). Pure; used to keep a
// spec's verify check to one statement, never to decide what a statement does.
import { PlumbError } from '../../errors.js';

/** The statements of `sql`, trimmed, without their semicolons; empty ones (only comments) are left out. */
export function splitPostgresStatements(sql: string): string[] {
  const out: string[] = [];
  let from = 0;
  let code = false; // anything but comments and whitespace since `from`
  let i = 0;
  const n = sql.length;
  const push = (end: number) => {
    if (code) out.push(sql.slice(from, end).trim());
    code = false;
  };
  while (i < n) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') (depth++, (i += 2));
        else if (sql[i] === '*' && sql[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (ch === ';') {
      push(i);
      i++;
      from = i;
    } else {
      code = true;
      if (ch === "'" || ch === '"') {
        // E'…' reads backslash escapes; standard strings double the quote.
        const backslash = ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/[\w$]/.test(sql[i - 2] ?? '');
        i++;
        while (i < n) {
          if (backslash && sql[i] === '\\') i += 2;
          else if (sql[i] === ch && sql[i + 1] === ch) i += 2;
          else if (sql[i] === ch) break;
          else i++;
        }
        i++;
      } else if (ch === '$' && !/[\w$]/.test(sql[i - 1] ?? '')) {
        const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i))?.[0];
        if (tag) {
          const close = sql.indexOf(tag, i + tag.length);
          i = close < 0 ? n : close + tag.length;
        } else i++;
      } else i++;
    }
  }
  push(n);
  return out;
}

/** Statements that end, or step outside, the transaction a check runs in. */
const TRANSACTION_CONTROL = /^(COMMIT|ROLLBACK|END|ABORT|BEGIN|START|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION|CHECKPOINT|VACUUM)\b/i;

/**
 * `sql` when it is one statement that stays inside verify's rolled-back
 * transaction, else an E_SPEC error: over a server's simple protocol a second
 * statement would run too, and `COMMIT; …` would make it permanent.
 */
export function singlePostgresStatement(sql: string): string {
  const all = splitPostgresStatements(sql);
  if (all.length !== 1 || TRANSACTION_CONTROL.test(all[0]!)) {
    throw new PlumbError(
      'E_SPEC',
      `a check must be one statement that stays inside verify's transaction; refused: ${sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`,
      'write one SELECT or row change per check, without COMMIT, ROLLBACK or other transaction control',
    );
  }
  return all[0]!;
}
