// PLB110: columns named as encrypted (*_encrypted, *_enc, *_cipher,
// *_ciphertext) holding values that are not ciphertext-shaped. Values are
// classified in TypeScript from a bounded sample and never leave the rule.
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { BINARY_KINDS, CIPHER_NAMES, TEXT_KINDS, nameMatches } from '../data/names.js';
import { DEFAULT_FETCH_LIMIT, dataTables, sampleKeysOf } from '../data/sql.js';
import { fetchValuesMany } from '../data/value-scan.js';
import { profileProbes } from '../data/table-profile.js';
import type { RuleContext } from '../rule.js';
import { isCiphertextShaped, isNoPasswordMarker, isPasswordHash } from '../data/value-shapes.js';

/** The tables and columns whose values to read. */
function wantedOf(ctx: RuleContext) {
  const names = stringList(ctx.options.columns, CIPHER_NAMES);
  return [...dataTables(ctx.catalog)].map((t) => ({ table: t, requests: t.columns.filter((c) => (TEXT_KINDS.has(c.type.kind) || BINARY_KINDS.has(c.type.kind)) && nameMatches(c.name, names)).map((c) => ({ column: c.name, filter: 'present' as const })) }));
}

export default defineRule({
  meta: {
    id: 'plaintext-in-encrypted-column',
    code: 'PLB110',
    title: 'Plaintext in a column meant to be encrypted',
    category: 'security',
    severity: 'error',
    data: true,
    docs: {
      description:
        'A column whose name promises encryption (`*_encrypted`, `*_enc`, `*_cipher`, `*_ciphertext`, `encrypted_*`) holds values that are not ciphertext-shaped: not an envelope such as `v1:keyid:…`, Fernet or Vault, not random-looking base64/hex, not binary. Someone wrote around the encryption layer, and backups, replicas and log shipping now carry the secret in clear. Password hashes are accepted (a hash is not plaintext). The finding gives counts and row keys, never the values.',
      bad: `CREATE TABLE settings (id int PRIMARY KEY, name varchar(100) NOT NULL, value_encrypted text);
INSERT INTO settings VALUES (1, 'smtp_password', 'v1:k2024:9f8Jc2QmLx0aZr7TgHq1VwYb3NdKe5Ps'), (2, 'stripe_key', 'sk_live_51Hx9QkLmN2pOq3RsTu4VwXy');`,
      good: `CREATE TABLE settings (id int PRIMARY KEY, name varchar(100) NOT NULL, value_encrypted text);
INSERT INTO settings VALUES (1, 'smtp_password', 'v1:k2024:9f8Jc2QmLx0aZr7TgHq1VwYb3NdKe5Ps'), (2, 'stripe_key', 'v1:k2024:Qm7Xc0Lp9ZrT2aBn5YdKw8HsJf3Ve6Ug');`,
      remediation:
        'Treat the plaintext values as leaked: rotate those secrets. Re-write the rows through the encryption layer (the sample keys show which), and make the write path the only one (a trigger or a CHECK on the envelope prefix, e.g. `CHECK (value_encrypted LIKE \'v1:%\')`).',
    },
    options: { columns: CIPHER_NAMES, maxFetch: DEFAULT_FETCH_LIMIT },
  },
  probes: (ctx) => wantedOf(ctx).filter((w) => w.requests.length).flatMap((w) => profileProbes(ctx, w.table)),
  async check(ctx) {
    const wanted = wantedOf(ctx);
    for (const { table: t, columns } of await fetchValuesMany(ctx, wanted.filter((w) => w.requests.length))) {
      for (const cv of columns) {
        const values = cv.values.filter((v) => !isNoPasswordMarker(v.value));
        const plain = values.filter((v) => !isCiphertextShaped(v.value) && !isPasswordHash(v.value));
        if (!plain.length) continue;
        const c = t.columns.find((x) => x.name === cv.column)!;
        ctx.report({
          path: c.path,
          message: `${plain.length} of ${values.length} value${values.length === 1 ? '' : 's'} checked in ${c.path} ${plain.length === 1 ? 'is' : 'are'} not ciphertext-shaped: stored in clear${cv.sampled ? ' (sampled)' : ''}`,
          evidence: { plaintext: plain.length, checked: values.length, sampleKeys: sampleKeysOf(plain) },
          ...(cv.sampled ? { sampled: true } : {}),
        });
      }
    }
  },
});
