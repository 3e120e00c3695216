// Postgres (servers and PGlite) for `plumb chain`: a head row locked with
// SELECT … FOR UPDATE, a BEFORE INSERT trigger hashing with the built-in
// sha256(bytea) (Postgres 11+, no pgcrypto), and guards on UPDATE, DELETE and
// TRUNCATE. It must never build SQL from values: identifiers are quoted,
// constants are hex literals computed here.
import { isUtf8 } from 'node:buffer';
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import { binaryTuples, copyHeaderEnd, COPY_SIGNATURE } from '../../drivers/pg-copy-binary.js';
import { field, genesisHash, HASH_VERSION, PAYLOAD_MAGIC, type ChainColumn, type ValueKind } from '../canonical.js';
import {
  BYTE_FIELDS,
  hashedColumns,
  META_TABLE,
  parseMetaColumns,
  type ChainDialect,
  type ChainMeta,
  type InstallRequest,
  type InstallResult,
  type LiveColumn,
  type RawChainRow,
  type TableRef,
} from '../chain-dialect.js';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const hexBytea = (b: Buffer) => `'\\x${b.toString('hex')}'::bytea`;

/**
 * Session settings every canonical text is produced under, in the trigger
 * (function SET clauses) and in the verifier (SET LOCAL): the writer's
 * TimeZone, DateStyle or extra_float_digits can never change a hash.
 */
export const PG_CANONICAL_SETTINGS: [string, string][] = [
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
];

function kindOf(baseOid: number): ValueKind {
  if (baseOid === 1184) return 'timestamptz';
  if (baseOid === 1114) return 'timestamp';
  if (baseOid === 114) return 'json';
  return 'text';
}

/** The SQL text whose UTF-8 bytes are the canonical value of `v` (a non-null expression). */
function canonicalSql(v: string, kind: ValueKind): string {
  switch (kind) {
    case 'timestamptz':
      return `CASE WHEN isfinite(${v}) THEN to_char(${v} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ELSE ${v}::text END`;
    case 'timestamp':
      return `CASE WHEN isfinite(${v}) THEN to_char(${v}, 'YYYY-MM-DD"T"HH24:MI:SS.US') ELSE ${v}::text END`;
    case 'json':
      return `(${v})::jsonb::text`;
    case 'text':
      return `(${v})::text`;
  }
}

/** What the verifier selects for a column: engine text, normalised in TypeScript. */
function readSql(col: string, kind: ValueKind): string {
  col = `t.${col}`;
  return kind === 'json' ? `${col}::jsonb::text` : `${col}::text`;
}

/**
 * The verifier's read of a chain, in RawChainRow order (see BYTE_FIELDS).
 * Every column is cast to text, even previous_hash and row_hash: binary COPY
 * sends a field in its type's binary form, which only for text is its text.
 */
function rowsSql(meta: ChainMeta): string {
  const select = meta.columns.map((c, i) => `${readSql(q(c.name), c.kind)} AS c${i}`);
  return `SELECT t.seq::text AS seq, t.previous_hash::text AS previous_hash, t.row_hash::text AS row_hash, t.hash_version::text AS hv${select.length ? ', ' + select.join(', ') : ''} FROM ${q(meta.schema)}.${q(meta.table)} t ORDER BY t.seq NULLS LAST`;
}

/** The end of the binary COPY header at the start of the first message of a chain's COPY. */
function chainCopyHeaderEnd(msg: Buffer, label: string): number {
  const end = copyHeaderEnd(msg);
  if (end < 0) throw new PlumbError('E_VERIFY', `COPY of ${label} did not start with a binary COPY header`, 'this is a bug in plumb; report it');
  return end;
}

/**
 * Reads one tuple of COPY binary output at `msg[at..]` into `f` (start, end
 * per field; −1 for NULL). Returns the offset after it, or −1 when the
 * tuple is not `fields` wide or does not end by `end`, the end of its
 * CopyData message (Postgres sends whole tuples, one per message).
 */
