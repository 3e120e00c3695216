// A blueprint: a parameterised spec fragment for a subsystem every seed
// rebuilds (RBAC, audit log, settings, …) — tables, seed data, verify checks,
// and the audit rules it is built to satisfy. Pure data in, spec input out.
import { PlumbError } from '../errors.js';
import type { SpecColumnInput, SpecInput } from '../spec/types.js';

export type IdType = 'uuid' | 'bigint';

export interface BlueprintParams {
  /** Schema the tables go into. The default lands in the URL's database on MySQL and in `main` on SQLite, which refuses any other. */
  schema: string;
  /** Table name prefix, e.g. `core_`. */
  prefix: string;
  idType: IdType;
  /** Environments for settings and feature flags. */
  environments: string[];
  /** The users table other blueprints reference (default `<prefix>users` when rbac is present, else none). */
  usersTable?: string;
}

export interface ParamDoc {
  name: keyof BlueprintParams;
  description: string;
  default: string;
}

export interface BlueprintFragment {
  spec: SpecInput;
  /** Audit rule ids this fragment is designed to pass (and the failure it prevents). */
  satisfies: string[];
  /** Tables that `plumb chain install` must turn into hash chains after apply. */
  chains: string[];
  /** What the fragment deliberately leaves to the application. */
  notes: string[];
}

export interface Blueprint {
  name: string;
  summary: string;
  build(p: BlueprintParams): BlueprintFragment;
}

export const paramDocs: ParamDoc[] = [
  { name: 'schema', description: 'schema for the tables', default: 'public' },
  { name: 'prefix', description: 'table name prefix, e.g. core_', default: '' },
  { name: 'idType', description: 'primary keys: bigint (identity) or uuid', default: 'bigint' },
  { name: 'environments', description: 'comma-separated environments (settings, feature flags)', default: 'development,staging,production' },
  { name: 'usersTable', description: 'users table to reference (actor/owner columns); empty for none', default: '<prefix>users' },
];

export function resolveParams(raw: Record<string, string> = {}): BlueprintParams {
  const known = new Set(paramDocs.map((d) => d.name as string));
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) throw new PlumbError('E_USAGE', `unknown blueprint parameter "${k}"`, `known: ${[...known].join(', ')}`);
  }
  const idType = (raw.idType ?? 'bigint') as IdType;
  if (idType !== 'uuid' && idType !== 'bigint') throw new PlumbError('E_USAGE', `idType must be uuid or bigint, not "${raw.idType}"`, 'pass --param idType=uuid');
  const prefix = raw.prefix ?? '';
  if (!/^[a-z0-9_]*$/i.test(prefix)) throw new PlumbError('E_USAGE', `prefix "${prefix}" must be letters, digits and _`, 'e.g. --param prefix=core_');
  const environments = (raw.environments ?? 'development,staging,production').split(',').map((s) => s.trim()).filter(Boolean);
  if (environments.length === 0) throw new PlumbError('E_USAGE', 'environments must list at least one environment', 'e.g. --param environments=staging,production');
  const p: BlueprintParams = { schema: raw.schema ?? 'public', prefix, idType, environments };
  const users = raw.usersTable ?? `${prefix}users`;
  if (users) p.usersTable = users;
  return p;
}

/** Shared column builders so every blueprint spells ids, timestamps and references the same way. */
export function kit(p: BlueprintParams) {
  const t = (name: string) => `${p.prefix}${name}`;
  const idCol = (): SpecColumnInput =>
    p.idType === 'uuid' ? { name: 'id', type: 'uuid', primaryKey: true, default: 'gen_random_uuid()' } : { name: 'id', type: 'bigint', identity: 'by default', primaryKey: true };
  const refType = p.idType === 'uuid' ? 'uuid' : 'bigint';
  const ref = (name: string, table: string, options: { nullable?: boolean; onDelete?: 'cascade' | 'restrict' | 'set null' } = {}): SpecColumnInput => ({
    name,
    type: refType,
    nullable: options.nullable ?? false,
    references: { schema: p.schema, table, column: 'id', ...(options.onDelete ? { onDelete: options.onDelete } : {}) },
  });
  /** A reference to the users table when there is one, else a plain nullable id. */
  const userRef = (name: string, onDelete: 'set null' | 'restrict' = 'set null'): SpecColumnInput =>
    p.usersTable ? ref(name, p.usersTable, { nullable: true, onDelete }) : { name, type: refType, nullable: true };
  const created = (): SpecColumnInput => ({ name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()' });
  const updated = (): SpecColumnInput => ({ name: 'updated_at', type: 'timestamptz', nullable: false, default: 'now()' });
  const q = (table: string) => (p.schema === 'public' ? table : `${p.schema}.${table}`);
  const inList = (col: string, values: string[]) => `${col} IN (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
  return { t, idCol, ref, userRef, created, updated, q, inList, refType };
}
