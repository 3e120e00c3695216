// SQLite for `plumb chain`. SQLite has no built-in SHA-256 (the bundled build
// has neither sha256() nor sha3()), so the triggers build the canonical payload
// in SQL and call one application-defined function, plumb_chain_sha256(blob),
// that every writing connection must register (registerSqliteChainFunctions).
// A connection without it cannot insert at all — it cannot write an unhashed
// row. SQLite has no users or privileges: anyone who can write the file can
// drop the triggers; `plumb chain verify` and an anchor catch that.
import { createHash } from 'node:crypto';
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import { field, genesisHash, HASH_VERSION, PAYLOAD_MAGIC, type ChainColumn, type ValueKind } from '../canonical.js';
import {
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

export const SQLITE_SHA256_FUNCTION = 'plumb_chain_sha256';

interface FunctionHost {
  function(name: string, options: { deterministic?: boolean }, fn: (arg: unknown) => unknown): unknown;
}

/** Registers plumb_chain_sha256(blob) → lowercase hex on a better-sqlite3 database. Writers must call this. */
export function registerSqliteChainFunctions(db: FunctionHost): void {
  db.function(SQLITE_SHA256_FUNCTION, { deterministic: true }, (arg: unknown) => {
    if (arg === null || arg === undefined) return null;
    const buf = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'utf8');
    return createHash('sha256').update(buf).digest('hex');
  });
}

function registerOn(conn: Connection): void {
  const db = (conn as unknown as { db?: FunctionHost }).db;
  if (db && typeof db.function === 'function') registerSqliteChainFunctions(db);
}

/** SQLite types are affinities; everything is read as text, so timestamps are hashed as stored. */
function kindOf(): ValueKind {
  return 'text';
}

/** Canonical text of a value: blobs as lowercase hex, everything else CAST AS TEXT. Used by trigger and verifier alike. */
function textSql(v: string): string {
  return `CASE typeof(${v}) WHEN 'blob' THEN lower(hex(${v})) ELSE CAST(${v} AS TEXT) END`;
}

/** Hex of str(s): u32be byte length ‖ UTF-8 bytes (the database must be UTF-8, the default). */
const strHex = (t: string) => `printf('%08X', length(CAST(${t} AS BLOB))) || hex(${t})`;

function payloadHexSql(chainId: string, columns: ChainColumn[], row: string, seq: string): string {
  const prefix = Buffer.concat([field(PAYLOAD_MAGIC), field(String(HASH_VERSION)), field(chainId)]);
  const parts = [`'${prefix.toString('hex')}'`, strHex(`CAST(${seq} AS TEXT)`), `'${columns.length.toString(16).padStart(8, '0')}'`];
  for (const c of columns) {
    const v = `${row}.${q(c.name)}`;
    parts.push(`'${Buffer.concat([field(c.name), field(c.type)]).toString('hex')}'`, `CASE WHEN ${v} IS NULL THEN '00' ELSE '01' || ${strHex(textSql(v))} END`);
  }
  return parts.join(' || ');
}

function triggerNames(ref: TableRef) {
  return { append: `zz_plumb_chain_append_${ref.table}`, noUpdate: `plumb_chain_noupd_${ref.table}`, noDelete: `plumb_chain_nodel_${ref.table}` };
}

async function liveColumns(conn: Connection, ref: TableRef): Promise<LiveColumn[] | undefined> {
  const rows = await conn.query<{ name: string; type: string; hidden: number }>(`SELECT name, type, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid`, [ref.table, ref.schema]);
  if (rows.length === 0) return undefined;
  // hidden: 2 = virtual generated, 3 = stored generated.
  return rows.map((r) => ({ name: r.name, type: String(r.type).toLowerCase(), kind: kindOf(), generated: Number(r.hidden) >= 2 }));
}

async function readMeta(conn: Connection, ref: TableRef): Promise<ChainMeta | undefined> {
  const [exists] = await conn.query(`SELECT 1 AS x FROM ${q(ref.schema)}.sqlite_master WHERE type = 'table' AND name = ?`, [META_TABLE]);
  if (!exists) return undefined;
  const [r] = await conn.query<{ chain_id: string; hash_version: number; columns: string; last_seq: string; last_hash: string }>(
    `SELECT chain_id, hash_version, columns, CAST(last_seq AS TEXT) AS last_seq, last_hash FROM ${q(ref.schema)}.${q(META_TABLE)} WHERE table_schema = ? AND table_name = ?`,
    [ref.schema, ref.table],
  );
  if (!r) return undefined;
  return { chainId: r.chain_id, schema: ref.schema, table: ref.table, hashVersion: Number(r.hash_version), columns: parseMetaColumns(r.columns), lastSeq: String(r.last_seq), lastHash: r.last_hash };
}

