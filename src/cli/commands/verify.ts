// `plumb verify`: the spec's checks, zero drift, and enforcement probes; exit 1
// on any failure. Everything runs in a transaction that is rolled back.
import type { Command } from 'commander';
import { Option } from 'commander';
import { connect } from '../../drivers/connect.js';
import { diffCatalogs } from '../../diff/diff.js';
import { inspectLive } from '../../plan/plan-spec.js';
import { diffOptionsOn, liveSchemaNames } from '../../spec/compare-spec.js';
import { loadSpec } from '../../spec/load.js';
import { disposeScratchEngine, specToCatalog } from '../../spec/spec-to-catalog.js';
import { renderVerify, verifyFormats } from '../../verify/verify-report.js';
import { verify } from '../../verify/verify.js';
import { emit } from '../output.js';
import { dbOption, requireDb, devTarget } from './common.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .summary('checkpoints, zero drift, and constraints proven enforced by invalid inserts that must be rejected')
    .description(
      'Runs the spec\'s checks ({ name, sql, expect } and { name, reject }), compares the live catalog with the spec,\n' +
        'and for every foreign key, unique key, check and NOT NULL in the spec inserts a row that violates it inside a\n' +
        'savepoint: the database must reject it with the matching error. Everything is rolled back: verify never leaves\n' +
        'a trace. Exit status 1 when anything fails.',
    )
    .addOption(dbOption())
    .requiredOption('-s, --spec <path>', 'the spec')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...verifyFormats]).default('text'))
    .option('-o, --out <file>', 'write the report to a file')
    .option('--no-probes', 'skip the enforcement probes')
    .option('--no-drift', 'skip the drift check')
    .action(async (opts: { db?: string; spec: string; format: string; out?: string; probes: boolean; drift: boolean }) => {
      const db = requireDb(opts.db, 'plumb verify --db postgres://me@localhost/app --spec spec.yaml');
      const spec = await loadSpec(opts.spec);
      const conn = await connect(db);
      try {
        const target = await specToCatalog(spec, { dialect: conn.dialect, target: conn.target, ...devTarget() });
        const live = await inspectLive(conn, liveSchemaNames(conn, spec, target), target);
        const report = await verify(conn, { checks: spec.verify, target, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsOn(conn, spec)) }, { probes: opts.probes, drift: opts.drift });
        await emit(renderVerify(report, opts.format), opts.out);
        if (report.failed) process.exitCode = 1;
      } finally {
        await conn.close();
        await disposeScratchEngine();
      }
    });
}
