// The fleet's targets: a file (YAML/JSON, one zod schema) that lists URLs, a
// URL template with names, or a SQL query against a control database; and
// `--where` selection by labels. Parsing and selection are pure; only
// `resolveTargets` touches a database (the control query). A target's URL is
// a secret: everything a user sees carries `redacted`, never `url`.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { connect } from '../drivers/connect.js';
import { parseDbUrl, redactUrl, redactUrls } from '../drivers/url.js';
import { PlumbError } from '../errors.js';
import { closest, formatZodIssues, issuePath } from '../spec/spec-errors.js';

export type Labels = Record<string, string>;

export interface FleetTarget {
  /** Unique name in the fleet (reports, state, selection by `name=`). */
  name: string;
  /** The connection URL: contains the password. Never print it. */
  url: string;
  /** The URL with its password masked: the only form that is shown. */
  redacted: string;
  labels: Labels;
}

const labelValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const labelsSchema = z.record(z.string().regex(/^[A-Za-z_][\w.-]*$/, 'label keys are letters, digits, _ . -'), labelValue);
const nameSchema = z.string().min(1).regex(/^[\w.@:-]+$/, 'names are letters, digits and _ . @ : -');

const listedTarget = z.strictObject({ url: z.string().min(1), name: nameSchema.optional(), labels: labelsSchema.optional() });
const templateName = z.union([nameSchema, z.strictObject({ name: nameSchema, labels: labelsSchema.optional() })]);
const templateSource = z.strictObject({
  /** `postgres://app@db.internal/{name}`: `{name}` is replaced by each name (URL-encoded). */
  url: z.string().min(1).refine((u) => u.includes('{name}'), 'the template must contain {name}'),
  names: z.array(templateName).min(1),
  labels: labelsSchema.optional(),
});
const querySource = z.strictObject({
  /** The control database (default: --control). Environment references `${VAR}` are expanded. */
  control: z.string().min(1).optional(),
  /** Returns a `url` column, optionally `name`; every other column becomes a label. */
  sql: z.string().min(1),
  labels: labelsSchema.optional(),
});

export const targetsFileSchema = z
  .strictObject({
    targets: z.array(listedTarget).optional(),
    template: z.union([templateSource, z.array(templateSource)]).optional(),
    query: z.union([querySource, z.array(querySource)]).optional(),
    /** Labels every target gets (a target's own labels win). */
    labels: labelsSchema.optional(),
  })
  .refine((f) => f.targets || f.template || f.query, 'give at least one of targets, template or query');

export type TargetsFile = z.infer<typeof targetsFileSchema>;

/** Expands `${VAR}` from the environment, so passwords can stay out of the file. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv = process.env, where = 'targets file'): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new PlumbError('E_CONFIG', `${where}: environment variable ${name} is not set`, `export ${name}=… before running, or write the value into the file`);
    return v;
  });
}

/** Parses the text of a targets file (YAML or JSON). Pure. */
export function parseTargetsFile(text: string, source: string): TargetsFile {
  let raw: unknown;
  try {
    raw = extname(source).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new PlumbError('E_CONFIG', `${source} is not valid ${extname(source).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${redactUrls((e as Error).message.split('\n')[0] ?? '')}`, 'see docs/fleet.md for the targets file format');
  }
  const r = targetsFileSchema.safeParse(raw);
  if (!r.success) throw new PlumbError('E_CONFIG', `${source} is not a valid targets file:\n${redactUrls(formatTargetIssues(r.error.issues))}`, 'the format is `targets: [{ url, name?, labels? }]`, `template: { url: …{name}…, names: [...] }` or `query: { sql }` (docs/fleet.md)');
  return r.data;
}

const TARGET_KEYS = ['targets', 'template', 'query', 'labels', 'url', 'name', 'names', 'control', 'sql'];

/** zod issues as lines; unknown keys are matched against the targets file's own keys (not the spec's). */
function formatTargetIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines: string[] = [];
  const rest: z.core.$ZodIssue[] = [];
  for (const i of issues) {
    if (i.code !== 'unrecognized_keys') {
      rest.push(i);
      continue;
    }
    for (const k of i.keys) {
      const guess = closest(k, TARGET_KEYS);
      lines.push(`  - ${issuePath(i.path) || '(top level)'}: unknown key \`${k}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`);
    }
  }
  return [...lines, ...(rest.length ? [formatZodIssues(rest)] : [])].join('\n');
}

/** The name a URL gets when the file gives none: its database (or file) name. */
export function defaultName(url: string): string {
  const t = parseDbUrl(url);
  const base = t.database ?? t.path?.split(/[\\/]/).filter(Boolean).pop();
  if (!base) throw new PlumbError('E_CONFIG', `cannot name the target ${t.redacted}: its URL names no database`, 'give it a name: { url: …, name: tenant1 }');
  return base;
}

function target(url: string, name: string | undefined, labels: Labels, where: string): FleetTarget {
  const expanded = expandEnv(url, process.env, where);
  // Parse now, so a malformed URL fails before any target is touched.
  const redacted = parseDbUrl(expanded).redacted;
  return { name: name ?? defaultName(expanded), url: expanded, redacted, labels };
}

