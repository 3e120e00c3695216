// Postgres type spelling in both directions: a spec's portable type string
// (`int`, `varchar(50)`, `timestamptz`, `mood[]`) → the ColumnType the
// introspector produces (format_type's spelling), and a ColumnType → SQL text
// for DDL. Tests prove the mapping equals what introspection reports.
import type { ColumnType, TypeKind } from '../../catalog/types.js';
import { quoteIdent } from './postgres-dialect.js';

interface Builtin {
  kind: TypeKind;
  /** format_type spelling without modifiers. */
  raw: string;
  mod?: 'length' | 'numeric' | 'time' | 'timez' | 'bit';
}

const B = (kind: TypeKind, raw: string, mod?: Builtin['mod']): Builtin => (mod ? { kind, raw, mod } : { kind, raw });

/** Lower-cased spellings (aliases included) → canonical Postgres type. */
const BUILTINS: Record<string, Builtin> = {
  smallint: B('smallint', 'smallint'),
  int2: B('smallint', 'smallint'),
  tinyint: B('smallint', 'smallint'),
  int: B('int', 'integer'),
  integer: B('int', 'integer'),
  int4: B('int', 'integer'),
  mediumint: B('int', 'integer'),
  bigint: B('bigint', 'bigint'),
  int8: B('bigint', 'bigint'),
  numeric: B('numeric', 'numeric', 'numeric'),
  decimal: B('numeric', 'numeric', 'numeric'),
  real: B('real', 'real'),
  float4: B('real', 'real'),
  float: B('double', 'double precision'),
  float8: B('double', 'double precision'),
  double: B('double', 'double precision'),
  'double precision': B('double', 'double precision'),
  money: B('money', 'money'),
  bool: B('bool', 'boolean'),
  boolean: B('bool', 'boolean'),
  text: B('text', 'text'),
  string: B('text', 'text'),
  varchar: B('varchar', 'character varying', 'length'),
  'character varying': B('varchar', 'character varying', 'length'),
  char: B('char', 'character', 'length'),
  character: B('char', 'character', 'length'),
  bpchar: B('char', 'bpchar', 'length'),
  bytea: B('bytea', 'bytea'),
  blob: B('bytea', 'bytea'),
  bytes: B('bytea', 'bytea'),
  date: B('date', 'date'),
  time: B('time', 'time without time zone', 'time'),
  'time without time zone': B('time', 'time without time zone', 'time'),
  timetz: B('timetz', 'time with time zone', 'time'),
  'time with time zone': B('timetz', 'time with time zone', 'time'),
  timestamp: B('timestamp', 'timestamp without time zone', 'time'),
  datetime: B('timestamp', 'timestamp without time zone', 'time'),
  'timestamp without time zone': B('timestamp', 'timestamp without time zone', 'time'),
  timestamptz: B('timestamptz', 'timestamp with time zone', 'time'),
  'timestamp with time zone': B('timestamptz', 'timestamp with time zone', 'time'),
  interval: B('interval', 'interval'),
  json: B('json', 'json'),
  jsonb: B('jsonb', 'jsonb'),
  uuid: B('uuid', 'uuid'),
  inet: B('inet', 'inet'),
  cidr: B('cidr', 'cidr'),
  macaddr: B('macaddr', 'macaddr'),
  macaddr8: B('macaddr', 'macaddr8'),
  bit: B('bit', 'bit', 'bit'),
  varbit: B('bit', 'bit varying', 'bit'),
  'bit varying': B('bit', 'bit varying', 'bit'),
  xml: B('xml', 'xml'),
  tsvector: B('tsvector', 'tsvector'),
  tsquery: B('other', 'tsquery'),
  oid: B('other', 'oid'),
  point: B('other', 'point'),
  int4range: B('range', 'int4range'),
  int8range: B('range', 'int8range'),
  numrange: B('range', 'numrange'),
  tsrange: B('range', 'tsrange'),
  tstzrange: B('range', 'tstzrange'),
  daterange: B('range', 'daterange'),
};

/** serial types: the column is the integer type plus a sequence default. */
export const SERIAL_TYPES: Record<string, 'integer' | 'bigint' | 'smallint'> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

/** A user-defined type a spec can name. */
export interface NamedType {
  schema: string;
  name: string;
  kind: 'enum' | 'domain' | 'composite' | 'range';
}

/** Postgres' quote_ident: quote unless all lower-case letters, digits, `_` (not first digit) and not a reserved word. */
export function pgIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : quoteIdent(name);
}

// Keywords format_type quotes when used as a type name (reserved + type-name keywords).
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int integer interval least national nchar none normalize nullif numeric out overlay position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose'.split(
    ' ',
  ),
);

export interface ParsedTypeText {
  base: string;
  args: number[];
  arrayDims: number;
  /** The base was double-quoted (case kept, never a builtin). */
  quoted: boolean;
}