function readCopyTuple(msg: Buffer, at: number, f: Int32Array, fields: number, end = msg.length): number {
  if (at + 2 > end || ((msg[at]! << 8) | msg[at + 1]!) !== fields) return -1;
  at += 2;
  for (let k = 0; k < fields; k++) {
    if (at + 4 > end) return -1;
    const len = (msg[at]! << 24) | (msg[at + 1]! << 16) | (msg[at + 2]! << 8) | msg[at + 3]!;
    at += 4;
    if (len < 0) {
      f[2 * k] = f[2 * k + 1] = -1;
      continue;
    }
    if (at + len > end) return -1;
    f[2 * k] = at;
    f[2 * k + 1] = at += len;
  }
  return at;
}

/**
 * Whether fields `from..` of a tuple are UTF-8. Text in binary COPY is sent
 * as is, in the client encoding (UTF-8): only a SQL_ASCII database can send
 * other bytes, so the common case is one OR over the bytes.
 */
function fieldsUtf8(src: Buffer, f: Int32Array, from: number, fields: number): boolean {
  let high = 0;
  for (let k = from; k < fields; k++) for (let i = f[2 * k]!, end = f[2 * k + 1]!; i < end; i++) high |= src[i]!;
  if ((high & 0x80) === 0) return true;
  for (let k = from; k < fields; k++) if (f[2 * k]! >= 0 && !isUtf8(src.subarray(f[2 * k], f[2 * k + 1]))) return false;
  return true;
}

const settingsClause = PG_CANONICAL_SETTINGS.map(([k, v]) => `SET ${k} = ${lit(v)}`).join(' ');

function names(ref: TableRef) {
  const base = ref.table.slice(0, 40);
  return {
    table: `${q(ref.schema)}.${q(ref.table)}`,
    meta: `${q(ref.schema)}.${q(META_TABLE)}`,
    payloadFn: `${q(ref.schema)}.${q(`plumb_chain_payload_${base}`)}`,
    appendFn: `${q(ref.schema)}.${q(`plumb_chain_append_${base}`)}`,
    headFn: `${q(ref.schema)}.${q(`plumb_chain_head_${base}`)}`,
    guardFn: `${q(ref.schema)}.${q('plumb_chain_guard')}`,
    metaGuardFn: `${q(ref.schema)}.${q('plumb_chain_head_guard')}`,
  };
}

/**
 * plpgsql payload function: the exact bytes of canonical.ts PayloadEncoder.payload.
 * It has no SET clauses of its own (each costs a GUC save/restore per row): it
 * must run under PG_CANONICAL_SETTINGS, which the append trigger function and
 * the backfill set. Its body is fully schema-qualified for the same reason.
 */
export function payloadFunctionSql(ref: TableRef, chainId: string, columns: ChainColumn[]): string {
  const n = names(ref);
  const prefix = Buffer.concat([field(PAYLOAD_MAGIC), field(String(HASH_VERSION)), field(chainId)]);
  const body: string[] = [
    `b := convert_to(p_seq::text, 'UTF8');`,
    `o := ${hexBytea(prefix)} || int4send(octet_length(b)) || b || int4send(${columns.length});`,
  ];
  for (const c of columns) {
    const v = `r.${q(c.name)}`;
    body.push(
      `o := o || ${hexBytea(Buffer.concat([field(c.name), field(c.type)]))};`,
      `IF ${v} IS NULL THEN o := o || '\\x00'::bytea; ELSE b := convert_to(${canonicalSql(v, c.kind)}, 'UTF8'); o := o || '\\x01'::bytea || int4send(octet_length(b)) || b; END IF;`,
    );
  }
  return `CREATE OR REPLACE FUNCTION ${n.payloadFn}(p_seq bigint, r ${n.table}) RETURNS bytea
LANGUAGE plpgsql STABLE AS $plumb$
DECLARE o bytea; b bytea;
BEGIN
  ${body.join('\n  ')}
  RETURN o;
END $plumb$`;
}

