// Pure classifiers and catalog readers behind the data rules: value shapes
// (ciphertext, password hash, JSON, clear secret), CHECK IN-list parsing, name
// patterns and RBAC family detection. No database.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifySecretValue,
  isCiphertextShaped,
  isJsonText,
  isNoPasswordMarker,
  passwordHashScheme,
  shannonEntropy,
  startsLikeJson,
} from '../../src/audit/data/value-shapes.js';
import { checkInList } from '../../src/audit/data/declared-sets.js';
import { nameMatches, plurals, CIPHER_NAMES, SECRET_NAMES, STATUS_NAMES } from '../../src/audit/data/names.js';
import { ADMIN_ROLE, rbacFamilies } from '../../src/audit/data/rbac.js';
import type { Catalog, Table } from '../../src/catalog/types.js';

const PLAINTEXTS = ['mysecretpassword', 'hunter2', 'Welcome2024!', '123-45-6789', 'john@example.com', 'CorrectHorseBatteryStaple2024', '4111111111111111', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'MyVeryLongPlaintextCreditCardNote', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'];

describe('isCiphertextShaped', () => {
  it('accepts random base64 and hex of real ciphertext sizes (AES-GCM: ≥ 28 bytes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 28, max: 512 }), fc.boolean(), (n, hex) => {
        const v = randomBytes(n).toString(hex ? 'hex' : 'base64');
        return isCiphertextShaped(v);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('accepts envelopes, Fernet, Vault, PGP and binary', () => {
    expect(isCiphertextShaped('v1:k2024:9f8Jc2QmLx0aZr7TgHq1VwYb3NdKe5Ps')).toBe(true);
    expect(isCiphertextShaped('vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==')).toBe(true);
    expect(isCiphertextShaped('gAAAAABkZ3h4' + 'A'.repeat(10) + randomBytes(60).toString('base64url'))).toBe(true);
    expect(isCiphertextShaped('-----BEGIN PGP MESSAGE-----\n\nhQEMA…')).toBe(true);
    expect(isCiphertextShaped(randomBytes(32))).toBe(true);
  });

  it('rejects plaintext, including readable passphrases and vendor tokens', () => {
    for (const p of PLAINTEXTS) expect(isCiphertextShaped(p), p).toBe(false);
    expect(isCiphertextShaped(Buffer.from('plain text in a bytea column'))).toBe(false);
  });
});

describe('passwordHashScheme', () => {
  it.each([
    ['$2b$12$KIXQJH8b3vT1qvXG9aQh0eYQ2t1yJ5wzq0H7c8mV3dF6sN4pL2rOe', 'bcrypt'],
    ['$2y$10$abcdefghijklmnopqrstuuCJ6zNxmI0B1QmQuH6qTqgE6yzNf3C/2', 'bcrypt'],
    ['$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$Yt3b1kCq2mJx', 'argon2'],
    ['pbkdf2_sha256$600000$salt$hash=', 'pbkdf2'],
    ['$pbkdf2-sha256$29000$N2bMWSsFwDgHYCxFKIUQIg$fh8ShKQ', 'pbkdf2'],
    ['pbkdf2:sha256:600000$salt$deadbeef', 'pbkdf2'],
    ['scrypt:32768:8:1$salt$deadbeef', 'scrypt'],
    ['$6$rounds=5000$saltsalt$' + 'a'.repeat(86), 'sha-crypt'],
    ['{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'ldap'],
    ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'digest'],
    [randomBytes(32).toString('base64'), 'digest'],
  ])('%s → %s', (v, scheme) => expect(passwordHashScheme(v)).toBe(scheme));

  it('rejects clear passwords', () => {
    for (const p of PLAINTEXTS) expect(passwordHashScheme(p), p).toBeNull();
  });

  it('treats empty values and lock markers as "no password", not as a clear one', () => {
    for (const m of ['', '  ', '!', '*', '!!']) expect(isNoPasswordMarker(m)).toBe(true);
    expect(isNoPasswordMarker('x1')).toBe(false);
  });
});

describe('JSON and secrets', () => {
  it('parses JSON text like Postgres json / MySQL JSON_VALID', () => {
    expect(isJsonText('{"a": [1, 2]}')).toBe(true);
    expect(isJsonText('"a string"')).toBe(true);
    expect(isJsonText('{"a": ')).toBe(false);
    expect(isJsonText('')).toBe(false);
    expect(isJsonText("{'a': 1}")).toBe(false);
    expect(startsLikeJson('  [1, 2')).toBe(true);
    expect(startsLikeJson('call the supplier [draft]')).toBe(false);
  });

  it('classifies secret values: clear tokens vs hashes, envelopes and opaque ciphertext', () => {
    expect(classifySecretValue('sk_live_51Hx9QkLmN2pOq3RsTu4VwXyZ0')).toBe('clear');
    expect(classifySecretValue('ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')).toBe('clear');
    expect(classifySecretValue('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).toBe('clear');
    expect(classifySecretValue('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('clear');
    expect(classifySecretValue('6f1c2a3e-8b1d-4c4a-9a3f-2d7b9e0c1a55')).toBe('clear');
    expect(classifySecretValue('changeme')).toBe('clear');
    expect(classifySecretValue('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('hashed');
    expect(classifySecretValue('v1:k2024:Qm7Xc0Lp9ZrT2aBn5YdKw8HsJf3Ve6Ug')).toBe('encrypted');
    expect(classifySecretValue(randomBytes(45).toString('base64'))).toBe('opaque');
    expect(classifySecretValue('')).toBe('empty');
  });

  it('computes Shannon entropy per symbol', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]))).toBe(3);
  });
});

describe('checkInList', () => {
  it.each([
    ["((status)::text = ANY ((ARRAY['available'::character varying, 'retired'::character varying])::text[]))", ['available', 'retired']],
    ["status = ANY (ARRAY['a'::text, 'b'::text])", ['a', 'b']],
    ["`status` in ('x','y''s')", ['x', "y's"]],
    ["(status = 'a') OR (status = 'b')", ['a', 'b']],
    ['"status" IN (\'open\', \'closed\')', ['open', 'closed']],
  ])('%s', (expr, values) => expect(checkInList(expr, 'status')).toEqual(values));

  it('ignores other columns and other shapes', () => {
    expect(checkInList("substatus IN ('a')", 'status')).toBeNull();
    expect(checkInList('amount > 0', 'status')).toBeNull();
    expect(checkInList("status <> 'x'", 'status')).toBeNull();
  });
});

describe('names', () => {
  it('matches the issue\'s column name patterns', () => {
    expect(['status', 'gauge_status', 'type', 'event_type', 'kind', 'state'].every((n) => nameMatches(n, STATUS_NAMES))).toBe(true);
    expect(['statuses', 'typed', 'status_changed_at'].some((n) => nameMatches(n, STATUS_NAMES))).toBe(false);
    expect(['ssn_encrypted', 'card_enc', 'body_cipher', 'note_ciphertext'].every((n) => nameMatches(n, CIPHER_NAMES))).toBe(true);
    expect(['api_key', 'refresh_token', 'github_token', 'totp_secret'].every((n) => nameMatches(n, SECRET_NAMES))).toBe(true);
    expect(['token_type', 'token_expires_at', 'key_prefix'].some((n) => nameMatches(n, SECRET_NAMES))).toBe(false);
    expect(plurals('category')).toContain('categories');
    expect(plurals('box')).toContain('boxes');
  });

  it('recognises admin role names and nothing looser', () => {
    for (const n of ['admin', 'ADMIN', 'Administrator', 'superadmin', 'super_admin', 'PLATFORM_ADMIN', 'system admin']) expect(ADMIN_ROLE.test(n), n).toBe(true);
    for (const n of ['CLIENT_ADMIN', 'admin_readonly', 'viewer', 'administrators_group']) expect(ADMIN_ROLE.test(n), n).toBe(false);
  });
});

describe('rbacFamilies', () => {
  const table = (schema: string, name: string): Table =>
    ({ name, schema, path: `${schema}.${name}`, kind: 'table', columns: [], primaryKey: null, uniques: [], foreignKeys: [], checks: [], exclusions: [], indexes: [], triggers: [], policies: [], rls: { enabled: false, forced: false }, grants: [], owner: null, comment: null, rowEstimate: null, totalBytes: null }) as Table;
  const catalog = (names: string[]): Catalog =>
    ({ schemas: [{ name: 's', tables: names.map((n) => table('s', n)) }] }) as unknown as Catalog;

  it('groups prefixed tables (seed 000: core_roles, core_permissions, core_role_permissions, core_user_roles)', () => {
    const f = rbacFamilies(catalog(['core_roles', 'core_permissions', 'core_role_permissions', 'core_user_roles', 'gauges']));
    expect(f).toHaveLength(1);
    expect(f[0]!.prefix).toBe('core_');
    expect(Object.fromEntries(Object.entries(f[0]!.members).map(([k, t]) => [k, t!.name]))).toEqual({
      roles: 'core_roles',
      permissions: 'core_permissions',
      rolePermissions: 'core_role_permissions',
      userRoles: 'core_user_roles',
    });
  });

  it('does not read a lone roles table (film cast) as RBAC, but does read a lone user_roles (roles as text, seed 002)', () => {
    expect(rbacFamilies(catalog(['films', 'roles']))).toEqual([]);
    expect(rbacFamilies(catalog(['users', 'user_roles']))[0]!.members.userRoles!.name).toBe('user_roles');
  });
});