/** Targets a file lists without a database (list and templates), in file order. Pure apart from the environment. */
export function staticTargets(file: TargetsFile, source = 'targets file'): FleetTarget[] {
  const common = file.labels ?? {};
  const out: FleetTarget[] = [];
  file.targets?.forEach((t, i) => out.push(target(t.url, t.name, { ...common, ...t.labels }, `${source}: targets[${i}]`)));
  for (const [ti, tpl] of (Array.isArray(file.template) ? file.template : file.template ? [file.template] : []).entries()) {
    for (const n of tpl.names) {
      const { name, labels } = typeof n === 'string' ? { name: n, labels: {} } : { name: n.name, labels: n.labels ?? {} };
      out.push(target(tpl.url.split('{name}').join(encodeURIComponent(name)), name, { ...common, ...tpl.labels, ...labels }, `${source}: template[${ti}] ${name}`));
    }
  }
  return out;
}

export interface ResolveOptions {
  /** The control database for `query` sources without their own `control`. */
  control?: string;
}

/** Every target of the file: listed, templated, then queried. Names must be unique. */
export async function resolveTargets(file: TargetsFile, source: string, options: ResolveOptions = {}): Promise<FleetTarget[]> {
  const out = staticTargets(file, source);
  const common = file.labels ?? {};
  for (const [qi, q] of (Array.isArray(file.query) ? file.query : file.query ? [file.query] : []).entries()) {
    const where = `${source}: query[${qi}]`;
    const controlUrl = q.control ? expandEnv(q.control, process.env, where) : options.control;
    if (!controlUrl) throw new PlumbError('E_CONFIG', `${where} has no control database`, 'write `control: postgres://…` in the query, or pass --control URL');
    const conn = await connect(parseDbUrl(controlUrl));
    let rows: Record<string, unknown>[];
    try {
      rows = await conn.transaction((tx) => tx.query(q.sql), { readOnly: true, statementTimeoutMs: 30_000 });
    } catch (e) {
      throw new PlumbError('E_CONFIG', `${where}: the targets query failed on ${redactUrl(controlUrl)}: ${redactUrls((e as Error).message)}`, 'the query must return a `url` column (and optionally `name`); other columns become labels');
    } finally {
      await conn.close();
    }
    rows.forEach((row, ri) => {
      if (typeof row.url !== 'string' || !row.url) throw new PlumbError('E_CONFIG', `${where}: row ${ri + 1} has no text \`url\` column`, 'alias the column: SELECT conninfo AS url, tenant AS name …');
      const labels: Labels = {};
      for (const [k, v] of Object.entries(row)) if (k !== 'url' && k !== 'name' && v !== null && v !== undefined) labels[k] = String(v);
      out.push(target(row.url, row.name === null || row.name === undefined ? undefined : String(row.name), { ...common, ...q.labels, ...labels }, `${where} row ${ri + 1}`));
    });
  }
  const seen = new Map<string, number>();
  out.forEach((t, i) => {
    const prev = seen.get(t.name);
    if (prev !== undefined) throw new PlumbError('E_CONFIG', `${source}: two targets are named "${t.name}" (${out[prev]!.redacted} and ${t.redacted})`, 'give each target a unique name: { url: …, name: … }');
    seen.set(t.name, i);
  });
  return out;
}

/** Reads, validates and resolves a targets file. */
export async function loadTargets(path: string, options: ResolveOptions = {}): Promise<FleetTarget[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PlumbError('E_IO', `cannot read targets file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'pass --targets fleet.yaml (docs/fleet.md shows the format)');
  }
  return resolveTargets(parseTargetsFile(text, path), path, options);
}

export interface Selector {
  key: string;
  negate: boolean;
  /** Any of these values matches (`tier=gold,silver`). */
  values: string[];
}

/** `key=value`, `key=a,b` (any of), `key!=value`. `name` selects by target name. */
export function parseWhere(expr: string): Selector {
  const m = /^([A-Za-z_][\w.-]*)\s*(!?=)\s*(.*)$/.exec(expr.trim());
  if (!m || m[3] === '') throw new PlumbError('E_USAGE', `--where ${expr}: expected key=value, key=a,b or key!=value`, 'for example: --where tier=gold --where region!=eu');
  return { key: m[1]!, negate: m[2] === '!=', values: m[3]!.split(',').map((s) => s.trim()) };
}

/** Targets matching every selector (AND across --where flags, OR within one). Keeps file order. */
export function selectTargets(targets: readonly FleetTarget[], where: readonly (string | Selector)[]): FleetTarget[] {
  const sels = where.map((w) => (typeof w === 'string' ? parseWhere(w) : w));
  return targets.filter((t) =>
    sels.every((s) => {
      const v = s.key === 'name' ? t.name : t.labels[s.key];
      const hit = v !== undefined && s.values.includes(v);
      return s.negate ? !hit : hit;
    }),
  );
}
