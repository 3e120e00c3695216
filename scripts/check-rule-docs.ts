// CI check: docs/rules/ must be exactly what `npm run docs:rules` generates.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allRules } from '../src/audit/rules/index.js';
import { ruleDocFiles } from '../src/audit/rule-docs.js';

const dir = fileURLToPath(new URL('../docs/rules/', import.meta.url));
const want = ruleDocFiles(allRules);
const problems: string[] = [];
for (const [name, text] of want) {
  if (!existsSync(dir + name)) problems.push(`missing docs/rules/${name}`);
  else if (readFileSync(dir + name, 'utf8') !== text) problems.push(`out of date: docs/rules/${name}`);
}
if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.md') && !want.has(f)) problems.push(`stale: docs/rules/${f}`);
if (problems.length) {
  process.stderr.write(problems.join('\n') + '\nrun: npm run docs:rules\n');
  process.exit(1);
}
process.stdout.write(`docs/rules in sync (${want.size} files)\n`);
