// Measures whether real application schemas round-trip exactly through plumb,
// judged independently of plumb's own diff: on Postgres by a catalog query
// (catdump.sql), on MariaDB/MySQL by `mariadb-dump --no-data` (AUTO_INCREMENT=N,
// comments and session SETs removed; plumb's journal and history tables, which
// apply keeps in the target database, left out). For each file of the corpus:
//   source   : a fresh database loaded as the app would (psql / mariadb, errors go on)
//   sql-spec : the .sql file as the spec, `plumb apply` to an empty database
//   pull     : `plumb pull` from the source to YAML, applied to an empty database
// and each mode's `plumb diff` of the source against that spec must say no drift.
// Every database it creates is dropped again, also on failure.
//
//   npx tsx scripts/corpus-roundtrip.ts [--engine pg|mysql] [--server URL|embedded] [--corpus DIR] [--catdump FILE]
//                                       [--only NAME] [--mode sql-spec|pull] [--diff-lines N] [--keep-dir DIR]
//   npm run corpus:mysql   (= --engine mysql against mysql://root@127.0.0.1:3306/, corpus ../shared/corpus/my)
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Args {
  engine: 'pg' | 'mysql';
  server: string;
  corpus: string;
  catdump: string;
  only: string[];
  modes: string[];
  diffLines: number;
  keepDir?: string;
}

