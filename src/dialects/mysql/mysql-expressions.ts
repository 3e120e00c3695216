// Standard-SQL expressions (checks, defaults, generated columns, index
// expressions, view bodies as a spec writes them) → MySQL/MariaDB text.
// Without ANSI_QUOTES MySQL reads "TaxRate" as a string literal, so a CHECK
// would silently compare a string: double-quoted identifiers become
// `backticks`, and Postgres `::type` casts (no MySQL syntax at all) are
// dropped. Only quoting changes; never rewrites the expression's meaning.

const MULTIWORD_TYPES = ['character varying', 'double precision', 'timestamp with time zone', 'timestamp without time zone', 'time with time zone', 'time without time zone', 'bit varying'];
// After `::`: a (possibly multi-word, schema-qualified or quoted) type name, a typmod, array brackets.
const CAST = new RegExp(`^::\\s*(?:${MULTIWORD_TYPES.map((t) => t.replace(/ /g, '\\s+')).join('|')}|"(?:[^"]|"")+"|[A-Za-z_][\\w$]*(?:\\.[A-Za-z_][\\w$]*)?)(?:\\s*\\(\\s*\\d+(?:\\s*,\\s*\\d+)?\\s*\\))?(?:\\s*\\[\\s*\\])*`, 'i');

const backtick = (name: string) => '`' + name.replace(/`/g, '``') + '`';

/** End index (exclusive) of a quoted run starting at `i` with quote `qc`; `backslash` as MySQL lexes single-quoted strings. */
function quotedEnd(s: string, i: number, qc: string, backslash: boolean): number {
  let j = i + 1;
  while (j < s.length) {
    const ch = s[j]!;
    if (backslash && ch === '\\') j += 2;
    else if (ch === qc && s[j + 1] === qc) j += 2;
    else if (ch === qc) return j + 1;
    else j++;
  }
  return s.length;
}

/**
 * `"TaxRate" >= 0` → `` `TaxRate` >= 0 ``. Single-quoted literals (with `''`
 * and, as MySQL lexes them, backslash escapes) and `backtick` identifiers are
 * copied untouched; `""` inside a double-quoted identifier is one `"`.
 */
export function mysqlExpression(expr: string): string {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    if (ch === "'" || ch === '`') {
      const j = quotedEnd(expr, i, ch, ch === "'");
      out += expr.slice(i, j);
      i = j;
    } else if (ch === '"') {
      const j = quotedEnd(expr, i, '"', false);
      out += backtick(expr.slice(i + 1, j - 1).replace(/""/g, '"'));
      i = j;
    } else if (ch === ':' && expr[i + 1] === ':') {
      const m = CAST.exec(expr.slice(i));
      if (m) i += m[0].length;
      else (out += '::'), (i += 2);
    } else if (ch === '-' && expr[i + 1] === '-') {
      // A comment runs to the end of the line: a quote inside it is not a quote.
      const nl = expr.indexOf('\n', i);
      const j = nl < 0 ? expr.length : nl;
      out += expr.slice(i, j);
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
