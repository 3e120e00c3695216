// `COPY … TO STDOUT` for the pg adapter: one CopyData message per row, handed
// to the reader as it arrives. Rows are framed straight from the socket's
// chunks (no protocol message object, no event, no Buffer per row: the reader
// gets the chunk and the row's offsets in it); every other message, and
// anything unexpected, goes through pg's own parser unchanged. It must never
// reorder or drop a byte of what the server sends.

/** The pg Connection's socket, as much of it as the fast path touches. */
interface Socket {
  listeners(event: 'data'): ((chunk: Buffer) => void)[];
  on(event: 'data', fn: (chunk: Buffer) => void): unknown;
  removeListener(event: 'data', fn: (chunk: Buffer) => void): unknown;
}

const COPY_OUT_RESPONSE = 0x48; // 'H'
const COPY_DATA = 0x64; // 'd'
const HEADER = 5; // type byte + int32 length

/**
 * A pg "submittable" for `COPY … TO STDOUT`. An error thrown by `onRow` is
 * kept and reported when the server is done (the session must reach
 * ReadyForQuery before it can be used again; pg queues the next query until
 * then).
 */
export class CopyOutQuery {
  private error: unknown;
  constructor(
    readonly text: string,
    private readonly onRow: (buf: Buffer, start: number, end: number) => void,
    private readonly done: (e?: unknown) => void,
  ) {}

  submit(connection: { query(text: string): void; stream?: Socket }): void {
    // pg's parser is idle between queries (the previous one ended with ReadyForQuery), so the next
    // bytes start a message; with anything but pg's one data listener, stay on pg's path.
    const stream = connection.stream;
    const listeners = stream?.listeners('data');
    if (stream && listeners?.length === 1) framesFromSocket(stream, listeners[0]!, (buf, start, end) => this.row(buf, start, end));
    connection.query(this.text);
  }
  handleCopyData(msg: { chunk: Buffer }): void {
    this.row(msg.chunk, 0, msg.chunk.length);
  }
  private row(buf: Buffer, start: number, end: number): void {
    if (this.error !== undefined) return;
    try {
      this.onRow(buf, start, end);
    } catch (e) {
      this.error = e;
    }
  }
  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }): void {
    connection.sendCopyFail('plumb: copyOut does not send data');
  }
  /** pg forgets the query on an ErrorResponse (its ReadyForQuery goes to no one): settle now. */
  handleError(e: unknown): void {
    this.done(this.error ?? e);
  }
  handleReadyForQuery(): void {
    this.done(this.error);
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/**
 * Whether `buf[at..end)` is a well-formed CopyOutResponse: overall format,
 * column count, one format per column, each 0 (text) or 1 (binary). Bytes that
 * merely start with 'H' (say, the tail of a message pg's parser had begun) fail.
 */
function isCopyOutResponse(buf: Buffer, at: number, end: number): boolean {
  if (end - at < HEADER + 3) return false;
  const overall = buf[at + HEADER]!;
  const columns = buf.readUInt16BE(at + HEADER + 1);
  if (overall > 1 || end - at !== HEADER + 3 + 2 * columns) return false;
  for (let p = at + HEADER + 3; p < end; p += 2) if (buf.readUInt16BE(p) > 1) return false;
  return true;
}

/**
 * Takes the socket's data from pg's parser until the COPY's data ends: the
 * CopyOutResponse goes on to pg, each CopyData payload's offsets to `row`,
 * and from the first other message (CopyDone, an error, a notice) on,
 * everything goes to pg's parser again, which then owns the socket as before.
 * The first message must be a CopyOutResponse; if it is not, nothing was
 * taken.
 */
export function framesFromSocket(stream: Socket, pgData: (chunk: Buffer) => void, row: (buf: Buffer, start: number, end: number) => void): void {
  let carry: Buffer | undefined;
  let started = false;
  const handBack = (rest: Buffer): void => {
    stream.on('data', pgData);
    stream.removeListener('data', ours);
    if (rest.length) pgData(rest);
  };
  const ours = (chunk: Buffer): void => {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    let at = 0;
    while (at + HEADER <= buf.length) {
      const type = buf[at]!;
      const end = at + 1 + buf.readUInt32BE(at + 1);
      if (type === COPY_DATA && started) {
        if (end > buf.length) break;
        row(buf, at + HEADER, end);
        at = end;
      } else if (type === COPY_OUT_RESPONSE && !started && end <= buf.length && isCopyOutResponse(buf, at, end)) {
        started = true;
        pgData(buf.subarray(at, end));
        at = end;
      } else {
        return handBack(buf.subarray(at));
      }
    }
    if (at < buf.length) carry = buf.subarray(at);
  };
  stream.on('data', ours);
  stream.removeListener('data', pgData);
}
