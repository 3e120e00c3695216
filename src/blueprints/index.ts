// The blueprint registry and `plumb blueprint add`'s merge into a spec file.
import { parse, stringify } from 'yaml';
import { PlumbError } from '../errors.js';
import type { SpecInput } from '../spec/types.js';
import { resolveParams, type Blueprint, type BlueprintFragment } from './blueprint.js';
import { auditLog } from './catalog/audit-log.js';
import { rbac } from './catalog/rbac.js';
import { settings } from './catalog/settings.js';
import { apiKeys, featureFlags, notificationQueue, sessions, stateLog } from './catalog/small.js';

export * from './blueprint.js';

export const blueprints: readonly Blueprint[] = [rbac, auditLog, settings, featureFlags, apiKeys, sessions, notificationQueue, stateLog];

export function getBlueprint(name: string): Blueprint {
  const b = blueprints.find((x) => x.name === name);
  if (!b) throw new PlumbError('E_USAGE', `no blueprint named "${name}"`, `available: ${blueprints.map((x) => x.name).join(', ')}`);
  return b;
}

export function buildBlueprint(name: string, params: Record<string, string> = {}): BlueprintFragment {
  const p = resolveParams(params);
  // References to the users table only make sense when it exists: rbac makes `<prefix>users`.
  if (params.usersTable === undefined && name !== 'rbac') delete p.usersTable;
  return getBlueprint(name).build(p);
}

/**
 * Adds a fragment to a spec (YAML/JSON text): tables, seed and verify entries
 * are appended; a table that already exists is an error, never overwritten.
 */
export function addToSpecText(specText: string, fragment: BlueprintFragment): string {
  const doc = (specText.trim() ? parse(specText) : {}) as SpecInput | null;
  const spec: SpecInput = doc && typeof doc === 'object' ? doc : {};
  const have = new Set((spec.tables ?? []).map((t) => `${t.schema ?? spec.defaultSchema ?? 'public'}.${t.name}`));
  for (const t of fragment.spec.tables ?? []) {
    const id = `${t.schema ?? 'public'}.${t.name}`;
    if (have.has(id)) throw new PlumbError('E_SPEC', `the spec already has a table ${id}`, 'use another --param prefix=… or --param schema=…');
  }
  const out: SpecInput = { ...spec };
  out.tables = [...(spec.tables ?? []), ...(fragment.spec.tables ?? [])];
  const seed = [...(spec.seed === undefined ? [] : Array.isArray(spec.seed) ? spec.seed : Object.entries(spec.seed).map(([table, s]) => ({ ...s, table: s.table ?? table }))), ...((fragment.spec.seed as unknown[]) ?? [])];
  if (seed.length) out.seed = seed as SpecInput['seed'];
  const verify = [...(spec.verify ?? []), ...(fragment.spec.verify ?? [])];
  if (verify.length) out.verify = verify;
  return stringify(out, { lineWidth: 0 });
}
