// Parses the --db / PLUMB_DB URL into a target description. Pure: no I/O.
// The redacted form is the only one that may be shown to a user.
import { PlumbError } from '../errors.js';
import type { DialectName } from '../catalog/types.js';

export type DriverName = 'pg' | 'pglite' | 'mysql' | 'sqlite';

export interface DbTarget {
  driver: DriverName;
  dialect: DialectName;
  /** The URL with any password replaced by `***`: safe to print. */
  redacted: string;
  /** Connection string for network drivers (contains the password: never print). */
  connectionString?: string;
  /** Directory (pglite) or file (sqlite); undefined = in memory. */
  path?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /**
   * SQLite: may a missing file be created? undefined = only when the URL says
   * `?mode=rwc`; true = create unless the URL says otherwise; false = never
   * (commands that only read must not leave an empty file behind a typo).
   */
  create?: boolean;
}

export const DEFAULT_DB = 'pglite:';

export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)([^@/?#]*)@/i, '$1***@');
}

/** Replace every occurrence of the password of `url` in `text` (for driver error messages). */
export function scrubSecret(text: string, url: string | undefined): string {
  if (!url) return text;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:([^@/?#]*)@/i.exec(url);
  const pw = m?.[1];
  if (!pw) return text;
  let out = text.split(pw).join('***');
  try {
    const dec = decodeURIComponent(pw);
    if (dec) out = out.split(dec).join('***');
  } catch {
    /* undecodable password: the raw form was scrubbed already */
  }
  return out;
}

export function parseDbUrl(input: string | undefined): DbTarget {
  const url = (input ?? '').trim() || DEFAULT_DB;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const redacted = redactUrl(url);
  switch (scheme) {
    case 'postgres':
    case 'postgresql': {
      const u = parseNetworkUrl(url, redacted);
      return {
        driver: 'pg',
        dialect: 'postgres',
        redacted,
        connectionString: url,
        host: u.hostname || 'localhost',
        port: u.port ? Number(u.port) : 5432,
        database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
        user: decodeURIComponent(u.username) || undefined,
      };
    }
    case 'pglite': {
      const rest = url.slice('pglite:'.length).replace(/^\/\//, '');
      const path = rest === '' || rest === 'memory' || rest === ':memory:' ? undefined : rest;
      return { driver: 'pglite', dialect: 'postgres', redacted, path };
    }
    case 'mysql':
    case 'mariadb': {
      const u = parseNetworkUrl(url, redacted);
      return {
        driver: 'mysql',
        dialect: 'mysql',
        redacted,
        connectionString: url,
        host: u.hostname || 'localhost',
        port: u.port ? Number(u.port) : 3306,
        database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
        user: decodeURIComponent(u.username) || undefined,
      };
    }
    case 'sqlite': {
      const rest = url.slice('sqlite:'.length).replace(/^\/\//, '');
      const path = rest === '' || rest === ':memory:' ? undefined : rest;
      return { driver: 'sqlite', dialect: 'sqlite', redacted, path };
    }
    default:
      throw new PlumbError(
        'E_URL',
        scheme ? `unknown database URL scheme "${scheme}:" in ${redacted}` : `not a database URL: ${redacted}`,
        'use postgres://user@host:5432/db, pglite: (in memory), pglite:./dir, mysql://…, mariadb://… or sqlite:./file.db',
      );
  }
}

function parseNetworkUrl(url: string, redacted: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new PlumbError('E_URL', `malformed database URL: ${redacted}`, 'percent-encode special characters in the user name or password (e.g. @ as %40)');
  }
}
