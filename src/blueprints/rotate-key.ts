// Key rotation for encrypted columns (the settings blueprint's values, TOTP
// secrets): decrypt every value with the old AES-256-GCM key, encrypt it with
// the new one, in ONE transaction — all rows move or none. Never prints a
// plaintext, a ciphertext or a key.
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { decryptValue, encryptValue, type EncryptionKey } from '../seed/seed-crypto.js';
import { chainDialectFor } from '../chain/dialects/index.js';

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
  // Rows are found again by their physical position only where the engine has one; a key is portable.
  return conn.transaction(async (tx) => {
    const rows = await tx.query<Record<string, string | null>>(`SELECT ${cols.join(', ')}, ${rowKey(d.name)} AS plumb_rk FROM ${table}`);
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
      params.push(r.plumb_rk);
      const at = d.placeholder(params.length);
      await tx.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${d.name === 'postgres' ? `ctid = ${at}::tid` : `rowid = ${at}`}`, params);
      changed++;
    }
    return { rows: changed, values, alreadyRotated };
  });
}

/** The engine's row address, stable inside one transaction. */
function rowKey(engine: 'postgres' | 'mysql' | 'sqlite'): string {
  if (engine === 'postgres') return 'ctid::text';
  if (engine === 'sqlite') return 'rowid';
  throw new PlumbError('E_DIALECT_UNAVAILABLE', 'rotate-key on MySQL/MariaDB is not implemented yet (no row address to update by)', 'rotate on Postgres or SQLite, or re-seed with the new key');
}
