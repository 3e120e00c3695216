// The event-lead worked example (seed 004, SQL Server origin), the README's
// story through the library on the engines it claims — Postgres (PGlite and a
// real server) and MariaDB: apply builds 33 tables in 6 schemas, seed writes
// 75 reference/config rows (and nothing the second time), verify passes
// (the report's success criteria, incl. FK and unique rejects). Its T-SQL
// rendering is tested in test/dialects/mssql.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { ApplyStore } from '../../src/apply/apply-store.js';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import type { Connection } from '../../src/drivers/connection.js';
import { connect } from '../../src/drivers/connect.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { inspectLive } from '../../src/plan/plan-spec.js';
import { seed } from '../../src/seed/seed.js';
import { loadSpec } from '../../src/spec/load.js';
import { diffOptionsFromSpec, specSchemaNames } from '../../src/spec/spec-diff-options.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { verify } from '../../src/verify/verify.js';
import { freshDatabase, mysqlUrl, pgEngines, type FreshDb } from '../helpers/engines.js';
import { runCli } from '../helpers/cli.js';

const SCHEMAS = ['audit', 'cache', 'config', 'dbo', 'log', 'ref'];

let spec: Spec;
let pgDesired: Catalog;
beforeAll(async () => {
  spec = await loadSpec('examples/event-lead/spec.yaml');
  // The spec normalised once, on a clone of this file's one PGlite (cheaper than a second cold start).
  const scratch = await freshDatabase(pgEngines()[0]!);
  try {
    pgDesired = await specToCatalog(spec, { scratch: scratch.conn });
  } finally {
    await scratch.dispose();
  }
}, 300_000);

interface Story {
  conn: Connection;
  desired: Catalog;
  schemas: string[];
  /** Checksum of the plan applied (its history and journal rows are plumb's). */
  checksum?: string;
}

async function applyStep(s: Story): Promise<void> {
  const { conn, desired, schemas } = s;
  const from = await inspectLive(conn, schemas);
  const changes = diffCatalogs(from, desired, diffOptionsFromSpec(spec));
  const plan = buildPlan({ changes, from, to: desired, dialect: getDialect(conn.dialect), createdAt: new Date().toISOString(), options: { schemas } });
  const applied = await applyPlan(conn, plan);
  s.checksum = applied.planChecksum;
  expect(applied.outcome).toBe('applied');
  const live = await inspectLive(conn, schemas);
  const tables = live.schemas.filter((x) => SCHEMAS.includes(x.name));
  expect(tables.map((x) => x.name).sort()).toEqual(SCHEMAS);
  expect(tables.reduce((n, x) => n + x.tables.length, 0)).toBe(33);
}

async function seedStep(s: Story): Promise<void> {
  const live = await inspectLive(s.conn, s.schemas);
  const first = await seed(s.conn, spec.seed, live, {});
  expect(first.tables.reduce((n, x) => n + x.inserted, 0)).toBe(75);
  const again = await seed(s.conn, spec.seed, live, {});
  expect(again.tables.map((x) => [x.table, x.inserted, x.updated])).toEqual(again.tables.map((x) => [x.table, 0, 0]));
}

async function verifyStep(s: Story): Promise<void> {
  const live = await inspectLive(s.conn, s.schemas);
  const report = await verify(s.conn, { checks: spec.verify, target: s.desired, live, diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });
  // Nothing fails; the spec's own checks all pass (probes plumb cannot build a row for are skipped, as the CLI reports).
  const failed = report.results.filter((x) => x.status === 'fail');
  expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
  const own = report.results.filter((x) => x.kind !== 'probe' && x.kind !== 'drift');
  expect(own.filter((x) => x.status !== 'pass'), JSON.stringify(own, null, 1)).toEqual([]);
  expect(own.length).toBe(spec.verify.length);
  expect(report.results.find((x) => x.kind === 'drift')?.status).toBe('pass');
  const names = report.results.map((x) => x.name);
  for (const c of spec.verify) expect(names).toContain(c.name);
}

/** Run the CLI as the README does, capturing what it prints. */
async function plumb(...args: string[]): Promise<{ code: number; out: string }> {
  return runCli(args);
}

