// The framing of `COPY … TO STDOUT (FORMAT binary)` that every reader of it
// shares: the header the first CopyData message starts with, the trailer
// that ends the data, and the walk over the tuples in between. Pure byte
// reading; no I/O.

/** What COPY … (FORMAT binary) sends first: signature, flags, then the length of a header extension to skip. */
export const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The offset after the COPY binary header at the start of `msg` (Postgres
 * sends it in the first CopyData message, with the first tuple or the
 * trailer), or −1 when `msg` does not start with one.
 */
export function copyHeaderEnd(msg: Buffer): number {
  if (msg.length < COPY_SIGNATURE.length + 8 || !msg.subarray(0, COPY_SIGNATURE.length).equals(COPY_SIGNATURE)) return -1;
  const end = COPY_SIGNATURE.length + 8 + msg.readUInt32BE(COPY_SIGNATURE.length + 4);
  return end > msg.length ? -1 : end;
}

/**
 * A `copyOut` row handler for binary COPY: skips the header (through
 * `headerEnd`, which throws when the first message lacks one) and the
 * trailer, and hands each tuple's offset in `buf` to `tuple`, which reads it
 * (not past `end`, the end of its message) and returns the offset after it.
 */
export function binaryTuples(
  headerEnd: (first: Buffer) => number,
  tuple: (buf: Buffer, at: number, end: number) => number,
): (buf: Buffer, start: number, end: number) => void {
  let headerRead = false;
  return (buf, start, end) => {
    let at = start;
    if (!headerRead) {
      at += headerEnd(buf.subarray(start, end));
      headerRead = true;
    }
    while (at < end) {
      // The trailer that ends the data: a tuple "field count" of −1 (int16).
      if (at + 2 <= end && buf[at] === 0xff && buf[at + 1] === 0xff) {
        at += 2;
        continue;
      }
      at = tuple(buf, at, end);
    }
  };
}
