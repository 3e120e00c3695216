// Patterns from real application schemas (pg_dump files of public apps, issue
// #18): a database built from the SQL, then (a) the SQL as the spec and (b) the
// spec pulled from that database, each applied to an empty database, must give
// the same catalog by an independent judge, and `diff` must then be empty.
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { introspectPostgres } from '../../src/dialects/postgres/postgres-introspector.js';
import { planFromSpec } from '../../src/plan/plan-spec.js';
import { catalogToSpecInput, specInputToYaml } from '../../src/spec/catalog-to-spec.js';
import { compareWithSpec } from '../../src/spec/compare-spec.js';
import { parseSpecText } from '../../src/spec/load.js';
import { disposeScratchEngine } from '../../src/spec/spec-to-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { judgeCatalog } from '../helpers/catalog-judge.js';
import { freshDatabase, pgServerUrl, type PgEngine } from '../helpers/engines.js';

const server: PgEngine = { name: 'server', kind: 'server', url: pgServerUrl() };

function sqlSpec(text: string): Spec {
  const spec = parseSpecText('{}');
  spec.sql = [{ source: 'schema.sql', text }];
  return spec;
}

async function roundTrip(sql: string): Promise<void> {
  const source = await freshDatabase(server);
  try {
    await source.conn.exec(sql);
    const want = await judgeCatalog(source.conn);
    const pulled = parseSpecText(specInputToYaml(catalogToSpecInput(await introspectPostgres(source.conn))));
    for (const [mode, spec] of [['sql-spec', sqlSpec(sql)], ['pull', pulled]] as const) {
      const target = await freshDatabase(server);
      try {
        const { plan } = await planFromSpec(target.conn, spec);
        const result = await applyPlan(target.conn, plan);
        expect(result.outcome, `${mode}: ${result.steps.find((s) => s.error)?.error ?? ''}`).toBe('applied');
        expect(await judgeCatalog(target.conn), mode).toEqual(want);
        const { changes } = await compareWithSpec(source.conn, spec);
        expect(changes.map((c) => `${c.kind} ${c.path}`), `${mode}: diff of the source`).toEqual([]);
      } finally {
        await target.dispose();
      }
    }
  } finally {
    await source.dispose();
  }
}