function appendFunctionSql(ref: TableRef, chainId: string): string {
  const n = names(ref);
  return `CREATE OR REPLACE FUNCTION ${n.appendFn}() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER ${settingsClause} SET search_path = pg_catalog, pg_temp AS $plumb$
DECLARE h_seq bigint; h_hash text;
BEGIN
  -- Locking the head row serialises appends: two writers can never read the same predecessor.
  PERFORM 1 FROM ${n.meta} WHERE chain_id = ${lit(chainId)} FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'plumb chain %: head row missing from ${META_TABLE}', ${lit(chainId)} USING HINT = 'reinstall with plumb chain install';
  END IF;
  -- The predecessor is read from the table (rows earlier in the same statement are visible here),
  -- not from the head row: updating one row per append makes a long statement quadratic.
  SELECT t.seq, t.row_hash INTO h_seq, h_hash FROM ${n.table} t ORDER BY t.seq DESC LIMIT 1;
  IF NOT FOUND THEN
    h_seq := 0;
    h_hash := ${lit(genesisHash(chainId))};
  END IF;
  NEW.seq := h_seq + 1;
  NEW.previous_hash := h_hash;
  NEW.hash_version := ${HASH_VERSION};
  NEW.row_hash := encode(sha256(decode(h_hash, 'hex') || ${n.payloadFn}(NEW.seq, NEW)), 'hex');
  RETURN NEW;
END $plumb$`;
}

/** After each INSERT statement the head row records the newest row (once per statement, under the same lock). */
function headFunctionSql(ref: TableRef, chainId: string): string {
  const n = names(ref);
  return `CREATE OR REPLACE FUNCTION ${n.headFn}() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $plumb$
BEGIN
  UPDATE ${n.meta} m SET last_seq = t.seq, last_hash = t.row_hash
    FROM (SELECT seq, row_hash FROM ${n.table} ORDER BY seq DESC LIMIT 1) t
   WHERE m.chain_id = ${lit(chainId)} AND t.seq > m.last_seq;
  RETURN NULL;
END $plumb$`;
}

function guardFunctionsSql(ref: TableRef): string[] {
  const n = names(ref);
  return [
    `CREATE OR REPLACE FUNCTION ${n.guardFn}() RETURNS trigger LANGUAGE plpgsql AS $plumb$
BEGIN
  RAISE EXCEPTION 'plumb chain: % on %.% is not allowed (hash-chained, append-only)', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege', HINT = 'append a correcting row instead';
END $plumb$`,
    // The head may only advance one row at a time, and its identity never changes.
    `CREATE OR REPLACE FUNCTION ${n.metaGuardFn}() RETURNS trigger LANGUAGE plpgsql AS $plumb$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.chain_id IS DISTINCT FROM OLD.chain_id OR NEW.columns IS DISTINCT FROM OLD.columns
     OR NEW.hash_version IS DISTINCT FROM OLD.hash_version OR NEW.table_schema IS DISTINCT FROM OLD.table_schema
     OR NEW.table_name IS DISTINCT FROM OLD.table_name OR NOT (NEW.last_seq > OLD.last_seq) THEN
    RAISE EXCEPTION 'plumb chain: the head row of % may only advance', OLD.chain_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $plumb$`,
  ];
}

async function liveColumns(conn: Connection, ref: TableRef): Promise<LiveColumn[] | undefined> {
  const rows = await conn.query<{ name: string; type: string; base: number; generated: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END)::int AS base, a.attgenerated::text AS generated
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace s ON s.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE s.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [ref.schema, ref.table],
  );
  if (rows.length === 0) {
    const [t] = await conn.query(`SELECT 1 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relname = $2`, [ref.schema, ref.table]);
    return t ? [] : undefined;
  }
  return rows.map((r) => ({ name: r.name, type: r.type, kind: kindOf(Number(r.base)), generated: r.generated !== '' && r.generated !== null }));
}

async function readMeta(conn: Connection, ref: TableRef): Promise<ChainMeta | undefined> {
  const [exists] = await conn.query(`SELECT 1 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relname = $2`, [ref.schema, META_TABLE]);
  if (!exists) return undefined;
  const [r] = await conn.query<{ chain_id: string; hash_version: number; columns: string; last_seq: string; last_hash: string }>(
    `SELECT chain_id, hash_version, columns::text AS columns, last_seq::text AS last_seq, last_hash FROM ${q(ref.schema)}.${q(META_TABLE)} WHERE table_schema = $1 AND table_name = $2`,
    [ref.schema, ref.table],
  );
  if (!r) return undefined;
  return { chainId: r.chain_id, schema: ref.schema, table: ref.table, hashVersion: Number(r.hash_version), columns: parseMetaColumns(r.columns), lastSeq: r.last_seq, lastHash: r.last_hash };
}

