// MySQL/MariaDB type normalisation: information_schema DATA_TYPE + COLUMN_TYPE
// → ColumnType. Choices (see docs/type-mapping.md): tinyint(1) is 'bool' (what
// BOOLEAN becomes and what every MySQL client reads as a boolean); DATETIME is
// 'timestamp' and TIMESTAMP (stored as UTC) is 'timestamptz'; BLOB/BINARY are 'blob'.
import type { ColumnType, TypeKind } from '../../catalog/types.js';

const KIND_BY_DATA_TYPE: Record<string, TypeKind> = {
  tinyint: 'tinyint',
  smallint: 'smallint',
  mediumint: 'mediumint',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  decimal: 'numeric',
  numeric: 'numeric',
  float: 'real',
  double: 'double',
  real: 'double',
  bit: 'bit',
  bool: 'bool',
  boolean: 'bool',
  char: 'char',
  varchar: 'varchar',
  tinytext: 'text',
  text: 'text',
  mediumtext: 'text',
  longtext: 'text',
  binary: 'blob',
  varbinary: 'blob',
  tinyblob: 'blob',
  blob: 'blob',
  mediumblob: 'blob',
  longblob: 'blob',
  date: 'date',
  time: 'time',
  datetime: 'timestamp',
  timestamp: 'timestamptz',
  year: 'year',
  json: 'json',
  enum: 'enum',
  set: 'other',
  uuid: 'uuid',
  inet4: 'inet',
  inet6: 'inet',
  geometry: 'geometry',
  point: 'geometry',
  linestring: 'geometry',
  polygon: 'geometry',
  multipoint: 'geometry',
  multilinestring: 'geometry',
  multipolygon: 'geometry',
  geometrycollection: 'geometry',
  geomcollection: 'geometry',
};

export interface MysqlTypeFacts {
  dataType: string;
  columnType: string;
  charLength?: number | null;
  precision?: number | null;
  scale?: number | null;
}

export function normalizeMysqlType(f: MysqlTypeFacts): ColumnType {
  const raw = f.columnType;
  const dt = f.dataType.toLowerCase();
  const lower = raw.toLowerCase();
  let kind: TypeKind = KIND_BY_DATA_TYPE[dt] ?? 'other';
  if (dt === 'tinyint' && /^tinyint\(1\)/.test(lower)) kind = 'bool';
  const out: ColumnType = { kind, raw };
  if (/\bunsigned\b/.test(lower)) out.unsigned = true;
  if (/\bzerofill\b/.test(lower)) out.zerofill = true;
  const paren = /^\w+\(([^)]*)\)/.exec(raw)?.[1];
  switch (kind) {
    case 'varchar':
    case 'char':
      if (f.charLength != null) out.length = Number(f.charLength);
      break;
    case 'blob':
      if ((dt === 'binary' || dt === 'varbinary') && paren) out.length = Number(paren);
      break;
    case 'bit':
      if (f.precision != null) out.length = Number(f.precision);
      break;
    case 'numeric':
      if (f.precision != null) out.precision = Number(f.precision);
      if (f.scale != null) out.scale = Number(f.scale);
      break;
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      // Only an explicit fractional precision is recorded, like Postgres' typmod.
      if (paren && /^\d+$/.test(paren)) out.precision = Number(paren);
      break;
    case 'enum':
      out.labels = parseEnumLabels(raw);
      break;
    case 'other':
      if (dt === 'set') out.labels = parseEnumLabels(raw);
      break;
  }
  return out;
}

/**
 * A type written in MySQL's own spelling (`mediumint(8) unsigned zerofill`,
 * `tinyint(1)`, `timestamp`, `datetime(3)`, `blob`, `enum('a','b')`) as the
 * ColumnType the introspector would report for it, or undefined when the text
 * is not a MySQL type. What a spec that says `dialect: mysql` means by a type.
 */
export function mysqlNativeType(text: string): ColumnType | undefined {
  const raw = text.trim().replace(/\s+/g, ' ');
  const m = /^([a-z]+)\s*(\((?:'(?:[^'\\]|''|\\.)*'|[^()'])*\))?((?: (?:unsigned|signed|zerofill))*)$/i.exec(raw);
  if (!m) return undefined;
  const dt = m[1]!.toLowerCase();
  if (!(dt in KIND_BY_DATA_TYPE) || dt === 'bool' || dt === 'boolean' || dt === 'integer' || dt === 'real' || dt === 'numeric') return undefined;
  const args = m[2] && !/'/.test(m[2]) ? m[2].slice(1, -1).split(',').map((x) => Number(x.trim())) : [];
  if (args.some((n) => !Number.isInteger(n))) return undefined;
  const spelled = `${dt}${m[2] ? (/'/.test(m[2]) ? m[2] : `(${args.join(',')})`) : ''}${m[3]!.toLowerCase().replace(/ signed/g, '')}`;
  const charLength = dt === 'char' || dt === 'varchar' ? (args[0] ?? (dt === 'char' ? 1 : null)) : null;
  const numeric = dt === 'decimal' ? { precision: args[0] ?? 10, scale: args[1] ?? 0 } : dt === 'bit' ? { precision: args[0] ?? 1, scale: null } : { precision: null, scale: null };
  return normalizeMysqlType({ dataType: dt, columnType: spelled, charLength, ...numeric });
}

/** `enum('a','b''c','d\\e')` → ['a', "b'c", 'd\e']. */
export function parseEnumLabels(columnType: string): string[] {
  const open = columnType.indexOf('(');
  const out: string[] = [];
  if (open < 0) return out;
  let i = open + 1;
  while (i < columnType.length) {
    const ch = columnType[i]!;
    if (ch === "'") {
      let s = '';
      i++;
      while (i < columnType.length) {
        const c = columnType[i]!;
        if (c === '\\' && i + 1 < columnType.length) {
          s += columnType[i + 1];
          i += 2;
          continue;
        }
        if (c === "'") {
          if (columnType[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          break;
        }
        s += c;
        i++;
      }
      out.push(s);
    } else if (ch === ')') break;
    i++;
  }
  return out;
}
