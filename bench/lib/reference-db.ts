// Reference databases for the benchmarks (inspect, audit, diff, html): the
// `big` and `mid` shapes of issue 3, generated on a Postgres server with one
// DDL script per schema. Bench-only: never point it at a database you care
// about — it drops and recreates the database it is given.
import { connect } from '../../src/drivers/connect.js';
import { startEmbeddedPostgres } from '../../test/helpers/embedded-postgres.js';

export interface ReferenceShape {
  /** Database name on the server. */
  name: string;
  tables: number;
  schemas: number;
  enums: number;
}

/** 2,000 tables across 4 schemas, 20 enums. */
export const BIG: ReferenceShape = { name: 'plumb_ref_big', tables: 2000, schemas: 4, enums: 20 };
/** The same shape with 500 tables. */
export const MID: ReferenceShape = { name: 'plumb_ref_mid', tables: 500, schemas: 4, enums: 20 };

export interface ReferenceOptions {
  /** Rows to insert into every table (0 = schema only). */
  rowsPerTable?: number;
  /** Keep an existing database built with the same shape and rows instead of rebuilding it. */
  reuse?: boolean;
  /** Called with a line of progress. */
  log?: (line: string) => void;
}

export interface ReferenceServer {
  /** Admin URL (database `postgres`). */
  url: string;
  label: string;
  stop(): Promise<void>;
}

/**
 * The server the benchmarks run on: `PLUMB_BENCH_PG_URL` when set (e.g. the
 * machine's Postgres), otherwise a fresh embedded Postgres 18.
 */
export async function referenceServer(): Promise<ReferenceServer> {
  const env = process.env.PLUMB_BENCH_PG_URL;
  if (env) return { url: env, label: `PLUMB_BENCH_PG_URL (${await serverVersion(env)})`, stop: async () => undefined };
  const epg = await startEmbeddedPostgres();
  return { url: epg.url, label: `embedded-postgres ${await serverVersion(epg.url)}`, stop: () => epg.stop() };
}

async function serverVersion(url: string): Promise<string> {
  const c = await connect(url);
  try {
    return `Postgres ${await c.serverVersion()}`;
  } finally {
    await c.close();
  }
}

export function schemaNames(shape: ReferenceShape): string[] {
  return Array.from({ length: shape.schemas }, (_, i) => `app_${i + 1}`);
}

/** Enum `k` lives in schema `k % schemas`; a table uses one of its own schema's enums. */
function enumOf(shape: ReferenceShape, schema: number, table: number): { schema: string; name: string } {
  const perSchema = Math.max(1, Math.floor(shape.enums / shape.schemas));
  const k = schema + shape.schemas * (table % perSchema);
  return { schema: `app_${(k % shape.schemas) + 1}`, name: `status_${k + 1}` };
}

/** The DDL for the enums of all schemas. */
export function enumsDdl(shape: ReferenceShape): string {
  const out: string[] = [];
  for (const s of schemaNames(shape)) out.push(`CREATE SCHEMA "${s}";`);
  for (let k = 0; k < shape.enums; k++) {
    const schema = `app_${(k % shape.schemas) + 1}`;
    out.push(`CREATE TYPE "${schema}".status_${k + 1} AS ENUM ('new', 'active', 'suspended', 'closed', 'state_${k + 1}');`);
  }
  return out.join('\n');
}

/** Tables of schema `s` (0-based): tables are dealt round-robin across schemas. */
export function tableNames(shape: ReferenceShape, s: number): string[] {
  const out: string[] = [];
  for (let t = s, i = 0; t < shape.tables; t += shape.schemas, i++) out.push(`t_${String(i).padStart(4, '0')}`);
  return out;
}

/**
 * One schema's DDL: 13 columns per table (identity PK, text, varchar,
 * numeric, integer with a check, double, boolean, timestamptz and timestamp
 * with defaults, jsonb, text[], an enum, a bigint reference), 1 foreign key
 * (to the previous table; the first refers to itself), 1 check, 3 secondary
 * indexes and a comment per table.
 */
