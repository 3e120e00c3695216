// Column encryption (AES-256-GCM, envelope `v1:<keyid>:<base64 iv|tag|ct>`)
// and password hashing (scrypt) for seed data. Never logs a plaintext or a key.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { PlumbError } from '../errors.js';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** A 32-byte key written as base64 or 64 hex characters. */
export function parseEncryptionKey(text: string): EncryptionKey {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) {
    throw new PlumbError('E_CONFIG', 'the encryption key must be 32 bytes (base64 or 64 hex characters)', 'generate one with: openssl rand -base64 32');
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

export function encryptValue(k: EncryptionKey, plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', k.key, iv);
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return `v1:${k.id}:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`;
}

/** The plaintext, or undefined when the envelope is not ours, uses another key, or was tampered with. */
export function decryptValue(k: EncryptionKey, envelope: string): string | undefined {
  const m = /^v1:([0-9a-f]{8}):([A-Za-z0-9+/=]+)$/.exec(envelope);
  if (!m || m[1] !== k.id) return undefined;
  const raw = Buffer.from(m[2]!, 'base64');
  if (raw.length < 28) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', k.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const SCRYPT = { N: 16384, r: 8, p: 1, len: 32 };

export function hashPassword(plain: string): string {
  const salt = randomBytes(16);
  const h = scryptSync(plain, salt, SCRYPT.len, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${h.toString('base64')}`;
}

export function verifyPassword(plain: string, stored: string): boolean {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return false;
  const want = Buffer.from(m[5]!, 'base64');
  const got = scryptSync(plain, Buffer.from(m[4]!, 'base64'), want.length, { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) });
  return got.length === want.length && timingSafeEqual(got, want);
}

export function generateSecret(): string {
  return randomBytes(18).toString('base64url');
}