async function install(conn: Connection, req: InstallRequest): Promise<InstallResult> {
  const { ref, chainId } = req;
  registerOn(conn);
  const s = q(ref.schema);
  const table = `${s}.${q(ref.table)}`;
  const meta = `${s}.${q(META_TABLE)}`;
  return conn.transaction(async (tx) => {
    await tx.exec(`CREATE TABLE IF NOT EXISTS ${meta} (
  chain_id TEXT NOT NULL PRIMARY KEY,
  table_schema TEXT NOT NULL,
  table_name TEXT NOT NULL,
  hash_version INTEGER NOT NULL,
  columns TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  last_hash TEXT NOT NULL,
  installed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (table_schema, table_name)
)`);
    const existing = await readMeta(tx, ref);
    if (existing) {
      if (existing.chainId !== chainId) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} is already chained as "${existing.chainId}"`, 'drop --chain-id, or use another table');
      return { chainId, ref, created: false, alreadyInstalled: true, backfilled: 0, columns: existing.columns, notes: [] };
    }
    let live = await liveColumns(tx, ref);
    const created = live === undefined;
    if (created) {
      const defs = [
        ...req.columns.map((c) => `${q(c.name)} ${c.definition}`),
        ...(req.signature ? ['signature TEXT'] : []),
        // Filled by the AFTER INSERT trigger, then frozen by the UPDATE guard.
        'seq INTEGER UNIQUE',
        'previous_hash TEXT',
        'row_hash TEXT',
        'hash_version INTEGER',
      ];
      await tx.exec(`CREATE TABLE ${table} (\n  ${defs.join(',\n  ')}\n)`);
    } else {
      const [row] = await tx.query(`SELECT 1 AS x FROM ${table} LIMIT 1`);
      if (row) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} already has rows; on SQLite plumb chains empty or new tables only`, 'copy the rows into a new chained table (INSERT … SELECT … ORDER BY your key), then rename');
      const have = new Set(live!.map((c) => c.name));
      for (const [c, d] of [['seq', 'INTEGER'], ['previous_hash', 'TEXT'], ['row_hash', 'TEXT'], ['hash_version', 'INTEGER'], ...(req.signature ? [['signature', 'TEXT']] : [])]) {
        if (!have.has(c!)) await tx.exec(`ALTER TABLE ${table} ADD COLUMN ${q(c!)} ${d}`);
      }
      await tx.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${s}.${q(`${ref.table}_plumb_seq`)} ON ${q(ref.table)} (seq)`);
    }
    live = (await liveColumns(tx, ref))!;
    const columns = hashedColumns(live);
    if (columns.length === 0) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} has no columns to hash`, 'add the audit columns with --columns');
    await tx.query(`INSERT INTO ${meta} (chain_id, table_schema, table_name, hash_version, columns, last_seq, last_hash) VALUES (?, ?, ?, ?, ?, 0, ?)`, [
      chainId,
      ref.schema,
      ref.table,
      HASH_VERSION,
      JSON.stringify(columns),
      genesisHash(chainId),
    ]);
    const t = triggerNames(ref);
    const id = lit(chainId);
    const head = (col: string) => `(SELECT ${col} FROM ${q(META_TABLE)} WHERE chain_id = ${id})`;
    const tn = q(ref.table);
    for (const name of [t.append, t.noUpdate, t.noDelete]) await tx.exec(`DROP TRIGGER IF EXISTS ${s}.${q(name)}`);
    // SQLite's single writer lock serialises appends: the head read and update happen inside the inserting transaction.
    await tx.exec(`CREATE TRIGGER ${s}.${q(t.append)} AFTER INSERT ON ${tn} FOR EACH ROW
BEGIN
  SELECT RAISE(ABORT, 'plumb chain: head row missing from ${META_TABLE}') WHERE ${head('last_seq')} IS NULL;
  UPDATE ${tn} SET seq = ${head('last_seq + 1')}, previous_hash = ${head('last_hash')}, hash_version = ${HASH_VERSION} WHERE rowid = NEW.rowid;
  UPDATE ${tn} SET row_hash = ${SQLITE_SHA256_FUNCTION}(unhex(previous_hash || ${payloadHexSql(chainId, columns, tn, 'seq')})) WHERE rowid = NEW.rowid;
  UPDATE ${q(META_TABLE)} SET last_seq = last_seq + 1, last_hash = (SELECT row_hash FROM ${tn} WHERE rowid = NEW.rowid) WHERE chain_id = ${id};
END`);
    // The append trigger fills the chain columns while row_hash is still NULL — or '', the default a spec
    // gives a NOT NULL row_hash (SQLite checks NOT NULL at the insert, before this trigger can fill it);
    // after that the row is frozen.
    await tx.exec(`CREATE TRIGGER ${s}.${q(t.noUpdate)} BEFORE UPDATE ON ${tn} FOR EACH ROW WHEN OLD.row_hash IS NOT NULL AND OLD.row_hash <> ''
BEGIN SELECT RAISE(ABORT, 'plumb chain: UPDATE on ${ref.table.replace(/'/g, "''")} is not allowed (hash-chained, append-only)'); END`);
    await tx.exec(`CREATE TRIGGER ${s}.${q(t.noDelete)} BEFORE DELETE ON ${tn} FOR EACH ROW
BEGIN SELECT RAISE(ABORT, 'plumb chain: DELETE on ${ref.table.replace(/'/g, "''")} is not allowed (hash-chained, append-only)'); END`);
    await tx.exec(`DROP TRIGGER IF EXISTS ${s}.plumb_chain_head_guard`);
    await tx.exec(`CREATE TRIGGER ${s}.plumb_chain_head_guard BEFORE UPDATE ON ${q(META_TABLE)} FOR EACH ROW
WHEN NOT (NEW.chain_id IS OLD.chain_id AND NEW.columns IS OLD.columns AND NEW.hash_version IS OLD.hash_version
          AND NEW.table_schema IS OLD.table_schema AND NEW.table_name IS OLD.table_name AND NEW.last_seq IS OLD.last_seq + 1)
BEGIN SELECT RAISE(ABORT, 'plumb chain: the head row may only advance by one append'); END`);
    await tx.exec(`DROP TRIGGER IF EXISTS ${s}.plumb_chain_head_nodel`);
    await tx.exec(`CREATE TRIGGER ${s}.plumb_chain_head_nodel BEFORE DELETE ON ${q(META_TABLE)} FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'plumb chain: head rows cannot be deleted'); END`);
    return {
      chainId,
      ref,
      created,
      alreadyInstalled: false,
      backfilled: 0,
      columns,
      notes: [
        `SQLite has no SHA-256: every connection that inserts must register ${SQLITE_SHA256_FUNCTION}() (registerSqliteChainFunctions from plumb); a connection without it cannot insert`,
        'SQLite has no privileges: anyone who can write the file can drop the triggers and rewrite rows; `plumb chain verify` detects it, and only an anchor detects a rewritten or truncated tail',
        'DELETE without WHERE is stopped by the row guard (SQLite has no TRUNCATE)',
      ],
    };
  });
}

