// Stable object paths (`schema.table.column`) used by findings, diffs and
// suppressions. A part that would make the path ambiguous is double-quoted.

const PLAIN = /^[^."\s]+$/u;

export function pathPart(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function objectPath(...parts: string[]): string {
  return parts.map(pathPart).join('.');
}

/** Splits a path back into its parts (inverse of objectPath). */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= path.length) throw new Error(`unterminated quote in path ${path}`);
        if (path[j] === '"') {
          if (path[j + 1] === '"') {
            s += '"';
            j += 2;
            continue;
          }
          break;
        }
        s += path[j];
        j++;
      }
      parts.push(s);
      i = j + 1;
    } else {
      let j = path.indexOf('.', i);
      if (j < 0) j = path.length;
      parts.push(path.slice(i, j));
      i = j;
    }
    if (path[i] === '.') i++;
  }
  return parts;
}

/** `schema.name` for a type/table reference. */
export function qualifiedName(schema: string, name: string): string {
  return objectPath(schema, name);
}
