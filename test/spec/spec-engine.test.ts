// The spec meets the engine: the portable type mapping equals what
// introspection reports, a directory of .sql files and a YAML spec describe
// the same catalog, pull → spec → catalog round-trips exactly, equivalent
// spellings produce no drift, and declared renames diff as renames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../src/catalog/types.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { describeChange } from '../../src/diff/describe.js';
import { introspectPostgres } from '../../src/dialects/postgres/postgres-introspector.js';
import { renderPostgresChange } from '../../src/dialects/postgres/postgres-render.js';
import { resolvePgType } from '../../src/dialects/postgres/postgres-render-types.js';
import type { Connection } from '../../src/drivers/connection.js';
import { catalogToSpecInput, specInputToYaml } from '../../src/spec/catalog-to-spec.js';
import { compareWithSpec } from '../../src/spec/compare-spec.js';
import { loadSpec, parseSpecText } from '../../src/spec/load.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import { freshDatabase, type FreshDb } from '../helpers/engines.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const pglite = { name: 'pglite', kind: 'pglite' as const, url: '' };

async function inTx<T>(conn: Connection, fn: (tx: Connection) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await conn
    .transaction(async (tx) => {
      out = await fn(tx);
      throw new Error('rollback');
    })
    .catch((e) => {
      if ((e as Error).message !== 'rollback') throw e;
    });
  return out as T;
}

