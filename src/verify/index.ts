// The verify module's public surface (named apart from the hash chain's verify).
export { verify as verifyDatabase, ERROR_CLASSES, type VerifyReport as DatabaseVerifyReport, type VerifyResult, type VerifyInput, type VerifyOptions } from './verify.js';
export { renderVerify, verifyFormats } from './verify-report.js';
