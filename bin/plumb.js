#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('plumb: the build is missing (dist/). Run `npm install` or `npm run build` in the plumb directory.\n');
  process.exit(70);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv, { handleSignals: true });