async function install(conn: Connection, req: InstallRequest): Promise<InstallResult> {
  const { ref, chainId } = req;
  const n = names(ref);
  return conn.transaction(async (tx) => {
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${q(ref.schema)}`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS ${n.meta} (
  chain_id text PRIMARY KEY,
  table_schema text NOT NULL,
  table_name text NOT NULL,
  hash_version integer NOT NULL,
  columns jsonb NOT NULL,
  last_seq bigint NOT NULL,
  last_hash text NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (table_schema, table_name)
)`);
    const existing = await readMeta(tx, ref);
    if (existing) {
      if (existing.chainId !== chainId) {
        throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} is already chained as "${existing.chainId}"`, 'drop --chain-id, or use another table');
      }
      return { chainId, ref, created: false, alreadyInstalled: true, backfilled: 0, columns: existing.columns, notes: [] };
    }
    const [dup] = await tx.query(`SELECT 1 FROM ${n.meta} WHERE chain_id = $1`, [chainId]);
    if (dup) throw new PlumbError('E_USAGE', `chain id "${chainId}" is already used by another table`, 'pass a different --chain-id');

    let live = await liveColumns(tx, ref);
    const created = live === undefined;
    if (created) {
      const defs = [
        'seq bigint NOT NULL PRIMARY KEY',
        ...req.columns.map((c) => `${q(c.name)} ${c.definition}`),
        ...(req.signature ? ['signature text'] : []),
        'previous_hash text NOT NULL',
        'row_hash text NOT NULL',
        'hash_version smallint NOT NULL',
      ];
      await tx.exec(`CREATE TABLE ${n.table} (\n  ${defs.join(',\n  ')}\n)`);
    } else {
      await tx.exec(
        `ALTER TABLE ${n.table} ADD COLUMN IF NOT EXISTS seq bigint, ADD COLUMN IF NOT EXISTS previous_hash text, ADD COLUMN IF NOT EXISTS row_hash text, ADD COLUMN IF NOT EXISTS hash_version smallint` +
          (req.signature ? ', ADD COLUMN IF NOT EXISTS signature text' : ''),
      );
    }
    live = (await liveColumns(tx, ref))!;
    const columns = hashedColumns(live);
    if (columns.length === 0) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} has no columns to hash`, 'add the audit columns with --columns');

    const genesis = genesisHash(chainId);
    await tx.query(`INSERT INTO ${n.meta} (chain_id, table_schema, table_name, hash_version, columns, last_seq, last_hash) VALUES ($1, $2, $3, $4, $5::jsonb, 0, $6)`, [
      chainId,
      ref.schema,
      ref.table,
      HASH_VERSION,
      JSON.stringify(columns),
      genesis,
    ]);
    await tx.exec(payloadFunctionSql(ref, chainId, columns));
    await tx.exec(appendFunctionSql(ref, chainId));
    await tx.exec(headFunctionSql(ref, chainId));
    for (const s of guardFunctionsSql(ref)) await tx.exec(s);

    let backfilled = 0;
    if (!created) backfilled = await backfill(tx, ref, chainId, genesis, req.orderBy);

    // Named zz_ so it fires after the table's other BEFORE INSERT triggers (alphabetical order):
    // a later trigger changing NEW would make the stored row differ from the hashed one.
    await tx.exec(`DROP TRIGGER IF EXISTS zz_plumb_chain_append ON ${n.table}`);
    await tx.exec(`CREATE TRIGGER zz_plumb_chain_append BEFORE INSERT ON ${n.table} FOR EACH ROW EXECUTE FUNCTION ${n.appendFn}()`);
    await tx.exec(`DROP TRIGGER IF EXISTS plumb_chain_head ON ${n.table}`);
    await tx.exec(`CREATE TRIGGER plumb_chain_head AFTER INSERT ON ${n.table} FOR EACH STATEMENT EXECUTE FUNCTION ${n.headFn}()`);
    if (!created) {
      await tx.exec(
        `ALTER TABLE ${n.table} ALTER COLUMN seq SET NOT NULL, ALTER COLUMN previous_hash SET NOT NULL, ALTER COLUMN row_hash SET NOT NULL, ALTER COLUMN hash_version SET NOT NULL`,
      );
      await tx.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${ref.table.slice(0, 40)}_plumb_seq`)} ON ${n.table} (seq)`);
    }
    await tx.exec(`DROP TRIGGER IF EXISTS plumb_chain_no_update_delete ON ${n.table}`);
    await tx.exec(`CREATE TRIGGER plumb_chain_no_update_delete BEFORE UPDATE OR DELETE ON ${n.table} FOR EACH ROW EXECUTE FUNCTION ${n.guardFn}()`);
    await tx.exec(`DROP TRIGGER IF EXISTS plumb_chain_no_truncate ON ${n.table}`);
    await tx.exec(`CREATE TRIGGER plumb_chain_no_truncate BEFORE TRUNCATE ON ${n.table} FOR EACH STATEMENT EXECUTE FUNCTION ${n.guardFn}()`);
    await tx.exec(`DROP TRIGGER IF EXISTS plumb_chain_head_guard ON ${n.meta}`);
    await tx.exec(`CREATE TRIGGER plumb_chain_head_guard BEFORE UPDATE OR DELETE ON ${n.meta} FOR EACH ROW EXECUTE FUNCTION ${n.metaGuardFn}()`);
    await tx.exec(`DROP TRIGGER IF EXISTS plumb_chain_no_truncate ON ${n.meta}`);
    await tx.exec(`CREATE TRIGGER plumb_chain_no_truncate BEFORE TRUNCATE ON ${n.meta} FOR EACH STATEMENT EXECUTE FUNCTION ${n.guardFn}()`);
    return {
      chainId,
      ref,
      created,
      alreadyInstalled: false,
      backfilled,
      columns,
      notes: [
        'a table owner or superuser can still disable the triggers (ALTER TABLE … DISABLE TRIGGER, session_replication_role = replica) and rewrite rows; `plumb chain verify` detects it, and only an anchor kept outside the database detects a rewritten or truncated tail',
      ],
    };
  });
}

