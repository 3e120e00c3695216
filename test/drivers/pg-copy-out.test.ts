// COPY … TO STDOUT through the pg adapter: rows framed straight from the
// socket's chunks must be exactly what the server sent, however the bytes are
// split, and pg's own parser must get every other byte, in order.
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesFromSocket } from '../../src/drivers/pg-copy-out.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const message = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};

/** A socket stand-in: an EventEmitter whose 'data' listeners are what the reader swaps. */
function socketWith(pgData: (chunk: Buffer) => void): EventEmitter {
  const s = new EventEmitter();
  s.on('data', pgData);
  return s;
}

/** pg's side, as far as these bytes go: whole messages out of a byte stream, CopyData to the reader (as CopyOutQuery does). */
function pgParser(rows: Buffer[]) {
  let pending = Buffer.alloc(0);
  const others: string[] = [];
  const data = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 5 && pending.length >= 1 + pending.readUInt32BE(1)) {
      const end = 1 + pending.readUInt32BE(1);
      if (pending[0] === 0x64) rows.push(Buffer.from(pending.subarray(5, end)));
      else others.push(String.fromCharCode(pending[0]!));
      pending = pending.subarray(end);
    }
  };
  return { data, others, leftover: () => pending.length };
}

const chunksOf = (bytes: Buffer, cuts: number[]): Buffer[] => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out.filter((c) => c.length > 0);
};

describe('framesFromSocket', () => {
  const copyOutResponse = message('H', Buffer.from([0, 0, 1, 0, 0]));
  const end = Buffer.concat([message('c', Buffer.alloc(0)), message('C', Buffer.from('COPY 3\0')), message('Z', Buffer.from('I'))]);

  it('hands each CopyData payload to the reader and every other message to pg, in order, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 12 }), (payloads, cuts) => {
        const wire = Buffer.concat([copyOutResponse, ...payloads.map((p) => message('d', Buffer.from(p))), end]);
        const rows: Buffer[] = [];
        const pg = pgParser(rows);
        const socket = socketWith(pg.data);
        let fast = 0;
        framesFromSocket(socket as never, pg.data, (buf, start, end) => {
          fast++;
          rows.push(Buffer.from(buf.subarray(start, end)));
        });
        const chunks = chunksOf(wire, cuts);
        for (const chunk of chunks) socket.emit('data', chunk);
        expect(rows).toEqual(payloads.map((p) => Buffer.from(p)));
        expect(pg.others).toEqual(['H', 'c', 'C', 'Z']);
        expect(pg.leftover()).toBe(0);
        // pg's parser owns the socket again.
        expect(socket.listeners('data')).toEqual([pg.data]);
        // The fast path framed every row unless the CopyOutResponse itself was cut.
        if (chunks[0]!.length >= copyOutResponse.length) expect(fast).toBe(payloads.length);
      }),
      { numRuns: 500 },
    );
  });

  it('takes nothing when the first bytes only look like a CopyOutResponse (the tail of a message pg had begun)', () => {
    const rows: Buffer[] = [];
    const taken: Buffer[] = [];
    const socket = socketWith((c) => taken.push(Buffer.from(c)));
    const pgData = socket.listeners('data')[0] as (c: Buffer) => void;
    framesFromSocket(socket as never, pgData, (buf, start, end) => rows.push(buf.subarray(start, end)));
    // 'H', a length, then a format byte of 5 and a column count that does not fit the length.
    const wire = Buffer.concat([message('H', Buffer.from([5, 0, 3, 0, 0])), message('d', Buffer.from('x'))]);
    socket.emit('data', wire);
    expect(rows).toEqual([]);
    expect(Buffer.concat(taken)).toEqual(wire);
    expect(socket.listeners('data')).toEqual([pgData]);
  });

  it('takes nothing when the first message is not a CopyOutResponse (an error instead)', () => {
    const rows: Buffer[] = [];
    const pg = pgParser(rows);
    const socket = socketWith(pg.data);
    framesFromSocket(socket as never, pg.data, (buf, start, end) => rows.push(buf.subarray(start, end)));
    socket.emit('data', Buffer.concat([message('E', Buffer.from('SERROR\0\0')), message('Z', Buffer.from('I'))]));
    expect(rows).toEqual([]);
    expect(pg.others).toEqual(['E', 'Z']);
    expect(socket.listeners('data')).toEqual([pg.data]);
  });
});

describe.each(pgEngines().filter((e) => e.kind === 'server'))('copyOut on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  });
  afterAll(async () => db?.dispose());

  it('returns every row of a result that spans many socket reads, byte for byte', async () => {
    const sql = "SELECT g, repeat(md5(g::text), g % 97) || 'é✓' AS s FROM generate_series(1, 20000) g";
    const expected = (await db.conn.query<{ g: number; s: string }>(sql)).map((r) => `${r.g}\t${r.s}\n`);
    const got: string[] = [];
    await db.conn.copyOut!(`COPY (${sql}) TO STDOUT`, (buf, start, end) => got.push(buf.toString('utf8', start, end)));
    expect(got.length).toBe(20000);
    expect(got).toEqual(expected);
  });

  it('reports an error raised mid-COPY and leaves the session usable', async () => {
    let rows = 0;
    await expect(db.conn.copyOut!('COPY (SELECT 1 / (5000 - g) FROM generate_series(1, 10000) g) TO STDOUT', () => rows++)).rejects.toThrow(/division by zero/);
    expect(rows).toBeLessThan(5000);
    expect(await db.conn.query('SELECT 42 AS x')).toEqual([{ x: 42 }]);
  });

  it('reports an error thrown by the reader once the server is done, and the session goes on', async () => {
    let rows = 0;
    await expect(
      db.conn.copyOut!('COPY (SELECT g FROM generate_series(1, 5000) g) TO STDOUT', () => {
        if (++rows === 10) throw new Error('reader gives up');
      }),
    ).rejects.toThrow('reader gives up');
    expect(await db.conn.query('SELECT 7 AS x')).toEqual([{ x: 7 }]);
  });
});