describe('real schema patterns round-trip on a Postgres server', () => {
  afterAll(() => disposeScratchEngine());

  it('a SQL function called by a check is created before its table; STRICT and other attributes are kept; index comments too', async () => {
    await roundTrip(`
SET check_function_bodies = false;
CREATE FUNCTION public.validate_tags(tags_array jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5
    AS $$ SELECT bool_and(jsonb_typeof(value) = 'string') FROM jsonb_array_elements(tags_array) $$;
CREATE TABLE public.jobs (
    id bigint NOT NULL,
    tags jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT valid_tags CHECK (public.validate_tags(tags))
);
CREATE INDEX jobs_tags ON public.jobs USING gin (tags);
COMMENT ON INDEX public.jobs_tags IS 'Jobs filtered by tag';
CREATE FUNCTION public.pending_jobs() RETURNS SETOF public.jobs
    LANGUAGE sql STABLE ROWS 20
    AS $$ SELECT * FROM public.jobs WHERE id > 0 $$;
`);
  });

  it('keeps DEFERRABLE INITIALLY DEFERRED uniques, NOT VALID checks, UNLOGGED tables and column STORAGE', async () => {
    await roundTrip(`
CREATE DOMAIN public.bytea20 AS bytea CONSTRAINT bytea20_check CHECK ((length(VALUE) = 20));
CREATE TABLE public.seats (
    id bigint NOT NULL,
    block_id bigint,
    number integer,
    checksum public.bytea20 NOT NULL,
    priority integer,
    CONSTRAINT seats_pkey PRIMARY KEY (id),
    CONSTRAINT seats_number_uniqueness UNIQUE (block_id, number) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE ONLY public.seats ALTER COLUMN checksum SET STORAGE PLAIN;
ALTER TABLE public.seats ADD CONSTRAINT non_negative_priority CHECK ((priority >= 0)) NOT VALID;
CREATE UNLOGGED TABLE public.peers (name text NOT NULL, node text NOT NULL);
CREATE TABLE public.que_jobs (id bigint NOT NULL, args jsonb) WITH (fillfactor='90', autovacuum_enabled='false');
`);
  });

  it('sees and changes how an existing table is stored: UNLOGGED, storage parameters, column STORAGE', async () => {
    const want = `CREATE UNLOGGED TABLE public.t (a bytea NOT NULL, b text) WITH (fillfactor='80');
ALTER TABLE public.t ALTER COLUMN a SET STORAGE PLAIN;`;
    const source = await freshDatabase(server);
    const target = await freshDatabase(server);
    try {
      await source.conn.exec(want);
      await target.conn.exec(`CREATE TABLE public.t (a bytea NOT NULL, b text) WITH (autovacuum_enabled='false');`);
      const spec = sqlSpec(want);
      const { plan, changes } = await planFromSpec(target.conn, spec);
      expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['alterTableStorage public.t']);
      expect((await applyPlan(target.conn, plan)).outcome).toBe('applied');
      expect(await judgeCatalog(target.conn)).toEqual(await judgeCatalog(source.conn));
      expect((await compareWithSpec(target.conn, spec)).changes).toEqual([]);
    } finally {
      await source.dispose();
      await target.dispose();
    }
  });

  it('keeps column STATISTICS and COMPRESSION, and changes them on an existing table', async () => {
    await roundTrip(`
CREATE TABLE public.events (id bigint PRIMARY KEY, kind text, payload text, body text);
ALTER TABLE public.events ALTER COLUMN kind SET STATISTICS 1000;
ALTER TABLE public.events ALTER COLUMN payload SET COMPRESSION pglz;
ALTER TABLE public.events ALTER COLUMN body SET STATISTICS 0;
`);
    const target = await freshDatabase(server);
    try {
      await target.conn.exec('CREATE TABLE public.events (id bigint PRIMARY KEY, kind text, payload text); ALTER TABLE public.events ALTER COLUMN kind SET STATISTICS 50; ALTER TABLE public.events ALTER COLUMN payload SET COMPRESSION pglz');
      const spec = parseSpecText('tables:\n  - name: events\n    columns:\n      - { name: id, type: bigint, primaryKey: true }\n      - { name: kind, type: text, statistics: 500 }\n      - { name: payload, type: text }\n');
      const { plan, changes } = await planFromSpec(target.conn, spec);
      expect(changes.map((c) => c.kind)).toEqual(['alterTableStorage']);
      expect((await applyPlan(target.conn, plan)).outcome).toBe('applied');
      const cols = await target.conn.query<{ n: string; s: unknown; c: string }>("SELECT attname AS n, NULLIF(attstattarget::int, -1) AS s, attcompression::text AS c FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attnum > 1 ORDER BY attnum");
      expect(cols.map((c) => [c.n, c.s === null ? null : Number(c.s), c.c])).toEqual([['kind', 500, ''], ['payload', null, '']]);
      expect((await compareWithSpec(target.conn, spec)).changes).toEqual([]);
      expect((await applyPlan(target.conn, plan, { rollback: true })).outcome).toBe('rolled-back');
      expect((await target.conn.query<{ s: unknown }>("SELECT attstattarget::int AS s FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attname = 'kind'"))[0]?.s).toBe(50);
    } finally {
      await target.dispose();
    }
  });

  it('keeps collations (ICU nondeterministic, libc) and the columns and indexes that use them', async () => {
    await roundTrip(`
CREATE COLLATION public.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION public.bytewise (provider = libc, lc_collate = 'C', lc_ctype = 'C');
CREATE TABLE public.tags (id int PRIMARY KEY, label text COLLATE public.case_insensitive NOT NULL, code text COLLATE public.bytewise);
CREATE UNIQUE INDEX tags_label_key ON public.tags (label);
`);
  });

  it('keeps rewrite rules (DO INSTEAD, DO ALSO with a condition, on a view) with their comments', async () => {
    await roundTrip(`
CREATE TABLE public.accounts (id int PRIMARY KEY, balance numeric NOT NULL, closed boolean NOT NULL DEFAULT false);
CREATE TABLE public.account_log (id int, old_balance numeric, new_balance numeric);
CREATE RULE accounts_no_delete AS ON DELETE TO public.accounts DO INSTEAD UPDATE public.accounts SET closed = true WHERE id = old.id;
CREATE RULE accounts_log AS ON UPDATE TO public.accounts WHERE new.balance <> old.balance DO ALSO INSERT INTO public.account_log VALUES (new.id, old.balance, new.balance);
COMMENT ON RULE accounts_log ON public.accounts IS 'every balance change';
CREATE VIEW public.open_accounts AS SELECT id, balance FROM public.accounts WHERE NOT closed;
CREATE RULE open_accounts_insert AS ON INSERT TO public.open_accounts DO INSTEAD INSERT INTO public.accounts (id, balance) VALUES (new.id, new.balance);
`);
  });

  it('keeps aggregates: plain, with an initial state and a final function, moving-aggregate, ordered-set, parallel', async () => {
    await roundTrip(`
CREATE FUNCTION public.acc(state numeric[], x numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT AS 'SELECT state || x';
CREATE FUNCTION public.unacc(state numeric[], x numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT AS 'SELECT state[2:]';
CREATE FUNCTION public.zmid(state numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT state[(array_length(state, 1) + 1) / 2]';
CREATE AGGREGATE public.mysum(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0', PARALLEL = SAFE, COMBINEFUNC = int4pl);
CREATE AGGREGATE public.middle(numeric) (SFUNC = public.acc, STYPE = numeric[], FINALFUNC = public.zmid, INITCOND = '{}',
  MSFUNC = public.acc, MINVFUNC = public.unacc, MSTYPE = numeric[], MINITCOND = '{}', MFINALFUNC = public.zmid);
CREATE AGGREGATE public.pick(double precision ORDER BY double precision) (SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE AGGREGATE public.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
COMMENT ON AGGREGATE public.mysum(integer) IS 'a sum';
CREATE TABLE public.readings (id int PRIMARY KEY, v numeric);
CREATE VIEW public.summary AS SELECT public.middle(v) AS m FROM public.readings;
`);
  });

  it('creates range types (their constructors come with them) before the tables that use them', async () => {
    await roundTrip(`
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TYPE public.uuidrange AS RANGE (subtype = uuid);
CREATE TYPE public.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE public.block_index (
    inserted_on date NOT NULL,
    id_range public.uuidrange NOT NULL,
    weights public.floatrange,
    CONSTRAINT block_index_excl EXCLUDE USING gist (inserted_on WITH =, id_range WITH &&)
);
`);
  });
  it('builds a unique index a foreign key references before the key; PL/pgSQL bodies naming tables load before them; triggers keep their transition tables', async () => {
    await roundTrip(`
CREATE TABLE public.memberships (id uuid NOT NULL, organization_id uuid NOT NULL, CONSTRAINT memberships_pkey PRIMARY KEY (id));
CREATE UNIQUE INDEX index_memberships_on_id_and_organization_id ON public.memberships USING btree (id, organization_id);
CREATE TABLE public.membership_roles (id uuid NOT NULL, membership_id uuid NOT NULL, organization_id uuid NOT NULL);
ALTER TABLE ONLY public.membership_roles ADD CONSTRAINT membership_roles_membership_fk FOREIGN KEY (membership_id, organization_id) REFERENCES public.memberships(id, organization_id);
CREATE TABLE public.concurrency (id bigint NOT NULL, strategy text);
CREATE FUNCTION public.copy_concurrency() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    row public.concurrency%ROWTYPE;
BEGIN
    SELECT * INTO row FROM public.concurrency WHERE id = NEW.id;
    RETURN NEW;
END;
$$;
CREATE FUNCTION public.after_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER after_concurrency_delete AFTER DELETE ON public.concurrency REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION public.after_delete();
`);
  });
  it('keeps declarative partitioning: partitioned tables, bounds, default partitions, their indexes, keys and triggers', async () => {
    await roundTrip(`
CREATE TABLE public.tenants (id uuid NOT NULL, CONSTRAINT tenants_pkey PRIMARY KEY (id));
CREATE TABLE public.events (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    "timestamp" timestamp(6) without time zone NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2025-01-01 00:00:00');
CREATE TABLE public.events_default PARTITION OF public.events DEFAULT;
CREATE INDEX idx_events_tenant ON ONLY public.events USING btree (tenant_id, "timestamp");
CREATE INDEX events_2024_tenant_id_timestamp_idx ON public.events_2024 USING btree (tenant_id, "timestamp");
ALTER INDEX public.idx_events_tenant ATTACH PARTITION public.events_2024_tenant_id_timestamp_idx;
CREATE INDEX events_default_tenant_id_timestamp_idx ON public.events_default USING btree (tenant_id, "timestamp");
ALTER INDEX public.idx_events_tenant ATTACH PARTITION public.events_default_tenant_id_timestamp_idx;
ALTER TABLE public.events ADD CONSTRAINT events_tenant_fk FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER events_touch BEFORE INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TABLE public.jobs (id bigint NOT NULL, queue text NOT NULL) PARTITION BY HASH (id);
CREATE TABLE public.jobs_0 PARTITION OF public.jobs FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE public.jobs_1 PARTITION OF public.jobs FOR VALUES WITH (modulus 2, remainder 1);
`);
  });
  it('keeps a nested AND/OR as nested in checks, predicates, views, policies and trigger conditions; diff sees it flattened', async () => {
    const nested = `((kind = 'basic' AND (login IS NOT NULL AND secret IS NOT NULL)) OR (kind = 'key' AND (secret IS NOT NULL OR login IS NULL)))`;
    const fn = `CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`;
    const table = (check: string) => `CREATE TABLE public.hooks (id bigint, kind text, login text, secret text, CONSTRAINT hooks_check CHECK ${check});`;
    await roundTrip(`${fn}
${table(nested)}
CREATE INDEX hooks_live ON public.hooks (id) WHERE ${nested};
CREATE VIEW public.live_hooks AS SELECT id FROM public.hooks WHERE ${nested};
ALTER TABLE public.hooks ENABLE ROW LEVEL SECURITY;
CREATE POLICY hooks_own ON public.hooks USING ${nested};
CREATE TRIGGER hooks_touch BEFORE UPDATE ON public.hooks FOR EACH ROW WHEN ((new.kind = 'a' AND (new.login IS NULL AND new.secret IS NULL))) EXECUTE FUNCTION public.noop();
`);
    // The same check with its ANDs flattened is another tree: diff must not call it equal.
    const target = await freshDatabase(server);
    try {
      await target.conn.exec(table(nested.replaceAll('(login IS NOT NULL AND secret IS NOT NULL)', 'login IS NOT NULL AND secret IS NOT NULL')));
      const { changes } = await compareWithSpec(target.conn, sqlSpec(table(nested)));
      expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['dropCheck public.hooks.hooks_check', 'addCheck public.hooks.hooks_check']);
    } finally {
      await target.dispose();
    }
  });
  it('applies and compares the GRANTs a .sql spec writes; a role the database lacks is refused before anything runs', async () => {
    const target = await freshDatabase(server);
    const role = `plumb_reader_${process.pid}`;
    try {
      await target.conn.exec(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF; END $$`);
      const sql = `CREATE TABLE public.reports (id int PRIMARY KEY);\nGRANT SELECT ON TABLE public.reports TO ${role};\n`;
      // sqlSpec() builds the spec in memory: the loader's rule (a .sql file that grants manages grants) is set by hand here.
      const spec = sqlSpec(sql);
      spec.manage = { ...spec.manage, grants: true };
      expect((await applyPlan(target.conn, (await planFromSpec(target.conn, spec)).plan)).outcome).toBe('applied');
      const granted = async () => (await target.conn.query("SELECT 1 FROM information_schema.role_table_grants WHERE table_name = 'reports' AND grantee = $1", [role])).length;
      expect(await granted()).toBe(1);
      await target.conn.exec(`REVOKE SELECT ON public.reports FROM ${role}`);
      expect((await compareWithSpec(target.conn, spec)).changes.map((c) => c.kind)).toEqual(['grant']);
      const missing = sqlSpec(`CREATE TABLE public.more (id int);\nGRANT SELECT ON TABLE public.more TO plumb_nobody_${process.pid};\n`);
      missing.manage = { ...missing.manage, grants: true };
      await expect(planFromSpec(target.conn, missing)).rejects.toThrow(/grants to a role the database does not have: plumb_nobody_/);
    } finally {
      await target.dispose();
    }
  });

  it('updates an extension to the version the spec states, and leaves it alone where the spec states none', async () => {
    const target = await freshDatabase(server);
    try {
      await target.conn.exec(`CREATE EXTENSION hstore VERSION '1.7'`);
      const version = async () => String((await target.conn.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'hstore'"))[0]?.v);
      const spec = (v?: string) => parseSpecText(`extensions:\n  - { name: hstore${v ? `, version: '${v}'` : ''} }\n`);
      expect((await compareWithSpec(target.conn, spec())).changes).toEqual([]);
      const { plan, changes } = await planFromSpec(target.conn, spec('1.8'));
      expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['alterExtension hstore']);
      expect(plan.phases.flatMap((p) => p.steps).flatMap((st) => st.hazards.map((h) => h.code))).toContain('EX101');
      expect((await applyPlan(target.conn, plan)).outcome).toBe('applied');
      expect(await version()).toBe('1.8');
      expect((await compareWithSpec(target.conn, spec('1.8'))).changes).toEqual([]);
      // A comment someone set on an extension is compared and applied; the extension's own is not a difference.
      const commented = parseSpecText(`extensions:\n  - { name: hstore, comment: 'key/value pairs for settings' }\n`);
      const c = await planFromSpec(target.conn, commented);
      expect(c.changes.map((x) => `${x.kind} ${x.path}`)).toEqual(['setComment hstore']);
      expect((await applyPlan(target.conn, c.plan)).outcome).toBe('applied');
      expect((await target.conn.query<{ d: string }>("SELECT obj_description(oid, 'pg_extension') AS d FROM pg_extension WHERE extname = 'hstore'"))[0]?.d).toBe('key/value pairs for settings');
      expect((await compareWithSpec(target.conn, commented)).changes).toEqual([]);
      expect((await introspectPostgres(target.conn)).extensions.find((e) => e.name === 'hstore')?.comment).toBe('key/value pairs for settings');
    } finally {
      await target.dispose();
    }
  });

  it('sees a trigger whose transition tables differ (diff is not empty while the catalogs differ)', async () => {
    const fn = `CREATE TABLE public.slots (id bigint); CREATE FUNCTION public.after_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;`;
    const want = `${fn} CREATE TRIGGER slots_deleted AFTER DELETE ON public.slots REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION public.after_delete();`;
    const target = await freshDatabase(server);
    try {
      await target.conn.exec(`${fn} CREATE TRIGGER slots_deleted AFTER DELETE ON public.slots FOR EACH STATEMENT EXECUTE FUNCTION public.after_delete();`);
      const { plan, changes } = await planFromSpec(target.conn, sqlSpec(want));
      expect(changes.length).toBeGreaterThan(0);
      expect((await applyPlan(target.conn, plan, { allowDestructive: true })).outcome).toBe('applied');
      expect((await judgeCatalog(target.conn)).filter((l) => l.startsWith('trigger'))).toEqual([expect.stringContaining('REFERENCING OLD TABLE AS deleted_rows')]);
    } finally {
      await target.dispose();
    }
  });
});
