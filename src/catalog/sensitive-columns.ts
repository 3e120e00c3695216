// Which columns hold secrets, judged by name, and how a value of such a
// column is shown when it must identify a row (a sample key, a pre-check
// sample): never in clear, only a short hash that lets a user match rows.
// Pure; used by audit evidence, plan.md and apply's messages alike.
import { createHash } from 'node:crypto';

/** Single words that make a column secret-looking (`token`, `password_hash`, `session_id`…). */
const SECRET_WORDS = new Set([
  'token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'passphrase', 'apikey', 'credential', 'credentials',
  'otp', 'totp', 'mfa', 'jwt', 'cookie', 'salt', 'nonce', 'pin', 'ssn', 'hash', 'hashed', 'digest', 'signature', 'bearer',
]);
/** Two-word names (`api_key`, `session_id`) that are secrets although neither word alone is. */
const SECRET_PAIRS = new Set(['api_key', 'private_key', 'access_key', 'secret_key', 'auth_key', 'signing_key', 'encryption_key', 'session_key', 'session_id', 'license_key', 'recovery_code', 'reset_code', 'auth_code']);

/**
 * Last words by which a secret-named column describes a secret instead of
 * holding one: `auth__api_key__header_name` holds `X-API-Key`, `token_type`
 * holds `bearer`. Not `header`, `url` or `param`: those often hold the value.
 */
const DESCRIPTOR_WORDS = new Set(['name', 'type', 'kind', 'format', 'label', 'hint', 'field', 'placeholder', 'description', 'algorithm', 'alg', 'scheme', 'length', 'endpoint', 'provider']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when a column's name ends by saying what kind of secret it is about (`api_key_header_name`, `password_hint`): it holds no secret. */
export function describesSecret(name: string): boolean {
  const w = words(name);
  return w.length > 1 && DESCRIPTOR_WORDS.has(w[w.length - 1]!);
}

/** True when a column named `name` probably holds a token, key, password or other secret. */
export function isSecretColumnName(name: string): boolean {
  if (describesSecret(name)) return false;
  const w = words(name);
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  for (let i = 1; i < w.length; i++) if (SECRET_PAIRS.has(`${w[i - 1]}_${w[i]}`)) return true;
  return false;
}

const REDACTED = /^redacted:[0-9a-f]{8}$/;

/** `redacted:1a2b3c4d`: the first 8 hex digits of the value's SHA-256 (idempotent). */
export function redactValue(value: unknown): string {
  const s = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value instanceof Date ? value.toISOString() : String(value);
  if (REDACTED.test(s)) return s;
  return `redacted:${createHash('sha256').update(s).digest('hex').slice(0, 8)}`;
}

/** A copy of `row` whose secret-named columns are redacted (null stays null). */
export function redactRow<T extends Record<string, unknown>>(row: T): T {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(row)) {
    if (v === null || v === undefined || !isSecretColumnName(k)) continue;
    out ??= { ...row };
    out[k] = redactValue(v);
  }
  return (out ?? row) as T;
}