describe('spec × engine (PGlite)', () => {
  let target: FreshDb;
  let scratch: FreshDb;
  beforeAll(async () => {
    [target, scratch] = [await freshDatabase(pglite), await freshDatabase(pglite)];
  });
  afterAll(async () => {
    await target?.dispose();
    await scratch?.dispose();
  });

  it('maps every portable type to exactly the ColumnType introspection reports', async () => {
    const portable = [
      'int', 'integer', 'int4', 'bigint', 'int8', 'smallint', 'text', 'varchar(50)', 'varchar', 'character varying(7)', 'char(3)', 'char', 'numeric(10,2)', 'numeric(8)',
      'decimal', 'real', 'float8', 'double precision', 'bool', 'boolean', 'bytea', 'date', 'time', 'time(3)', 'timetz', 'timestamp', 'timestamp(3)', 'timestamptz',
      'timestamptz(6)', 'timestamp with time zone', 'interval', 'json', 'jsonb', 'uuid', 'inet', 'cidr', 'macaddr', 'bit(4)', 'varbit(8)', 'xml', 'tsvector', 'int[]',
      'varchar(20)[]', 'text[][]', 'money', 'int4range', 'tstzrange', 'mood', 'mood[]', 'other.flag',
    ];
    const columns = portable.map((t, i) => `c${i} ${t}`).join(', ');
    const cat = await inTx(scratch.conn, async (tx) => {
      await tx.exec(`CREATE TYPE mood AS ENUM ('a'); CREATE SCHEMA other; CREATE TYPE other.flag AS ENUM ('y'); CREATE TABLE types_probe (${columns})`);
      return introspectPostgres(tx, { schemas: ['public'] });
    });
    const table = cat.schemas[0]!.tables.find((t) => t.name === 'types_probe')!;
    const named = (schema: string | null, name: string) =>
      name === 'mood' && (schema ?? 'public') === 'public' ? { schema: 'public', name: 'mood', kind: 'enum' as const } : name === 'flag' && schema === 'other' ? { schema: 'other', name: 'flag', kind: 'enum' as const } : undefined;
    for (const [i, t] of portable.entries()) {
      expect(resolvePgType(t, named)?.type, t).toEqual(table.columns[i]!.type);
    }
  });

  it('a directory of .sql files and a YAML spec give the same catalog', async () => {
    const fromSql = await specToCatalog(await loadSpec(join(fixtures, 'sqldir')), { scratch: scratch.conn });
    const fromYaml = await specToCatalog(
      parseSpecText(`
enums: [{ name: calibration_result, labels: [pass, fail, conditional] }]
tables:
  - name: core_roles
    columns:
      id: { type: int, identity: true, primaryKey: true }
      name: { type: varchar(50), nullable: false, unique: true }
      description: text
      is_system_role: { type: bool, nullable: false, default: false }
  - name: gauge_calibrations
    columns:
      id: { type: int, identity: true, primaryKey: true }
      result: { type: calibration_result, nullable: false }
      temperature: numeric(5,2)
      created_at: { type: timestamptz, default: now() }
`),
      { scratch: scratch.conn },
    );
    expect(fromSql.schemas.map((s) => s.name)).toEqual(['public']);
    expect(fromSql.schemas[0]!.tables.map((t) => t.name)).toEqual(['core_roles', 'gauge_calibrations']);
    expect(diffCatalogs(fromSql, fromYaml, { exactNames: true }).map(describeChange)).toEqual([]);
  });

  it('pull → spec → catalog round-trips exactly, and applying the spec to an empty database gives the catalog back', async () => {
    await target.conn.exec(readFileSync(join(fixtures, 'roundtrip.sql'), 'utf8'));
    const original = await introspectPostgres(target.conn, { schemas: ['app', 'public'] });
    const yaml = specInputToYaml(catalogToSpecInput(original));
    expect(yaml).toContain('type: serial');
    const spec = parseSpecText(yaml, 'pulled.yaml');
    const desired = await specToCatalog(spec, { scratch: scratch.conn });
    expect(diffCatalogs(original, desired, { exactNames: true }).map(describeChange)).toEqual([]);
    // Render empty → spec with our renderer and run it on an empty database.
    const rebuilt: Catalog = await inTx(scratch.conn, async (tx) => {
      const empty = await introspectPostgres(tx);
      await tx.exec('CREATE ROLE plumb_reader');
      for (const c of diffCatalogs(empty, desired, { extensions: false }).filter((c) => c.kind !== 'dropSchema' && c.kind !== 'setComment')) {
        for (const s of renderPostgresChange(c).forward) await tx.exec(s);
      }
      return introspectPostgres(tx, { schemas: ['app', 'public'] });
    });
    expect(diffCatalogs(original, rebuilt, { exactNames: true, comments: false }).map(describeChange)).toEqual([]);
  });

  it('equivalent spellings produce no drift', async () => {
    await target.conn.exec(`
      CREATE SCHEMA eq;
      CREATE TABLE eq.t (
        id integer NOT NULL PRIMARY KEY,
        code character varying(10) DEFAULT 'x'::character varying,
        status text DEFAULT 'new'::text CHECK (status = ANY (ARRAY['new'::text, 'done'::text])),
        price numeric(10,2) CHECK ((price >= (0)::numeric)),
        at timestamp with time zone DEFAULT now(),
        CONSTRAINT both_set CHECK (((code IS NOT NULL) AND (status IS NOT NULL)))
      );
      CREATE INDEX t_lower ON eq.t (lower((code)::text)) WHERE (price > (0)::numeric);
      CREATE VIEW eq.v AS SELECT t.id, t.code FROM eq.t WHERE (t.price > (0)::numeric);`);
    const spec = parseSpecText(`
schemas:
  - name: eq
    tables:
      - name: t
        columns:
          id: { type: int4, primaryKey: true }
          code: { type: varchar(10), default: "'x'" }
          status: { type: text, default: "'new'", check: "status IN ('new', 'done')" }
          price: { type: "numeric(10, 2)", check: price >= 0 }
          at: { type: timestamptz, default: NOW() }
        checks:
          - { name: both_set, expression: code is not null and status is not null }
        indexes:
          - { name: t_lower, expressions: ['lower(code)'], where: price > 0 }
    views:
      - name: v
        sql: select id, code from eq.t where price > 0
`);
    const { changes } = await compareWithSpec(target.conn, spec, { scratch: scratch.conn });
    expect(changes.map(describeChange)).toEqual([]);
  });

  it('declared renames diff as renames, not as drop + create', async () => {
    await target.conn.exec(`CREATE SCHEMA rn; CREATE TABLE rn.audit_logs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event text NOT NULL, at timestamptz NOT NULL DEFAULT now(), CHECK (length(event) > 0))`);
    const spec = parseSpecText(`
schemas:
  - name: rn
    tables:
      - name: core_audit_logs
        renamedFrom: audit_logs
        columns:
          id: { type: bigint, identity: always, primaryKey: true }
          action: { type: text, nullable: false, renamedFrom: event }
          at: { type: timestamptz, nullable: false, default: now() }
          actor: { type: text }
        checks: [ { name: audit_logs_event_check, expression: length(action) > 0 } ]
`);
    const { changes } = await compareWithSpec(target.conn, spec, { scratch: scratch.conn });
    expect(changes.map((c) => c.kind)).toEqual(['renameTable', 'renameColumn', 'addColumn']);
    // Without the hints the same spec is a drop and a create: renames are never guessed.
    const { current, desired } = await compareWithSpec(target.conn, spec, { scratch: scratch.conn });
    expect(diffCatalogs(current, desired).map((c) => c.kind)).toContain('dropTable');
  });
});
