// MySQL 8 / MariaDB 10.6+ for `plumb chain`: a BEFORE INSERT trigger locks the
// head row (SELECT … FOR UPDATE), hashes with SHA2(…, 256) and advances the
// head; BEFORE UPDATE/DELETE triggers reject changes. MySQL has no TRUNCATE
// trigger and DDL is not transactional: both are said in the install notes.
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

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const hex = (b: Buffer) => `UNHEX('${b.toString('hex')}')`;
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'geometry', 'point', 'linestring', 'polygon']);

interface MysqlLive extends LiveColumn {
  binary: boolean;
  extra: string | null;
}

function kindOf(dataType: string): ValueKind {
  if (dataType === 'timestamp') return 'timestamptz';
  if (dataType === 'datetime') return 'timestamp';
  if (dataType === 'json') return 'json';
  return 'text';
}

/** Canonical text of a non-null value, independent of the session's time_zone. */
function canonicalSql(v: string, c: ChainColumn): string {
  if (BINARY_TYPES.has(c.type.replace(/\(.*$/, '').toLowerCase())) return `LOWER(HEX(${v}))`;
  switch (c.kind) {
    case 'timestamptz':
      // UNIX_TIMESTAMP reads the value in the session zone; adding it to the epoch as DATETIME is zone-free.
      return `DATE_FORMAT(TIMESTAMPADD(MICROSECOND, ROUND(UNIX_TIMESTAMP(${v}) * 1000000), CAST('1970-01-01 00:00:00' AS DATETIME(6))), '%Y-%m-%dT%H:%i:%s.%fZ')`;
    case 'timestamp':
      return `DATE_FORMAT(${v}, '%Y-%m-%dT%H:%i:%s.%f')`;
    case 'json':
    case 'text':
      return `CAST(${v} AS CHAR CHARACTER SET utf8mb4)`;
  }
}

/** What the verifier selects (session time_zone '+00:00'); timestamps are normalised in TypeScript. */
function readSql(v: string, c: ChainColumn): string {
  if (BINARY_TYPES.has(c.type.replace(/\(.*$/, '').toLowerCase())) return `LOWER(HEX(${v}))`;
  return `CAST(${v} AS CHAR CHARACTER SET utf8mb4)`;
}

const u32hex = (x: string) => `UNHEX(LPAD(HEX(LENGTH(${x})), 8, '0'))`;

function triggerNames(ref: TableRef) {
  const base = ref.table.slice(0, 40);
  return { append: `plumb_chain_append_${base}`, noUpdate: `plumb_chain_noupd_${base}`, noDelete: `plumb_chain_nodel_${base}` };
}

/**
 * The append trigger. MySQL assigns an AUTO_INCREMENT value only after BEFORE
 * INSERT triggers run (NEW.id reads 0 there), so a row left to AUTO_INCREMENT
 * gets its id from the trigger: MAX + 1, read with a locking read (the newest
 * committed rows, whatever the writer's snapshot) while the chain's head row is
 * locked, which serialises appends. The id is then known, and hashed.
 */
function appendTriggerSql(ref: TableRef, chainId: string, columns: ChainColumn[], autoIncrement: readonly string[]): string {
  const table = `${q(ref.schema)}.${q(ref.table)}`;
  const meta = `${q(ref.schema)}.${q(META_TABLE)}`;
  const prefix = Buffer.concat([field(PAYLOAD_MAGIC), field(String(HASH_VERSION)), field(chainId)]);
  const n = Buffer.alloc(4);
  n.writeUInt32BE(columns.length);
  const lines = [
    `SET v = CAST(CONVERT(CAST(NEW.seq AS CHAR) USING utf8mb4) AS BINARY);`,
    `SET b = CONCAT(${hex(prefix)}, ${u32hex('v')}, v, ${hex(n)});`,
  ];
  for (const c of columns) {
    const col = `NEW.${q(c.name)}`;
    lines.push(
      `SET v = CAST(CONVERT(${canonicalSql(col, c)} USING utf8mb4) AS BINARY);`,
      `SET b = CONCAT(b, ${hex(Buffer.concat([field(c.name), field(c.type)]))}, IF(${col} IS NULL, UNHEX('00'), CONCAT(UNHEX('01'), ${u32hex('v')}, v)));`,
    );
  }
  return `CREATE TRIGGER ${q(ref.schema)}.${q(triggerNames(ref).append)} BEFORE INSERT ON ${table} FOR EACH ROW
BEGIN
  DECLARE h_seq BIGINT DEFAULT NULL;
  DECLARE h_hash CHAR(64) DEFAULT NULL;
  DECLARE b LONGBLOB;
  DECLARE v LONGBLOB;
  DECLARE next_id BIGINT DEFAULT NULL;
  SELECT last_seq, last_hash INTO h_seq, h_hash FROM ${meta} WHERE chain_id = ${lit(chainId)} FOR UPDATE;
  IF h_seq IS NULL THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'plumb chain: head row missing from ${META_TABLE}';
  END IF;
  ${autoIncrement.map((c) => `IF NEW.${q(c)} IS NULL OR NEW.${q(c)} = 0 THEN
    SELECT COALESCE(MAX(${q(c)}), 0) + 1 INTO next_id FROM ${table};
    SET NEW.${q(c)} = next_id;
  END IF;`).join('\n  ')}
  SET NEW.seq = h_seq + 1;
  SET NEW.previous_hash = h_hash;
  SET NEW.hash_version = ${HASH_VERSION};
  ${lines.join('\n  ')}
  SET NEW.row_hash = SHA2(CONCAT(UNHEX(h_hash), b), 256);
  UPDATE ${meta} SET last_seq = NEW.seq, last_hash = NEW.row_hash WHERE chain_id = ${lit(chainId)};
END`;
}

/** The column list identifying each existing row, and the order to chain them in (default: the primary key). */
async function rowKey(conn: Connection, ref: TableRef, orderBy?: string[]): Promise<{ key: string[]; order: string[] }> {
  const pk = await conn.query<{ name: string }>(
    `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    [ref.schema, ref.table],
  );
  if (!pk.length) {
    throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} already has rows and no primary key to chain them by`, 'add a primary key, or copy the rows into a new chained table (INSERT … SELECT … ORDER BY your key)');
  }
  const key = pk.map((r) => r.name);
  return { key, order: orderBy?.length ? orderBy : key };
}

/**
 * The append trigger's payload as one expression over `row` (alias of the
 * table), with `seq` given: the same bytes the trigger hashes, so a backfilled
 * row verifies like an appended one.
 */
function payloadExpr(chainId: string, columns: readonly ChainColumn[], row: string, seq: string): string {
  const bin = (e: string) => `CAST(CONVERT(${e} USING utf8mb4) AS BINARY)`;
  const n = Buffer.alloc(4);
  n.writeUInt32BE(columns.length);
  const v0 = bin(`CAST(${seq} AS CHAR)`);
  const parts = [hex(Buffer.concat([field(PAYLOAD_MAGIC), field(String(HASH_VERSION)), field(chainId)])), u32hex(v0), v0, hex(n)];
  for (const c of columns) {
    const col = `${row}.${q(c.name)}`;
    const v = bin(canonicalSql(col, c));
    parts.push(hex(Buffer.concat([field(c.name), field(c.type)])), `IF(${col} IS NULL, UNHEX('00'), CONCAT(UNHEX('01'), ${u32hex(v)}, ${v}))`);
  }
  return `CONCAT(${parts.join(', ')})`;
}

/** Chains the rows a table already has, one UPDATE per row in `order`, in one transaction; returns the new head. */
async function backfill(conn: Connection, ref: TableRef, chainId: string, columns: readonly ChainColumn[], keys: { key: string[]; order: string[] }): Promise<{ rows: number; seq: number; hash: string }> {
  const table = `${q(ref.schema)}.${q(ref.table)}`;
  return conn.transaction(async (tx) => {
    const rows = await tx.query<Record<string, unknown>>(`SELECT ${keys.key.map((c) => `t.${q(c)}`).join(', ')} FROM ${table} t ORDER BY ${keys.order.map((c) => `t.${q(c)}`).join(', ')} FOR UPDATE`);
    const where = keys.key.map((c) => `t.${q(c)} = ?`).join(' AND ');
    let hash = genesisHash(chainId);
    let seq = 0;
    for (const r of rows) {
      seq++;
      const at = keys.key.map((c) => r[c]);
      // seq is spelled as a literal (a counter, not input) so the payload never reads the column this UPDATE assigns.
      await tx.query(
        `UPDATE ${table} t SET t.previous_hash = ?, t.hash_version = ${HASH_VERSION}, t.row_hash = SHA2(CONCAT(UNHEX(?), ${payloadExpr(chainId, columns, 't', String(seq))}), 256), t.seq = ${seq} WHERE ${where}`,
        [hash, hash, ...at],
      );
      const [h] = await tx.query<{ h: string }>(`SELECT t.row_hash AS h FROM ${table} t WHERE ${where}`, at);
      hash = String(h?.h);
    }
    return { rows: rows.length, seq, hash };
  });
}

async function liveColumns(conn: Connection, ref: TableRef): Promise<MysqlLive[] | undefined> {
  const rows = await conn.query<{ name: string; type: string; data_type: string; extra: string | null }>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, LOWER(DATA_TYPE) AS data_type, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [ref.schema, ref.table],
  );
  if (rows.length === 0) return undefined;
  return rows.map((r) => ({
    name: r.name,
    type: String(r.type).toLowerCase(),
    kind: kindOf(r.data_type),
    // AUTO_INCREMENT is hashed like any column: the append trigger assigns it itself (see appendTriggerSql).
    generated: /GENERATED|VIRTUAL|PERSISTENT|STORED/i.test(r.extra ?? ''),
    binary: BINARY_TYPES.has(r.data_type),
    extra: r.extra,
  }));
}

