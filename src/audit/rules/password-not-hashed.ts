// PLB111: password columns holding values that are not password hashes
// (bcrypt, argon2, scrypt, pbkdf2, sha-crypt, or a bare digest). Classified in
// TypeScript from a bounded sample; the values never leave the rule.
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { BINARY_KINDS, PASSWORD_NAMES, TEXT_KINDS, nameMatches } from '../data/names.js';
import { DEFAULT_FETCH_LIMIT, dataTables, sampleKeysOf } from '../data/sql.js';
import { fetchValuesMany } from '../data/value-scan.js';
import { profileProbes } from '../data/table-profile.js';
import type { RuleContext } from '../rule.js';
import { isNoPasswordMarker, passwordHashScheme } from '../data/value-shapes.js';

/** The tables and columns whose values to read. */
function wantedOf(ctx: RuleContext) {
  const names = stringList(ctx.options.columns, PASSWORD_NAMES);
  return [...dataTables(ctx.catalog)].map((t) => ({ table: t, requests: t.columns.filter((c) => (TEXT_KINDS.has(c.type.kind) || BINARY_KINDS.has(c.type.kind)) && nameMatches(c.name, names)).map((c) => ({ column: c.name, filter: 'present' as const })) }));
}

export default defineRule({
  meta: {
    id: 'password-not-hashed',
    code: 'PLB111',
    title: 'Password column holding non-hashes',
    category: 'security',
    severity: 'error',
    data: true,
    docs: {
      description:
        'A password column (`password`, `password_hash`, `passwd`, `pwd_hash`, …) holds values that are not password hashes. Recognised: bcrypt `$2a$/$2b$/$2y$`, argon2 `$argon2id$`, scrypt, PBKDF2 (`pbkdf2_sha256$` Django, `$pbkdf2-sha256$` passlib, `pbkdf2:sha256:` Werkzeug), sha-crypt `$5$`/`$6$`, yescrypt, LDAP `{SSHA}`, and bare SHA-family digests (hex or base64, as stored with a separate salt column). Empty values and lock markers (`!`, `*`) mean "no password" and are ignored. The finding gives counts and row keys, never the values.',
      bad: `CREATE TABLE users (id int PRIMARY KEY, username varchar(50) NOT NULL, password_hash varchar(255));
INSERT INTO users VALUES (1, 'admin', '$2b$12$KIXQJH8b3vT1qvXG9aQh0eYQ2t1yJ5wzq0H7c8mV3dF6sN4pL2rOe'), (2, 'operator', 'Welcome2024!');`,
      good: `CREATE TABLE users (id int PRIMARY KEY, username varchar(50) NOT NULL, password_hash varchar(255));
INSERT INTO users VALUES (1, 'admin', '$2b$12$KIXQJH8b3vT1qvXG9aQh0eYQ2t1yJ5wzq0H7c8mV3dF6sN4pL2rOe'), (2, 'operator', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$Yt3b1kCq2mJx');`,
      remediation:
        'Consider every clear password compromised: lock those accounts and force a reset (the sample keys show which). Hash on write with bcrypt or argon2id, and add a CHECK so a clear value cannot be stored again (e.g. `CHECK (password_hash LIKE \'$2%\' OR password_hash LIKE \'$argon2%\')`).',
    },
    options: { columns: PASSWORD_NAMES, maxFetch: DEFAULT_FETCH_LIMIT },
  },
  probes: (ctx) => wantedOf(ctx).filter((w) => w.requests.length).flatMap((w) => profileProbes(ctx, w.table)),
  async check(ctx) {
    const wanted = wantedOf(ctx);
    for (const { table: t, columns } of await fetchValuesMany(ctx, wanted.filter((w) => w.requests.length))) {
      for (const cv of columns) {
        const values = cv.values.filter((v) => !isNoPasswordMarker(v.value));
        const schemes: Record<string, number> = {};
        const clear = values.filter((v) => {
          const s = passwordHashScheme(v.value);
          if (s) schemes[s] = (schemes[s] ?? 0) + 1;
          return s === null;
        });
        if (!clear.length) continue;
        const c = t.columns.find((x) => x.name === cv.column)!;
        ctx.report({
          path: c.path,
          message: `${clear.length} of ${values.length} value${values.length === 1 ? '' : 's'} checked in ${c.path} ${clear.length === 1 ? 'is' : 'are'} not a password hash${cv.sampled ? ' (sampled)' : ''}`,
          evidence: { notHashed: clear.length, checked: values.length, hashSchemes: schemes, sampleKeys: sampleKeysOf(clear) },
          ...(cv.sampled ? { sampled: true } : {}),
        });
      }
    }
  },
});
