// Name conventions data rules key on: which columns are JSON-, status-,
// secret-, password- or cipher-named, and which tables are RBAC or audit logs.
// Pure string logic; the patterns are rule options so users can extend them.
import type { Column, TypeKind } from '../../catalog/types.js';

export const TEXT_KINDS: ReadonlySet<TypeKind> = new Set<TypeKind>(['text', 'varchar', 'char']);
export const BINARY_KINDS: ReadonlySet<TypeKind> = new Set<TypeKind>(['bytea', 'blob']);
const INT_KINDS: ReadonlySet<TypeKind> = new Set<TypeKind>(['smallint', 'int', 'bigint', 'tinyint', 'mediumint']);

export function isTextColumn(c: Column): boolean {
  return TEXT_KINDS.has(c.type.kind);
}

/** Columns whose values can be compared with `=` across tables without a cast error. */
export function typeFamily(c: Column): 'int' | 'text' | 'uuid' | 'other' {
  const k = c.type.kind;
  if (INT_KINDS.has(k) || (k === 'numeric' && (c.type.scale ?? 0) === 0)) return 'int';
  if (TEXT_KINDS.has(k)) return 'text';
  if (k === 'uuid') return 'uuid';
  return 'other';
}

/**
 * Name patterns: a plain word matches the whole name, `*_x` a suffix, `x_*` a
 * prefix (case-insensitive). Kept this simple so users can write them in config.
 */
export function nameMatches(name: string, patterns: readonly string[]): boolean {
  const n = name.toLowerCase();
  return patterns.some((raw) => {
    const p = raw.toLowerCase();
    if (p.startsWith('*') && p.endsWith('*') && p.length > 2) return n.includes(p.slice(1, -1));
    if (p.startsWith('*')) return n.endsWith(p.slice(1)) && n.length > p.length - 1;
    if (p.endsWith('*')) return n.startsWith(p.slice(0, -1)) && n.length > p.length - 1;
    return n === p;
  });
}

export const JSON_NAMES = ['*_json', 'json', 'payload', 'metadata', 'data', 'settings', 'config'];
export const STATUS_NAMES = ['status', 'state', '*_status', 'type', '*_type', 'kind'];
export const CIPHER_NAMES = ['*_encrypted', '*_enc', '*_cipher', '*_ciphertext', 'encrypted_*'];
export const PASSWORD_NAMES = ['password', 'password_hash', 'passwd', 'pwd', 'pwd_hash', 'hashed_password', 'password_digest', 'pass_hash', 'encrypted_password'];
export const SECRET_NAMES = [
  'api_key', 'apikey', 'token', 'secret', 'access_token', 'refresh_token', 'client_secret', 'totp_secret', 'otp_secret', 'mfa_secret',
  'secret_key', 'private_key', 'auth_token', 'webhook_secret', 'signing_secret',
  '*_api_key', '*_apikey', '*_token', '*_secret', '*_secret_key', '*_private_key',
];
export const NATURAL_KEY_NAMES = ['email', 'email_address', 'code', 'slug', 'username', 'user_name', 'sku', 'key'];
export const CASE_INSENSITIVE_KEYS = ['email', 'email_address', '*_email', 'username', 'user_name'];
export const SOFT_DELETE_NAMES = ['deleted_at', 'deleted_on', 'archived_at'];

/** Plural spellings to try for a singular noun (`category` → `categories`). */
export function plurals(word: string): string[] {
  const w = word.toLowerCase();
  const out = new Set<string>([w + 's']);
  if (/[^aeiou]y$/.test(w)) out.add(w.slice(0, -1) + 'ies');
  if (/(s|x|z|ch|sh)$/.test(w)) out.add(w + 'es');
  if (w.endsWith('person')) out.add(w.slice(0, -6) + 'people');
  return [...out];
}

/** The leading `prefix_` of a table name (`core_users` → `core_`), or ''. */
export function tablePrefix(name: string): string {
  const i = name.indexOf('_');
  return i > 0 ? name.slice(0, i + 1) : '';
}

/** The soft-delete timestamp column of a table, if any. */
export function softDeleteColumn(columns: readonly Column[]): Column | undefined {
  return columns.find((c) => nameMatches(c.name, SOFT_DELETE_NAMES));
}