async function readMeta(conn: Connection, ref: TableRef): Promise<ChainMeta | undefined> {
  const [exists] = await conn.query(`SELECT 1 AS x FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, [ref.schema, META_TABLE]);
  if (!exists) return undefined;
  const [r] = await conn.query<{ chain_id: string; hash_version: number; columns: string; last_seq: string; last_hash: string }>(
    `SELECT chain_id, hash_version, columns, CAST(last_seq AS CHAR) AS last_seq, last_hash FROM ${q(ref.schema)}.${q(META_TABLE)} WHERE table_schema = ? AND table_name = ?`,
    [ref.schema, ref.table],
  );
  if (!r) return undefined;
  return { chainId: r.chain_id, schema: ref.schema, table: ref.table, hashVersion: Number(r.hash_version), columns: parseMetaColumns(r.columns), lastSeq: String(r.last_seq), lastHash: r.last_hash };
}

async function install(conn: Connection, req: InstallRequest): Promise<InstallResult> {
  const { ref, chainId } = req;
  const table = `${q(ref.schema)}.${q(ref.table)}`;
  const meta = `${q(ref.schema)}.${q(META_TABLE)}`;
  // DDL commits implicitly in MySQL: each step is written to be safe to rerun.
  await conn.exec(`CREATE TABLE IF NOT EXISTS ${meta} (
  chain_id VARCHAR(191) NOT NULL PRIMARY KEY,
  table_schema VARCHAR(64) NOT NULL,
  table_name VARCHAR(64) NOT NULL,
  hash_version INT NOT NULL,
  columns LONGTEXT NOT NULL,
  last_seq BIGINT NOT NULL,
  last_hash CHAR(64) CHARACTER SET ascii NOT NULL,
  installed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY plumb_chain_table (table_schema, table_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  const existing = await readMeta(conn, ref);
  if (existing) {
    if (existing.chainId !== chainId) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} is already chained as "${existing.chainId}"`, 'drop --chain-id, or use another table');
    return { chainId, ref, created: false, alreadyInstalled: true, backfilled: 0, columns: existing.columns, notes: [] };
  }
  let live = await liveColumns(conn, ref);
  const created = live === undefined;
  let head = { rows: 0, seq: 0, hash: genesisHash(chainId) };
  if (created) {
    const defs = [
      // Defaults only so that inserts may omit them: the trigger always overwrites them.
      'seq BIGINT NOT NULL DEFAULT 0 PRIMARY KEY',
      ...req.columns.map((c) => `${q(c.name)} ${c.definition}`),
      ...(req.signature ? ['signature TEXT NULL'] : []),
      "previous_hash CHAR(64) CHARACTER SET ascii NOT NULL DEFAULT ''",
      "row_hash CHAR(64) CHARACTER SET ascii NOT NULL DEFAULT ''",
      'hash_version SMALLINT NOT NULL DEFAULT 0',
    ];
    await conn.exec(`CREATE TABLE ${table} (\n  ${defs.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  } else {
    const [row] = await conn.query(`SELECT 1 AS x FROM ${table} LIMIT 1`);
    const keys = row ? await rowKey(conn, ref, req.orderBy) : undefined;
    const have = new Set(live!.map((c) => c.name));
    const add = [
      ['seq', 'BIGINT NOT NULL DEFAULT 0'],
      ['previous_hash', "CHAR(64) CHARACTER SET ascii NOT NULL DEFAULT ''"],
      ['row_hash', "CHAR(64) CHARACTER SET ascii NOT NULL DEFAULT ''"],
      ['hash_version', 'SMALLINT NOT NULL DEFAULT 0'],
      ...(req.signature ? [['signature', 'TEXT NULL']] : []),
    ].filter(([c]) => !have.has(c!));
    if (add.length) await conn.exec(`ALTER TABLE ${table} ${add.map(([c, d]) => `ADD COLUMN ${q(c!)} ${d}`).join(', ')}`);
    // Rows already there are chained before the unique seq index and the guards exist (every seq is 0 until then).
    if (keys) head = await backfill(conn, ref, chainId, hashedColumns((await liveColumns(conn, ref))!), keys);
    await conn.exec(`CREATE UNIQUE INDEX ${q(`${ref.table.slice(0, 40)}_plumb_seq`)} ON ${table} (seq)`);
  }
  live = (await liveColumns(conn, ref))!;
  const columns = hashedColumns(live);
  if (columns.length === 0) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} has no columns to hash`, 'add the audit columns with --columns');
  await conn.query(`INSERT INTO ${meta} (chain_id, table_schema, table_name, hash_version, columns, last_seq, last_hash) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
    chainId,
    ref.schema,
    ref.table,
    HASH_VERSION,
    JSON.stringify(columns),
    head.seq,
    head.hash,
  ]);
  const t = triggerNames(ref);
  for (const name of [t.append, t.noUpdate, t.noDelete]) await conn.exec(`DROP TRIGGER IF EXISTS ${q(ref.schema)}.${q(name)}`);
  const autoIncrement = live.filter((c) => /auto_increment/i.test(c.extra ?? '')).map((c) => c.name);
  await conn.exec(appendTriggerSql(ref, chainId, columns, autoIncrement));
  const refuse = (op: string) => `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'plumb chain: ${op} on ${ref.schema}.${ref.table} is not allowed (hash-chained, append-only)'`;
  await conn.exec(`CREATE TRIGGER ${q(ref.schema)}.${q(t.noUpdate)} BEFORE UPDATE ON ${table} FOR EACH ROW ${refuse('UPDATE')}`);
  await conn.exec(`CREATE TRIGGER ${q(ref.schema)}.${q(t.noDelete)} BEFORE DELETE ON ${table} FOR EACH ROW ${refuse('DELETE')}`);
  // The head may only advance by one append; one pair of guards serves every chain in the database.
  await conn.exec(`DROP TRIGGER IF EXISTS ${q(ref.schema)}.plumb_chain_head_noupd`);
  await conn.exec(`DROP TRIGGER IF EXISTS ${q(ref.schema)}.plumb_chain_head_nodel`);
  await conn.exec(`CREATE TRIGGER ${q(ref.schema)}.plumb_chain_head_noupd BEFORE UPDATE ON ${meta} FOR EACH ROW
BEGIN
  IF NOT (NEW.chain_id <=> OLD.chain_id AND NEW.columns <=> OLD.columns AND NEW.hash_version <=> OLD.hash_version
          AND NEW.table_schema <=> OLD.table_schema AND NEW.table_name <=> OLD.table_name AND NEW.last_seq <=> OLD.last_seq + 1) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'plumb chain: the head row may only advance by one append';
  END IF;
END`);
  await conn.exec(`CREATE TRIGGER ${q(ref.schema)}.plumb_chain_head_nodel BEFORE DELETE ON ${meta} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'plumb chain: head rows cannot be deleted'`);
  return {
    chainId,
    ref,
    created,
    alreadyInstalled: false,
    backfilled: head.rows,
    columns,
    notes: [
      'MySQL/MariaDB fire no trigger on TRUNCATE TABLE: revoke DROP from writers (TRUNCATE needs it) and keep anchors outside the database',
      'a user with TRIGGER privilege can drop the triggers and rewrite rows; `plumb chain verify` detects it, and only an anchor detects a rewritten or truncated tail',
      ...autoIncrement.map((c) => `${c} is AUTO_INCREMENT: the append trigger assigns it (MAX + 1 under the chain's head lock) so that it is hashed`),
    ],
  };
}

export const mysqlChain: ChainDialect = {
  name: 'mysql',
  defaultColumns: [
    { name: 'occurred_at', definition: 'TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)' },
    { name: 'actor', definition: 'VARCHAR(255) NULL' },
    { name: 'action', definition: 'VARCHAR(100) NOT NULL' },
    { name: 'entity_type', definition: 'VARCHAR(100) NULL' },
    { name: 'entity_id', definition: 'VARCHAR(100) NULL' },
    { name: 'payload', definition: 'JSON NULL' },
  ],
  async defaultSchema(conn) {
    const [r] = await conn.query<{ s: string | null }>('SELECT DATABASE() AS s');
    if (!r?.s) throw new PlumbError('E_USAGE', 'no database selected', 'put the database in the URL (mysql://user@host/db) or pass --schema');
    return r.s;
  },
  quoteIdent: q,
  placeholder: () => '?',
  install,
  async snapshot(conn, fn) {
    const [tz] = await conn.query<{ tz: string }>('SELECT @@session.time_zone AS tz');
    await conn.exec("SET time_zone = '+00:00'");
    try {
      return await conn.transaction(fn, { readOnly: true, isolation: 'repeatable read' });
    } finally {
      await conn.query('SET time_zone = ?', [tz?.tz ?? 'SYSTEM']).catch(() => undefined);
    }
  },
  readMeta,
  liveColumns,
  async *rows(tx, meta, batchSize) {
    const select = meta.columns.map((c, i) => `${readSql(`t.${q(c.name)}`, c)} AS c${i}`);
    const from = `${q(meta.schema)}.${q(meta.table)}`;
    const head = `SELECT CAST(t.seq AS CHAR) AS seq, t.previous_hash, t.row_hash, CAST(t.hash_version AS CHAR) AS hv${select.length ? ', ' + select.join(', ') : ''} FROM ${from} t`;
    const n = meta.columns.length;
    let last: { seq: string; hash: string } | undefined;
    for (;;) {
      // Keyset on (seq, row_hash) so that duplicate seqs (a dropped primary key) are still all read.
      const batch = last
        ? await tx.query<Record<string, string | null>>(`${head} WHERE t.seq > ? OR (t.seq = ? AND t.row_hash > ?) ORDER BY t.seq, t.row_hash LIMIT ${batchSize}`, [last.seq, last.seq, last.hash])
        : await tx.query<Record<string, string | null>>(`${head} ORDER BY t.seq, t.row_hash LIMIT ${batchSize}`);
      if (batch.length === 0) break;
      const out: RawChainRow[] = batch.map((r) => {
        const values: (string | null)[] = new Array(n);
        for (let i = 0; i < n; i++) values[i] = r[`c${i}`] ?? null;
        return { seq: r.seq ?? null, previousHash: r.previous_hash ?? null, rowHash: r.row_hash ?? null, hashVersion: r.hv ?? null, values };
      });
      yield out;
      const l = batch[batch.length - 1]!;
      last = { seq: String(l.seq), hash: String(l.row_hash ?? '') };
      if (batch.length < batchSize) break;
    }
  },
  async seqOfHash(tx, meta, hash) {
    const [r] = await tx.query<{ seq: string }>(`SELECT CAST(t.seq AS CHAR) AS seq FROM ${q(meta.schema)}.${q(meta.table)} t WHERE t.row_hash = ? ORDER BY t.seq LIMIT 1`, [hash]);
    return r?.seq;
  },
};
