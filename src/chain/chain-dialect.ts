// The small interface each engine implements for `plumb chain`: install the
// chain (table, head row, triggers) and stream a table back in one snapshot.
// Engine SQL lives only behind this interface (src/chain/dialects/*).
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import type { ChainColumn, ChainShape, ValueKind } from './canonical.js';
import type { ChainWalker } from './chain-walker.js';

export interface TableRef {
  /** Postgres schema, MySQL database, SQLite `main`. */
  schema: string;
  table: string;
}

/** A column the user asked for when plumb creates the table (`name type [not null] [default …]`). */
export interface ColumnDef {
  name: string;
  /** The rest of the definition, engine syntax (checked for `;` and comments, never quoted). */
  definition: string;
}

export interface LiveColumn {
  name: string;
  type: string;
  kind: ValueKind;
  /** Generated/computed columns are derived from hashed ones and are left out of the hash. */
  generated: boolean;
}

/** The head row: one per chain, locked by every append. */
export interface ChainMeta extends ChainShape {
  schema: string;
  table: string;
  lastSeq: string;
  lastHash: string;
}

/** One stored row as the verifier reads it: chain columns and every hashed column as engine text. */
export interface RawChainRow {
  seq: string | null;
  previousHash: string | null;
  rowHash: string | null;
  hashVersion: string | null;
  values: (string | null)[];
}

/**
 * A stored row as the engine's text in UTF-8 bytes, for readers that stream
 * bytes (no strings per row): field k, in RawChainRow order (seq,
 * previous_hash, row_hash, hash_version, then the hashed values), is
 * `src[f[2k]..f[2k + 1])`, start −1 for NULL.
 */
export const BYTE_FIELDS = { seq: 0, previousHash: 1, rowHash: 2, hashVersion: 3, firstValue: 4 } as const;

export interface InstallRequest {
  ref: TableRef;
  chainId: string;
  /** Only when plumb creates the table. */
  columns: ColumnDef[];
  signature: boolean;
  /** Order of existing rows when chaining a table that already has rows (default: primary key). */
  orderBy?: string[];
}

export interface InstallResult {
  chainId: string;
  ref: TableRef;
  created: boolean;
  alreadyInstalled: boolean;
  backfilled: number;
  columns: readonly ChainColumn[];
  /** What the install relies on and what it cannot stop (engine-specific, shown to the user). */
  notes: string[];
}

export interface ChainDialect {
  readonly name: 'postgres' | 'mysql' | 'sqlite';
  /** Default columns of a new audit table, in this engine's syntax. */
  readonly defaultColumns: ColumnDef[];
  defaultSchema(conn: Connection): Promise<string>;
  quoteIdent(name: string): string;
  /** The n-th (1-based) query parameter placeholder. */
  placeholder(n: number): string;
  install(conn: Connection, req: InstallRequest): Promise<InstallResult>;
  /** Runs fn in one read-only snapshot with the fixed session settings the canonical text needs. */
  snapshot<T>(conn: Connection, fn: (tx: Connection) => Promise<T>): Promise<T>;
  readMeta(tx: Connection, ref: TableRef): Promise<ChainMeta | undefined>;
  liveColumns(tx: Connection, ref: TableRef): Promise<LiveColumn[] | undefined>;
  /** Every row ordered by seq (rows without seq last), in batches; constant memory. */
  rows(tx: Connection, meta: ChainMeta, batchSize: number): AsyncGenerator<RawChainRow[]>;
  /**
   * Optional, the same rows as `rows` fed straight into the walker, as bytes
   * where the connection can stream them (walker.pushBytes, else walker.push
   * with the decoded row). Resolves false, having read nothing, when this
   * connection cannot stream: the caller then uses `rows`.
   */
  walk?(tx: Connection, meta: ChainMeta, walker: ChainWalker): Promise<boolean>;
  /** The lowest seq whose stored row_hash is `hash` (diagnosis of a broken link). */
  seqOfHash(tx: Connection, meta: ChainMeta, hash: string): Promise<string | undefined>;
}

/** Columns the chain owns; never part of the hashed payload. */
export const CHAIN_COLUMNS = ['seq', 'previous_hash', 'row_hash', 'hash_version'] as const;
export const META_TABLE = 'plumb_chain';

export function isChainColumn(name: string): boolean {
  return (CHAIN_COLUMNS as readonly string[]).includes(name);
}

/** Splits `a text, b numeric(10,2) not null` at top-level commas. */
export function parseColumnDefs(spec: string): ColumnDef[] {
  if (/;|--|\/\*/.test(spec)) {
    throw new PlumbError('E_USAGE', 'a --columns definition may not contain `;` or SQL comments', 'write columns as `name type [not null] [default expr]`, separated by commas');
  }
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of spec) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*?)\s*$/s.exec(p);
    if (!m) throw new PlumbError('E_USAGE', `cannot read column definition "${p.trim()}"`, 'write `name type`, e.g. `actor text` or `amount numeric(12,2) not null`');
    if (isChainColumn(m[1]!)) throw new PlumbError('E_USAGE', `column "${m[1]}" is reserved for the chain`, `plumb adds ${CHAIN_COLUMNS.join(', ')} itself`);
    return { name: m[1]!, definition: m[2]! };
  });
}

/** The hashed columns: live columns minus chain columns and generated ones, in table order. */
export function hashedColumns(live: LiveColumn[]): ChainColumn[] {
  return live.filter((c) => !c.generated && !isChainColumn(c.name)).map(({ name, type, kind }) => ({ name, type, kind }));
}

export function parseMetaColumns(text: string): ChainColumn[] {
  const v = JSON.parse(text) as ChainColumn[];
  if (!Array.isArray(v)) throw new PlumbError('E_VERIFY', 'the chain head row has an unreadable column list', 'was the plumb_chain row edited?');
  return v.map((c) => ({ name: String(c.name), type: String(c.type), kind: c.kind }));
}
