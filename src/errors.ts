// Errors a user can act on: a stable code, one clear line, and a hint.
// Never put secrets (passwords, encrypted values) into a message or hint.

export type ErrorCode =
  | 'E_USAGE'
  | 'E_URL'
  | 'E_DIALECT_UNAVAILABLE'
  | 'E_CONNECT'
  | 'E_AUTH'
  | 'E_NO_DATABASE'
  | 'E_PERMISSION'
  | 'E_TIMEOUT'
  | 'E_QUERY'
  | 'E_CONFIG'
  | 'E_SPEC'
  | 'E_PLAN'
  | 'E_APPLY'
  | 'E_VERIFY'
  | 'E_IO'
  | 'E_INTERNAL';

/** Exit status per error code: 2 = bad input, 3 = cannot reach/authenticate, 4 = refused by the database, 1 = checks failed. */
export const exitCodes: Record<ErrorCode, number> = {
  E_USAGE: 2,
  E_URL: 2,
  E_DIALECT_UNAVAILABLE: 2,
  E_CONFIG: 2,
  E_SPEC: 2,
  E_IO: 2,
  E_CONNECT: 3,
  E_AUTH: 3,
  E_NO_DATABASE: 3,
  E_PERMISSION: 4,
  E_TIMEOUT: 4,
  E_QUERY: 4,
  E_PLAN: 5,
  E_APPLY: 5,
  E_VERIFY: 1,
  E_INTERNAL: 70,
};

export class PlumbError extends Error {
  override readonly name = 'PlumbError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return exitCodes[this.code];
  }
}

export function isPlumbError(e: unknown): e is PlumbError {
  return e instanceof PlumbError;
}
