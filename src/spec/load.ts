// Reads a spec from disk in any of its forms — YAML, JSON, a JS/TS module
// exporting `defineSpec(...)`, a `.sql` file or a directory of `.sql` files —
// follows `include`, and returns one normalised Spec. Reading files is all it
// does: turning SQL into a catalog happens in specToCatalog (scratch engine).
//
// TypeScript specs: `.mjs`/`.js` files load everywhere; `.ts`/`.mts` files load
// when plumb runs under tsx (`npx tsx …/plumb`, or `npm run dev`), because the
// built CLI runs on plain Node, which cannot import TypeScript.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { PlumbError } from '../errors.js';
import { redactUrl, redactUrls } from '../drivers/url.js';
import { normalizeSpec } from './normalize-spec.js';
import { formatZodIssues } from './spec-errors.js';
import { specInputSchema, type Spec, type SpecInput } from './types.js';

const YAML_EXT = new Set(['.yaml', '.yml']);
const MODULE_EXT = new Set(['.mjs', '.js', '.cjs', '.ts', '.mts', '.cts']);

interface Collected {
  inputs: { input: SpecInput; source: string }[];
  sql: { source: string; text: string }[];
  includes: string[];
}

/** Load a spec file or directory (see the module comment for the forms). */
export async function loadSpec(path: string): Promise<Spec> {
  // A database URL passed as a spec: say so, and never echo its password (resolve() would also mangle its `//`).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path))
    throw new PlumbError('E_SPEC', `a spec is a file or directory, not a database URL: ${redactUrl(path)}`, 'write a spec from that database first: plumb pull --db URL --out spec.yaml');
  const acc: Collected = { inputs: [], sql: [], includes: [] };
  await collect(resolve(path), acc, []);
  return assemble(acc, path);
}

/** Parse spec text already in memory (YAML or JSON). `source` names it in errors. */
export function parseSpecText(text: string, source = 'spec.yaml'): Spec {
  const input = parseStructured(text, source);
  const acc: Collected = { inputs: [{ input: validate(input, source), source }], sql: [], includes: [] };
  return assemble(acc, source);
}

function assemble(acc: Collected, source: string): Spec {
  const merged = mergeInputs(acc.inputs.map((i) => i.input));
  const spec = normalizeSpec(merged, acc.inputs.length === 1 ? acc.inputs[0]!.source : source);
  spec.sql = acc.sql;
  // A .sql spec that grants to roles (pg_dump without -x) means its grants: they are compared and applied unless the
  // spec says otherwise. MySQL's GRANT … TO 'user'@'host' is server-wide and left out of a MySQL spec: it does not count.
  const grantsToRoles = /^\s*(GRANT|REVOKE)\s[^;]*?\b(TO|FROM)\s+(?![^;]*@)/im;
  if (merged.manage?.grants === undefined && acc.sql.some((f) => grantsToRoles.test(f.text))) spec.manage = { ...spec.manage, grants: true };
  spec.sources = [...acc.inputs.map((i) => i.source), ...acc.sql.map((s) => s.source)];
  spec.include = acc.includes;
  return spec;
}

