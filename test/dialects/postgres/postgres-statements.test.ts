// Postgres statements as the real parser splits them, behind verify's
// one-statement rule and the .sql spec loader: quotes, E'' escapes, dollar
// quotes and nested comments hold no statement ends.
import { describe, expect, it } from 'vitest';
import { parsePostgresStatements, singlePostgresStatement } from '../../../src/dialects/postgres/postgres-statements.js';

describe('parsePostgresStatements', () => {
  it.each([
    ['SELECT 1; COMMIT; DELETE FROM t', ['SELECT 1', 'COMMIT', 'DELETE FROM t']],
    ["SELECT ';', 'it''s;'; SELECT 2", ["SELECT ';', 'it''s;'", 'SELECT 2']],
    ["SELECT E'a\\';b'; SELECT 2", ["SELECT E'a\\';b'", 'SELECT 2']],
    ['SELECT "a;b" FROM t; SELECT 2', ['SELECT "a;b" FROM t', 'SELECT 2']],
    ['SELECT $$;$$, $fn$ ; $$ ; $fn$; SELECT 2', ['SELECT $$;$$, $fn$ ; $$ ; $fn$', 'SELECT 2']],
    ['SELECT 1 /* a /* b; */ c; */; SELECT 2 -- x;y\n', ['SELECT 1 /* a /* b; */ c; */', 'SELECT 2 -- x;y']],
    ['SELECT $1::int; SELECT 2', ['SELECT $1::int', 'SELECT 2']],
    ['SELECT 1;;  -- only a comment\n;', ['SELECT 1']],
  ])('%s', async (sql, want) => {
    expect((await parsePostgresStatements(sql)).map((s) => s.sql)).toEqual(want);
  });

  it('lets one statement through and refuses a second one, transaction control or what does not parse', async () => {
    expect(await singlePostgresStatement('SELECT count(*) FROM t;')).toBe('SELECT count(*) FROM t');
    for (const bad of ['SELECT 1; SELECT 2', 'COMMIT', 'rollback', 'END', 'BEGIN', 'SAVEPOINT s', "PREPARE TRANSACTION 'x'", 'VACUUM t', 'SELECT (']) {
      await expect(singlePostgresStatement(bad), bad).rejects.toThrow(/one statement/);
    }
  });
});