export const sqliteChain: ChainDialect = {
  name: 'sqlite',
  defaultColumns: [
    { name: 'occurred_at', definition: "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))" },
    { name: 'actor', definition: 'TEXT' },
    { name: 'action', definition: 'TEXT NOT NULL' },
    { name: 'entity_type', definition: 'TEXT' },
    { name: 'entity_id', definition: 'TEXT' },
    { name: 'payload', definition: 'TEXT' },
  ],
  async defaultSchema() {
    return 'main';
  },
  quoteIdent: q,
  placeholder: () => '?',
  install,
  snapshot(conn, fn) {
    return conn.transaction(fn, { readOnly: true });
  },
  readMeta,
  liveColumns,
  async *rows(tx, meta, batchSize) {
    const select = meta.columns.map((c, i) => `${textSql(`t.${q(c.name)}`)} AS c${i}`);
    const head = `SELECT CAST(t.seq AS TEXT) AS seq, t.previous_hash, t.row_hash, CAST(t.hash_version AS TEXT) AS hv, t.rowid AS k${select.length ? ', ' + select.join(', ') : ''} FROM ${q(meta.schema)}.${q(meta.table)} t`;
    const n = meta.columns.length;
    const toRow = (r: Record<string, string | null>): RawChainRow => {
      const values: (string | null)[] = new Array(n);
      for (let i = 0; i < n; i++) values[i] = r[`c${i}`] ?? null;
      return { seq: r.seq ?? null, previousHash: r.previous_hash ?? null, rowHash: r.row_hash ?? null, hashVersion: r.hv ?? null, values };
    };
    // Keyset on (seq, rowid) over the seq index: duplicate seqs (written with the triggers dropped) are all read.
    let last: { seq: string; k: number } | undefined;
    for (;;) {
      const batch = last
        ? await tx.query<Record<string, string | null>>(`${head} WHERE t.seq >= ? ORDER BY t.seq, t.rowid LIMIT ${batchSize} + ?`, [last.seq, batchSize])
        : await tx.query<Record<string, string | null>>(`${head} WHERE t.seq IS NOT NULL ORDER BY t.seq, t.rowid LIMIT ${batchSize}`);
      const fresh = last ? batch.filter((r) => !(BigInt(r.seq!) === BigInt(last!.seq) && Number(r.k) <= last!.k)).slice(0, batchSize) : batch;
      if (fresh.length === 0) break;
      yield fresh.map(toRow);
      const l = fresh[fresh.length - 1]!;
      last = { seq: String(l.seq), k: Number(l.k) };
    }
    // Rows without seq last, as the other engines order them.
    let k = 0;
    for (;;) {
      const batch = await tx.query<Record<string, string | null>>(`${head} WHERE t.seq IS NULL AND t.rowid > ? ORDER BY t.rowid LIMIT ${batchSize}`, [k]);
      if (batch.length === 0) break;
      yield batch.map(toRow);
      k = Number(batch[batch.length - 1]!.k);
    }
  },
  async seqOfHash(tx, meta, hash) {
    const [r] = await tx.query<{ seq: string }>(`SELECT CAST(t.seq AS TEXT) AS seq FROM ${q(meta.schema)}.${q(meta.table)} t WHERE t.row_hash = ? ORDER BY t.seq LIMIT 1`, [hash]);
    return r?.seq;
  },
};