function parseArgs(argv: string[]): Args {
  const engine = argv.includes('--engine') ? argv[argv.indexOf('--engine') + 1] : 'pg';
  if (engine !== 'pg' && engine !== 'mysql') throw new Error(`--engine is pg or mysql, not ${engine}`);
  const a: Args = {
    engine,
    server: engine === 'mysql' ? 'mysql://root@127.0.0.1:3306/' : 'postgres://postgres@127.0.0.1:5432/postgres',
    corpus: engine === 'mysql' ? '/work/shared/corpus/my' : '/work/shared/corpus/pg',
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
    if (k === '--engine') v();
    else if (k === '--server') a.server = v();
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

/** What the measure needs from a server: databases made and dropped, a file loaded as its app would, and the judge's snapshot. */
interface Engine {
  /** The server's version, for the report; may prepare the judge (catdump's column names). */
  version(): Promise<string>;
  createDb(name: string): Promise<string>;
  dropDb(name: string): Promise<void>;
  /** Loads the file, going on after errors; the error lines and any missing extensions. */
  load(url: string, file: string): Promise<{ errors: number; missing: string[] }>;
  snapshot(url: string): Promise<string[]>;
}

const BUFFER = { maxBuffer: 256 * 1024 * 1024 };

async function psql(url: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return run('psql', ['-X', '-q', '-d', url, ...args], { ...BUFFER, ...(input ? { input } : {}) });
}

function postgresEngine(args: Args, work: string): Engine {
  return {
    async version() {
      // pg_collation.colllocale is Postgres 17's name for 15/16's colliculocale.
      const v = Number((await psql(args.server, ['-At', '-c', 'SHOW server_version_num'])).stdout.trim());
      if (v < 170000) {
        const patched = join(work, 'catdump.sql');
        await writeFile(patched, (await readFile(args.catdump, 'utf8')).replaceAll('c.colllocale', 'c.colliculocale'));
        args.catdump = patched;
      }
      return `server_version_num ${v}`;
    },
    async createDb(name) {
      await psql(args.server, ['-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`]);
      return dbUrl(args.server, name);
    },
    async dropDb(name) {
      await psql(args.server, ['-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]).catch(() => undefined);
    },
    async load(url, file) {
      const r = await psql(url, ['-v', 'ON_ERROR_STOP=0', '-f', file]).catch((e: { stderr?: string }) => ({ stdout: '', stderr: e.stderr ?? '' }));
      const missing = [...new Set(r.stderr.match(/extension "[^"]+" is not available|could not open extension control file "[^"]*\/([^/"]+)\.control"/g) ?? [])].map((m) => m.replace(/.*\/([^/"]+)\.control"$/, '$1').replace(/extension "([^"]+)".*/, '$1'));
      return { errors: r.stderr.split('\n').filter((l) => /ERROR:/.test(l)).length, missing };
    },
    async snapshot(url) {
      const { stdout } = await psql(url, ['-v', 'excl=plumb', '-v', 'ON_ERROR_STOP=1', '-At', '-f', args.catdump]);
      return stdout.split('\n').filter((l) => l !== '');
    },
  };
}

/** The mariadb/mysql clients' connection arguments for a URL (the password goes by environment, never argv). */
function mysqlClient(server: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(server);
  const args = ['-h', u.hostname || '127.0.0.1', '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root')];
  return { args, env: { ...process.env, ...(u.password ? { MYSQL_PWD: decodeURIComponent(u.password) } : {}) } };
}

function mysqlEngine(args: Args): Engine {
  const c = mysqlClient(args.server);
  const sql = (statement: string) => run('mariadb', [...c.args, '-N', '-e', statement], { ...BUFFER, env: c.env });
  return {
    async version() {
      return (await sql('SELECT VERSION()')).stdout.trim();
    },
    async createDb(name) {
      await sql(`CREATE DATABASE \`${name}\``);
      return dbUrl(args.server, name);
    },
    async dropDb(name) {
      await sql(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
    },
    async load(url, file) {
      // As the app's installer would: the mariadb client, going on after an error.
      const db = new URL(url).pathname.slice(1);
      const r = await run('sh', ['-c', 'exec mariadb "$@" < "$PLUMB_CORPUS_FILE"', 'sh', ...c.args, '--force', db], { ...BUFFER, env: { ...c.env, PLUMB_CORPUS_FILE: file } }).catch((e: { stderr?: string }) => ({ stdout: '', stderr: e.stderr ?? '' }));
      return { errors: r.stderr.split('\n').filter((l) => /^ERROR/.test(l)).length, missing: [] };
    },
    async snapshot(url) {
      const db = new URL(url).pathname.slice(1);
      const ignore = ['plumb_history', 'plumb_journal'].map((t) => `--ignore-table=${db}.${t}`);
      const { stdout } = await run('mariadb-dump', [...c.args, '--no-data', '--skip-comments', '--skip-dump-date', ...ignore, db], { ...BUFFER, env: c.env });
      // The client's session SETs around each object are noise; AUTO_INCREMENT=N is data.
      return stdout
        .split('\n')
        .filter((l) => l !== '' && !/^\/\*!\d+ SET /.test(l))
        .map((l) => l.replace(/ AUTO_INCREMENT=\d+/, ''));
    },
  };
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
  if (args.server === 'embedded' && args.engine === 'pg') {
    const { startEmbeddedPostgres } = await import('../test/helpers/embedded-postgres.js');
    embedded = await startEmbeddedPostgres();
    args.server = embedded.url;
  }
  const engine = args.engine === 'mysql' ? mysqlEngine(args) : postgresEngine(args, work);
  const version = await engine.version();
  const tag = `plumb_crt_${process.pid}`;
  const created = new Set<string>();
  const cleanup = async () => {
    for (const d of created) await engine.dropDb(d);
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
      const src = await engine.createDb(srcName);
      const load = await engine.load(src, file);
      notes.push(`${f}: source loaded with ${load.errors} client error(s)${load.missing.length ? `; missing extensions: ${load.missing.join(', ')}` : ''}`);
      const source = await engine.snapshot(src);
      if (args.keepDir) await writeFile(join(args.keepDir, `${f}.source.txt`), source.join('\n') + '\n');
      for (const mode of args.modes) {
        const outName = `${tag}_${i}_${mode.replace('-', '')}`;
        created.add(outName);
        const out = await engine.createDb(outName);
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
          const result = await engine.snapshot(out);
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
          await engine.dropDb(outName);
          created.delete(outName);
        }
        process.stderr.write(`${f} ${mode}: ${row.equal ? 'equal' : 'DIFFERENT'}, diff ${row.noDrift === undefined ? 'n/a' : row.noDrift ? 'no drift' : 'drift'}\n`);
      }
      await engine.dropDb(srcName);
      created.delete(srcName);
    }
  } finally {
    await cleanup();
  }
  const out: string[] = [`server: ${new URL(args.server).host} (${version})`, '', ...notes, '', 'file | mode | equal | diff says no drift', '--- | --- | --- | ---'];
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