async function collect(abs: string, acc: Collected, chain: string[]): Promise<void> {
  if (chain.includes(abs)) throw new PlumbError('E_SPEC', `include cycle: ${[...chain, abs].map((p) => basename(p)).join(' → ')}`, 'remove one of the includes so the files form a tree');
  let st;
  try {
    st = await stat(abs);
  } catch {
    throw new PlumbError('E_IO', `spec not found: ${redactUrls(abs)}`, chain.length ? `included from ${chain[chain.length - 1]}` : 'check the --spec path');
  }
  if (st.isDirectory()) {
    const names = (await readdir(abs)).filter((n) => n.toLowerCase().endsWith('.sql')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (!names.length) throw new PlumbError('E_SPEC', `no .sql files in ${abs}`, 'a directory spec is a set of .sql DDL files, applied in name order (001_…, 002_…)');
    for (const n of names) acc.sql.push({ source: join(abs, n), text: await readFile(join(abs, n), 'utf8') });
    return;
  }
  const ext = extname(abs).toLowerCase();
  if (ext === '.sql') {
    acc.sql.push({ source: abs, text: await readFile(abs, 'utf8') });
    return;
  }
  let input: SpecInput;
  if (YAML_EXT.has(ext) || ext === '.json') {
    input = validate(parseStructured(await readFile(abs, 'utf8'), abs), abs);
  } else if (MODULE_EXT.has(ext)) {
    input = await importModuleSpec(abs);
  } else if (ext === '.dbml') {
    // Loaded on demand: @dbml/core is large, and only DBML specs need it.
    input = (await import('./dbml-loader.js')).dbmlToSpecInput(await readFile(abs, 'utf8'));
  } else {
    throw new PlumbError('E_SPEC', `unknown spec file type: ${abs}`, 'use .yaml, .yml, .json, .dbml, .mjs/.js/.ts (default export), .sql, or a directory of .sql files');
  }
  acc.inputs.push({ input: withFileDefaults(input), source: abs });
  for (const inc of input.include ?? []) {
    acc.includes.push(inc);
    await collect(resolve(dirname(abs), inc), acc, [...chain, abs]);
  }
}

function parseStructured(text: string, source: string): unknown {
  if (source.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new PlumbError('E_SPEC', `${source}: invalid JSON: ${(e as Error).message}`, 'check for trailing commas and unquoted keys');
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const at = e.linePos?.[0] ? `${e.linePos[0].line}:${e.linePos[0].col}` : '?';
    throw new PlumbError('E_SPEC', `${source}:${at}: invalid YAML: ${e.message.split('\n')[0]}`, 'check indentation (spaces, not tabs) and quote strings that contain `: ` or start with a special character');
  }
  return doc.toJS() ?? {};
}

function validate(input: unknown, source: string): SpecInput {
  const r = specInputSchema.safeParse(input);
  if (!r.success) {
    throw new PlumbError('E_SPEC', `${source} is not a valid spec:\n${formatZodIssues(r.error.issues)}`, 'the format is in docs/spec.md (an example per object kind); `plumb pull --db URL --out spec.yaml` writes a complete example');
  }
  return r.data as SpecInput;
}

async function importModuleSpec(abs: string): Promise<SpecInput> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' || /Unknown file extension/.test(String((e as Error).message))) {
      throw new PlumbError('E_SPEC', `cannot load TypeScript spec ${abs} under plain Node`, 'run plumb under tsx (`npx tsx node_modules/plumb/bin/plumb.js …`), or write the spec as .mjs with the same defineSpec() call');
    }
    throw new PlumbError('E_SPEC', `cannot load spec module ${abs}: ${(e as Error).message}`, 'the module must `export default defineSpec({...})`', { cause: e });
  }
  let value = mod.default;
  if (typeof value === 'function') value = await (value as () => unknown)();
  if (!value || typeof value !== 'object') throw new PlumbError('E_SPEC', `${abs} has no default export`, 'write `export default defineSpec({ ... })`');
  // A module may export the normalised Spec (defineSpec) or plain input.
  if ((value as Spec).version === 1 && Array.isArray((value as Spec).sources)) return specToInput(value as Spec);
  return validate(value, abs);
}

