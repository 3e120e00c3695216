// Finds RBAC table families by name — roles, permissions, role_permissions,
// user_roles, with an optional shared prefix like `core_` — and the columns
// that link them. Pure catalog reading; the RBAC data rules query through it.
import type { Catalog, Column, Table } from '../../catalog/types.js';
import { isTextColumn } from './names.js';
import { singleKey } from './relations.js';

export type RbacRole = 'roles' | 'permissions' | 'rolePermissions' | 'userRoles';

/** Suffixes per member, longest first so `core_role_permissions` is not read as prefix `core_role_` + `permissions`. */
const SUFFIXES: [string, RbacRole][] = (
  [
    ['role_has_permissions', 'rolePermissions'],
    ['roles_permissions', 'rolePermissions'],
    ['role_permissions', 'rolePermissions'],
    ['permission_roles', 'rolePermissions'],
    ['role_permission', 'rolePermissions'],
    ['role_assignments', 'userRoles'],
    ['model_has_roles', 'userRoles'],
    ['users_roles', 'userRoles'],
    ['user_roles', 'userRoles'],
    ['role_users', 'userRoles'],
    ['user_role', 'userRoles'],
    ['role_user', 'userRoles'],
    ['permissions', 'permissions'],
    ['permission', 'permissions'],
    ['roles', 'roles'],
    ['role', 'roles'],
  ] as [string, RbacRole][]
).sort((a, b) => b[0].length - a[0].length);

export interface RbacFamily {
  schema: string;
  prefix: string;
  members: Partial<Record<RbacRole, Table>>;
}

function classify(name: string): { prefix: string; role: RbacRole } | null {
  const n = name.toLowerCase();
  for (const [suffix, role] of SUFFIXES) {
    if (n === suffix) return { prefix: '', role };
    if (n.endsWith('_' + suffix)) {
      const prefix = n.slice(0, n.length - suffix.length);
      // `user_roles` must not read as prefix `user_` + `roles`: handled by longest-first order.
      return { prefix, role };
    }
  }
  return null;
}

/**
 * RBAC families: tables sharing schema and prefix whose names are RBAC
 * members. A family needs a roles table plus at least one other member, or a
 * user_roles table alone (roles as text): a lone `roles` table (actors' roles
 * in a film database) is not RBAC.
 */
export function rbacFamilies(c: Catalog): RbacFamily[] {
  const byKey = new Map<string, RbacFamily>();
  for (const s of c.schemas)
    for (const t of s.tables) {
      if (t.kind === 'partition' || t.kind === 'foreign') continue;
      const k = classify(t.name);
      if (!k) continue;
      const key = `${s.name}\u0000${k.prefix}`;
      let f = byKey.get(key);
      if (!f) byKey.set(key, (f = { schema: s.name, prefix: k.prefix, members: {} }));
      f.members[k.role] ??= t;
    }
  return [...byKey.values()]
    .filter((f) => Object.keys(f.members).length >= 2 || (f.members.userRoles && !f.members.roles))
    .filter((f) => f.members.roles || f.members.userRoles)
    .sort((a, b) => (a.schema + a.prefix < b.schema + b.prefix ? -1 : 1));
}

const NAME_COLUMNS = ['name', 'code', 'slug', 'role_name', 'role_code', 'key', 'title', 'role', 'role_type'];

/** The column naming a role (`name`, `code`, …) in a roles table, or in a user_roles table that stores roles as text. */
export function roleNameColumn(t: Table): Column | undefined {
  for (const n of NAME_COLUMNS) {
    const col = t.columns.find((c) => c.name.toLowerCase() === n && isTextColumn(c));
    if (col) return col;
  }
  return undefined;
}

/** The column of `link` that references `roles`: its declared FK, else `role_id`. */
export function roleReference(link: Table, roles: Table): { column: Column; key: Column } | undefined {
  const fk = link.foreignKeys.find((f) => f.columns.length === 1 && f.references.table === roles.name && f.references.schema === roles.schema);
  const key = fk ? roles.columns.find((c) => c.name === fk.references.columns[0]) : singleKey(roles);
  const column = link.columns.find((c) => c.name === (fk ? fk.columns[0] : 'role_id'));
  return column && key ? { column, key } : undefined;
}

export const ADMIN_ROLE = /^(super[_ -]?admin(istrator)?|admin(istrator)?|sys[_ -]?admin|system[_ -]?admin(istrator)?|platform[_ -]?admin(istrator)?|root)$/i;
