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

/**
 * Splits `scheme://user:password@host…` leniently: the credentials run from the
 * `//` to the LAST `@` (a password written without percent-encoding may hold
 * `@`, `:`, `/`, `%`…), the user name to the first `:`. undefined when `text`
 * (one URL, possibly malformed) has no password.
 */
function splitCredentials(text: string): { head: string; user: string; password: string; tail: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(text);
  if (!m) return undefined;
  const head = m[1]!;
  const rest = text.slice(head.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return undefined;
  return { head, user: userinfo.slice(0, colon), password: userinfo.slice(colon + 1), tail: rest.slice(at) };
}

/** The URL with its password (however written) replaced by `***`: the only form that may be printed. */
export function redactUrl(url: string): string {
  const c = splitCredentials(url);
  return c ? `${c.head}${c.user}:***${c.tail}` : url;
}

/**
 * Every URL inside free text (an error message, a file name that is really a
 * URL) with its password masked. A URL here ends at whitespace or a quote.
 */
export function redactUrls(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]*/gi, (u) => redactUrl(u));
}

/** Replace every occurrence of the password of `url` in `text` (for driver error messages). */
export function scrubSecret(text: string, url: string | undefined): string {
  if (!url) return redactUrls(text);
  const pw = splitCredentials(url)?.password;
  let out = text;
  if (pw) {
    out = out.split(pw).join('***');
    try {
      const dec = decodeURIComponent(pw);
      if (dec) out = out.split(dec).join('***');
    } catch {
      /* undecodable password: the raw form was scrubbed already */
    }
  }
  return redactUrls(out);
}

/**
 * A URL whose password was written without percent-encoding (`p@ss:w/rd%`),
 * re-encoded so WHATWG URL parsing finds the right host. Left alone when the
 * password is already a valid userinfo.
 */
function encodeCredentials(url: string): string {
  const c = splitCredentials(url);
  if (!c || /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(c.password)) return url;
  return `${c.head}${c.user}:${encodeURIComponent(c.password)}${c.tail}`;
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
        connectionString: encodeCredentials(url),
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
        connectionString: encodeCredentials(url),
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
    return new URL(encodeCredentials(url));
  } catch {
    throw new PlumbError('E_URL', `malformed database URL: ${redacted}`, 'percent-encode special characters in the user name or password (e.g. @ as %40)');
  }
}
