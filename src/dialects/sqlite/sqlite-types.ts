// SQLite type normalisation: the declared type text → ColumnType. SQLite keeps
// whatever name was declared and applies only an affinity; plumb reads the
// declared name (VARCHAR(50) is 'varchar', length 50, even though SQLite never
// enforces the length) and falls back to the affinity rules for unknown names.
import type { ColumnType, TypeKind } from '../../catalog/types.js';

const KIND_BY_NAME: Record<string, TypeKind> = {
  INT: 'int',
  INTEGER: 'int',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INT2: 'smallint',
  MEDIUMINT: 'mediumint',
  BIGINT: 'bigint',
  INT8: 'bigint',
  'UNSIGNED BIG INT': 'bigint',
  BOOLEAN: 'bool',
  BOOL: 'bool',
  REAL: 'real',
  FLOAT: 'double',
  DOUBLE: 'double',
  'DOUBLE PRECISION': 'double',
  NUMERIC: 'numeric',
  DECIMAL: 'numeric',
  VARCHAR: 'varchar',
  'CHARACTER VARYING': 'varchar',
  'VARYING CHARACTER': 'varchar',
  NVARCHAR: 'varchar',
  CHAR: 'char',
  CHARACTER: 'char',
  NCHAR: 'char',
  'NATIVE CHARACTER': 'char',
  TEXT: 'text',
  CLOB: 'text',
  BLOB: 'blob',
  DATE: 'date',
  TIME: 'time',
  DATETIME: 'timestamp',
  TIMESTAMP: 'timestamp',
  TIMESTAMPTZ: 'timestamptz',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  JSON: 'json',
  JSONB: 'jsonb',
  UUID: 'uuid',
};

/** The affinity SQLite gives a declared type (https://www.sqlite.org/datatype3.html §3.1). */
export function sqliteAffinity(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const d = declared.toUpperCase();
  if (d.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(d)) return 'TEXT';
  if (d === '' || d.includes('BLOB')) return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(d)) return 'REAL';
  return 'NUMERIC';
}

const AFFINITY_KIND: Record<ReturnType<typeof sqliteAffinity>, TypeKind> = { INTEGER: 'int', TEXT: 'text', BLOB: 'blob', REAL: 'double', NUMERIC: 'numeric' };

export function normalizeSqliteType(declared: string): ColumnType {
  const raw = declared.trim();
  if (raw === '' || raw.toUpperCase() === 'ANY') return { kind: 'other', raw };
  const m = /^([A-Za-z_ ]+?)\s*(?:\(\s*([^)]*)\))?\s*$/.exec(raw);
  const name = (m?.[1] ?? raw).toUpperCase().replace(/\s+/g, ' ');
  const args = (m?.[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const kind = KIND_BY_NAME[name] ?? AFFINITY_KIND[sqliteAffinity(raw)];
  const out: ColumnType = { kind, raw };
  if (/\bUNSIGNED\b/.test(name) && kind !== 'bigint') out.unsigned = true;
  const [a, b] = args;
  if (a !== undefined && Number.isFinite(a)) {
    if (kind === 'varchar' || kind === 'char') out.length = a;
    else if (kind === 'numeric') {
      out.precision = a;
      if (b !== undefined && Number.isFinite(b)) out.scale = b;
    } else if (kind === 'time' || kind === 'timestamp' || kind === 'timestamptz') out.precision = a;
  }
  return out;
}
