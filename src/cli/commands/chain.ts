// `plumb chain install|verify|anchor|sign-key generate`: tamper-evident,
// hash-chained audit tables. Reads and writes the anchor and key files; the
// logic is in src/chain. verify exits 0 intact, 1 broken, 2 cannot verify.
import type { Command } from 'commander';
import { Option } from 'commander';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from '../../drivers/connect.js';
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import { generateSignKey, parseAnchor, type Anchor } from '../../chain/anchor.js';
import { writeAnchorTable } from '../../chain/anchor-table.js';
import { installChain } from '../../chain/install.js';
import { makeAnchor } from '../../chain/make-anchor.js';
import { renderVerifyText, verifyChain } from '../../chain/verify.js';
import { emit, printError } from '../output.js';
import { dbOption, requireDb } from './common.js';

interface TableFlags {
  db?: string;
  table: string;
  schema?: string;
  format: 'text' | 'json';
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new PlumbError('E_IO', `cannot read ${what} ${path}: ${(e as Error).message}`, 'check the path');
  }
}

async function withConnection<T>(url: string | undefined, fn: (c: Connection) => Promise<T>): Promise<T> {
  const conn = await connect(requireDb(url, 'plumb chain install --db postgres://me@localhost/app --table audit.events'));
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

const tableOpts = (c: Command) =>
  c
    .addOption(dbOption())
    .requiredOption('-t, --table <name>', 'the chained table (schema.table or --schema)')
    .option('--schema <name>', 'schema (Postgres) or database (MySQL); default: the connection\'s current one')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'));

export function registerChain(program: Command): void {
  const chain = program
    .command('chain')
    .summary('install, verify and anchor hash-chained (tamper-evident) audit tables')
    .description(
      'Every row stores seq, previous_hash and row_hash = SHA-256(previous_hash ‖ canonical(row)), computed\n' +
        'by a trigger inside the database under a lock on the chain\'s head row; UPDATE, DELETE and TRUNCATE are refused.\n' +
        'verify recomputes every hash in plumb (never trusting the database\'s hashes) and names the first broken seq.\n' +
        'Only an anchor kept outside the database detects a deleted tail. The format is in docs/chain.md.',
    );

  tableOpts(
    chain
      .command('install')
      .summary('create (or extend) a hash-chained table with its head row and triggers')
      .option('--columns <defs>', 'columns of a new table: "actor text, action text not null, payload jsonb" (default: a generic audit log)')
      .option('--signature', 'add a nullable signature column (hashed with the row)')
      .option('--chain-id <id>', 'the chain id inside every hash (default: schema.table)')
      .option('--order-by <column...>', 'order of the rows an existing table already has (default: its primary key)'),
  )
    .addHelpText('after', '\nExamples:\n  plumb chain install --db postgres://me@localhost/app --table audit.events\n  plumb chain install --db mysql://root@localhost/app --table core_audit_logs --columns "actor varchar(100), action varchar(50) not null, changes json"\n')
    .action(async (o: TableFlags & { columns?: string; signature?: boolean; chainId?: string; orderBy?: string[] }) => {
      const r = await withConnection(o.db, (c) =>
        installChain(c, {
          table: o.table,
          ...(o.schema ? { schema: o.schema } : {}),
          ...(o.columns ? { columns: o.columns } : {}),
          ...(o.signature ? { signature: true } : {}),
          ...(o.chainId ? { chainId: o.chainId } : {}),
          ...(o.orderBy ? { orderBy: o.orderBy } : {}),
        }),
      );
      if (o.format === 'json') return emit(JSON.stringify(r, null, 2));
      const where = `${r.ref.schema}.${r.ref.table}`;
      const lines = r.alreadyInstalled
        ? [`${where} is already chained (chain id ${r.chainId}); nothing changed`]
        : [
            `${r.created ? 'created' : 'chained'} ${where} (chain id ${r.chainId}, hash v1)${r.backfilled ? `; chained its ${r.backfilled} existing rows` : ''}`,
            `hashed columns, in this order: ${r.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`,
            ...r.notes.map((n) => `note: ${n}`),
          ];
      await emit(lines.join('\n'));
    });

  tableOpts(
    chain
      .command('verify')
      .summary('recompute every hash; exit 0 intact, 1 broken, 2 cannot verify')
      .option('--anchor <file|table:NAME>', 'an anchor written by `plumb chain anchor` (detects a deleted tail and rewritten history)')
      .option('--public-key <file>', 'the anchor must be signed with this Ed25519 public key')
      .option('--batch-size <n>', 'rows per fetch', (v) => Number(v), 5000),
  )
    .addHelpText('after', '\nExamples:\n  plumb chain verify --db $DATABASE_URL --table audit.events --anchor anchors/events.json --public-key keys/plumb-chain.pub\n')
    .action(async (o: TableFlags & { anchor?: string; publicKey?: string; batchSize: number }) => {
      try {
        let anchor: Anchor | undefined;
        let anchorTable: string | undefined;
        if (o.anchor?.startsWith('table:')) anchorTable = o.anchor.slice(6);
        else if (o.anchor) anchor = parseAnchor(await readText(o.anchor, 'anchor'), o.anchor);
        const publicKeyPem = o.publicKey ? await readText(o.publicKey, 'public key') : undefined;
        const r = await withConnection(o.db, (c) =>
          verifyChain(c, {
            table: o.table,
            ...(o.schema ? { schema: o.schema } : {}),
            ...(anchor ? { anchor } : {}),
            ...(anchorTable ? { anchorTable } : {}),
            ...(publicKeyPem ? { publicKeyPem } : {}),
            batchSize: o.batchSize,
          }),
        );
        await emit(o.format === 'json' ? JSON.stringify(r, null, 2) : renderVerifyText(r));
        process.exitCode = r.ok ? 0 : 1;
      } catch (e) {
        printError(e);
        process.exitCode = 2;
      }
    });

  tableOpts(
    chain
      .command('anchor')
      .summary('verify, then record the head {chain id, seq, hash, time} to a file or table, Ed25519-signed with --key')
      .requiredOption('-o, --out <file|table:NAME>', 'where to write the anchor (keep files outside the database\'s reach)')
      .option('--key <file>', 'Ed25519 private key (from `plumb chain sign-key generate`)')
      .option('--force', 'anchor even when verification finds problems'),
  ).action(async (o: TableFlags & { out: string; key?: string; force?: boolean }) => {
    const privateKeyPem = o.key ? await readText(o.key, 'key') : undefined;
    await withConnection(o.db, async (c) => {
      const { anchor } = await makeAnchor(c, { table: o.table, ...(o.schema ? { schema: o.schema } : {}), ...(privateKeyPem ? { privateKeyPem } : {}), ...(o.force ? { force: true } : {}) });
      if (o.out.startsWith('table:')) {
        await writeAnchorTable(c, o.out.slice(6), anchor);
        process.stderr.write(`anchored ${anchor.chainId} at seq ${anchor.seq} in table ${o.out.slice(6)}\n`);
      } else {
        await emit(JSON.stringify(anchor, null, 2), o.out);
      }
      if (o.format === 'json' && o.out.startsWith('table:')) await emit(JSON.stringify(anchor, null, 2));
    });
  });

  const signKey = chain.command('sign-key').summary('Ed25519 keys for signing anchors');
  signKey
    .command('generate')
    .summary('write an Ed25519 key pair: NAME.key (mode 0600) and NAME.pub')
    .requiredOption('-o, --out <dir>', 'directory for the key files')
    .option('--name <name>', 'file name stem', 'plumb-chain')
    .option('--overwrite', 'replace existing key files')
    .action(async (o: { out: string; name: string; overwrite?: boolean }) => {
      const keyPath = join(o.out, `${o.name}.key`);
      const pubPath = join(o.out, `${o.name}.pub`);
      if (!o.overwrite) {
        const exists = await stat(keyPath).then(
          () => true,
          () => false,
        );
        if (exists) throw new PlumbError('E_USAGE', `${keyPath} already exists`, 'pass --overwrite to replace it, or choose another --name');
      }
      const { privateKeyPem, publicKeyPem } = generateSignKey();
      try {
        await mkdir(o.out, { recursive: true });
        await writeFile(keyPath, privateKeyPem, { mode: 0o600 });
        await chmod(keyPath, 0o600); // mode only applies when the file is created
        await writeFile(pubPath, publicKeyPem, { mode: 0o644 });
      } catch (e) {
        throw new PlumbError('E_IO', `cannot write the key pair to ${o.out}: ${(e as Error).message}`, 'check that the directory is writable');
      }
      process.stdout.write(`wrote ${keyPath} (private, mode 0600) and ${pubPath}\nsign anchors with --key ${keyPath}; verify with --public-key ${pubPath}\n`);
    });
}
