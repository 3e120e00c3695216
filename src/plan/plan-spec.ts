// Library entry points for `plumb plan`: inspect the live database over the
// spec's schemas, diff it against the spec, build the plan, and run the
// pre-checks read-only (inside a transaction that is always rolled back).
// Never writes to the target.
import { createHash } from 'node:crypto';
import type { Catalog, DialectName } from '../catalog/types.js';
import { diffCatalogs } from '../diff/diff.js';
import { specToCatalog } from '../spec/spec-to-catalog.js';
import { PlumbError } from '../errors.js';
import { stableStringify } from '../catalog/normalize.js';
import { redactRow } from '../catalog/sensitive-columns.js';
import { PLUMB_SCHEMAS } from '../catalog/plumb-schemas.js';
import type { Connection } from '../drivers/connection.js';
import type { DbTarget } from '../drivers/url.js';
import { getDialect } from '../dialects/index.js';
import { inspectLive, type OutsideSchema } from '../spec/compare-spec.js';
import { compareEndpoints, type Endpoint } from '../spec/compare-endpoints.js';
import type { Change } from '../diff/changes.js';
import type { Spec } from '../spec/types.js';
import { buildPlan } from './build-plan.js';
import type { PreCheckResults } from './render-plan.js';
import { planSteps, type Plan, type PlanOptions } from './types.js';

export { PLUMB_SCHEMAS, inspectLive };

export function specChecksum(spec: Spec): string {
  return createHash('sha256').update(stableStringify({ ...spec, sources: undefined, include: undefined })).digest('hex');
}

export interface SpecPlan {
  plan: Plan;
  changes: Change[];
  live: Catalog;
  target: Catalog;
  /** Live schemas with objects the plan leaves alone because the spec does not mention them. */
  outside: OutsideSchema[];
}

type BetweenOptions = PlanOptions & {
  /** Schemas (names or globs) left out of the comparison. */
  excludeSchemas?: string[];
  plumbVersion?: string;
  createdAt?: string;
  /** Empty Postgres that normalises the spec (default: the shared scratch PGlite). */
  scratch?: Connection;
  /** Server for MySQL's scratch databases (default: the target's). */
  devTarget?: DbTarget;
};

export async function planFromSpec(conn: Connection, spec: Spec, options: BetweenOptions = {}): Promise<SpecPlan> {
  return planBetween({ db: conn }, { spec }, options);
}

/**
 * The plan that makes `from` like `to`, each a live database or a spec
 * (`plumb plan --from … --to …`): compareEndpoints, then buildPlan, as for
 * a spec. Its SQL is for the engine of the database side (Postgres for two specs).
 */
export async function planBetween(from: Endpoint, to: Endpoint, options: BetweenOptions = {}): Promise<SpecPlan> {
  const c = await compareEndpoints(from, to, {
    ...(options.scratch ? { scratch: options.scratch } : {}),
    ...(options.devTarget ? { devTarget: options.devTarget } : {}),
    ...(options.schemas ? { schemas: options.schemas } : {}),
    ...(options.excludeSchemas ? { excludeSchemas: options.excludeSchemas } : {}),
  });
  const dialect = 'db' in from ? from.db.dialect : 'db' in to ? to.db.dialect : 'postgres';
  const plan = buildPlan({
    changes: c.changes,
    from: c.from,
    to: c.to,
    dialect: getDialect(dialect),
    ...('spec' in to ? { specChecksum: specChecksum(to.spec) } : {}),
    plumbVersion: options.plumbVersion,
    createdAt: options.createdAt ?? new Date().toISOString(),
    options: { concurrently: options.concurrently, online: options.online, largeTableRows: options.largeTableRows, lockTimeoutMs: options.lockTimeoutMs, batchSize: options.batchSize, remediate: options.remediate, allow: options.allow, schemas: c.schemas },
  });
  return { plan, changes: c.changes, live: c.from, target: c.to, outside: c.outside };
}

class Rollback extends Error {}

/**
 * Runs every pre-check against the live database, each in a savepoint of one
 * transaction that is rolled back. A pre-check over objects earlier steps
 * create cannot run yet: its error is reported, and apply runs it in order.
 */
export async function runPlanPreChecks(conn: Connection, plan: Plan): Promise<PreCheckResults> {
  const out: PreCheckResults = {};
  const checks = planSteps(plan).flatMap((s) => s.preChecks);
  if (!checks.length) return out;
  const needsSetup = checks.some((c) => c.setup?.length);
  try {
    await conn.transaction(
      async (tx) => {
        for (const c of checks) {
          try {
            await tx.transaction(async (sp) => {
              for (const s of c.setup ?? []) await sp.exec(s);
              const [r] = await sp.query<{ n: string | number }>(c.countSql);
              const count = Number(r?.n ?? 0);
              // Secret-named columns (a token used as key) never leave as values.
              out[c.id] = { count, samples: count ? (await sp.query<Record<string, unknown>>(c.sampleSql)).map((row) => redactRow(row)) : [] };
            });
          } catch (e) {
            out[c.id] = { error: (e as Error).message };
          }
        }
        throw new Rollback();
      },
      // Temporary helper functions cannot be created in a READ ONLY transaction; the rollback keeps it read-only in effect.
      { readOnly: !needsSetup, statementTimeoutMs: 60_000 },
    );
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return out;
}

/**
 * A plan that builds the spec from nothing in another dialect, with no live
 * database (SQL Server is render-only): the spec's catalog, lowered where the
 * dialect lacks a feature (enums become checked text), diffed against empty.
 */
export async function planOffline(spec: Spec, dialectName: DialectName, options: { plumbVersion?: string; createdAt?: string } = {}): Promise<Plan> {
  const d = getDialect(dialectName);
  if (!d.render) throw new PlumbError('E_DIALECT_UNAVAILABLE', `the ${dialectName} dialect cannot render SQL`, 'choose postgres, mysql, sqlite or mssql');
  let target = await specToCatalog(spec);
  target = { ...(d.adaptCatalog?.(target) ?? target), dialect: dialectName };
  const empty: Catalog = { ...target, schemas: [], extensions: [], settings: {} };
  const changes = diffCatalogs(empty, target, { grants: spec.manage.grants, comments: spec.manage.comments, rls: spec.manage.rls, extensions: false });
  return buildPlan({ changes, from: empty, to: target, dialect: d, specChecksum: specChecksum(spec), plumbVersion: options.plumbVersion, createdAt: options.createdAt ?? new Date().toISOString() });
}