/** Chains the rows a table already had, in primary-key order (or --order-by), before the guards exist. */
async function backfill(tx: Connection, ref: TableRef, chainId: string, genesis: string, orderBy?: string[]): Promise<number> {
  const n = names(ref);
  let order = orderBy;
  if (!order?.length) {
    const pk = await tx.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      [n.table],
    );
    order = pk.map((r) => r.name);
  }
  const [{ count } = { count: '0' }] = await tx.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${n.table}`);
  if (Number(count) === 0) return 0;
  for (const [k, v] of PG_CANONICAL_SETTINGS) await tx.exec(`SET LOCAL ${k} = ${lit(v)}`);
  await tx.exec(`SET LOCAL search_path = pg_catalog, pg_temp`);
  await tx.exec(`DO $plumb$
DECLARE rec record; h text := ${lit(genesis)}; s bigint := 0;
BEGIN
  FOR rec IN SELECT plumb_t AS plumb_row, plumb_t.ctid AS plumb_ctid FROM ${n.table} plumb_t ORDER BY ${order.length ? order.map((c) => `plumb_t.${q(c)}`).join(', ') : 'plumb_t.ctid'} LOOP
    s := s + 1;
    UPDATE ${n.table} SET seq = s, previous_hash = h, hash_version = ${HASH_VERSION},
           row_hash = encode(sha256(decode(h, 'hex') || ${n.payloadFn}(s, rec.plumb_row)), 'hex')
     WHERE ctid = rec.plumb_ctid RETURNING row_hash INTO h;
  END LOOP;
  UPDATE ${n.meta} SET last_seq = s, last_hash = h WHERE chain_id = ${lit(chainId)};
