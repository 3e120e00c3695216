// Postgres type normalisation: pg_type facts + format_type() text → ColumnType.
import type { ColumnType, TypeKind } from '../../catalog/types.js';

const KIND_BY_TYPNAME: Record<string, TypeKind> = {
  int2: 'smallint',
  int4: 'int',
  int8: 'bigint',
  numeric: 'numeric',
  float4: 'real',
  float8: 'double',
  money: 'money',
  bool: 'bool',
  text: 'text',
  varchar: 'varchar',
  bpchar: 'char',
  bytea: 'bytea',
  date: 'date',
  time: 'time',
  timetz: 'timetz',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  interval: 'interval',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr',
  bit: 'bit',
  varbit: 'bit',
  xml: 'xml',
  tsvector: 'tsvector',
  geometry: 'geometry',
  geography: 'geometry',
};

export interface PgTypeFacts {
  /** format_type(atttypid, atttypmod) */
  formatted: string;
  typname: string;
  /** pg_type.typtype: b base, e enum, d domain, c composite, r range, m multirange, p pseudo */
  typtype: string;
  typschema: string;
  typmod: number;
  /** For arrays: the element type's facts. */
  element?: PgTypeFacts | null;
}

export function normalizePgType(t: PgTypeFacts): ColumnType {
  const raw = t.formatted;
  if (t.element) {
    return { element: normalizePgType({ ...t.element, typmod: t.typmod, formatted: raw.replace(/(\[\])+$/, '') }), kind: 'array', raw };
  }
  switch (t.typtype) {
    case 'e':
      return { kind: 'enum', raw, ref: `${t.typschema}.${t.typname}` };
    case 'd':
      return { kind: 'domain', raw, ref: `${t.typschema}.${t.typname}` };
    case 'c':
      return { kind: 'composite', raw, ref: `${t.typschema}.${t.typname}` };
    case 'r':
    case 'm':
      return { kind: 'range', raw, ref: `${t.typschema}.${t.typname}` };
  }
  const kind = KIND_BY_TYPNAME[t.typname] ?? 'other';
  const mod = t.typmod;
  // Keys in sorted order (here and in the introspector): stableStringify then serialises the catalog without copying it.
  if (mod >= 0) {
    switch (kind) {
      case 'varchar':
      case 'char':
        return { kind, length: mod - 4, raw };
      case 'bit':
        return { kind, length: mod, raw };
      case 'numeric':
        return { kind, precision: ((mod - 4) >> 16) & 0xffff, raw, scale: (mod - 4) & 0xffff };
      case 'time':
      case 'timetz':
      case 'timestamp':
      case 'timestamptz':
        return { kind, precision: mod, raw };
    }
  }
  return { kind, raw };
}
