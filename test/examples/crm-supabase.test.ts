// The crm-supabase worked example (seed 001), the README's story through the
// library on PGlite and a real Postgres server: the database as the report
// found it (lead.lead_scores missing) → diff finds exactly that table → the
// audit has the report's structure (grade, schemas, RLS) → apply creates it →
// verify passes. The spec is normalised once per file (one scratch engine).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { Catalog } from '../../src/catalog/types.js';
import { getDialect } from '../../src/dialects/index.js';
import type { Connection } from '../../src/drivers/connection.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { inspectLive } from '../../src/plan/plan-spec.js';
import { renderAuditMarkdown } from '../../src/report/audit-markdown.js';
import { loadSpec } from '../../src/spec/load.js';
import { diffOptionsFromSpec, specSchemaNames } from '../../src/spec/spec-diff-options.js';
import { specToCatalog } from '../../src/spec/spec-to-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { verify } from '../../src/verify/verify.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';

const DIR = 'examples/crm-supabase';
const SETUP = readFileSync(`${DIR}/setup.sql`, 'utf8');
const DATA = readFileSync(`${DIR}/data.sql`, 'utf8');
const SCHEMAS = ['core', 'events', 'feedback', 'identity', 'integra', 'lead', 'marketing', 'newsletter', 'public', 'read'];

let spec: Spec;
let desired: Catalog;

beforeAll(async () => {
  spec = await loadSpec(`${DIR}/schema/`);
  // The scratch engine creates the roles the plain SQL names (anon, authenticated) itself.
  const withRoles: Spec = spec;
  // The scratch engine that normalises the spec: a clone of this file's one PGlite (cheaper than a second cold start).
  const scratch = await freshDatabase(pgEngines()[0]!);
  try {
    desired = await specToCatalog(withRoles, { scratch: scratch.conn });
  } finally {
    await scratch.dispose();
  }
}, 300_000);

describe('crm-supabase: the spec directory', () => {
  it('loads as the README gives it (policies name the Supabase roles)', async () => {
    const scratch = await freshDatabase(pgEngines()[0]!);
    try {
      const c = await specToCatalog(spec, { scratch: scratch.conn });
      expect(c.schemas.map((s) => s.name).sort()).toEqual(SCHEMAS);
    } finally {
      await scratch.dispose();
    }
  }, 300_000);

  it('declares the 10 schemas and 45 tables, lead.lead_scores included', () => {
    expect(desired.schemas.map((s) => s.name).sort()).toEqual(SCHEMAS);
    expect(desired.schemas.reduce((n, s) => n + s.tables.length, 0)).toBe(45);
    expect(desired.schemas.find((s) => s.name === 'lead')!.tables.map((t) => t.name)).toContain('lead_scores');
  });
});

const engines = pgEngines().filter((e, i) => i === 0 || e.kind === 'server').slice(0, 2);

describe.each(engines)('crm-supabase on $name', (engine) => {
  let db: FreshDb;
  let conn: Connection;
  const live = () => inspectLive(conn, specSchemaNames(spec, desired));
  beforeAll(async () => {
    db = await freshDatabase(engine);
    conn = db.conn;
    // The README's psql steps: roles, the schema files, the report's state, the data.
    await conn.exec(SETUP);
    for (const f of spec.sql) await conn.exec(f.text);
    await conn.exec('DROP TABLE lead.lead_scores');
    await conn.exec(DATA);
  }, 300_000);
  afterAll(async () => db?.dispose());

  it('diff: exactly lead.lead_scores is missing (the table, its index and its foreign key)', async () => {
    const changes = diffCatalogs(await live(), desired, diffOptionsFromSpec(spec));
    expect(changes.map((c) => `${c.kind} ${c.path}`).sort()).toEqual([
      'addForeignKey lead.lead_scores.lead_scores_lead_id_fkey',
      'createIndex lead.lead_scores.idx_lead_scores_lead',
      'createTable lead.lead_scores',
    ]);
  });

  describe('audit', () => {
    let r: AuditResult;
    beforeAll(async () => {
      r = await audit(conn, { spec, specCatalog: desired, inspect: { schemas: SCHEMAS } });
    }, 300_000);

    it('grades the database and counts its 10 schemas and 44 tables', () => {
      expect(r.grade).toMatch(/^[A-F]$/);
      expect(r.score).toBeGreaterThan(0);
      expect(r.objects.schemas).toBe(10);
      expect(r.objects.tables).toBe(44);
    });

    it('reports the missing table as spec drift', () => {
      expect(r.findings.filter((f) => f.rule === 'spec-difference').map((f) => f.path)).toContain('lead.lead_scores');
    });

    it('finds every public table (granted to the API roles by Supabase\'s defaults) without row-level security', () => {
      const rls = r.findings.filter((f) => f.rule === 'rls-disabled-in-exposed-schema');
      expect(rls.map((f) => f.path).sort()).toEqual(['public.alembic_version', 'public.audit_logs', 'public.invoices', 'public.payments', 'public.refunds', 'public.users']);
      expect(new Set(rls.map((f) => f.severity))).toEqual(new Set(['error']));
    });

    it('finds no orphans and a single migration head in the consistent data', () => {
      expect(r.findings.filter((f) => f.rule === 'foreign-key-orphans' || f.rule === 'multiple-migration-heads')).toEqual([]);
    });

    it('renders the report as Markdown: grade, object counts, largest tables, row-level security', async () => {
      const md = renderAuditMarkdown(r, await getDialect(conn.dialect).introspect(conn, { schemas: SCHEMAS }));
      expect(md).toContain(`**Grade:** **${r.grade} (${r.score}/100)**`);
      expect(md).toMatch(/\| 10 \| 44 \| \d+ \| \d+ \| \d+ \|/);
      expect(md).toContain('## Largest tables');
      expect(md).toContain('## Row-level security');
      expect(md).toMatch(/`core\.bookings` \| on \| no \| bookings_station/);
    });
  });

  it('apply creates lead.lead_scores, after which diff is empty and verify passes', async () => {
    const from = await live();
    const changes = diffCatalogs(from, desired, diffOptionsFromSpec(spec));
    const plan = buildPlan({ changes, from, to: desired, dialect: getDialect(conn.dialect), createdAt: new Date().toISOString(), options: { schemas: specSchemaNames(spec, desired) } });
    const applied = await applyPlan(conn, plan);
    expect(applied.outcome).toBe('applied');
    const [row] = await conn.query<{ n: string }>("SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'lead' AND table_name = 'lead_scores'");
    expect(row!.n).toBe('1');

    const after = await live();
    expect(diffCatalogs(after, desired, diffOptionsFromSpec(spec))).toEqual([]);
    const report = await verify(conn, { checks: spec.verify, target: desired, live: after, diff: (a, b) => diffCatalogs(a, b, diffOptionsFromSpec(spec)) });
    expect(report.results.filter((x) => x.status === 'fail'), JSON.stringify(report.results.filter((x) => x.status === 'fail'), null, 1)).toEqual([]);
    expect(report.passed).toBeGreaterThan(50);
  }, 300_000);
});
