// `plumb demo` (what `npm start` runs): the whole story, narrated, on an
// in-memory PGlite unless --db names an empty database.
import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { connect } from '../../drivers/connect.js';
import { runDemo } from '../../demo/run-demo.js';
import { disposeScratchEngine } from '../../spec/spec-to-catalog.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .summary('the whole story on an embedded database: audit → plan → apply → seed → verify → chain')
    .description(
      'Recreates the broken gauge-calibration database from a real forensic report, audits it, plans and\n' +
        'applies the rebuild from examples/gauge-calibration/spec.yaml, seeds and verifies it, audits again,\n' +
        'then installs a hash chain on the audit log and shows that tampering with one row is caught.\n' +
        'Runs on an in-memory PGlite (no server needed) unless --db names an EMPTY database.',
    )
    .option('--db <url>', 'an empty Postgres or MariaDB database to run the story on (default: in-memory PGlite)')
    .addHelpText('after', '\nExamples:\n  npm start                                   # same as: plumb demo\n  plumb demo --db postgres://me@localhost/plumb_demo\n')
    .action(async (opts: { db?: string }) => {
      const conn = await connect(opts.db ?? 'pglite:');
      const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
      try {
        const r = await runDemo({ conn, out: (l) => process.stdout.write(l + '\n'), color: process.stdout.isTTY === true && !process.env.NO_COLOR, version });
        process.exitCode = r.verifyFailed === 0 && r.tamperDetectedAt !== null ? 0 : 1;
      } finally {
        await conn.close();
        await disposeScratchEngine();
      }
    });
}
