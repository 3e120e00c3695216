// PLB112: secret-named columns (api_key, token, client_secret, totp_secret,
// *_token …) whose values are stored in clear — a vendor token, a JWT, a TOTP
// seed, readable text — rather than hashed or encrypted. The catalog-side
// rule looks at names; this one looks at values, and never reports them.
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { BINARY_KINDS, CIPHER_NAMES, PASSWORD_NAMES, SECRET_NAMES, TEXT_KINDS, nameMatches } from '../data/names.js';
import { DEFAULT_FETCH_LIMIT, dataTables, sampleKeysOf } from '../data/sql.js';
import { fetchValuesMany } from '../data/value-scan.js';
import { profileProbes } from '../data/table-profile.js';
import type { RuleContext } from '../rule.js';
import { classifySecretValue, looksLikeLiveSecret } from '../data/value-shapes.js';

/** The tables and columns whose values to read. */
function wantedOf(ctx: RuleContext) {
  const names = stringList(ctx.options.columns, SECRET_NAMES);
  const notMine = [...PASSWORD_NAMES, ...CIPHER_NAMES];
  return [...dataTables(ctx.catalog)].map((t) => ({ table: t, requests: t.columns.filter((c) => (TEXT_KINDS.has(c.type.kind) || BINARY_KINDS.has(c.type.kind)) && nameMatches(c.name, names) && !nameMatches(c.name, notMine)).map((c) => ({ column: c.name, filter: 'present' as const })) }));
}

export default defineRule({
  meta: {
    id: 'secret-value-in-clear',
    code: 'PLB112',
    title: 'Secret stored in clear',
    category: 'security',
    severity: 'error',
    data: true,
    docs: {
      description:
        'A column named for a secret (`api_key`, `token`, `secret`, `access_token`, `refresh_token`, `client_secret`, `totp_secret`, `*_token`, `*_secret`, …) holds values in clear: known vendor credentials (`sk_live_…`, `ghp_…`, `xoxb-…`, `AKIA…`), JWTs, base32 TOTP seeds, UUIDs, hex that is not a digest, or readable text. Anyone with read access — a report, a replica, a backup — can use them. Values that are hashes (digest-length hex/base64, password-hash formats), encryption envelopes, or opaque random base64 (possibly ciphertext) are accepted. Counts and row keys only; never the values.',
      bad: `CREATE TABLE api_clients (id int PRIMARY KEY, name varchar(50) NOT NULL, client_secret varchar(200));
INSERT INTO api_clients VALUES (1, 'billing', 'sk_live_51Hx9QkLmN2pOq3RsTu4VwXyZ0'), (2, 'crm', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');`,
      good: `CREATE TABLE api_clients (id int PRIMARY KEY, name varchar(50) NOT NULL, client_secret varchar(200));
INSERT INTO api_clients VALUES (1, 'billing', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'), (2, 'crm', 'v1:k2024:Qm7Xc0Lp9ZrT2aBn5YdKw8HsJf3Ve6Ug');`,
      remediation:
        'Rotate the exposed secrets. Store a hash (SHA-256 of a high-entropy token is enough to verify it) plus a short display prefix, or encrypt values that must be recovered (TOTP seeds, third-party credentials) with an application-held key.',
    },
    options: { columns: SECRET_NAMES, maxFetch: DEFAULT_FETCH_LIMIT },
  },
  probes: (ctx) => wantedOf(ctx).filter((w) => w.requests.length).flatMap((w) => profileProbes(ctx, w.table)),
  async check(ctx) {
    const wanted = wantedOf(ctx);
    for (const { table: t, columns } of await fetchValuesMany(ctx, wanted.filter((w) => w.requests.length))) {
      for (const cv of columns) {
        const shapes = cv.values.map((v) => ({ key: v.key, shape: classifySecretValue(v.value), live: typeof v.value === 'string' && looksLikeLiveSecret(v.value) }));
        const present = shapes.filter((s) => s.shape !== 'empty');
        const clear = present.filter((s) => s.shape === 'clear');
        if (!clear.length) continue;
        const c = t.columns.find((x) => x.name === cv.column)!;
        const live = clear.filter((s) => s.live).length;
        ctx.report({
          path: c.path,
          message: `${clear.length} of ${present.length} value${present.length === 1 ? '' : 's'} checked in ${c.path} ${clear.length === 1 ? 'is' : 'are'} stored in clear (${live} look${live === 1 ? 's' : ''} like a live credential)${cv.sampled ? ' (sampled)' : ''}`,
          evidence: { clear: clear.length, liveLooking: live, checked: present.length, sampleKeys: sampleKeysOf(clear) },
          ...(cv.sampled ? { sampled: true } : {}),
        });
      }
    }
  },
});
