// Splits a SQL script that uses the mysql client's DELIMITER directive into
// statements a driver can run one by one. Scripts without DELIMITER come back
// whole (Postgres and MySQL multi-statement exec handle them). Pure.

export function splitSqlScript(script: string): string[] {
  if (!/^\s*DELIMITER\s+\S+/im.test(script)) return [script];
  const out: string[] = [];
  let delimiter = ';';
  let buf = '';
  const flush = () => {
    const s = buf.trim();
    if (s && !/^(--[^\n]*\n?\s*)*$/.test(s)) out.push(s);
    buf = '';
  };
  for (const line of script.split('\n')) {
    const d = /^\s*DELIMITER\s+(\S+)\s*$/i.exec(line);
    if (d) {
      flush();
      delimiter = d[1]!;
      continue;
    }
    buf += line + '\n';
    // A statement ends where a line ends with the delimiter (outside quotes — good enough for DDL scripts).
    while (true) {
      const idx = endOfStatement(buf, delimiter);
      if (idx < 0) break;
      const stmt = buf.slice(0, idx);
      buf = buf.slice(idx + delimiter.length);
      const s = stmt.trim();
      if (s && !/^(--[^\n]*(\n|$)\s*)+$/.test(s)) out.push(s);
    }
  }
  flush();
  return out;
}

function endOfStatement(s: string, delimiter: string): number {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '-' && s[i + 1] === '-') {
      const nl = s.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
    } else if (s.startsWith(delimiter, i)) return i;
  }
  return -1;
}
