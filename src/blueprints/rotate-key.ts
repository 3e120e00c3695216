// Key rotation for encrypted columns (the settings blueprint's values, TOTP
// secrets): decrypt every value with the old AES-256-GCM key, encrypt it with
// the new one, in ONE transaction — all rows move or none. Never prints a
// plaintext, a ciphertext or a key.
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { decryptValue, encryptValue, type EncryptionKey } from '../seed/seed-crypto.js';
import { chainDialectFor } from '../chain/dialects/index.js';
import { resolveTable } from '../chain/verify.js';
import { findTable } from '../catalog/normalize.js';
import { getDialect } from '../dialects/index.js';

export interface RotateKeyOptions {
  table: string;
  schema?: string;
  /** Encrypted columns (envelope `v1:<keyid>:…`, as `plumb seed` writes). */
  columns: string[];
  /** A column holding the key id beside the values (the settings blueprint's `key_id`); updated too. */
  keyIdColumn?: string;
  from: EncryptionKey;
  to: EncryptionKey;
}

export interface RotateKeyResult {
  rows: number;
  values: number;
  /** Values already under the new key (a rerun after success changes nothing). */
  alreadyRotated: number;
}

export async function rotateKey(conn: Connection, o: RotateKeyOptions): Promise<RotateKeyResult> {
  if (o.from.id === o.to.id) throw new PlumbError('E_USAGE', 'the old and the new key are the same key', 'pass the new key with --to-key');
  const d = chainDialectFor(conn);
  const q = d.quoteIdent;
  const table = o.schema ? `${q(o.schema)}.${q(o.table)}` : q(o.table);
  const cols = o.columns.map(q);
  // Rows are found again by the engine's row address where it has one (Postgres ctid, SQLite rowid), else by the primary key.
  const byKey = d.name === 'mysql';
  const locator: { expr: string; match: (at: string) => string }[] = byKey
    ? (await primaryKey(conn, o)).map((c) => ({ expr: q(c), match: (at) => `${q(c)} = ${at}` }))
    : [d.name === 'postgres' ? { expr: 'ctid::text', match: (at) => `ctid = ${at}::tid` } : { expr: 'rowid', match: (at) => `rowid = ${at}` }];
  return conn.transaction(async (tx) => {
    // A key found by a plain read could change under us before the UPDATE: lock the rows read (InnoDB reads a snapshot otherwise).
    const rows = await tx.query<Record<string, string | null>>(`SELECT ${cols.join(', ')}, ${locator.map((k, i) => `${k.expr} AS plumb_rk${i}`).join(', ')} FROM ${table}${byKey ? ' FOR UPDATE' : ''}`);
    let values = 0;
    let alreadyRotated = 0;
    let changed = 0;
    for (const r of rows) {
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const c of o.columns) {
        const v = r[c];
        if (v === null || v === undefined) continue;
        if (decryptValue(o.to, v) !== undefined) {
          alreadyRotated++;
          continue;
        }
        const plain = decryptValue(o.from, v);
        if (plain === undefined) {
          throw new PlumbError('E_APPLY', `a value in ${o.table}.${c} cannot be decrypted with the old key (key id ${o.from.id}); nothing was changed`, 'pass the key those values were written with (--from-key); rows under a third key must be rotated separately');
        }
        params.push(encryptValue(o.to, plain));
        sets.push(`${q(c)} = ${d.placeholder(params.length)}`);
        values++;
      }
      if (!sets.length) continue;
      if (o.keyIdColumn) {
        params.push(o.to.id);
        sets.push(`${q(o.keyIdColumn)} = ${d.placeholder(params.length)}`);
      }
      const first = params.length + 1;
      params.push(...locator.map((_, i) => r[`plumb_rk${i}`]));
      await tx.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${locator.map((k, i) => k.match(d.placeholder(first + i))).join(' AND ')}`, params);
      changed++;
    }
    return { rows: changed, values, alreadyRotated };
  });
}

/** The table's primary key columns (MySQL has no row address to update by). */
async function primaryKey(conn: Connection, o: RotateKeyOptions): Promise<string[]> {
  const ref = await resolveTable(conn, o.table, o.schema);
  const catalog = await getDialect(conn.dialect).introspect(conn, { schemas: [ref.schema] });
  const t = findTable(catalog, ref.schema, ref.table);
  if (!t) throw new PlumbError('E_USAGE', `no table ${ref.schema}.${ref.table}`, 'pass --table (and --schema) of the table holding the encrypted values');
  if (!t.primaryKey?.columns.length) throw new PlumbError('E_USAGE', `${ref.schema}.${ref.table} has no primary key to find its rows by`, 'add a primary key, or rotate on Postgres or SQLite');
  return t.primaryKey.columns;
}
