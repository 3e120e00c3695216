// The catalog's widest queries run as binary COPY on a server: their rows
// must be exactly the rows pg gives for the same query, and each query's
// field list must match the server's own description of its result.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, pgEngines, type FreshDb } from '../../helpers/engines.js';
import { canCopyRows, copyRows, type CopyFields } from '../../../src/dialects/postgres/postgres-copy-rows.js';
import * as Q from '../../../src/dialects/postgres/postgres-queries.js';
import { CORE_DDL, hostileDdl } from './catalog-fixture.js';

const queries = (major: number): [string, string, CopyFields][] => [
  ['columns', Q.versioned(Q.COLUMNS_SQL, major), Q.COLUMNS_FIELDS],
  ['relations', Q.versioned(Q.RELATIONS_SQL, major), Q.RELATIONS_FIELDS],
  ['constraints', Q.versioned(Q.CONSTRAINTS_SQL, major), Q.CONSTRAINTS_FIELDS],
  ['indexes', Q.versioned(Q.INDEXES_SQL, major), Q.INDEXES_FIELDS],
  ['sequences', Q.SEQUENCES_SQL, Q.SEQUENCES_FIELDS],
];

const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

describe.each(pgEngines().filter((e) => e.kind === 'server'))('catalog rows by COPY on $name', (engine) => {
  let db: FreshDb;
  let oids: number[];
  let major: number;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    await db.conn.exec(CORE_DDL);
    await db.conn.exec(hostileDdl());
    // Values the fixture leaves out: arrays with NULLs and commas, a char above 127, an analysed table.
    await db.conn.exec(`
      CREATE TABLE public.copy_edge (id int PRIMARY KEY, note text DEFAULT 'a,b "c"' CHECK (note <> '{x,NULL}')) WITH (fillfactor = 70, autovacuum_enabled = false);
      ANALYZE public.copy_edge;`);
    const rows = await db.conn.query<{ oid: number }>("SELECT oid FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')");
    oids = rows.map((r) => r.oid);
    major = Math.floor(Number((await db.conn.query<{ n: string }>("SELECT current_setting('server_version_num') AS n"))[0]!.n) / 10000);
  });
  afterAll(async () => db?.dispose());

  it('the pg adapter offers COPY', () => {
    expect(canCopyRows(db.conn)).toBe(true);
  });

  it.each(queries(18).map(([name]) => name))('%s: the same rows as the plain query', async (name) => {
    const [, sql, fields] = queries(major).find(([n]) => n === name)!;
    const plain = await db.conn.query(sql, [oids]);
    const copied = await copyRows(db.conn as Parameters<typeof copyRows>[0], sql, fields, oids);
    expect(plain.length).toBeGreaterThan(0);
    expect(copied.length).toBe(plain.length);
    expect(sorted(copied)).toEqual(sorted(plain));
    // Same keys in the same order, so the rows serialise alike.
    expect(Object.keys(copied[0]!)).toEqual(Object.keys(plain[0]!));
  });

  it.each(queries(18).map(([name]) => name))('%s: its field list is the result the server describes', async (name) => {
    const [, sql, fields] = queries(major).find(([n]) => n === name)!;
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      const types = new Map((await client.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type')).rows.map((r) => [r.oid, r.typname]));
      const described = await client.query(`SELECT * FROM (${sql}) q LIMIT 0`, [oids]);
      expect(described.fields.map((f) => [f.name, types.get(f.dataTypeID)])).toEqual(fields.map(([n, t]) => [n, t]));
    } finally {
      await client.end();
    }
  });
});
