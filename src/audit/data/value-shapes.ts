// Pure classifiers for the shape of one stored value: ciphertext, password
// hash, digest, JSON, clear secret. Data rules fetch a bounded sample and ask
// these; they must never return or log the value itself.

/** Shannon entropy in bits per character (per byte for binary). */
export function shannonEntropy(s: string | Uint8Array): number {
  const n = s.length;
  if (n === 0) return 0;
  const counts = new Map<number | string, number>();
  if (typeof s === 'string') for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  else for (const b of s) counts.set(b, (counts.get(b) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Entropy a random string of length n over an alphabet of `alphabet` symbols
 * reaches with high probability, minus slack: short random strings repeat
 * symbols, so the bar must scale with length rather than be one constant.
 */
function entropyBar(n: number, alphabet: number): number {
  const ideal = Math.min(Math.log2(alphabet), Math.log2(n));
  return ideal * 0.78;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const BASE32 = /^[A-Z2-7]+=*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Prefixes of vendor credentials that are only ever issued in clear (and so must not sit in a column in clear). */
const CLEAR_TOKEN_PREFIXES = [
  /^sk_(live|test)_/, /^rk_(live|test)_/, /^pk_(live|test)_/, /^whsec_/, // Stripe
  /^gh[pousr]_[A-Za-z0-9]{20,}/, /^github_pat_/, // GitHub
  /^glpat-/, // GitLab
  /^xox[abprs]-/, // Slack
  /^AKIA[0-9A-Z]{12,}/, /^ASIA[0-9A-Z]{12,}/, // AWS access key ids
  /^AIza[0-9A-Za-z_-]{20,}/, // Google API keys
  /^sk-[A-Za-z0-9_-]{16,}/, // OpenAI-style
  /^SG\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/, // SendGrid
  /^-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/,
];

export function isKnownClearToken(s: string): boolean {
  return CLEAR_TOKEN_PREFIXES.some((re) => re.test(s)) || JWT.test(s);
}

/** Envelopes that only an encryption layer writes: `v1:keyid:payload`, Vault transit, Fernet, PGP, jasypt. */
export function isEncryptionEnvelope(s: string): boolean {
  return (
    /^v\d+:[A-Za-z0-9_.\-/]+:[A-Za-z0-9+/=_\-.:]{16,}$/.test(s) ||
    /^vault:v\d+:[A-Za-z0-9+/=]{16,}$/.test(s) ||
    /^gAAAAA[A-Za-z0-9_-]{50,}={0,2}$/.test(s) ||
    /^-----BEGIN PGP MESSAGE-----/.test(s) ||
    /^ENC\([A-Za-z0-9+/=]{16,}\)$/.test(s)
  );
}

/** `CorrectHorseBatteryStaple2024`: capitalised words, which random base64 of this length practically never forms. */
const READABLE_WORDS = /^(?:[A-Z]?[a-z]{2,}[0-9_-]*)+$/;

function characterClasses(s: string): number {
  return (/[A-Z]/.test(s) ? 1 : 0) + (/[a-z]/.test(s) ? 1 : 0) + (/[0-9]/.test(s) ? 1 : 0) + (/[+/_-]/.test(s) ? 1 : 0);
}

/** Random-looking base64/base64url text: long enough, mixed classes, entropy a plaintext rarely reaches. */
export function isOpaqueBase64(s: string): boolean {
  if (s.length < 24 || !(BASE64.test(s) || BASE64URL.test(s))) return false;
  if (characterClasses(s) < 3 || READABLE_WORDS.test(s)) return false;
  const body = s.replace(/=+$/, '');
  return shannonEntropy(body) >= entropyBar(body.length, 64);
}

/** Random-looking hex (optionally Postgres `\x`-prefixed) of at least 128 bits. */
export function isOpaqueHex(s: string): boolean {
  const body = s.startsWith('\\x') ? s.slice(2) : s;
  if (body.length < 32 || body.length % 2 !== 0 || !HEX.test(body)) return false;
  return shannonEntropy(body.toLowerCase()) >= entropyBar(body.length, 16);
}

function isPrintableAscii(b: Uint8Array): boolean {
  for (const x of b) if (!(x === 9 || x === 10 || x === 13 || (x >= 32 && x < 127))) return false;
  return true;
}

function asText(v: string | Uint8Array): string | null {
  if (typeof v === 'string') return v.trim();
  return isPrintableAscii(v) ? Buffer.from(v).toString('latin1').trim() : null;
}

/**
 * True when a value could be ciphertext: an encryption envelope, or opaque
 * base64/hex, or binary that is not printable text. A known clear token
 * (`sk_live_…`, a JWT) is never ciphertext even though it looks random.
 */
export function isCiphertextShaped(v: string | Uint8Array): boolean {
  const s = asText(v);
  if (s === null) return v.length >= 12; // non-printable binary of some length: encrypted or at least not text
  if (isKnownClearToken(s)) return false;
  return isEncryptionEnvelope(s) || isOpaqueHex(s) || isOpaqueBase64(s);
}

const PASSWORD_SCHEMES: [string, RegExp][] = [
  ['bcrypt', /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/],
  ['bcrypt', /^bcrypt(_sha256)?\$/],
  ['argon2', /^\$argon2(id|i|d)\$/],
  ['argon2', /^argon2\$argon2(id|i|d)\$/],
  ['scrypt', /^\$(scrypt|7)\$/],
  ['scrypt', /^scrypt:\d+:\d+:\d+\$/],
  // plumb's own seed format (src/seed/seed-crypto.ts): scrypt$N$r$p$salt$hash
  ['scrypt', /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/],
  ['yescrypt', /^\$g?y\$/],
  ['pbkdf2', /^pbkdf2_sha(1|256|512)\$\d+\$/],
  ['pbkdf2', /^\$pbkdf2(-sha(1|256|512))?\$/],
  ['pbkdf2', /^pbkdf2:sha(1|256|512)(:\d+)?\$/],
  ['sha-crypt', /^\$[56]\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}$/],
  ['md5-crypt', /^\$(1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}$/],
  ['ldap', /^\{(SSHA|SSHA256|SSHA512|SHA|SHA256|SHA512|CRYPT|PBKDF2[-A-Z0-9]*|ARGON2)\}/i],
  ['django-legacy', /^(sha1|md5)\$[^$]*\$[0-9a-f]{32,40}$/],
];

const DIGEST_HEX_LENGTHS = new Set([40, 56, 64, 96, 128]);
const DIGEST_BYTE_LENGTHS = new Set([20, 28, 32, 48, 64]);

/** A bare digest: hex of a SHA-family length, or base64 of one (what PBKDF2 with a separate salt column stores). */
export function isDigestShaped(s: string): boolean {
  if (HEX.test(s) && DIGEST_HEX_LENGTHS.has(s.length)) return true;
  if (s.length >= 24 && BASE64.test(s)) {
    const bytes = Math.floor((s.replace(/=+$/, '').length * 3) / 4);
    return DIGEST_BYTE_LENGTHS.has(bytes) && isOpaqueBase64(s);
  }
  return false;
}

/** The password-hashing scheme a value is encoded with, `digest` for a bare digest, or null for anything else. */
export function passwordHashScheme(v: string | Uint8Array): string | null {
  if (typeof v !== 'string') {
    const s = asText(v);
    if (s === null) return v.length >= 16 ? 'binary-digest' : null;
    return passwordHashScheme(s);
  }
  const s = v.trim();
  for (const [name, re] of PASSWORD_SCHEMES) if (re.test(s)) return name;
  return isDigestShaped(s) ? 'digest' : null;
}

export function isPasswordHash(v: string | Uint8Array): boolean {
  return passwordHashScheme(v) !== null;
}

/** Values that mean "no password" rather than a password: empty, or a shadow-style lock marker. */
export function isNoPasswordMarker(v: string | Uint8Array): boolean {
  if (typeof v !== 'string') return v.length === 0;
  const s = v.trim();
  return s === '' || /^[!*x]{1,2}$/.test(s) || s === '!!' || s === '*LK*';
}

/** Trimmed text that opens like a JSON object or array (truncated JSON included). */
export function startsLikeJson(s: string): boolean {
  const t = s.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

/** True when the text parses as JSON (RFC 8259: what Postgres `json` and MySQL JSON_VALID accept). */
export function isJsonText(s: string): boolean {
  if (s.trim() === '') return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

export type SecretShape = 'empty' | 'hashed' | 'encrypted' | 'opaque' | 'clear';

/**
 * What a value in a secret-named column is. `opaque` (random base64 with no
 * envelope) gets the benefit of the doubt: it may be ciphertext. `clear` is a
 * known vendor token, a JWT, a base32 TOTP seed, a UUID, hex that is not a
 * digest length, or anything readable.
 */
export function classifySecretValue(v: string | Uint8Array): SecretShape {
  const s = asText(v);
  if (s === null) return v.length === 0 ? 'empty' : 'encrypted';
  if (s === '') return 'empty';
  if (isKnownClearToken(s)) return 'clear';
  if (isEncryptionEnvelope(s)) return 'encrypted';
  if (passwordHashScheme(s) !== null) return 'hashed';
  if (BASE32.test(s) && s.length >= 16) return 'clear';
  if (UUID.test(s)) return 'clear';
  if (HEX.test(s)) return 'clear';
  if (isOpaqueBase64(s)) return 'opaque';
  return 'clear';
}

/** A clear value that looks like a live credential (not a placeholder like `changeme`). */
export function looksLikeLiveSecret(s: string): boolean {
  const t = s.trim();
  if (isKnownClearToken(t) || (BASE32.test(t) && t.length >= 16)) return true; // vendor token, TOTP seed
  return t.length >= 16 && shannonEntropy(t) >= 3.5;
}
