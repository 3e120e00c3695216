// URL parsing and secret handling: pure functions, no database.
import { describe, expect, it } from 'vitest';
import { parseDbUrl, redactUrl, scrubSecret } from '../../src/drivers/url.js';
import { translateConnectError } from '../../src/drivers/errors.js';
import { PlumbError } from '../../src/errors.js';

describe('parseDbUrl', () => {
  it('reads postgres URLs, with defaults', () => {
    expect(parseDbUrl('postgres://me:pw@db.example:6543/app')).toMatchObject({
      driver: 'pg', dialect: 'postgres', host: 'db.example', port: 6543, database: 'app', user: 'me', redacted: 'postgres://me:***@db.example:6543/app',
    });
    expect(parseDbUrl('postgresql://db/app')).toMatchObject({ driver: 'pg', port: 5432, database: 'app', user: undefined });
    expect(parseDbUrl('postgres://u%40corp:p%2Fw@h/my%20db')).toMatchObject({ user: 'u@corp', database: 'my db' });
  });

  it('reads pglite URLs: memory and directory', () => {
    expect(parseDbUrl('pglite:')).toMatchObject({ driver: 'pglite', path: undefined });
    expect(parseDbUrl('pglite:memory')).toMatchObject({ path: undefined });
    expect(parseDbUrl('pglite:./data/dir')).toMatchObject({ path: './data/dir' });
    expect(parseDbUrl(undefined)).toMatchObject({ driver: 'pglite', redacted: 'pglite:' });
    expect(parseDbUrl('  ')).toMatchObject({ driver: 'pglite' });
  });

  it('recognises mysql, mariadb and sqlite', () => {
    expect(parseDbUrl('mysql://root@127.0.0.1/test')).toMatchObject({ driver: 'mysql', dialect: 'mysql', port: 3306 });
    expect(parseDbUrl('mariadb://root:pw@h:3307/x')).toMatchObject({ driver: 'mysql', port: 3307, redacted: 'mariadb://root:***@h:3307/x' });
    expect(parseDbUrl('sqlite:./file.db')).toMatchObject({ driver: 'sqlite', path: './file.db' });
    expect(parseDbUrl('sqlite::memory:')).toMatchObject({ driver: 'sqlite', path: undefined });
  });

  it('rejects unknown schemes and malformed URLs without echoing the password', () => {
    const bad = (u: string) => {
      try {
        parseDbUrl(u);
      } catch (e) {
        return e as PlumbError;
      }
      throw new Error('expected a PlumbError');
    };
    const a = bad('oracle://scott:tiger@h/db');
    expect(a).toBeInstanceOf(PlumbError);
    expect(a.code).toBe('E_URL');
    expect(a.message).not.toContain('tiger');
    expect(a.hint).toBeTruthy();
    const b = bad('postgres://me:tiger@[::1/x');
    expect(b.code).toBe('E_URL');
    expect(b.message).not.toContain('tiger');
    expect(bad('just words').message).toContain('not a database URL');
  });
});

describe('secrets', () => {
  it('redacts the password of any scheme and leaves URLs without one alone', () => {
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactUrl('pglite:./dir')).toBe('pglite:./dir');
  });

  it('scrubs raw and percent-decoded passwords out of driver messages', () => {
    const url = 'postgres://u:p%40ss%21@h/db';
    expect(scrubSecret('auth failed for p%40ss%21 and p@ss!', url)).toBe('auth failed for *** and ***');
    expect(scrubSecret('nothing here', 'postgres://u@h/db')).toBe('nothing here');
  });

  it('maps driver error codes to actionable errors with hints and no password', () => {
    const target = parseDbUrl('postgres://u:hunter2@h:5433/app');
    const cases: [Record<string, unknown>, string][] = [
      [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'E_CONNECT'],
      [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND h' }, 'E_CONNECT'],
      [{ code: '28P01', message: 'password authentication failed for user "u" (hunter2)' }, 'E_AUTH'],
      [{ code: '3D000', message: 'database "app" does not exist' }, 'E_NO_DATABASE'],
      [{ message: 'Connection terminated due to connection timeout' }, 'E_CONNECT'],
      [{ message: 'weird failure mentioning hunter2' }, 'E_CONNECT'],
    ];
    for (const [err, code] of cases) {
      const e = translateConnectError(err, target);
      expect(e.code).toBe(code);
      expect(e.hint).toBeTruthy();
      expect(`${e.message} ${e.hint}`).not.toContain('hunter2');
      expect(e.message).not.toContain('\n');
    }
  });
});
