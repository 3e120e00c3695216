// Small, dialect-parameterised helpers over SQL expression text as engines
// print it (checks, predicates, defaults). Pure string work.

export interface QuoteStyle {
  /** Characters that open and close a quoted token: `'"` for Postgres, `'"\`` for MySQL. */
  quotes: string;
  /** Whether a backslash escapes the next character inside quotes (MySQL's default sql_mode). */
  backslashEscapes: boolean;
}

export const STANDARD_QUOTES: QuoteStyle = { quotes: `'"`, backslashEscapes: false };

/** `((a > 0))` → `a > 0`, only when the outer parentheses wrap the whole expression. */
export function stripOuterParens(s: string, style: QuoteStyle = STANDARD_QUOTES): string {
  let out = s.trim();
  while (out.startsWith('(') && out.endsWith(')') && wrapsWhole(out, style)) out = out.slice(1, -1).trim();
  return out;
}

function wrapsWhole(s: string, style: QuoteStyle): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (style.backslashEscapes && ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (style.quotes.includes(ch)) quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return depth === 0;
}
