// Finds and reads plumb.config.{ts,mts,js,mjs,json,yaml,yml}: the one place in
// src/config that touches the disk. A malformed file is a PlumbError with a hint.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { PlumbError } from '../errors.js';
import type { PlumbConfig } from './config-schema.js';
import { validateConfig } from './resolve-config.js';

export const CONFIG_NAMES = ['plumb.config.ts', 'plumb.config.mts', 'plumb.config.js', 'plumb.config.mjs', 'plumb.config.json', 'plumb.config.yaml', 'plumb.config.yml'];

/** The config file to use: the given path, else the first plumb.config.* in `cwd`, else none. */
export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit) {
    const p = resolve(cwd, explicit);
    if (!existsSync(p)) throw new PlumbError('E_CONFIG', `config file ${explicit} does not exist`, 'check the --config path');
    return p;
  }
  for (const n of CONFIG_NAMES) if (existsSync(resolve(cwd, n))) return resolve(cwd, n);
  return undefined;
}

export async function loadConfig(explicit?: string, cwd = process.cwd()): Promise<{ config: PlumbConfig; file?: string }> {
  const file = findConfig(explicit, cwd);
  if (!file) return { config: {} };
  const ext = extname(file);
  let value: unknown;
  if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      value = mod.default;
    } catch (e) {
      throw new PlumbError('E_CONFIG', `cannot load ${file}: ${(e as Error).message.split('\n')[0]}`, ext.endsWith('ts') ? 'TypeScript configs need a runtime that loads .ts (tsx, Node ≥ 22.6 with type stripping); or use plumb.config.json' : 'the module must `export default { … }`');
    }
    if (value === undefined) throw new PlumbError('E_CONFIG', `${file} has no default export`, 'write: export default { rules: { … } }');
  } else {
    const text = await readFile(file, 'utf8');
    try {
      value = ext === '.json' ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new PlumbError('E_CONFIG', `${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`, 'fix the syntax, or validate it with: plumb audit --config FILE --db pglite:');
    }
  }
  return { config: validateConfig(value, file), file };
}
