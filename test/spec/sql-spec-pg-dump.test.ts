// A `.sql` spec that is pg_dump output loads as psql would load it: meta-commands,
// transaction control, CONCURRENTLY and setval are handled, contrib extensions
// load into the scratch PGlite on demand, and an extension PGlite lacks is
// realised in a scratch database on a real server (always dropped) or named in
// one clear error.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { connect } from '../../src/drivers/connect.js';
import { parseDbUrl } from '../../src/drivers/url.js';
import { PlumbError } from '../../src/errors.js';
import { parseSpecText } from '../../src/spec/load.js';
import { prepareSqlScript } from '../../src/spec/sql-script.js';
import { disposeScratchEngine, specToCatalog } from '../../src/spec/spec-to-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { pgServerUrl } from '../helpers/engines.js';

function sqlSpec(text: string): Spec {
  const spec = parseSpecText('{}');
  spec.sql = [{ source: 'dump.sql', text }];
  return spec;
}

const DUMP = `--
-- PostgreSQL database dump
--

\\restrict AbCdEf123

SET statement_timeout = 0;
SET transaction_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET made_up.setting_of_a_newer_server = on;

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

BEGIN;
CREATE TABLE public.users (
    id bigint NOT NULL,
    email public.citext NOT NULL,
    code text DEFAULT public.new_code() NOT NULL
);
COMMIT;

CREATE FUNCTION public.new_code() RETURNS text
    LANGUAGE sql
    AS $$ SELECT 'x;y' $$;

CREATE SEQUENCE public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
SELECT pg_catalog.setval('public.users_id_seq', 42, true);

COPY public.users (id, email, code) FROM stdin;
1	a@b.c	x
\\.

CREATE INDEX CONCURRENTLY users_email ON public.users USING btree (email);

\\unrestrict AbCdEf123
`;

describe('.sql spec from pg_dump', () => {
  afterAll(() => disposeScratchEngine());

  it('splits with the Postgres parser and drops what only psql or a session needs', async () => {
    const p = await prepareSqlScript(DUMP, 'dump.sql');
    expect(p.extensions).toEqual([{ name: 'citext', schema: 'public' }]);
    const nodes = p.statements.map((s) => s.node);
    expect(nodes).not.toContain('TransactionStmt');
    expect(p.statements.some((s) => /setval|\\restrict|COPY/.test(s.sql))).toBe(false);
    const index = p.statements.find((s) => s.node === 'IndexStmt')!;
    expect(index.sql).toBe('CREATE INDEX users_email ON public.users USING btree (email)');
    expect(index.line).toBe(DUMP.split('\n').findIndex((l) => l.startsWith('CREATE INDEX')) + 1);
  });

  it('loads into the scratch PGlite with its contrib extension, whatever the statement order', async () => {
    const c = await specToCatalog(sqlSpec(DUMP));
    expect(c.extensions.map((e) => e.name)).toContain('citext');
    const users = c.schemas.find((s) => s.name === 'public')!.tables.find((t) => t.name === 'users')!;
    expect(users.columns.map((x) => [x.name, x.type.raw, x.default])).toEqual([
      ['id', 'bigint', null],
      ['email', 'citext', null],
      ['code', 'text', 'new_code()'],
    ]);
    expect(users.indexes.map((i) => i.name)).toEqual(['users_email']);
  });

  it('names the line of a statement the parser refuses', async () => {
    await expect(prepareSqlScript('CREATE TABLE a (x int);\n\nCREATE TABLE b (y int,);\n', 'bad.sql')).rejects.toMatchObject({ code: 'E_SPEC', message: expect.stringMatching(/^bad\.sql:3: not valid Postgres SQL/) });
  });

  it('names an extension PGlite lacks and the flag that provides it', async () => {
    const spec = sqlSpec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;\nCREATE TABLE public.t (a int);\n');
    const err = await specToCatalog(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlumbError);
    expect(err).toMatchObject({ code: 'E_SPEC', message: expect.stringContaining('pg_stat_statements'), hint: expect.stringContaining('PLUMB_DEV_URL') });
  });

  it('realises an extension PGlite lacks in a scratch database on the server, and drops it', async () => {
    const server = pgServerUrl();
    const spec = sqlSpec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;\nCREATE TABLE public.t (a int);\n');
    const admin = await connect(server);
    try {
      // Other runs on a shared server make scratch databases too: only this process's count.
      const mine = `plumb_scratch_${process.pid}_%`;
      const before = (await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [mine])).map((r) => r.datname);
      const c = await specToCatalog(spec, { devTarget: parseDbUrl(server) });
      expect(c.extensions.map((e) => e.name)).toContain('pg_stat_statements');
      expect(c.schemas.find((s) => s.name === 'public')!.tables.map((t) => t.name)).toEqual(['t']);
      const after = (await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [mine])).map((r) => r.datname);
      expect(after.filter((n) => !before.includes(n))).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('reads a column compressed with lz4 (PGlite is built without it) on the server, and says so without one', async () => {
    const sql = 'CREATE TABLE public.blobs (id bigint PRIMARY KEY, body text COMPRESSION lz4);\n';
    await expect(specToCatalog(sqlSpec(sql))).rejects.toMatchObject({ code: 'E_SPEC', message: expect.stringContaining('lz4 column compression'), hint: expect.stringContaining('PLUMB_DEV_URL') });
    const c = await specToCatalog(sqlSpec(sql), { devTarget: parseDbUrl(pgServerUrl()) });
    expect(c.schemas.find((s) => s.name === 'public')!.tables[0]!.columns.find((x) => x.name === 'body')?.compression).toBe('lz4');
  });

  it('names an extension neither PGlite nor the dev server has', async () => {
    const spec = sqlSpec('CREATE EXTENSION IF NOT EXISTS no_such_extension_plumb;\n');
    await expect(specToCatalog(spec, { devTarget: parseDbUrl(pgServerUrl()) })).rejects.toMatchObject({ code: 'E_SPEC', message: expect.stringMatching(/no_such_extension_plumb, which neither PGlite nor the server/) });
  });
  it('takes the dev server from --dev-url on the command line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plumb-devurl-'));
    const file = join(dir, 'ext.sql');
    await writeFile(file, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\nCREATE TABLE public.t (a int);\n');
    const saved = process.env.PLUMB_DEV_URL;
    delete process.env.PLUMB_DEV_URL;
    try {
      expect(await run(['node', 'plumb', 'diff', '--db', 'pglite:', '--spec', file])).toBe(2);
      // Changes found (exit 1), not the missing-extension usage error (exit 2).
      expect(await run(['node', 'plumb', 'diff', '--db', 'pglite:', '--spec', file, '--dev-url', pgServerUrl()])).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.PLUMB_DEV_URL;
      else process.env.PLUMB_DEV_URL = saved;
    }
  });
});
