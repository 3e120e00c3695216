// Which tables and views an API layer (PostgREST / Supabase) can reach: in an
// exposed schema AND granted to an API role. Plain application schemas with
// no grants to those roles are not "exposed", so they get no RLS findings.
import type { Grant } from '../catalog/types.js';
import { matchesAny, stringList } from './rule-helpers.js';

export const exposureOptions = { exposedSchemas: ['public'], apiRoles: ['anon', 'authenticated', 'PUBLIC'] };

export function isExposed(schema: string, grants: readonly Grant[], options: Record<string, unknown>): boolean {
  if (!matchesAny(schema, stringList(options.exposedSchemas, exposureOptions.exposedSchemas))) return false;
  const roles = stringList(options.apiRoles, exposureOptions.apiRoles);
  return grants.some((g) => roles.includes(g.grantee) && g.privileges.length > 0);
}

export const API_ROLE_SETUP = `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN; END IF;
END $$;`;
