// ColumnType → MySQL/MariaDB DDL type text. A type that came from a MySQL
// catalog keeps its own spelling (raw); a portable or Postgres-shaped type is
// spelled from its kind. Lossy mappings are listed in docs/type-mapping.md;
// types MySQL cannot hold raise a PlumbError naming the column.
import type { ColumnType } from '../../catalog/types.js';
import { PlumbError } from '../../errors.js';
import { normalizeMysqlType } from './mysql-types.js';
import { quoteLiteral } from './mysql-dialect.js';

/** A raw spelling MySQL itself would print for this kind (`int(11) unsigned`, `varchar(50)`, `datetime(3)`). */
function isMysqlRaw(t: ColumnType): boolean {
  const m = /^([a-z]+)(\([^)]*\))?( unsigned)?( zerofill)?$/i.exec(t.raw.trim());
  if (!m) return false;
  const n = normalizeMysqlType({ dataType: m[1]!, columnType: t.raw, charLength: t.length ?? null, precision: t.precision ?? null, scale: t.scale ?? null });
  // A JSON column read from MariaDB is LONGTEXT + check: render it as JSON.
  // UUID/INET6 exist only on MariaDB 10.7+/10.10+: spell them portably (CHAR(36), VARCHAR(49)).
  if (t.kind === 'uuid' || t.kind === 'inet') return false;
  return n.kind === t.kind && n.kind !== 'other' && !(t.kind === 'json' && m[1]!.toLowerCase() !== 'json');
}

export function mysqlTypeSql(t: ColumnType, where = ''): string {
  if (t.kind === 'enum' && t.labels?.length) return `ENUM(${t.labels.map(quoteLiteral).join(', ')})`;
  if (t.kind === 'other' && t.labels?.length && /^set\b/i.test(t.raw)) return `SET(${t.labels.map(quoteLiteral).join(', ')})`;
  if (isMysqlRaw(t)) return t.raw.toUpperCase().replace(/ UNSIGNED/, ' UNSIGNED');
  const u = t.unsigned ? ' UNSIGNED' : '';
  const p = (d: number) => (t.precision !== undefined ? `(${t.precision})` : `(${d})`);
  switch (t.kind) {
    case 'tinyint':
      return `TINYINT${u}`;
    case 'smallint':
      return `SMALLINT${u}`;
    case 'mediumint':
      return `MEDIUMINT${u}`;
    case 'int':
      return `INT${u}`;
    case 'bigint':
      return `BIGINT${u}`;
    case 'numeric':
      // An unconstrained numeric has no MySQL equivalent: the widest DECIMAL keeps 30 decimals.
      return t.precision !== undefined ? `DECIMAL(${t.precision},${t.scale ?? 0})${u}` : `DECIMAL(65,30)${u}`;
    case 'real':
      return `FLOAT${u}`;
    case 'double':
      return `DOUBLE${u}`;
    case 'money':
      return 'DECIMAL(19,4)';
    case 'bool':
      return 'TINYINT(1)';
    case 'text':
    case 'xml':
      return 'LONGTEXT';
    case 'varchar':
      return t.length !== undefined ? `VARCHAR(${t.length})` : 'LONGTEXT';
    case 'char':
      return `CHAR(${t.length ?? 1})`;
    case 'bytea':
    case 'blob':
      return t.length !== undefined ? `VARBINARY(${t.length})` : 'LONGBLOB';
    case 'date':
      return 'DATE';
    case 'time':
    case 'timetz':
      return `TIME${p(6)}`;
    case 'timestamp':
      return `DATETIME${p(6)}`;
    case 'timestamptz':
      return `TIMESTAMP${p(6)}`;
    case 'year':
      return 'YEAR';
    case 'json':
    case 'jsonb':
      return 'JSON';
    case 'uuid':
      return 'CHAR(36)';
    case 'inet':
    case 'cidr':
      return 'VARCHAR(49)';
    case 'macaddr':
      return 'VARCHAR(23)';
    case 'bit':
      return `BIT(${t.length ?? 1})`;
    case 'geometry':
      return /^(geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection)$/i.test(t.raw) ? t.raw.toUpperCase() : 'GEOMETRY';
    case 'enum':
      throw new PlumbError('E_PLAN', `enum type ${t.ref ?? t.raw}${where} has no labels to inline`, 'MySQL enums are column types: give the column its labels (ENUM(\'a\', \'b\')) in the spec');
    case 'other':
      return t.raw;
    case 'interval':
    case 'array':
    case 'domain':
    case 'composite':
    case 'range':
    case 'tsvector':
      throw new PlumbError('E_PLAN', `MySQL has no ${t.kind} type (${t.raw}${where})`, 'use a portable type for this column (see docs/type-mapping.md), e.g. json for arrays, an integer of seconds for intervals');
  }
}