export function schemaDdl(shape: ReferenceShape, s: number): string {
  const schema = `app_${s + 1}`;
  const names = tableNames(shape, s);
  const out: string[] = [];
  names.forEach((t, i) => {
    const e = enumOf(shape, s, i);
    const ref = names[i === 0 ? 0 : i - 1]!;
    out.push(
      `CREATE TABLE "${schema}".${t} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  code varchar(32),
  amount numeric(12,2) NOT NULL DEFAULT 0,
  quantity integer NOT NULL DEFAULT 0 CONSTRAINT ${t}_quantity_check CHECK (quantity >= 0),
  ratio double precision,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamp DEFAULT now(),
  attrs jsonb,
  tags text[],
  status "${e.schema}".${e.name} NOT NULL DEFAULT 'new',
  ref_id bigint CONSTRAINT ${t}_ref_fk REFERENCES "${schema}".${ref} (id) ON DELETE SET NULL
);
CREATE INDEX ${t}_code_idx ON "${schema}".${t} (code);
CREATE INDEX ${t}_created_idx ON "${schema}".${t} (created_at DESC);
CREATE INDEX ${t}_status_ref_idx ON "${schema}".${t} (status, ref_id);
COMMENT ON TABLE "${schema}".${t} IS 'Reference table ${schema}.${t} (${i + 1} of ${names.length})';`,
    );
  });
  return out.join('\n');
}

/** Rows for every table of schema `s`; each table refers to rows of the previous one. */
export function schemaRowsSql(shape: ReferenceShape, s: number, rows: number): string {
  const schema = `app_${s + 1}`;
  return tableNames(shape, s)
    .map(
      (t, i) =>
        `INSERT INTO "${schema}".${t} (name, code, amount, quantity, ratio, active, attrs, tags, ref_id)
SELECT 'row ' || g, 'C' || (g % 97), (g * 1.25)::numeric(12,2), g % 1000, g / 7.0, g % 3 <> 0,
       jsonb_build_object('g', g), ARRAY['t' || (g % 5)], ${i === 0 ? 'NULL' : 'g'}
FROM generate_series(1, ${rows}) g;`,
    )
    .join('\n');
}

function signature(shape: ReferenceShape, rows: number): string {
  return `plumb reference ${shape.tables}t/${shape.schemas}s/${shape.enums}e/${rows}r v1`;
}

/**
 * (Re)creates the reference database `shape.name` on the server at
 * `adminUrl` and returns its URL. The schema scripts run concurrently, one
 * connection each.
 */
export async function createReferenceDb(adminUrl: string, shape: ReferenceShape, options: ReferenceOptions = {}): Promise<string> {
  const rows = options.rowsPerTable ?? 0;
  const log = options.log ?? (() => undefined);
  const url = withDatabase(adminUrl, shape.name);
  const sig = signature(shape, rows);
  const admin = await connect(adminUrl);
  try {
    if (options.reuse) {
      const [r] = await admin.query<{ c: string | null }>(
        'SELECT shobj_description(oid, \'pg_database\') AS c FROM pg_database WHERE datname = $1',
        [shape.name],
      );
      if (r?.c === sig) {
        log(`reusing ${shape.name} (${sig})`);
        return url;
      }
    }
    await admin.exec(`DROP DATABASE IF EXISTS "${shape.name}" WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE "${shape.name}"`);
  } finally {
    await admin.close();
  }
  const started = performance.now();
  const first = await connect(url);
  try {
    await first.exec(enumsDdl(shape));
  } finally {
    await first.close();
  }
  await Promise.all(
    schemaNames(shape).map(async (_, s) => {
      const c = await connect(url);
      try {
        await c.exec(schemaDdl(shape, s));
        if (rows > 0) await c.exec(schemaRowsSql(shape, s, rows));
      } finally {
        await c.close();
      }
    }),
  );
  const last = await connect(url);
  try {
    // The steady state of a live database, where autovacuum has caught up: planner statistics, and
    // catalog pages that thousands of fresh CREATEs left unvacuumed made all-visible, for every tool alike.
    await last.exec('VACUUM ANALYZE');
    // …and write out now what building and vacuuming dirtied, rather than in a checkpoint during the
    // timed runs (needs superuser or pg_checkpoint; without it the server does it when it will).
    await last.exec('CHECKPOINT').catch(() => undefined);
    await last.exec(`COMMENT ON DATABASE "${shape.name}" IS '${sig}'`);
  } finally {
    await last.close();
  }
  log(`built ${shape.name}: ${shape.tables} tables, ${rows} rows each, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}
