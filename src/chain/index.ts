// Tamper-evident, hash-chained audit tables: install, verify, anchor.
export { installChain, type InstallOptions } from './install.js';
export { verifyChain, renderVerifyText, resolveTable, NO_ANCHOR_NOTE, type VerifyOptions, type VerifyReport } from './verify.js';
export { createAnchor, parseAnchor, checkAnchorSignature, generateSignKey, anchorMessage, ANCHOR_FORMAT, type Anchor, type SignatureStatus } from './anchor.js';
export { PayloadEncoder, genesisHash, rowHash, canonicalTimestamp, HASH_VERSION, GENESIS_CONSTANT, PAYLOAD_MAGIC, type ChainColumn, type ValueKind } from './canonical.js';
export type { ChainProblem, ProblemKind } from './classify.js';
export type { InstallResult, TableRef } from './chain-dialect.js';
export { makeAnchor, type MakeAnchorOptions } from './make-anchor.js';
export { writeAnchorTable, readAnchorTable } from './anchor-table.js';
export { registerSqliteChainFunctions } from './dialects/sqlite-chain.js';
