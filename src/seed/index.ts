// The seed module's public surface.
export { seed, seedOrder, type SeedOptions, type SeedReport, type SeedTableReport } from './seed.js';
export { parseEncryptionKey, encryptValue, decryptValue, hashPassword, verifyPassword, type EncryptionKey } from './seed-crypto.js';
