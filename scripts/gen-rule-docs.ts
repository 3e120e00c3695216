// `npm run docs:rules`: writes docs/rules/<id>.md and docs/rules/README.md from
// rule metadata, and removes docs of rules that no longer exist.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allRules } from '../src/audit/rules/index.js';
import { ruleDocFiles } from '../src/audit/rule-docs.js';

const dir = fileURLToPath(new URL('../docs/rules/', import.meta.url));
mkdirSync(dir, { recursive: true });
const files = ruleDocFiles(allRules);
for (const f of readdirSync(dir)) if (f.endsWith('.md') && !files.has(f)) rmSync(dir + f);
for (const [name, text] of files) writeFileSync(dir + name, text);
process.stdout.write(`wrote ${files.size} files to docs/rules/\n`);