END $plumb$`);
  return Number(count);
}

export const postgresChain: ChainDialect = {
  name: 'postgres',
  defaultColumns: [
    { name: 'occurred_at', definition: 'timestamptz NOT NULL DEFAULT now()' },
    { name: 'actor', definition: 'text' },
    { name: 'action', definition: 'text NOT NULL' },
    { name: 'entity_type', definition: 'text' },
    { name: 'entity_id', definition: 'text' },
    { name: 'payload', definition: 'jsonb' },
  ],
  async defaultSchema(conn) {
    const [r] = await conn.query<{ s: string }>('SELECT current_schema() AS s');
    return r?.s ?? 'public';
  },
  quoteIdent: q,
  placeholder: (n) => `$${n}`,
  install,
  snapshot(conn, fn) {
    return conn.transaction(
      async (tx) => {
        for (const [k, v] of PG_CANONICAL_SETTINGS) await tx.exec(`SET LOCAL ${k} = ${lit(v)}`);
        return fn(tx);
      },
      { readOnly: true, isolation: 'repeatable read' },
    );
  },
  readMeta,
  liveColumns,
  async *rows(tx, meta, batchSize) {
    const cursor = `plumb_chain_${Date.now().toString(36)}`;
    await tx.exec(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${rowsSql(meta)}`);
    const n = meta.columns.length;
    const fetch = () => tx.query<Record<string, string | null>>(`FETCH ${batchSize} FROM ${cursor}`);
    // One fetch in flight while the previous batch is hashed: the server and the verifier work at once.
    let next: Promise<Record<string, string | null>[]> | undefined = fetch();
    while (next) {
      const batch: Record<string, string | null>[] = await next;
      next = batch.length === batchSize ? fetch() : undefined;
      if (next) next.catch(() => undefined);
      if (batch.length === 0) break;
      const out: RawChainRow[] = new Array(batch.length);
      for (let j = 0; j < batch.length; j++) {
        const r = batch[j]!;
        const values: (string | null)[] = new Array(n);
        for (let i = 0; i < n; i++) values[i] = r[`c${i}`] ?? null;
        out[j] = { seq: r.seq ?? null, previousHash: r.previous_hash ?? null, rowHash: r.row_hash ?? null, hashVersion: r.hv ?? null, values };
      }
      yield out;
    }
    await tx.exec(`CLOSE ${cursor}`);
  },
  async walk(tx, meta, walker) {
    if (!tx.copyOut) return false;
    const fields = 4 + meta.columns.length;
    const f = new Int32Array(2 * fields);
    const label = `${meta.schema}.${meta.table}`;
    // Binary COPY: every text field arrives as its bytes with a length (no escapes to decode, no tabs to find).
    await tx.copyOut(
      `COPY (${rowsSql(meta)}) TO STDOUT (FORMAT binary)`,
      binaryTuples(
        (first) => chainCopyHeaderEnd(first, label),
        (msg, at, msgEnd) => {
          const end = readCopyTuple(msg, at, f, fields, msgEnd);
          if (end < 0) throw new PlumbError('E_VERIFY', `COPY of ${label} returned a tuple that is not ${fields} whole fields`, 'this is a bug in plumb; report it');
          // Bytes that are not UTF-8 go the way of rows(): decoded (with U+FFFD) and re-encoded.
          if (fieldsUtf8(msg, f, BYTE_FIELDS.firstValue, fields) && walker.pushBytes(msg, f)) return end;
          const text = (k: number): string | null => (f[2 * k]! < 0 ? null : msg.toString('utf8', f[2 * k], f[2 * k + 1]));
          const values: (string | null)[] = new Array(fields - 4);
          for (let i = 4; i < fields; i++) values[i - 4] = text(i);
          walker.push({ seq: text(0), previousHash: text(1), rowHash: text(2), hashVersion: text(3), values });
          return end;
        },
      ),
    );
    return true;
  },
  async seqOfHash(tx, meta, hash) {
    const [r] = await tx.query<{ seq: string }>(`SELECT t.seq::text AS seq FROM ${q(meta.schema)}.${q(meta.table)} t WHERE t.row_hash = $1 ORDER BY t.seq LIMIT 1`, [hash]);
    return r?.seq;
  },
};

/** For tests and benchmarks: the COPY binary readers. */
export const testing = { COPY_SIGNATURE, copyHeaderEnd: chainCopyHeaderEnd, readCopyTuple, fieldsUtf8 };
