// `plumb settings rotate-key`: re-encrypt AES-256-GCM columns (settings values,
// TOTP secrets) from one key to another in one transaction. Keys come from
// files or environment variables and are never printed.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { connect } from '../../drivers/connect.js';
import { PlumbError } from '../../errors.js';
import { parseEncryptionKey, type EncryptionKey } from '../../seed/seed-crypto.js';
import { rotateKey } from '../../blueprints/rotate-key.js';
import { emit } from '../output.js';
import { dbOption, requireDb } from './common.js';

async function loadKey(file: string | undefined, env: string, label: string): Promise<EncryptionKey> {
  if (file) {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new PlumbError('E_IO', `cannot read the ${label} key file ${file}: ${e.code ?? e.message}`, 'the file holds a 32-byte key as base64 or hex');
    });
    return parseEncryptionKey(text);
  }
  const v = process.env[env];
  if (!v) throw new PlumbError('E_CONFIG', `no ${label} key: set ${env} or pass --${label}-key-file`, 'a 32-byte key as base64 or hex (openssl rand -base64 32)');
  return parseEncryptionKey(v);
}

export function registerSettings(program: Command): void {
  const settings = program.command('settings').summary('encrypted settings: rotate the encryption key');
  settings
    .command('rotate-key')
    .summary('re-encrypt AES-256-GCM columns from the old key to the new one, in one transaction')
    .addOption(dbOption())
    .requiredOption('-t, --table <name>', 'table holding the encrypted values (e.g. settings)')
    .option('--schema <name>', 'schema of the table')
    .option('-c, --column <name...>', 'encrypted columns', ['value_encrypted'])
    .option('--key-id-column <name>', 'column holding the key id, updated with the values (settings blueprint: key_id)')
    .option('--from-key-file <file>', 'old key; default PLUMB_ENCRYPTION_KEY')
    .option('--to-key-file <file>', 'new key; default PLUMB_NEW_ENCRYPTION_KEY')
    .action(async (o: { db?: string; table: string; schema?: string; column: string[]; keyIdColumn?: string; fromKeyFile?: string; toKeyFile?: string }) => {
      const db = requireDb(o.db, 'plumb settings rotate-key --db postgres://me@localhost/app --table settings');
      const from = await loadKey(o.fromKeyFile, 'PLUMB_ENCRYPTION_KEY', 'from');
      const to = await loadKey(o.toKeyFile, 'PLUMB_NEW_ENCRYPTION_KEY', 'to');
      const conn = await connect(db);
      try {
        const r = await rotateKey(conn, { table: o.table, ...(o.schema ? { schema: o.schema } : {}), columns: o.column, ...(o.keyIdColumn ? { keyIdColumn: o.keyIdColumn } : {}), from, to });
        await emit(`re-encrypted ${r.values} value(s) in ${r.rows} row(s) of ${o.table} from key ${from.id} to key ${to.id}${r.alreadyRotated ? `; ${r.alreadyRotated} already under the new key` : ''}`);
      } finally {
        await conn.close();
      }
    });
}