/** `varchar(50)[]` → base `varchar`, args [50], arrayDims 1. `timestamp(3) with time zone` is handled. */
export function parseTypeText(text: string): ParsedTypeText {
  let s = text.trim();
  let arrayDims = 0;
  for (;;) {
    const m = /\[\s*\d*\s*\]$/.exec(s);
    if (!m) break;
    arrayDims++;
    s = s.slice(0, m.index).trim();
  }
  if (/\s+array$/i.test(s)) {
    arrayDims++;
    s = s.replace(/\s+array$/i, '');
  }
  let args: number[] = [];
  // `timestamp(3) with time zone`: modifiers sit in the middle.
  const mid = /^(time|timestamp)\s*\(\s*(\d+)\s*\)\s*(with(?:out)? time zone)$/i.exec(s);
  if (mid) return { base: `${mid[1]!.toLowerCase()} ${mid[3]!.toLowerCase()}`, args: [Number(mid[2])], arrayDims, quoted: false };
  const m = /^(.*?)\s*\(([^()]*)\)$/s.exec(s);
  if (m && /^[\d\s,]*$/.test(m[2]!)) {
    s = m[1]!.trim();
    args = m[2]!.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  }
  const quoted = s.includes('"');
  return { base: quoted ? s : s.toLowerCase().replace(/\s+/g, ' '), args, arrayDims, quoted };
}

function builtinType(b: Builtin, args: number[]): ColumnType {
  const t: ColumnType = { kind: b.kind, raw: b.raw };
  // The introspector reports built-in ranges like user ranges: kind `range` with a pg_catalog ref.
  if (b.kind === 'range') t.ref = `pg_catalog.${b.raw}`;
  switch (b.mod) {
    case 'length':
      if (args[0] !== undefined) {
        t.length = args[0];
        t.raw = `${b.raw === 'bpchar' ? 'character' : b.raw}(${args[0]})`;
      } else if (b.kind === 'char' && b.raw === 'character') {
        // `char` alone is char(1).
        t.length = 1;
        t.raw = 'character(1)';
      }
      break;
    case 'bit':
      if (args[0] !== undefined) {
        t.length = args[0];
        t.raw = `${b.raw}(${args[0]})`;
      } else if (b.raw === 'bit') {
        t.length = 1;
        t.raw = 'bit(1)';
      }
      break;
    case 'numeric':
      if (args[0] !== undefined) {
        t.precision = args[0];
        t.scale = args[1] ?? 0;
        t.raw = `numeric(${t.precision},${t.scale})`;
      }
      break;
    case 'time':
      if (args[0] !== undefined) {
        t.precision = args[0];
        const [head, ...rest] = b.raw.split(' ');
        t.raw = `${head}(${args[0]})${rest.length ? ' ' + rest.join(' ') : ''}`;
      }
      break;
  }
  return t;
}

export interface ResolvedType {
  type: ColumnType;
  /** Set for serial/bigserial/smallserial: the column gets a sequence default. */
  serial?: 'integer' | 'bigint' | 'smallint';
}

/**
 * Resolve a spec type string. `lookup(schema|null, name)` finds a declared
 * enum/domain/composite (schema null = the context schema, then the default).
 * `visibleSchemas` are the schemas on the search_path: a type there prints unqualified.
 * Returns null when the name is neither builtin nor declared.
 */
export function resolvePgType(text: string, lookup: (schema: string | null, name: string) => NamedType | undefined, visibleSchemas: readonly string[] = ['public']): ResolvedType | null {
  const p = parseTypeText(text);
  let element: ColumnType | undefined;
  let serial: ResolvedType['serial'];
  const serialBase = p.quoted || p.arrayDims > 0 ? undefined : SERIAL_TYPES[p.base];
  if (serialBase) {
    serial = serialBase;
    element = builtinType(BUILTINS[serialBase]!, []);
  } else if (!p.quoted && BUILTINS[p.base]) {
    element = builtinType(BUILTINS[p.base]!, p.args);
  } else {
    const parts = splitQualified(p.base);
    const named = parts.length > 1 ? lookup(parts[0]!, parts[1]!) : lookup(null, parts[0]!);
    if (!named) return null;
    const kindMap = { enum: 'enum', domain: 'domain', composite: 'composite', range: 'range' } as const;
    const visible = visibleSchemas.includes(named.schema);
    element = { kind: kindMap[named.kind], raw: visible ? pgIdent(named.name) : `${pgIdent(named.schema)}.${pgIdent(named.name)}`, ref: `${named.schema}.${named.name}` };
  }
  if (p.arrayDims > 0) {
    const raw = `${element.raw}${'[]'.repeat(1)}`;
    return { type: { kind: 'array', raw, element } };
  }
  return serial ? { type: element, serial } : { type: element };
}

/** `a.b` / `"A"."b"` → parts, unquoted. Names are folded to lower case unless quoted, as Postgres does. */
export function splitQualified(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let q = false;
  let wasQuoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') {
      if (q && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else {
        q = !q;
        wasQuoted = true;
      }
    } else if (ch === '.' && !q) {
      parts.push(wasQuoted ? cur : cur.toLowerCase());
      cur = '';
      wasQuoted = false;
    } else cur += ch;
  }
  parts.push(wasQuoted ? cur : cur.toLowerCase());
  return parts.map((x) => x.trim());
}

/** SQL text for a column type in DDL: user types by their qualified, quoted name; builtins by their canonical spelling. */
export function pgTypeSql(t: ColumnType): string {
  if (t.kind === 'array' && t.element) {
    const dims = /((\[\])+)$/.exec(t.raw)?.[1] ?? '[]';
    return `${pgTypeSql(t.element)}${dims}`;
  }
  if (t.ref && (t.kind === 'enum' || t.kind === 'domain' || t.kind === 'composite' || (t.kind === 'range' && t.ref))) {
    const dot = t.ref.indexOf('.');
    const schema = t.ref.slice(0, dot);
    // Built-in ranges live in pg_catalog; leave those unqualified.
    if (schema === 'pg_catalog') return t.raw;
    return `${quoteIdent(schema)}.${quoteIdent(t.ref.slice(dot + 1))}`;
  }
  return t.raw;
}
