// Columns named like secrets (api_key, token, secret, password) whose name and
// type say nothing about hashing or encryption: probably stored in clear.
// Catalog only; the data rules check what the values actually look like.
import { describesSecret } from '../../catalog/sensitive-columns.js';
import { defineRule } from '../rule.js';
import { isPartition, nameWords, stringList, tablesOf } from '../rule-helpers.js';

/** Words naming a digest algorithm (`token_sha256`, `api_key_md5`, `secret_blake2b`): the column holds a hash. */
const HASH_WORD = /^(sha\d*|sha[23]_?\d+|md[45]|blake[23][bs]?\d*|ripemd\d*|xxh(ash)?\d*|murmur\d*|crc\d+|whirlpool|keccak\d*|hashes)$/;

export default defineRule({
  meta: {
    id: 'secret-column-in-clear',
    code: 'PLB027',
    title: 'Secret-named column stored in clear',
    category: 'security',
    severity: 'warning',
    options: {
      secretNames: ['api_key', 'apikey', 'token', 'secret', 'password', 'passwd', 'private_key', 'access_key', 'client_secret', 'otp_secret'],
      safeWords: ['hash', 'hashed', 'digest', 'encrypted', 'enc', 'cipher', 'ciphertext', 'crypt', 'bcrypt', 'argon2', 'scrypt', 'pbkdf2', 'hmac', 'salt', 'id', 'type', 'expires', 'expiry', 'at', 'count', 'prefix', 'hint', 'last4', 'length', 'version', 'kind', 'changed', 'updated', 'set', 'required', 'policy', 'reset_at', 'fingerprint', 'vault', 'ref', 'change', 'must', 'is', 'has', 'needs', 'force', 'enabled', 'disabled'],
    },
    docs: {
      description:
        'A column called `api_key`, `token`, `secret` or `password` with a text type and no `hash`/`encrypted`/`digest` or digest algorithm (`sha256`, `md5`, `blake2b`…) in its name ' +
        'most likely holds the secret itself: anyone with read access — a replica, a backup, a support dashboard — can use it. ' +
        'Store a hash (for values you only compare) or ciphertext (for values you must recover), and name the column after what it holds. ' +
        '`bytea`/`blob` columns are assumed to hold ciphertext. A name ending in `_name`, `_type`, `_kind`, `_format`, `_label`, `_hint`… ' +
        '(`api_key_header_name`, `token_type`) describes a secret rather than holds one, and is not reported. The data rules check the values themselves.',
      bad: `CREATE TABLE integrations (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vendor  text NOT NULL,
  api_key text NOT NULL
);`,
      good: `CREATE TABLE integrations (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vendor       text NOT NULL,
  api_key_hash text NOT NULL
);`,
      remediation: 'Hash values you only need to compare (sha256 for random keys, argon2/bcrypt for passwords); encrypt values you must recover; rename the column to say which.',
    },
  },
  check(ctx) {
    const secrets = stringList(ctx.options.secretNames).map((s) => s.toLowerCase());
    const safe = new Set(stringList(ctx.options.safeWords).map((s) => s.toLowerCase()));
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        if (!['text', 'varchar', 'char', 'other'].includes(c.type.kind)) continue;
        // A flag (`must_change_password char(2)` holding 'on'): no secret fits in four characters.
        if (c.type.length !== undefined && c.type.length <= 4) continue;
        const words = nameWords(c.name);
        const joined = words.join('_');
        const hit = secrets.find((s) => joined === s || joined.startsWith(s + '_') || joined.endsWith('_' + s) || joined.includes('_' + s + '_') || words.join('') === s.replace(/_/g, ''));
        if (!hit || describesSecret(c.name) || words.some((w) => safe.has(w) || HASH_WORD.test(w))) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} (${c.type.raw}) is named like a secret (${hit}) and nothing says it is hashed or encrypted`,
          evidence: { matched: hit, type: c.type.raw },
        });
      }
    }
  },
});
