// Proves every catalog field of the Postgres introspector on every Postgres
// engine of the run (PGlite, embedded Postgres 18, the machine's server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, pgEngines, uniqueName, type FreshDb } from '../../helpers/engines.js';
import { introspectPostgres } from '../../../src/dialects/postgres/postgres-introspector.js';
import { splitPath } from '../../../src/catalog/paths.js';
import { stableStringify } from '../../../src/catalog/normalize.js';
import type { Catalog, Schema, Table } from '../../../src/catalog/types.js';
import { CORE_DDL, HOSTILE, hostileDdl } from './catalog-fixture.js';

describe.each(pgEngines())('postgres catalog on $name', (engine) => {
  let db: FreshDb;
  let cat: Catalog;
  let s: Schema;
  const role = uniqueName('plumb_reader');
  const role2 = uniqueName('plumb_admin');
  let fdw = false;
  let major = 0;

  const table = (name: string): Table => {
    const t = s.tables.find((x) => x.name === name);
    if (!t) throw new Error(`no table ${name}`);
    return t;
  };

  beforeAll(async () => {
    db = await freshDatabase(engine);
    await db.conn.exec(CORE_DDL);
    await db.conn.exec(hostileDdl());
    await db.conn.exec(`CREATE ROLE ${role}; CREATE ROLE ${role2};
      GRANT USAGE ON SCHEMA cat TO ${role};
      GRANT SELECT, INSERT ON cat.kitchen TO ${role};
      GRANT SELECT ON cat.cheap TO ${role2} WITH GRANT OPTION;
      CREATE POLICY kitchen_role ON cat.kitchen FOR INSERT TO ${role}, ${role2} WITH CHECK (price IS NOT NULL);`);
    if (engine.kind === 'server') {
      const [a] = await db.conn.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'postgres_fdw'");
      if (a?.n) {
        fdw = true;
        await db.conn.exec(`CREATE EXTENSION postgres_fdw;
          CREATE SERVER cat_pg FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'postgres');
          CREATE FOREIGN TABLE cat.remote_pg (id integer) SERVER cat_pg;`);
      }
      // A unique index that fails CONCURRENTLY stays behind, invalid (servers only: it needs its own transaction).
      await db.conn.exec('CREATE TABLE cat.dupes (v integer); INSERT INTO cat.dupes VALUES (1), (1);');
      await expect(db.conn.exec('CREATE UNIQUE INDEX CONCURRENTLY dupes_v_uidx ON cat.dupes (v)')).rejects.toThrow(/could not create unique index|duplicate/i);
    }
    cat = await introspectPostgres(db.conn);
    major = cat.serverMajor;
    s = cat.schemas.find((x) => x.name === 'cat')!;
  });

  afterAll(async () => {
    await db?.dispose();
    if (engine.kind === 'server') {
      const { connect } = await import('../../../src/drivers/connect.js');
      const admin = await connect(engine.url);
      try {
        await admin.exec(`DROP ROLE IF EXISTS ${role}; DROP ROLE IF EXISTS ${role2};`);
      } finally {
        await admin.close();
      }
    }
  });

  it('reads schemas with comment and owner, and leaves system schemas out', () => {
    expect(cat.dialect).toBe('postgres');
    expect(cat.serverMajor).toBeGreaterThanOrEqual(15);
    expect(s).toMatchObject({ name: 'cat', path: 'cat', comment: 'catalog fixture', owner: expect.any(String) });
    const names = cat.schemas.map((x) => x.name);
    expect(names).toContain('public');
    expect(names).not.toContain('pg_catalog');
    expect(names).not.toContain('information_schema');
    expect(names).not.toContain('pg_toast');
  });

  it('tells table kinds apart: table, partitioned, partition, foreign', () => {
    expect(table('kitchen').kind).toBe('table');
    expect(table('events')).toMatchObject({ kind: 'partitioned', partitionKey: 'RANGE (at)' });
    expect(table('events_2024')).toMatchObject({
      kind: 'partition',
      partitionOf: 'cat.events',
      partitionBound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    });
    expect(table('remote').kind).toBe('foreign');
    if (fdw) expect(table('remote_pg').kind).toBe('foreign');
  });

  it('reads comments, row estimates after ANALYZE and sizes', () => {
    expect(table('kitchen').comment).toBe('every column kind');
    const parent = table('parent');
    expect(parent.rowEstimate).toBe(250);
    expect(parent.totalBytes).toBeGreaterThanOrEqual(8192);
    // Never analysed: no estimate, but an exact size.
    expect(table('booking').rowEstimate).toBeNull();
    expect(table('booking').totalBytes).toBeGreaterThanOrEqual(0);
    expect(table('kitchen').owner).toEqual(expect.any(String));
  });

  it('reads every column kind with ordinal and raw type', () => {
    const cols = Object.fromEntries(table('kitchen').columns.map((c) => [c.name, c]));
    expect(table('kitchen').columns.map((c) => c.ordinal)).toEqual([...Array(16).keys()].map((i) => i + 1));
    expect(cols.id!.type).toEqual({ kind: 'int', raw: 'integer' });
    expect(cols.name!.type).toEqual({ kind: 'varchar', raw: 'character varying(50)', length: 50 });
    expect(cols.price!.type).toEqual({ kind: 'numeric', raw: 'numeric(10,2)', precision: 10, scale: 2 });
    expect(cols.at!.type).toEqual({ kind: 'timestamptz', raw: 'timestamp with time zone' });
    expect(cols.doc!.type).toEqual({ kind: 'json', raw: 'json' });
    expect(cols.body!.type).toEqual({ kind: 'jsonb', raw: 'jsonb' });
    expect(cols.uid!.type).toEqual({ kind: 'uuid', raw: 'uuid' });
    expect(cols.ok!.type).toEqual({ kind: 'bool', raw: 'boolean' });
    expect(cols.mood!.type).toMatchObject({ kind: 'enum', ref: 'cat.mood' });
    expect(cols.tags!.type).toEqual({ kind: 'array', raw: 'text[]', element: { kind: 'text', raw: 'text' } });
    expect(cols.qty!.type).toMatchObject({ kind: 'domain', ref: 'cat.positive' });
    expect(cols.pair!.type).toMatchObject({ kind: 'composite', ref: 'cat.pair' });
    expect(cols.total!.type).toMatchObject({ kind: 'numeric' });
    // Columns typed by a table's row type (looked up in a second pass).
    const nested = Object.fromEntries(table('nested').columns.map((c) => [c.name, c.type]));
    expect(nested.p).toEqual({ kind: 'composite', raw: 'cat.parent', ref: 'cat.parent' });
    expect(nested.ps).toEqual({ kind: 'array', raw: 'cat.parent[]', element: { kind: 'composite', raw: 'cat.parent', ref: 'cat.parent' } });
    expect(nested.k).toEqual({ kind: 'array', raw: 'cat.pair[]', element: { kind: 'composite', raw: 'cat.pair', ref: 'cat.pair' } });
  });

  it('reads nullability, defaults, identity, generated columns, collation and comments', () => {
    const cols = Object.fromEntries(table('kitchen').columns.map((c) => [c.name, c]));
    expect(cols.id).toMatchObject({ nullable: false, identity: 'by default', default: null, generated: null });
    expect(table('parent').columns[0]).toMatchObject({ name: 'id', identity: 'always' });
    expect(cols.name).toMatchObject({ nullable: false, default: "'x'::character varying", comment: 'display name' });
    expect(cols.at).toMatchObject({ nullable: true, default: 'now()' });
    expect(cols.total).toMatchObject({ generated: 'price * 2::numeric', generatedStored: true, default: null });
    expect(cols.title!.collation).toBe('C');
    expect(cols.name!.collation).toBeNull();
    expect(cols.price!.comment).toBeNull();
    expect(table('serials').columns[0]!.default).toBe("nextval('cat.serials_id_seq'::regclass)");
  });

  it('reads primary keys and unique constraints, NULLS NOT DISTINCT and DEFERRABLE included', () => {
    const k = table('kitchen');
    expect(k.primaryKey).toEqual({ name: 'kitchen_pkey', path: 'cat.kitchen.kitchen_pkey', columns: ['id'] });
    expect(table('parent').uniques).toEqual([{ name: 'parent_code_region_key', path: 'cat.parent.parent_code_region_key', columns: ['code', 'region'], comment: 'natural key' }]);
    expect(k.uniques.find((u) => u.name === 'kitchen_uid_key')).toEqual({ name: 'kitchen_uid_key', path: 'cat.kitchen.kitchen_uid_key', columns: ['uid'], nullsNotDistinct: true });
    expect(k.uniques.find((u) => u.name === 'kitchen_title_key')).toMatchObject({ columns: ['title'], deferrable: true });
    expect(k.uniques.find((u) => u.name === 'kitchen_title_key')!.nullsNotDistinct).toBeUndefined();
  });

  it('reads multi-column foreign keys with actions, deferrability and NOT VALID', () => {
    const fks = Object.fromEntries(table('kitchen').foreignKeys.map((f) => [f.name, f]));
    expect(fks.kitchen_parent_fk).toEqual({
      name: 'kitchen_parent_fk',
      path: 'cat.kitchen.kitchen_parent_fk',
      columns: ['parent_code', 'parent_region'],
      references: { schema: 'cat', table: 'parent', columns: ['code', 'region'] },
      onDelete: 'set null',
      onUpdate: 'cascade',
      deferrable: true,
      initiallyDeferred: true,
      validated: true,
      comment: 'belongs to a parent',
    });
    expect(fks.kitchen_parent_nv_fk).toMatchObject({ onDelete: 'restrict', onUpdate: 'no action', deferrable: false, initiallyDeferred: false, validated: false });
  });

  it('reads check constraints without outer parentheses, NOT VALID included', () => {
    const checks = Object.fromEntries(table('kitchen').checks.map((c) => [c.name, c]));
    expect(checks.kitchen_price_check).toMatchObject({ expression: 'price >= 0::numeric', columns: ['price'], validated: true });
    expect(checks.kitchen_name_check).toMatchObject({ expression: 'length(name::text) > 0', columns: ['name'], validated: false });
  });

  it('reads each table\'s own text of a check that other tables share, renamed columns included', async () => {
    // Identical stored trees (same attnums, types, operators): deparsed once, except where the names differ.
    await db.conn.exec(`CREATE SCHEMA shared_checks;
      CREATE TABLE shared_checks.a (id int, qty int CHECK (qty >= 0), CONSTRAINT a_pair CHECK (qty < 1000 AND id > 0));
      CREATE TABLE shared_checks.b (id int, qty int CHECK (qty >= 0), CONSTRAINT b_pair CHECK (qty < 1000 AND id > 0));
      CREATE TABLE shared_checks.c (id int, amount int CHECK (amount >= 0), CONSTRAINT c_pair CHECK (amount < 1000 AND id > 0));
      CREATE TABLE shared_checks.d (ref int, qty int CHECK (qty >= 0), CONSTRAINT d_pair CHECK (qty < 1000 AND ref > 0));
      CREATE TABLE shared_checks."E x" ("i d" int, "Qty" int CHECK ("Qty" >= 0));`);
    const c = await introspectPostgres(db.conn, { schemas: ['shared_checks'] }).finally(() => db.conn.exec('DROP SCHEMA shared_checks CASCADE'));
    const checks = Object.fromEntries(c.schemas[0]!.tables.flatMap((t) => t.checks.map((k) => [`${t.name}:${k.name}`, k.expression])));
    expect(checks).toEqual({
      'a:a_qty_check': 'qty >= 0',
      'a:a_pair': 'qty < 1000 AND id > 0',
      'b:b_qty_check': 'qty >= 0',
      'b:b_pair': 'qty < 1000 AND id > 0',
      'c:c_amount_check': 'amount >= 0',
      'c:c_pair': 'amount < 1000 AND id > 0',
      'd:d_qty_check': 'qty >= 0',
      'd:d_pair': 'qty < 1000 AND ref > 0',
      'E x:E x_Qty_check': '"Qty" >= 0',
    });
  });

  it('reads exclusion constraints', () => {
    expect(table('booking').exclusions).toEqual([
      {
        name: 'booking_no_overlap',
        path: 'cat.booking.booking_no_overlap',
        method: 'gist',
        definition: 'EXCLUDE USING gist (during WITH &&) WHERE (room > 0)',
        elements: [{ expression: 'during', operator: '&&' }],
        predicate: 'room > 0',
        comment: 'one booking per room at a time',
      },
    ]);
    expect(table('booking').indexes[0]).toMatchObject({ name: 'booking_no_overlap', method: 'gist', constraint: 'booking_no_overlap', predicate: 'room > 0' });
  });

  it('reads indexes: columns, expressions, order, opclass, methods, predicates, INCLUDE, constraints', () => {
    const idx = Object.fromEntries(table('kitchen').indexes.map((i) => [i.name, i]));
    expect(idx.kitchen_pkey).toMatchObject({ primary: true, unique: true, constraint: 'kitchen_pkey', elements: [{ column: 'id' }], method: 'btree', valid: true });
    expect(idx.kitchen_uid_key).toMatchObject({ unique: true, constraint: 'kitchen_uid_key', nullsNotDistinct: true });
    expect(idx.kitchen_lower_name_idx!.elements).toEqual([{ expression: 'lower(name::text)' }]);
    expect(idx.kitchen_at_name_idx!.elements).toEqual([
      { column: 'at', descending: true, nullsFirst: false },
      { column: 'name', nullsFirst: true },
    ]);
    expect(idx.kitchen_name_pattern_idx!.elements).toEqual([{ column: 'name', opclass: 'varchar_pattern_ops' }]);
    expect(idx.kitchen_name_ok_uidx).toMatchObject({ unique: true, primary: false, predicate: 'ok', constraint: null });
    expect(idx.kitchen_body_gin!.method).toBe('gin');
    expect(idx.kitchen_at_brin!.method).toBe('brin');
    expect(idx.kitchen_uid_hash!.method).toBe('hash');
    expect(idx.kitchen_price_partial_idx).toMatchObject({
      elements: [{ column: 'price' }],
      include: ['name', 'ok'],
      predicate: 'price > 0::numeric AND ok',
      unique: false,
    });
    expect(s.views.find((v) => v.name === 'summary')!.indexes.map((i) => i.name)).toEqual(['summary_n_idx']);
  });

  it('reads index collations where they differ from the column\'s, and mixed expression and column elements in order', async () => {
    await db.conn.exec(`CREATE SCHEMA idx_more;
      CREATE TABLE idx_more.t (id int, name text, code text COLLATE "C", n int);
      CREATE INDEX t_name_c ON idx_more.t (name COLLATE "C");
      CREATE INDEX t_code_own ON idx_more.t (code);
      CREATE INDEX t_code_posix ON idx_more.t (code COLLATE "POSIX" DESC);
      CREATE INDEX t_mixed ON idx_more.t (n, lower(name) COLLATE "C", id DESC NULLS LAST, (n + id)) INCLUDE (code, name);`);
    const c = await introspectPostgres(db.conn, { schemas: ['idx_more'] }).finally(() => db.conn.exec('DROP SCHEMA idx_more CASCADE'));
    const idx = Object.fromEntries(c.schemas[0]!.tables[0]!.indexes.map((i) => [i.name, i]));
    expect(idx.t_name_c!.elements).toEqual([{ column: 'name', collation: 'C' }]);
    expect(idx.t_code_own!.elements).toEqual([{ column: 'code' }]);
    expect(idx.t_code_posix!.elements).toEqual([{ column: 'code', collation: 'POSIX', descending: true }]);
    expect(idx.t_mixed!.elements).toEqual([
      { column: 'n' },
      { expression: 'lower(name)', collation: 'C' },
      { column: 'id', descending: true, nullsFirst: false },
      { expression: '(n + id)' },
    ]);
    expect(idx.t_mixed!.include).toEqual(['code', 'name']);
  });

  it('marks an index left by a failed CREATE UNIQUE INDEX CONCURRENTLY as invalid', () => {
    if (engine.kind !== 'server') return; // needs a statement outside a transaction on a server
    expect(table('dupes').indexes).toEqual([expect.objectContaining({ name: 'dupes_v_uidx', unique: true, valid: false })]);
  });

  it('reads enums in label order, ADD VALUE BEFORE included', () => {
    expect(s.enums.find((e) => e.name === 'mood')).toEqual({ name: 'mood', path: 'cat.mood', labels: ['sad', 'ok', 'happy', 'ecstatic'], comment: 'how it feels' });
  });

  it('reads views and materialized views', () => {
    const cheap = s.views.find((v) => v.name === 'cheap')!;
    expect(cheap).toMatchObject({ materialized: false, securityInvoker: true, checkOption: 'local', comment: 'cheap things' });
    // Postgres 15 qualifies view columns (`kitchen.id`); 16+ does not.
    expect(cheap.definition).toMatch(/^SELECT (kitchen\.)?id,\s+(kitchen\.)?name,\s+(kitchen\.)?price\s+FROM cat\.kitchen\s+WHERE (kitchen\.)?price < 10::numeric;$/);
    expect(cheap.columns.map((c) => [c.name, c.type.kind])).toEqual([['id', 'int'], ['name', 'varchar'], ['price', 'numeric']]);
    expect(s.views.find((v) => v.name === 'plain')).toMatchObject({ securityInvoker: false, checkOption: 'cascaded' });
    const summary = s.views.find((v) => v.name === 'summary')!;
    expect(summary).toMatchObject({ materialized: true, checkOption: null });
    expect(summary.definition).toMatch(/count\(\*\) AS n/);
  });

  it('reads sequences with ownership and last value', () => {
    const seqs = Object.fromEntries(s.sequences.map((q) => [q.name, q]));
    expect(seqs.counter).toMatchObject({
      path: 'cat.counter', type: 'bigint', start: '10', increment: '5', min: '10', max: '1000', cache: '1', cycle: true,
      ownedBy: null, lastValue: '15', comment: 'counts by five',
    });
    expect(seqs.serials_id_seq).toMatchObject({ type: 'integer', ownedBy: 'cat.serials.id', lastValue: null });
    expect(seqs.owned_seq!.ownedBy).toBe('cat.kitchen.price');
    expect(seqs.parent_id_seq!.ownedBy).toBe('cat.parent.id');
    expect(seqs.parent_id_seq!.lastValue).toBe('250');
  });

  it('reads routines: kind, language, body, security definer, config, SQL-standard bodies, overloads', () => {
    const r = Object.fromEntries(s.routines.map((x) => [x.path, x]));
    expect(Object.keys(r).sort()).toEqual(['cat.add(a integer, b integer)', 'cat.add(a text, b text)', 'cat.reset()', 'cat.touch()']);
    expect(r['cat.touch()']).toMatchObject({
      kind: 'function', language: 'plpgsql', securityDefiner: true, returns: 'trigger', volatility: 'volatile',
      config: ['search_path=cat, pg_temp'], comment: 'stamps rows', signature: '',
    });
    expect(r['cat.touch()']!.definition).toContain('NEW.at := now()');
    const add = r['cat.add(a integer, b integer)']!;
    expect(add).toMatchObject({ kind: 'function', language: 'sql', securityDefiner: false, volatility: 'immutable', returns: 'integer', arguments: 'a integer, b integer DEFAULT 1' });
    expect(add.definition).toMatch(/RETURN \(?a \+ b\)?/);
    expect(r['cat.add(a text, b text)']!.definition).toContain('SELECT a || b');
    expect(r['cat.reset()']).toMatchObject({ kind: 'procedure', language: 'sql', returns: null });
  });

  it('reads triggers: timing, events, level, function, WHEN, disabled', () => {
    const tr = Object.fromEntries(table('kitchen').triggers.map((t) => [t.name, t]));
    expect(tr.kitchen_touch).toMatchObject({
      path: 'cat.kitchen.kitchen_touch', timing: 'before', events: ['insert', 'update'], level: 'row',
      function: 'cat.touch()', when: 'new.ok IS TRUE', enabled: true, body: null,
    });
    expect(tr.kitchen_touch!.definition).toMatch(/^CREATE TRIGGER kitchen_touch BEFORE INSERT OR UPDATE ON cat\.kitchen/);
    expect(tr.kitchen_stmt).toMatchObject({ timing: 'after', events: ['delete', 'truncate'], level: 'statement', enabled: false, when: null });
  });

  it('reads the comments of constraints, indexes, triggers and policies, and leaves the key out where there is none', () => {
    const parent = table('parent');
    const kitchen = table('kitchen');
    const booking = table('booking');
    expect(parent.primaryKey?.comment).toBe('the identity');
    expect(parent.uniques.find((u) => u.name === 'parent_code_region_key')?.comment).toBe('natural key');
    expect(kitchen.foreignKeys.find((f) => f.name === 'kitchen_parent_fk')?.comment).toBe('belongs to a parent');
    expect(kitchen.checks.find((c) => c.name === 'kitchen_price_check')?.comment).toBe('no negative prices');
    expect(booking.exclusions.find((x) => x.name === 'booking_no_overlap')?.comment).toBe('one booking per room at a time');
    expect(kitchen.indexes.find((i) => i.name === 'kitchen_lower_name_idx')?.comment).toBe('case-insensitive lookups');
    expect(kitchen.triggers.find((t) => t.name === 'kitchen_touch')?.comment).toBe('keeps at current');
    expect(kitchen.policies.find((p) => p.name === 'kitchen_read')?.comment).toBe('anyone reads what is ok');
    // A comment on a constraint is not its index's comment.
    expect(parent.indexes.find((i) => i.name === 'parent_pkey')).not.toHaveProperty('comment');
    for (const o of [kitchen.foreignKeys.find((f) => f.name === 'kitchen_parent_nv_fk'), kitchen.indexes.find((i) => i.name === 'kitchen_at_brin'), kitchen.triggers.find((t) => t.name === 'kitchen_stmt')]) {
      expect(o).toBeDefined();
      expect(o).not.toHaveProperty('comment');
    }
  });

  it('reads row-level security and policies', () => {
    expect(table('kitchen').rls).toEqual({ enabled: true, forced: true });
    expect(table('parent').rls).toEqual({ enabled: true, forced: false });
    expect(table('booking').rls).toEqual({ enabled: false, forced: false });
    const p = Object.fromEntries(table('kitchen').policies.map((x) => [x.name, x]));
    expect(p.kitchen_read).toEqual({ name: 'kitchen_read', path: 'cat.kitchen.kitchen_read', command: 'select', permissive: true, roles: ['public'], using: 'ok', withCheck: null, comment: 'anyone reads what is ok' });
    expect(p.kitchen_write).toMatchObject({ command: 'update', permissive: false, using: 'price > 0::numeric', withCheck: 'price < 100::numeric' });
    expect(p.kitchen_role).toMatchObject({ command: 'insert', roles: [role, role2].sort(), using: null, withCheck: 'price IS NOT NULL' });
  });

  it('reads grants per table and view', () => {
    expect(table('kitchen').grants).toEqual([{ grantee: role, privileges: ['INSERT', 'SELECT'] }]);
    expect(s.views.find((v) => v.name === 'cheap')!.grants).toEqual([{ grantee: role2, privileges: ['SELECT'], grantable: true }]);
    expect(table('parent').grants).toEqual([]);
  });

  it('reads extensions and keeps their objects out of the schemas', () => {
    expect(cat.extensions.map((e) => e.name)).toContain('plpgsql');
    expect(cat.extensions.find((e) => e.name === 'plpgsql')).toMatchObject({ schema: 'pg_catalog', version: expect.any(String) });
    if (fdw) {
      expect(cat.extensions.find((e) => e.name === 'postgres_fdw')).toMatchObject({ schema: 'public' });
      const pub = cat.schemas.find((x) => x.name === 'public')!;
      expect(pub.routines.map((r) => r.name)).not.toContain('postgres_fdw_handler');
    }
  });

  it('reads domains and composite types', () => {
    expect(s.domains).toEqual([
      {
        name: 'positive', path: 'cat.positive', type: { kind: 'int', raw: 'integer' }, notNull: true, default: '1',
        checks: [{ name: 'positive_check', expression: 'VALUE > 0' }], comment: 'a positive int',
      },
    ]);
    expect(s.compositeTypes).toEqual([
      {
        name: 'pair', path: 'cat.pair', comment: 'a pair',
        attributes: [
          { name: 'x', type: { kind: 'int', raw: 'integer' } },
          { name: 'label', type: { kind: 'varchar', raw: 'character varying(10)', length: 10 } },
        ],
      },
    ]);
  });

  it('round-trips hostile identifiers through paths', () => {
    const h = cat.schemas.find((x) => x.name === HOSTILE.schema)!;
    expect(h).toBeDefined();
    const t = h.tables.find((x) => x.name === HOSTILE.table)!;
    expect(t.columns.map((c) => c.name)).toEqual(['id', ...HOSTILE.columns, 'size']);
    expect(t.comment).toBe('it\'s "hostile"');
    expect(splitPath(t.path)).toEqual([HOSTILE.schema, HOSTILE.table]);
    for (const c of t.columns) expect(splitPath(c.path)).toEqual([HOSTILE.schema, HOSTILE.table, c.name]);
    const idx = t.indexes.find((i) => i.name === HOSTILE.index)!;
    expect(idx.elements).toEqual([{ column: 'a"b' }, { column: 'ünïcødé ✓' }]);
    expect(splitPath(idx.path)).toEqual([HOSTILE.schema, HOSTILE.table, HOSTILE.index]);
    const ck = t.checks.find((c) => c.name === HOSTILE.constraint)!;
    expect(splitPath(ck.path)).toEqual([HOSTILE.schema, HOSTILE.table, HOSTILE.constraint]);
    expect(ck.expression).toBe('"select" > 0');
    const e = h.enums.find((x) => x.name === HOSTILE.enumName)!;
    expect(e.labels).toEqual(["it's", 'a "b"', 'ü']);
    expect(splitPath(e.path)).toEqual([HOSTILE.schema, HOSTILE.enumName]);
    expect(t.columns.find((c) => c.name === 'size')!.type.kind).toBe('enum');
    const user = h.tables.find((x) => x.name === 'user')!;
    expect(user.foreignKeys[0]).toMatchObject({ columns: ['order'], references: { schema: HOSTILE.schema, table: HOSTILE.table, columns: ['id'] } });
    expect(HOSTILE.columns.some((c) => Buffer.byteLength(c) === 63)).toBe(true);
  });

  it('filters schemas by name, glob and exclusion', async () => {
    const only = await introspectPostgres(db.conn, { schemas: ['cat'] });
    expect(only.schemas.map((x) => x.name)).toEqual(['cat']);
    const glob = await introspectPostgres(db.conn, { schemas: ['Weird*', 'c*'] });
    expect(glob.schemas.map((x) => x.name).sort()).toEqual(['Weird "Schema".v1', 'cat']);
    const ex = await introspectPostgres(db.conn, { excludeSchemas: ['W*', 'public'] });
    expect(ex.schemas.map((x) => x.name)).toEqual(['cat']);
    // A foreign key into a schema left out still names the referenced columns.
    const pub = await introspectPostgres(db.conn, { schemas: ['public'] });
    expect(pub.schemas.map((x) => x.name)).toEqual(['public']);
    const xref = pub.schemas[0]!.tables.find((t) => t.name === 'xref')!;
    expect(xref.foreignKeys[0]!.references).toEqual({ schema: 'cat', table: 'parent', columns: ['region', 'code'] });
    const all = cat.schemas.find((x) => x.name === 'public')!.tables.find((t) => t.name === 'xref')!;
    expect(all.foreignKeys[0]!.references).toEqual({ schema: 'cat', table: 'parent', columns: ['region', 'code'] });
  });

  it('sees uncommitted DDL when called inside an open transaction', async () => {
    const seen = await db.conn
      .transaction(async (tx) => {
        await tx.exec('CREATE TABLE cat.uncommitted (id int)');
        const inner = await introspectPostgres(tx, { schemas: ['cat'] });
        throw Object.assign(new Error('rollback'), { inner });
      })
      .catch((e: { inner?: Catalog }) => e.inner);
    expect(seen!.schemas[0]!.tables.map((t) => t.name)).toContain('uncommitted');
    const after = await introspectPostgres(db.conn, { schemas: ['cat'] });
    expect(after.schemas[0]!.tables.map((t) => t.name)).not.toContain('uncommitted');
  });

  it('is deterministic: two inspections give the same bytes', async () => {
    const again = await introspectPostgres(db.conn);
    expect(stableStringify(again)).toBe(stableStringify(cat));
    const serial = await introspectPostgres(db.conn, { connections: 1 });
    expect(stableStringify(serial)).toBe(stableStringify(cat));
    expect(major).toBeGreaterThanOrEqual(15);
  });
});
