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
    binaryTuples(headerEnd, (msg, at) => readTuple(msg, at, rows)),
  );
  return rows;
}

/**
 * Reads the tuple at `b[at..]` into `rows` and returns the offset after it.
 * One function per field list, for every call: a reader closed over each
 * call's rows would be a new function each time, which V8 optimises anew
 * (measured: the warm library inspect of mid 7-10% slower).
 */
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
  const body: string[] = [`if (((b[at] << 8) | b[at + 1]) !== ${fields.length}) wrongWidth((b[at] << 8) | b[at + 1]);`, 'at += 2;', 'let len;'];
  fields.forEach(([, type], k) => {
    body.push(`len = ${INT4}; at += 4;`);
    body.push(`const f${k} = len < 0 ? null : ${DECODE[type]}; if (len > 0) at += len;`);
  });
  body.push(`rows.push({ ${fields.map(([name], k) => `${JSON.stringify(name)}: f${k}`).join(', ')} });`, 'return at;');
  const wrongWidth = (count: number): never => {
    throw new PlumbError('E_INTERNAL', `a catalog COPY returned ${count} fields where ${fields.length} were expected`, 'this is a bug in plumb; report it');
  };
  reader = new Function('charText', 'decodeArray', 'wrongWidth', `return (b, at, rows) => { ${body.join('\n')} };`)(charText, decodeArray, wrongWidth) as TupleReader;
  readers.set(fields, reader);
  return reader;
}

/** The element types decodeArray reads. */
const enum Element {
  Int2,
  Oid,
  Text,
}

const INT4 = '(b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]';
/**
 * Buffer's own UTF-8 slice, which toString('utf8', start, end) calls after
 * checking its arguments on every call. Node has had it on every Buffer for
 * as long as Buffer exists, undocumented: without it, toString is used.
 */
type Utf8Slicing = Buffer & { utf8Slice(start: number, end: number): string };
const HAS_UTF8_SLICE = typeof (Buffer.prototype as Partial<Utf8Slicing>).utf8Slice === 'function';
const TEXT = HAS_UTF8_SLICE ? "(len === 0 ? '' : b.utf8Slice(at, at + len))" : "(len === 0 ? '' : b.toString('utf8', at, at + len))";
const utf8 = HAS_UTF8_SLICE ? (b: Buffer, start: number, end: number): string => (b as Utf8Slicing).utf8Slice(start, end) : (b: Buffer, start: number, end: number): string => b.toString('utf8', start, end);

/**
 * Each type's decoding of the `len` bytes at `b[at..]`, as an expression.
 * Catalog readers run once per process (the CLI), mostly before V8 has
 * optimised them: each field is plain byte arithmetic or one call, with no
 * Buffer method wrappers (toString, readInt32BE) in between.
 */
const DECODE: Record<FieldType, string> = {
  oid: `(${INT4}) >>> 0`,
  int2: '((b[at] << 24) >> 16) | b[at + 1]',
  int4: INT4,
  // pg gives bigint as text: it may not fit a number.
  int8: 'b.readBigInt64BE(at).toString()',
  float8: 'b.readDoubleBE(at)',
  bool: 'b[at] !== 0',
  char: 'charText(b[at])',
  name: TEXT,
  text: TEXT,
  _int2: `decodeArray(b, at, ${Element.Int2})`,
  _oid: `decodeArray(b, at, ${Element.Oid})`,
  _text: `decodeArray(b, at, ${Element.Text})`,
  _name: `decodeArray(b, at, ${Element.Text})`,
};

/** "char" as its text output: NUL is the empty string, bytes above 127 are octal escapes. */
function charText(c: number): string {
  if (c === 0) return '';
  return c < 128 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
}

function int4(b: Buffer, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

/**
 * The element count of the one-dimensional binary array at `b[at..]` (an
 * empty one has no dimensions); its elements start at `at + 20`, each a
 * length (−1 for NULL) and its bytes.
 */
function arrayLength(b: Buffer, at: number): number {
  const ndim = int4(b, at);
  if (ndim === 0) return 0;
  if (ndim !== 1) throw new PlumbError('E_INTERNAL', `a catalog COPY returned a ${ndim}-dimensional array`, 'this is a bug in plumb; report it');
  return int4(b, at + 12);
}

/** The elements of the binary array at `b[at..]`, decoded by kind (a switch, not a decoder callback per element). */
function decodeArray(b: Buffer, at: number, kind: Element): (number | string | null)[] {
  const out: (number | string | null)[] = new Array(arrayLength(b, at));
  for (let i = 0, p = at + 20; i < out.length; i++) {
    const len = int4(b, p);
    p += 4;
    if (len < 0) {
      out[i] = null;
      continue;
    }
    out[i] = kind === Element.Int2 ? ((b[p]! << 24) >> 16) | b[p + 1]! : kind === Element.Oid ? int4(b, p) >>> 0 : len === 0 ? '' : utf8(b, p, p + len);
    p += len;
  }
  return out;
}
