// Anchors: a chain head {chain id, seq, head hash, time} kept outside the
// database, optionally signed with Ed25519 (node:crypto). Pure: reading and
// writing the files is the CLI's job. Never put a private key into an anchor.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { PlumbError } from '../errors.js';

export const ANCHOR_FORMAT = 'plumb-chain-anchor/1';

export const anchorSchema = z.object({
  format: z.literal(ANCHOR_FORMAT),
  chainId: z.string().min(1),
  table: z.string(),
  seq: z.string().regex(/^\d+$/),
  headHash: z.string().regex(/^([0-9a-f]{64})?$/),
  time: z.string(),
  signature: z.string().optional(),
  /** The signer's public key (SPKI PEM), for information: pin it with --public-key to trust it. */
  publicKey: z.string().optional(),
});
export type Anchor = z.infer<typeof anchorSchema>;

/** The exact bytes that are signed: one field per line, in this order. */
export function anchorMessage(a: Pick<Anchor, 'chainId' | 'seq' | 'headHash' | 'time'>): Buffer {
  return Buffer.from([ANCHOR_FORMAT, a.chainId, a.seq, a.headHash, a.time].join('\n'), 'utf8');
}

export function createAnchor(head: { chainId: string; table: string; seq: string; headHash: string }, time: Date, privateKeyPem?: string): Anchor {
  const a: Anchor = { format: ANCHOR_FORMAT, chainId: head.chainId, table: head.table, seq: head.seq, headHash: head.headHash, time: time.toISOString() };
  if (privateKeyPem !== undefined) {
    const key = loadPrivateKey(privateKeyPem);
    a.signature = sign(null, anchorMessage(a), key).toString('base64');
    a.publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  }
  return a;
}

export function parseAnchor(text: string, source: string): Anchor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PlumbError('E_CONFIG', `${source} is not a plumb anchor (not JSON)`, 'create one with `plumb chain anchor --out FILE`');
  }
  const r = anchorSchema.safeParse(raw);
  if (!r.success) throw new PlumbError('E_CONFIG', `${source} is not a plumb anchor: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`, 'create one with `plumb chain anchor --out FILE`');
  return r.data;
}

export type SignatureStatus = 'unsigned' | 'valid-pinned' | 'valid-embedded-key';

/**
 * Checks an anchor's signature. With a pinned public key the anchor must be
 * signed by it; without one, the key inside the anchor is used (which only
 * proves integrity of the file, not who wrote it). Throws on a bad signature.
 */
export function checkAnchorSignature(a: Anchor, pinnedPublicKeyPem?: string): SignatureStatus {
  if (!a.signature) {
    if (pinnedPublicKeyPem) throw new PlumbError('E_VERIFY', 'the anchor is not signed, but --public-key was given', 'anchor with --key to sign it');
    return 'unsigned';
  }
  const keyPem = pinnedPublicKeyPem ?? a.publicKey;
  if (!keyPem) throw new PlumbError('E_CONFIG', 'the anchor is signed but carries no public key', 'pass the signer\'s key with --public-key');
  let key: KeyObject;
  try {
    key = createPublicKey(keyPem);
  } catch (e) {
    throw new PlumbError('E_CONFIG', `cannot read the public key: ${(e as Error).message}`, 'pass the .pub file written by `plumb chain sign-key generate`');
  }
  const ok = verify(null, anchorMessage(a), key, Buffer.from(a.signature, 'base64'));
  if (!ok) throw new PlumbError('E_VERIFY', 'the anchor\'s Ed25519 signature does not match its content (or the pinned key)', 'the anchor file was altered or signed by another key; use an anchor you trust');
  return pinnedPublicKeyPem ? 'valid-pinned' : 'valid-embedded-key';
}

export function loadPrivateKey(pem: string): KeyObject {
  try {
    const k = createPrivateKey(pem);
    if (k.asymmetricKeyType !== 'ed25519') throw new Error(`a ${k.asymmetricKeyType} key`);
    return k;
  } catch (e) {
    throw new PlumbError('E_CONFIG', `cannot use the signing key: ${(e as Error).message}`, 'pass the .key file written by `plumb chain sign-key generate` (Ed25519, PKCS#8 PEM)');
  }
}

export function generateSignKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
