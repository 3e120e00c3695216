// Catalog rows through `COPY (query) TO STDOUT (FORMAT binary)`: for results
// of tens of thousands of rows, decoding length-prefixed binary fields in one
// loop costs a fraction of pg's row parsing. The rows are the ones
// `Connection.query` gives for the same query — same keys, same JS values —
// so callers cannot tell the paths apart. Never used for user data.
import type { Connection } from '../../drivers/connection.js';
import { binaryTuples, copyHeaderEnd } from '../../drivers/pg-copy-binary.js';
import { PlumbError } from '../../errors.js';

/** The Postgres types of catalog result columns, by their pg_type names. */
export type FieldType = 'oid' | 'int2' | 'int4' | 'int8' | 'float8' | 'bool' | 'char' | 'name' | 'text' | '_int2' | '_oid' | '_text' | '_name';

/** A query's result columns in select-list order. */
export type CopyFields = readonly (readonly [name: string, type: FieldType])[];

type Row = Record<string, unknown>;

/** Whether `conn` can run the COPY path. */
export function canCopyRows(conn: Connection): conn is Connection & Required<Pick<Connection, 'copyOut'>> {
  return typeof conn.copyOut === 'function';
}

/**
 * Runs `sql` (whose only parameter, $1, is the oid array `oids`) as a binary
 * COPY and returns its rows as `conn.query(sql, [oids])` would.
 */
export async function copyRows(conn: Connection & Required<Pick<Connection, 'copyOut'>>, sql: string, fields: CopyFields, oids: readonly number[]): Promise<Row[]> {
  // COPY takes no parameters: the oids are numbers, written as an array literal.
  const text = sql.replaceAll('$1', `'{${oids.map((o) => Math.trunc(Number(o))).join(',')}}'`);
  const rows: Row[] = [];
  const readTuple = tupleReader(fields);
  const headerEnd = (first: Buffer): number => {
    const end = copyHeaderEnd(first);
    if (end < 0) throw new PlumbError('E_INTERNAL', 'a catalog COPY did not start with a binary COPY header', 'this is a bug in plumb; report it');
    return end;
  };
  await conn.copyOut(
    `COPY (${text}) TO STDOUT (FORMAT binary)`,
    binaryTuples(headerEnd, (msg, at) => {
      const count = int2(msg, at);
      if (count !== fields.length) throw new PlumbError('E_INTERNAL', `a catalog COPY returned ${count} fields where ${fields.length} were expected`, 'this is a bug in plumb; report it');
      return readTuple(msg, at + 2, rows);
    }),
  );
  return rows;
}

type TupleReader = (b: Buffer, at: number, rows: Row[]) => number;
const readers = new WeakMap<CopyFields, TupleReader>();

/**
 * A reader for one tuple of `fields`, compiled once per field list: each
 * field's decoding is inlined and the row is an object literal with fixed
 * keys, so every row shares one shape (a row built key by key from a list of
 * names costs several times as much).
 */
function tupleReader(fields: CopyFields): TupleReader {
  let reader = readers.get(fields);
  if (reader) return reader;
  const body: string[] = ['let len;'];
  fields.forEach(([, type], k) => {
    body.push(`len = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]; at += 4;`);
    body.push(`const f${k} = len < 0 ? null : ${DECODE[type]}; if (len > 0) at += len;`);
  });
  body.push(`rows.push({ ${fields.map(([name], k) => `${JSON.stringify(name)}: f${k}`).join(', ')} });`, 'return at;');
  reader = new Function('charText', 'decodeArray', 'int2', 'oid', 'text', `return (b, at, rows) => { ${body.join('\n')} };`)(charText, decodeArray, int2, oidOf, textOf) as TupleReader;
  readers.set(fields, reader);
  return reader;
}

/** Each type's decoding of the `len` bytes at `b[at..]`, as an expression. */
const DECODE: Record<FieldType, string> = {
  oid: '((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0',
  int2: 'int2(b, at)',
  int4: '(b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]',
  // pg gives bigint as text: it may not fit a number.
  int8: 'b.readBigInt64BE(at).toString()',
  float8: 'b.readDoubleBE(at)',
  bool: 'b[at] !== 0',
  char: 'charText(b[at])',
  name: 'text(b, at, len)',
  text: 'text(b, at, len)',
  _int2: 'decodeArray(b, at, int2)',
  _oid: 'decodeArray(b, at, oid)',
  _text: 'decodeArray(b, at, text)',
  _name: 'decodeArray(b, at, text)',
};

function int2(b: Buffer, at: number): number {
  return ((b[at]! << 24) >> 16) | b[at + 1]!;
}

function oidOf(b: Buffer, at: number): number {
  return b.readUInt32BE(at);
}

function textOf(b: Buffer, at: number, len: number): string {
  return len === 0 ? '' : b.toString('utf8', at, at + len);
}

/** "char" as its text output: NUL is the empty string, bytes above 127 are octal escapes. */
function charText(c: number): string {
  if (c === 0) return '';
  return c < 128 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
}

/** A one-dimensional binary array (an empty one has no dimensions). */
function decodeArray(b: Buffer, at: number, element: (b: Buffer, at: number, len: number) => unknown): unknown[] {
  const ndim = b.readInt32BE(at);
  if (ndim === 0) return [];
  if (ndim !== 1) throw new PlumbError('E_INTERNAL', `a catalog COPY returned a ${ndim}-dimensional array`, 'this is a bug in plumb; report it');
  const count = b.readInt32BE(at + 12);
  let p = at + 20;
  const out: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const len = b.readInt32BE(p);
    p += 4;
    out[i] = len < 0 ? null : element(b, p, len);
    if (len > 0) p += len;
  }
  return out;
}
