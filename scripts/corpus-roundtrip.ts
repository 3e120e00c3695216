// Measures whether real application schemas round-trip exactly through plumb on
// a Postgres server, judged by an independent catalog query (catdump.sql), not
// by plumb's own diff. For each pg_dump file of the corpus:
//   source   : a fresh database loaded as the app would (psql, errors go on)
//   sql-spec : the .sql file as the spec, `plumb apply` to an empty database
//   pull     : `plumb pull` from the source to YAML, applied to an empty database
// and each mode's `plumb diff` of the source against that spec must say no drift.
// Every database it creates is dropped again, also on failure.
//
//   npx tsx scripts/corpus-roundtrip.ts [--server URL|embedded] [--corpus DIR] [--catdump FILE]
//                                       [--only NAME] [--mode sql-spec|pull] [--diff-lines N] [--keep-dir DIR]
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Args {
  server: string;
  corpus: string;
  catdump: string;
  only: string[];
  modes: string[];
  diffLines: number;
  keepDir?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    server: 'postgres://postgres@127.0.0.1:5432/postgres',
    corpus: '/work/shared/corpus/pg',
    catdump: '/work/shared/tools/catdump.sql',
    only: [],
    modes: ['sql-spec', 'pull'],
    diffLines: 6,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--server') a.server = v();
    else if (k === '--corpus') a.corpus = v();
    else if (k === '--catdump') a.catdump = v();
    else if (k === '--only') a.only.push(v());
    else if (k === '--mode') a.modes = [v()];
    else if (k === '--diff-lines') a.diffLines = Number(v());
    else if (k === '--keep-dir') a.keepDir = v();
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

function dbUrl(server: string, name: string): string {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

async function psql(url: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return run('psql', ['-X', '-q', '-d', url, ...args], { maxBuffer: 256 * 1024 * 1024, ...(input ? { input } : {}) });
}

async function createDb(server: string, name: string): Promise<string> {
  await psql(server, ['-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`]);
  return dbUrl(server, name);
}

async function dropDb(server: string, name: string): Promise<void> {
  await psql(server, ['-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]).catch(() => undefined);
}

async function catdump(url: string, file: string): Promise<string[]> {
  const { stdout } = await psql(url, ['-v', 'excl=plumb', '-v', 'ON_ERROR_STOP=1', '-At', '-f', file]);
  return stdout.split('\n').filter((l) => l !== '');
}

const root = resolve(import.meta.dirname, '..');

/** Runs the CLI from source; never throws: returns exit code and output. */
async function plumb(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/plumb-dev.ts'), ...args], {
      cwd: root,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? x.message };
  }
}

/** The lines only in a (-) and only in b (+), first n of each kind, a's first. */
function firstDifferences(a: string[], b: string[], n: number): string[] {
  const setA = new Set(a);
  const setB = new Set(b);
  const onlyA = a.filter((l) => !setB.has(l));
  const onlyB = b.filter((l) => !setA.has(l));
  const cut = (l: string) => (l.length > 200 ? `${l.slice(0, 200)}…` : l);
  return [
    `${onlyA.length} line(s) only in source, ${onlyB.length} only in result`,
    ...onlyA.slice(0, n).map((l) => `  - ${cut(l)}`),
    ...onlyB.slice(0, n).map((l) => `  + ${cut(l)}`),
  ];
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n').filter((l) => l.trim() && !/^\s*at /.test(l));
  const pick = lines.find((l) => /^(plumb: |error \[)/i.test(l.trim())) ?? lines.find((l) => /^\s*(failed|error)\b/i.test(l)) ?? lines[lines.length - 1] ?? '';
  return pick.length > 300 ? `${pick.slice(0, 300)}…` : pick;
}

interface Row {
  file: string;
  mode: string;
  equal: boolean;
  noDrift: boolean | undefined;
  detail: string[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const files = (await readdir(args.corpus)).filter((f) => f.endsWith('.sql')).sort().filter((f) => !args.only.length || args.only.some((o) => f.includes(o)));
  const work = await mkdtemp(join(tmpdir(), 'plumb-corpus-'));
  let embedded: { url: string; stop(): Promise<void> } | undefined;
  if (args.server === 'embedded') {
    const { startEmbeddedPostgres } = await import('../test/helpers/embedded-postgres.js');
    embedded = await startEmbeddedPostgres();
    args.server = embedded.url;
  }
  // pg_collation.colllocale is Postgres 17's name for 15/16's colliculocale.
  const version = Number((await psql(args.server, ['-At', '-c', 'SHOW server_version_num'])).stdout.trim());
  if (version < 170000) {
    const patched = join(work, 'catdump.sql');
    await writeFile(patched, (await readFile(args.catdump, 'utf8')).replaceAll('c.colllocale', 'c.colliculocale'));
    args.catdump = patched;
  }
  const tag = `plumb_crt_${process.pid}`;
  const created = new Set<string>();
  const cleanup = async () => {
    for (const d of created) await dropDb(args.server, d);
    await rm(work, { recursive: true, force: true });
    await embedded?.stop();
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const [i, f] of files.entries()) {
      const file = join(args.corpus, f);
      const srcName = `${tag}_${i}_src`;
      created.add(srcName);
      const src = await createDb(args.server, srcName);
      const load = await psql(src, ['-v', 'ON_ERROR_STOP=0', '-f', file]).catch((e: { stderr?: string }) => ({ stdout: '', stderr: e.stderr ?? '' }));
      const errors = load.stderr.split('\n').filter((l) => /ERROR:/.test(l));
      const missingExt = [...new Set(load.stderr.match(/extension "[^"]+" is not available|could not open extension control file "[^"]*\/([^/"]+)\.control"/g) ?? [])].map((m) => m.replace(/.*\/([^/"]+)\.control"$/, '$1').replace(/extension "([^"]+)".*/, '$1'));
      notes.push(`${f}: source loaded with ${errors.length} psql error(s)${missingExt.length ? `; missing extensions: ${missingExt.join(', ')}` : ''}`);
      const source = await catdump(src, args.catdump);
      if (args.keepDir) await writeFile(join(args.keepDir, `${f}.source.txt`), source.join('\n') + '\n');
      for (const mode of args.modes) {
        const outName = `${tag}_${i}_${mode.replace('-', '')}`;
        created.add(outName);
        const out = await createDb(args.server, outName);
        let specPath = file;
        const row: Row = { file: f, mode, equal: false, noDrift: undefined, detail: [] };
        rows.push(row);
        try {
          if (mode === 'pull') {
            specPath = join(work, `${basename(f, '.sql')}.yaml`);
            const p = await plumb(['pull', '--db', src, '--out', specPath]);
            if (p.code !== 0) {
              row.detail.push(`pull failed: ${lastLine(p.err || p.out)}`);
              continue;
            }
          }
          const ap = await plumb(['apply', '--db', out, '--spec', specPath, '--yes']);
          if (ap.code !== 0) row.detail.push(`apply failed (exit ${ap.code}): ${lastLine(ap.err || ap.out)}`);
          const result = await catdump(out, args.catdump);
          if (args.keepDir) await writeFile(join(args.keepDir, `${f}.${mode}.txt`), result.join('\n') + '\n');
          row.equal = source.length === result.length && source.every((l, k) => l === result[k]);
          if (!row.equal) row.detail.push(...firstDifferences(source, result, args.diffLines));
          const df = await plumb(['diff', '--db', src, '--spec', specPath]);
          row.noDrift = df.code === 0;
          if (df.code === 1) {
            const lines = df.out.trim().split('\n');
            row.detail.push(`diff: ${lines.length} line(s) of drift, first: ${lines.slice(0, 3).join(' | ').slice(0, 300)}`);
          } else if (df.code !== 0) row.detail.push(`diff failed (exit ${df.code}): ${lastLine(df.err || df.out)}`);
        } finally {
          await dropDb(args.server, outName);
          created.delete(outName);
        }
        process.stderr.write(`${f} ${mode}: ${row.equal ? 'equal' : 'DIFFERENT'}, diff ${row.noDrift === undefined ? 'n/a' : row.noDrift ? 'no drift' : 'drift'}\n`);
      }
      await dropDb(args.server, srcName);
      created.delete(srcName);
    }
  } finally {
    await cleanup();
  }
  const out: string[] = [`server: ${new URL(args.server).host} (server_version_num ${version})`, '', ...notes, '', 'file | mode | equal | diff says no drift', '--- | --- | --- | ---'];
  for (const r of rows) out.push(`${r.file} | ${r.mode} | ${r.equal ? 'yes' : 'NO'} | ${r.noDrift === undefined ? 'n/a' : r.noDrift ? 'yes' : 'no'}`);
  out.push('');
  for (const m of args.modes) {
    const rs = rows.filter((r) => r.mode === m);
    out.push(`${m}: ${rs.filter((r) => r.equal).length} of ${rs.length} equal; diff no drift ${rs.filter((r) => r.noDrift).length} of ${rs.length}; both ${rs.filter((r) => r.equal && r.noDrift).length}`);
  }
  out.push('');
  for (const r of rows.filter((x) => x.detail.length)) out.push(`## ${r.file} (${r.mode})`, ...r.detail, '');
  process.stdout.write(out.join('\n') + '\n');
}

await main();