/** A normalised Spec as input again (so it merges with YAML includes the same way). */
export function specToInput(spec: Spec): SpecInput {
  return {
    version: 1,
    ...(spec.dialect ? { dialect: spec.dialect } : {}),
    defaultSchema: spec.defaultSchema,
    extensions: spec.extensions.map((e) => ({ name: e.name, ...(e.schema ? { schema: e.schema } : {}), ...(e.version ? { version: e.version } : {}) })),
    schemas: spec.schemas.map((s) => ({
      name: s.name,
      comment: s.comment,
      tables: s.tables.map((t) => ({
        name: t.name,
        comment: t.comment,
        renamedFrom: t.renamedFrom,
        columns: t.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          ...(c.default !== null ? { default: c.default } : {}),
          ...(c.identity ? { identity: c.identity } : {}),
          ...(c.generated ? { generated: c.generated } : {}),
          ...(c.collation ? { collation: c.collation } : {}),
          comment: c.comment,
          renamedFrom: c.renamedFrom,
          ...(c.using ? { using: c.using } : {}),
          ...(c.storage ? { storage: c.storage } : {}),
          ...(c.statistics !== undefined ? { statistics: c.statistics } : {}),
          ...(c.compression ? { compression: c.compression } : {}),
        })),
        ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
        uniques: t.uniques.map(({ implicitName, name, ...u }) => ({ ...(implicitName ? {} : { name }), ...u })),
        foreignKeys: t.foreignKeys.map(({ implicitName, name, ...f }) => ({ ...(implicitName ? {} : { name }), ...f, references: { schema: f.references.schema, table: f.references.table, ...(f.references.columns ? { columns: f.references.columns } : {}) } })),
        checks: t.checks.map(({ implicitName, name, ...c }) => ({ ...(implicitName ? {} : { name }), ...c })),
        exclusions: t.exclusions.map((x) => ({ ...(x.implicitName ? {} : { name: x.name }), using: x.using, elements: x.elements, ...(x.where ? { where: x.where } : {}) })),
        indexes: t.indexes.map((i) => ({ ...(i.implicitName ? {} : { name: i.name }), columns: i.elements, unique: i.unique, ...(i.where ? { where: i.where } : {}), include: i.include, method: i.method, nullsNotDistinct: i.nullsNotDistinct, comment: i.comment })),
        triggers: t.triggers.map((tr) => ({ ...tr, when: tr.when ?? undefined })),
        policies: t.policies.map((p) => ({ ...p, using: p.using ?? undefined, withCheck: p.withCheck ?? undefined })),
        rls: t.rls,
        grants: t.grants,
        ...(t.unlogged ? { unlogged: true } : {}),
        ...(t.storageParameters?.length ? { storageParameters: t.storageParameters } : {}),
        ...(t.partitionBy ? { partitionBy: t.partitionBy } : {}),
        ...(t.partitionOf ? { partitionOf: t.partitionOf, ...(t.partitionBound ? { partitionBound: t.partitionBound } : {}) } : {}),
      })),
      views: s.views.map((v) => ({ ...v, checkOption: v.checkOption ?? undefined, indexes: v.indexes.map((i) => ({ name: i.name, columns: i.elements, unique: i.unique, ...(i.where ? { where: i.where } : {}), include: i.include, method: i.method })) })),
      enums: s.enums,
      domains: s.domains,
      compositeTypes: s.compositeTypes.map(({ attributes, ...c }) => (c.range ? c : { ...c, attributes })),
      sequences: s.sequences.map((q) => ({ ...q, start: q.start ?? undefined, min: q.min ?? undefined, max: q.max ?? undefined, ownedBy: q.ownedBy ?? undefined })),
      routines: s.routines.map((r) => ({ ...r, returns: r.returns ?? undefined })),
      events: s.events,
      rules: s.rules,
      collations: s.collations,
    })) as SpecInput['schemas'],
    seed: spec.seed.map((t) => ({ ...t })),
    verify: spec.verify.map((v) => ({ ...(v.kind === 'query' ? { name: v.name, sql: v.sql, expect: v.expect } : { name: v.name, reject: v.reject, ...(v.errorClass ? { errorClass: v.errorClass } : {}) }), ...(v.dialects ? { dialects: [...v.dialects] } : {}) })),
    manage: spec.manage,
  };
}

/** Objects in a file that sets `defaultSchema` keep that schema when merged with other files. */
function withFileDefaults(input: SpecInput): SpecInput {
  const d = input.defaultSchema;
  if (!d) return input;
  const stamp = <T extends { schema?: string | undefined }>(xs: T[] | undefined) => xs?.map((x) => ({ ...x, schema: x.schema ?? d }));
  return {
    ...input,
    tables: stamp(input.tables),
    views: stamp(input.views),
    enums: stamp(input.enums),
    domains: stamp(input.domains),
    compositeTypes: stamp(input.compositeTypes),
    sequences: stamp(input.sequences),
    routines: stamp(input.routines),
    events: stamp(input.events),
    rules: stamp(input.rules),
    collations: stamp(input.collations),
  };
}

const ARRAY_KEYS = ['extensions', 'schemas', 'tables', 'views', 'enums', 'domains', 'compositeTypes', 'sequences', 'routines', 'events', 'rules', 'collations', 'triggers', 'policies', 'grants', 'verify'] as const;

/** Concatenate the object lists of several spec files; the first file's settings win. */
export function mergeInputs(inputs: SpecInput[]): SpecInput {
  if (inputs.length === 1) return { ...inputs[0]!, include: [] };
  const out: Record<string, unknown> = {};
  const first = inputs[0] ?? {};
  if (first.version) out.version = first.version;
  if (first.dialect) out.dialect = first.dialect;
  if (first.defaultSchema) out.defaultSchema = first.defaultSchema;
  for (const k of ARRAY_KEYS) {
    const all = inputs.flatMap((i) => (i[k] as unknown[] | undefined) ?? []);
    if (all.length) out[k] = all;
  }
  const seed = inputs.flatMap((i) => (i.seed === undefined ? [] : Array.isArray(i.seed) ? i.seed : Object.entries(i.seed).map(([table, t]) => ({ ...t, table: t.table ?? table }))));
  if (seed.length) out.seed = seed;
  const comments = Object.assign({}, ...inputs.map((i) => i.comments ?? {}));
  if (Object.keys(comments).length) out.comments = comments;
  const manage = Object.assign({}, ...inputs.map((i) => i.manage ?? {}).reverse());
  if (Object.keys(manage).length) out.manage = manage;
  return out as SpecInput;
}
