// T-SQL spelling of catalog facts: identifiers, literals, column types, and
// Postgres-printed expressions (defaults, checks, predicates) translated to
// T-SQL. Pure string work; never executes anything.
import type { ColumnType } from '../../catalog/types.js';
import { PlumbError } from '../../errors.js';

export function quoteIdent(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

export function quoteLiteral(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}

/** SQL Server always has `dbo`; the Postgres default schema maps onto it. */
export function mssqlSchema(schema: string): string {
  return schema === 'public' ? 'dbo' : schema;
}

export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(mssqlSchema(schema))}.${quoteIdent(name)}`;
}

/** T-SQL type for a normalised column type. JSON and arrays become NVARCHAR(MAX) (an ISJSON check is added by the column renderer). */
export function mssqlType(t: ColumnType): string {
  switch (t.kind) {
    case 'smallint':
      return 'SMALLINT';
    case 'int':
    case 'mediumint':
      return 'INT';
    case 'bigint':
      return 'BIGINT';
    case 'tinyint':
      return 'TINYINT';
    case 'numeric':
      return t.precision !== undefined ? `DECIMAL(${t.precision},${t.scale ?? 0})` : 'DECIMAL(38,10)';
    case 'real':
      return 'REAL';
    case 'double':
      return 'FLOAT';
    case 'money':
      return 'MONEY';
    case 'bool':
      return 'BIT';
    case 'text':
      return 'NVARCHAR(MAX)';
    case 'varchar':
      return t.length !== undefined && t.length <= 4000 ? `NVARCHAR(${t.length})` : 'NVARCHAR(MAX)';
    case 'char':
      return t.length !== undefined && t.length <= 4000 ? `NCHAR(${t.length})` : 'NCHAR(1)';
    case 'bytea':
    case 'blob':
      return 'VARBINARY(MAX)';
    case 'date':
      return 'DATE';
    case 'time':
    case 'timetz':
      return `TIME(${Math.min(t.precision ?? 7, 7)})`;
    case 'timestamp':
      return `DATETIME2(${Math.min(t.precision ?? 7, 7)})`;
    // Stored as UTC by convention (defaults use SYSUTCDATETIME()); see docs/type-mapping.md.
    case 'timestamptz':
      return `DATETIME2(${Math.min(t.precision ?? 7, 7)})`;
    case 'json':
    case 'jsonb':
    case 'array':
      return 'NVARCHAR(MAX)';
    case 'uuid':
      return 'UNIQUEIDENTIFIER';
    case 'xml':
      return 'XML';
    case 'inet':
    case 'cidr':
    case 'macaddr':
      return 'NVARCHAR(64)';
    case 'bit':
      return t.length === 1 || t.length === undefined ? 'BIT' : `BINARY(${Math.ceil(t.length / 8)})`;
    case 'year':
      return 'SMALLINT';
    default:
      throw new PlumbError(
        'E_PLAN',
        `type ${t.raw} (${t.kind}) has no SQL Server equivalent`,
        'use a portable type in the spec (see docs/type-mapping.md), or leave the object out of the SQL Server plan',
      );
  }
}

export function needsJsonCheck(t: ColumnType): boolean {
  return t.kind === 'json' || t.kind === 'jsonb' || t.kind === 'array';
}

const MULTIWORD_TYPES = ['character varying', 'double precision', 'timestamp with time zone', 'timestamp without time zone', 'time with time zone', 'time without time zone', 'bit varying'];

/** Remove Postgres `::type` casts (incl. multi-word names, typmods and array brackets). */
function stripCasts(s: string): string {
  const typeName = `(?:${MULTIWORD_TYPES.map((t) => t.replace(/ /g, '\\s+')).join('|')}|"[^"]+"|[A-Za-z_][\\w.]*)`;
  return s.replace(new RegExp(`::${typeName}(?:\\s*\\(\\s*\\d+(?:\\s*,\\s*\\d+)?\\s*\\))?(?:\\[\\])*`, 'g'), '');
}

/** `x = ANY ((ARRAY[a, b]))` → `x IN (a, b)`, consuming exactly the parentheses opened around ARRAY. */
function anyArrayToIn(s: string): string {
  const re = /(=|<>)\s*ANY\s*(\(+)\s*ARRAY\[/gi;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const open = m[2]!.length;
    let i = m.index + m[0].length;
    let depth = 1;
    let quote = false;
    const start = i;
    for (; i < s.length && depth > 0; i++) {
      const ch = s[i]!;
      if (quote) {
        if (ch === "'") quote = false;
        continue;
      }
      if (ch === "'") quote = true;
      else if (ch === '[') depth++;
      else if (ch === ']') depth--;
    }
    const items = s.slice(start, i - 1);
    let j = i;
    let closed = 0;
    while (j < s.length && closed < open) {
      if (s[j] === ')') closed++;
      else if (!/\s/.test(s[j]!)) break;
      j++;
    }
    out += s.slice(last, m.index) + `${m[1] === '=' ? 'IN' : 'NOT IN'} (${items})`;
    last = j;
    re.lastIndex = j;
  }
  return out + s.slice(last);
}

/**
 * Translates an expression as Postgres prints it into T-SQL: casts dropped,
 * `= ANY (ARRAY[…])` as `IN (…)`, "quoted" identifiers as [brackets], string
 * literals as N'…', booleans as 1/0, common functions renamed.
 */
export function translateExpression(expr: string): string {
  let s = anyArrayToIn(stripCasts(expr));
  // Walk outside string literals: quote style and keywords.
  let out = '';
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === "'" && s[j + 1] === "'") j += 2;
        else if (s[j] === "'") break;
        else j++;
      }
      const prev = out.slice(-1);
      out += (prev === 'N' || prev === 'E' ? '' : 'N') + s.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < s.length && !(s[j] === '"' && s[j + 1] !== '"')) j += s[j] === '"' ? 2 : 1;
      out += quoteIdent(s.slice(i + 1, j).replace(/""/g, '"'));
      i = j + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== "'" && s[j] !== '"') j++;
      out += s
        .slice(i, j)
        .replace(/\btrue\b/gi, '1')
        .replace(/\bfalse\b/gi, '0')
        .replace(/\bnow\(\)/gi, 'SYSUTCDATETIME()')
        .replace(/\bCURRENT_TIMESTAMP\b/gi, 'SYSUTCDATETIME()')
        .replace(/\bgen_random_uuid\(\)/gi, 'NEWID()')
        .replace(/\blength\(/gi, 'LEN(')
        .replace(/\bchar_length\(/gi, 'LEN(');
      i = j;
    }
  }
  return out.replace(/\bE(N')/g, '$1');
}

/** A column default in T-SQL, or null when the default is implied (identity / sequence). */
export function translateDefault(expr: string): string | null {
  if (/^nextval\(/i.test(expr.trim())) return null;
  return translateExpression(expr);
}
