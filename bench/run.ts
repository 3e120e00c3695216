// `npm run bench`: runs every `bench:*` script of package.json whose file
// exists, one after another, and reports which ones failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> };

const benches = Object.entries(pkg.scripts)
  .filter(([name]) => name.startsWith('bench:'))
  .map(([name, cmd]) => ({ name, cmd, file: /\b(bench\/\S+\.ts)\b/.exec(cmd)?.[1] }))
  .filter((b) => {
    const ok = !!b.file && existsSync(`${root}/${b.file}`);
    if (!ok) process.stderr.write(`skipping ${b.name}: ${b.file ?? 'no bench file'} does not exist yet\n`);
    return ok;
  });

const failed: string[] = [];
for (const b of benches) {
  process.stderr.write(`\n=== ${b.name} (${b.file}) ===\n`);
  const r = spawnSync('npm', ['run', '-s', b.name], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed.push(b.name);
}
process.stderr.write(`\n${benches.length - failed.length}/${benches.length} benchmarks ran${failed.length ? `; failed: ${failed.join(', ')}` : ''}\n`);
process.exitCode = failed.length ? 1 : 0;
