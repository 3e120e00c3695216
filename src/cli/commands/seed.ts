// `plumb seed`: idempotent reference data from the spec, keyed by natural keys;
// reports inserted / updated / unchanged per table. Generated passwords are
// shown once on stderr; encrypted values and hashes are never printed.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { connect } from '../../drivers/connect.js';
import { PlumbError } from '../../errors.js';
import { inspectLive } from '../../plan/plan-spec.js';
import { liveSchemaNames } from '../../spec/compare-spec.js';
import { bindSeedTables, specSchemaMap } from '../../spec/bind-target.js';
import { getDialect } from '../../dialects/index.js';
import { parseEncryptionKey, type EncryptionKey } from '../../seed/seed-crypto.js';
import { seed } from '../../seed/seed.js';
import { loadSpec } from '../../spec/load.js';
import { emit } from '../output.js';
import { createOption, dbOption, requireDb } from './common.js';

interface SeedCli {
  db?: string;
  create?: boolean;
  spec: string;
  keyFile?: string;
  prune?: boolean;
  dryRun?: boolean;
  format: string;
}

async function loadKey(file: string | undefined): Promise<EncryptionKey | undefined> {
  if (file) {
    try {
      return parseEncryptionKey(await readFile(file, 'utf8'));
    } catch (e) {
      if (e instanceof PlumbError) throw e;
      throw new PlumbError('E_IO', `cannot read the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'the file holds a 32-byte key as base64 or hex');
    }
  }
  const env = process.env.PLUMB_ENCRYPTION_KEY;
  return env ? parseEncryptionKey(env) : undefined;
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .summary('upsert the spec\'s reference data by natural key; a second run changes nothing')
    .description(
      'Finds every seed row by its natural key, inserts it when missing and updates it only when a value differs;\n' +
        'references to other seeded rows ({ $ref: core_roles, key: { name: admin } }) are resolved by natural key.\n' +
        'Columns marked `encrypt` are stored as AES-256-GCM (key: PLUMB_ENCRYPTION_KEY or --key-file) and compared by\n' +
        'decrypting; `hash` columns are scrypt hashes compared by verifying. Runs in one transaction.',
    )
    .addOption(dbOption())
    .addOption(createOption())
    .requiredOption('-s, --spec <path>', 'the spec holding `seed:`')
    .option('--key-file <file>', 'encryption key (32 bytes, base64 or hex); default: PLUMB_ENCRYPTION_KEY')
    .option('--prune', 'delete rows not in the spec from tables marked `prune: true` (destructive)')
    .option('--dry-run', 'report what would change, change nothing')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: SeedCli) => {
      const db = requireDb(opts.db, 'plumb seed --db postgres://me@localhost/app --spec spec.yaml', { create: opts.create === true ? true : undefined });
      const spec = await loadSpec(opts.spec);
      if (!spec.seed.length) throw new PlumbError('E_SPEC', 'the spec has no seed data', 'add a `seed:` section (table, key, rows)');
      const key = await loadKey(opts.keyFile);
      const conn = await connect(db);
      try {
        const tables = bindSeedTables(spec.seed, specSchemaMap(spec, getDialect(conn.dialect), conn.target));
        const live = await inspectLive(conn, [...new Set([...liveSchemaNames(conn, spec), ...tables.map((t) => t.schema)])].sort());
        const r = await seed(conn, tables, live, { key, env: process.env, prune: !!opts.prune, dryRun: !!opts.dryRun });
        for (const g of r.generated) process.stderr.write(`generated ${g.table}.${g.column} for ${JSON.stringify(g.key)}: ${g.secret}  (shown once; only its hash is stored)\n`);
        if (opts.format === 'json') await emit(JSON.stringify({ ...r, generated: r.generated.map(({ secret: _s, ...x }) => x) }, null, 2));
        else {
          const w = Math.max(5, ...r.tables.map((t) => t.table.length));
          await emit(
            [`${'table'.padEnd(w)}  inserted  updated  unchanged${opts.prune ? '  pruned' : ''}`, ...r.tables.map((t) => `${t.table.padEnd(w)}  ${String(t.inserted).padStart(8)}  ${String(t.updated).padStart(7)}  ${String(t.unchanged).padStart(9)}${opts.prune ? String(t.pruned).padStart(8) : ''}`), ...(r.dryRun ? ['(dry run: nothing was written)'] : [])].join('\n'),
          );
        }
      } finally {
        await conn.close();
      }
    });
}