describe('event-lead: the README\'s T-SQL step', () => {
  // The README's first command: SQL Server is render-only, so no server is needed.
  it('plumb plan --dialect mssql --format sql prints T-SQL with no server', async () => {
    const r = await plumb('plan', '--spec', 'examples/event-lead/spec.yaml', '--dialect', 'mssql', '--format', 'sql');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/CREATE TABLE \[ref\]\.\[Country\]/);
    expect(r.out).toMatch(/IDENTITY/);
    expect(r.out.match(/^CREATE TABLE /gm)).toHaveLength(33);
  }, 120_000);
});

const engines = pgEngines().filter((e, i) => i === 0 || e.kind === 'server').slice(0, 2);

describe.each(engines)('event-lead on Postgres ($name)', (engine) => {
  let db: FreshDb;
  const s = {} as Story;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    s.conn = db.conn;
    s.desired = pgDesired;
    s.schemas = specSchemaNames(spec, s.desired);
  }, 300_000);
  afterAll(async () => db?.dispose());

  it('apply builds 33 tables in 6 schemas', () => applyStep(s), 120_000);
  it('seed writes the 75 reference and config rows, then nothing', () => seedStep(s), 60_000);
  it('verify: success criteria, FK and unique rejects, no drift', () => verifyStep(s), 60_000);
});

// On MariaDB every schema is a database: the six are server-wide names, so the
// test refuses to run over existing ones and drops them afterwards.
const mysql = mysqlUrl();
describe.runIf(!!mysql)('event-lead on MariaDB', () => {
  let conn: Connection;
  const s = {} as Story;
  let clean = false;
  beforeAll(async () => {
    conn = await connect(mysql!);
    const taken = await conn.query<{ n: string }>(`SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${SCHEMAS.map(() => '?').join(', ')})`, SCHEMAS);
    if (taken.length) throw new Error(`MariaDB already has databases ${taken.map((r) => r.n).join(', ')}: drop them first (the example creates them)`);
    clean = true;
    s.conn = conn;
    // Normalised by MariaDB itself, on scratch databases beside the target.
    s.desired = await specToCatalog(spec, { dialect: 'mysql', target: conn.target });
    s.schemas = specSchemaNames(spec, s.desired);
  }, 60_000);
  afterAll(async () => {
    if (clean) for (const n of SCHEMAS) await conn.exec(`DROP DATABASE IF EXISTS \`${n}\``);
    // plumb keeps its apply journal and history in the URL's database (plumb_journal, plumb_history): remove this plan's rows.
    const store = conn ? new ApplyStore(getDialect('mysql'), conn) : undefined;
    if (clean && s.checksum && store) for (const t of [store.journal, store.history]) await conn.query(`DELETE FROM ${t} WHERE plan_checksum = ?`, [s.checksum]).catch(() => undefined);
    await conn?.close();
  });

  it('the spec schemas can be inspected before they exist (plan creates them)', async () => {
    const live = await inspectLive(conn, s.schemas);
    expect(live.schemas.filter((x) => SCHEMAS.includes(x.name))).toEqual([]);
  });

  it('apply builds 33 tables in 6 schemas', async () => {
    await applyStep(s);
  }, 300_000);
  // The spec's standard-quoted CHECKs (`"TaxRate" >= 0`) reach MariaDB with `backticks`
  // (mysqlExpression): read verbatim they would compare the string 'TaxRate' and every Country insert would fail.
  it('seed writes the 75 reference and config rows, then nothing', () => seedStep(s), 60_000);
  it('apply records its outcome in plumb_history', async () => {
    const rows = await conn.query<{ outcome: string }>(`SELECT outcome FROM ${new ApplyStore(getDialect('mysql'), conn).history} WHERE plan_checksum = ?`, [s.checksum]);
    expect(rows.map((r) => r.outcome)).toEqual(['applied']);
  });
  // The drift check compares two catalogs MariaDB printed (the spec was normalised on scratch databases).
  it('verify: success criteria, FK and unique rejects, no drift', () => verifyStep(s), 60_000);
});
