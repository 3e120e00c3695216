// Change[] → Plan: phases in dependency order (namespaces and types, tables,
// columns, constraints, foreign keys after every table so cycles need nothing
// special, validation, indexes, dependents after what they use, drops in
// reverse dependency order), each step with forward/rollback SQL from the
// dialect's renderer, a safety class, hazard codes and pre-checks.
// Pure: never touches a database; a type change is never a drop + create.
import type { Catalog, View } from '../catalog/types.js';
import { catalogChecksum, findTable } from '../catalog/normalize.js';
import type { Dialect } from '../dialects/dialect.js';
import { backfillSupport, planRenderer } from '../dialects/apply-support.js';
import type { Change, ChangeKind, ChangeOf, TableRef } from '../diff/changes.js';
import type { ChangeRenderer, OnlineColumnChange, RenderedChange, RenderOptions } from '../diff/render-types.js';
import { PlumbError } from '../errors.js';
import { hazard, safetyOf } from './hazards.js';
import { planChecksum } from './plan-checksum.js';
import { conversionMayLoseText, preChecksFor, type PreCheckContext } from './pre-checks.js';
import { stepImpact } from './step-impact.js';
import { PLAN_FORMAT_VERSION, type Backfill, type Hazard, type PhaseName, type Plan, type PlanBody, type PlanOptions, type PlanPhase, type PlanStep, type PreCheck } from './types.js';

export const DEFAULT_LARGE_TABLE_ROWS = 100_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 2_000;
export const DEFAULT_BATCH_SIZE = 5_000;

export interface BuildPlanInput {
  changes: Change[];
  /** The live catalog (inspected over `options.schemas`). */
  from: Catalog;
  /** The catalog the changes produce. */
  to: Catalog;
  dialect: Dialect;
  /** Defaults to the dialect's plan renderer (it follows the plan from `from`), else its renderer. */
  render?: ChangeRenderer;
  /** catalogChecksum(from) / catalogChecksum(to) when the caller already has them (they cost ~150 ms per 2,000 tables). */
  checksums?: { from: string; to: string };
  specChecksum?: string | null;
  plumbVersion?: string;
  /** ISO time; the caller passes it so that building stays pure. */
  createdAt?: string;
  options?: PlanOptions;
}

interface PhaseDef {
  name: PhaseName;
  title: string;
  explanation: string;
  /** Kinds in the order they run inside the phase. */
  kinds: ChangeKind[];
}

const PHASES: PhaseDef[] = [
  {
    name: 'namespaces',
    title: 'Schemas and extensions',
    explanation: 'Namespaces and extensions come first: everything else is created inside them.',
    kinds: ['createSchema', 'createExtension', 'alterExtension'],
  },
  {
    name: 'types',
    title: 'Types, sequences and procedural routines',
    explanation: 'Enums, domains, composite types and sequences that columns will use; routines whose bodies are not checked at creation (triggers and defaults need them).',
    kinds: ['createCollation', 'createEnum', 'renameEnum', 'addEnumValue', 'renameEnumValue', 'createDomain', 'alterDomain', 'createCompositeType', 'alterCompositeType', 'createSequence', 'createRoutine', 'replaceRoutine'],
  },
  {
    name: 'tables',
    title: 'Detach dependents, create and rename tables',
    explanation:
      'Views, triggers, policies, foreign keys and indexes that are going away are removed first so nothing blocks the changes below; then tables are created (columns, primary key, uniques, checks inline; foreign keys later) and renamed.',
    kinds: ['dropView', 'dropMaterializedView', 'dropTrigger', 'disableTrigger', 'dropPolicy', 'dropRule', 'dropForeignKey', 'dropExclusion', 'dropCheck', 'dropUnique', 'dropIndex', 'dropPrimaryKey', 'createTable', 'renameTable'],
  },
  {
    name: 'columns',
    title: 'Columns',
    explanation:
      'Indexes that existing foreign keys lack are built first, then table engines and character sets are converted (MySQL rebuilds the table, keeping its rows); then columns are added, renamed and changed in place (and indexes renamed). A type change converts the values where they are: the table is never recreated or truncated.',
    kinds: ['alterTableOptions', 'alterTableStorage', 'renameColumn', 'renameIndex', 'renameConstraint', 'addColumn', 'alterColumnType', 'replaceEnum', 'alterColumnDefault', 'alterColumnVisibility', 'alterColumnIdentity', 'alterColumnGenerated', 'alterColumnNullability'],
  },
  {
    name: 'backfill',
    title: 'Backfill new columns',
    explanation:
      'A new column whose default is volatile (nextval, random, gen_random_uuid…) on a large table is added without it, given the default for new rows, and the existing rows are filled here in batches, each its own transaction: writers wait for one batch at most, and an interrupted backfill resumes from its journaled position. NOT NULL follows through a validated check.',
    kinds: [],
  },
  {
    name: 'constraints',
    title: 'Keys and checks',
    explanation:
      'Primary keys, unique keys, checks and NOT NULL (and the indexes new foreign keys will use). Each can fail on existing rows: its pre-check counts them first, and the remediation policy decides what happens to them.',
    kinds: ['addPrimaryKey', 'addUnique', 'addCheck', 'addExclusion'],
  },
  {
    name: 'foreign-keys',
    title: 'Foreign keys',
    explanation: 'Added after every table exists, so cycles between tables need no special order. Orphan rows are counted first.',
    kinds: ['addForeignKey'],
  },
  {
    name: 'validate',
    title: 'Validate constraints',
    explanation:
      'Constraints added NOT VALID on large tables are validated here, each in a transaction of its own that starts after the locks of the phases above are released: the scan takes a lock that lets reads and writes continue. NOT NULL on a large table is then set through its validated check, without a scan.',
    kinds: ['validateConstraint'],
  },
  {
    name: 'indexes',
    title: 'Indexes',
    explanation: 'Indexes on tables that already hold rows block writes while they build (those at or above --large-table-rows are built concurrently instead; --concurrently does it for every existing table).',
    kinds: ['createIndex'],
  },
  {
    name: 'indexes-concurrent',
    title: 'Indexes built concurrently',
    explanation: 'CREATE and DROP INDEX CONCURRENTLY take no lock that stops reads or writes, and cannot run inside a transaction: each statement is journaled before and after, and an interrupted build is dropped and rebuilt on --resume.',
    kinds: [],
  },
  {
    name: 'dependents',
    title: 'Views, routines, triggers, policies and grants',
    explanation: 'Objects that read tables come after the tables they read: SQL routines, views (in dependency order), triggers, row-level security, policies, grants and comments.',
    kinds: [
      'alterSequence',
      'createView',
      'replaceView',
      'renameView',
      'createMaterializedView',
      'createTrigger',
      'enableTrigger',
      'enableRls',
      'forceRls',
      'createPolicy',
      'alterPolicy',
      'disableRls',
      'grant',
      'revoke',
      'setComment',
      'createEvent',
      'dropEvent',
      'createRule',
    ],
  },
  {
    name: 'drops',
    title: 'Drops',
    explanation: 'What the spec no longer holds is dropped last, in reverse dependency order. Every drop here loses data or behaviour and must be allowed by name.',
    kinds: ['dropColumn', 'dropTable', 'dropSequence', 'dropRoutine', 'dropEnum', 'dropDomain', 'dropCompositeType', 'dropCollation', 'dropExtension', 'dropSchema'],
  },
  {
    name: 'contract',
    title: 'Contract (apply --contract)',
    explanation:
      'An online type change keeps the old column, renamed and no longer written, after the swap, so that a reader still on it keeps working. These steps drop it; they run only with plumb apply --contract, once the application no longer reads it.',
    kinds: [],
  },
];

const phaseOfKind = new Map<ChangeKind, { phase: number; rank: number }>();
PHASES.forEach((p, i) => p.kinds.forEach((k, r) => phaseOfKind.set(k, { phase: i, rank: r })));
const phaseIndex = (n: PhaseName) => PHASES.findIndex((p) => p.name === n);

function tableOf(c: Change): TableRef | undefined {
  return 'table' in c && c.table && typeof c.table === 'object' && 'name' in c.table && 'schema' in c.table ? { schema: c.table.schema, name: c.table.name } : undefined;
}

/** A whole CREATE statement whose body is not a string constant (`BEGIN ATOMIC …`, `RETURN …`). */
const isSqlStandardBody = (def: string) => /^\s*CREATE\b/i.test(def) && !/\nAS\s+(\$|')/.test(def);

/**
 * Routines that must wait for the tables: a SQL-standard body is resolved against the tables when it is created, and a
 * routine whose arguments or result name a table's row type (`SETOF app.jobs`)
 * needs that table. Any other body is checked only when it runs (renderers
 * create it with body checks off), so it comes with the types: column defaults
 * and checks may call it.
 */
function routineNeedsTables(c: Change, tableNames: readonly string[]): boolean {
  const r = c.kind === 'createRoutine' ? c.routine : c.kind === 'replaceRoutine' ? c.after : undefined;
  if (!r) return false;
  if (isSqlStandardBody(r.definition)) return true;
  const signature = `${r.arguments} ${r.returns ?? ''}`;
  return tableNames.some((n) => new RegExp(`(^|[^A-Za-z0-9_$])"?${escapeRe(n)}"?($|[^A-Za-z0-9_$])`).test(signature));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Views that mention another created view come after it (a topological sort over names in the SQL). */
function sortViews(items: Change[]): Change[] {
  const viewOf = (c: Change) => (c.kind === 'createView' || c.kind === 'createMaterializedView' ? c.view : c.kind === 'replaceView' ? c.after : undefined);
  const views = items.filter((c) => viewOf(c));
  if (views.length < 2) return items;
  const deps = new Map<Change, Change[]>();
  for (const v of views) {
    const def = viewOf(v)!.definition;
    deps.set(v, views.filter((o) => o !== v && new RegExp(`(^|[^A-Za-z0-9_$])"?${escapeRe(viewOf(o)!.name)}"?($|[^A-Za-z0-9_$])`).test(def)));
  }
  const out: Change[] = [];
  const state = new Map<Change, number>();
  const visit = (v: Change) => {
    if (state.get(v) === 2 || state.get(v) === 1) return; // a cycle cannot exist between views; stop rather than loop
    state.set(v, 1);
    for (const dep of deps.get(v) ?? []) visit(dep);
    state.set(v, 2);
    out.push(v);
  };
  for (const v of views) visit(v);
  let i = 0;
  return items.map((c) => (viewOf(c) ? out[i++]! : c));
}

/** Tables referencing another dropped table, and partitions of a dropped table, are dropped before it. */
function sortTableDrops(items: Change[]): Change[] {
  const drops = items.filter((c): c is Extract<Change, { kind: 'dropTable' }> => c.kind === 'dropTable');
  if (drops.length < 2) return items;
  const key = (s: string, n: string) => `${s}.${n}`;
  const byKey = new Map(drops.map((c) => [key(c.table.schema, c.table.name), c]));
  const out: Change[] = [];
  const seen = new Set<Change>();
  // Visit referencing tables first: a table is emitted after every dropped table that references it.
  const referencedBy = new Map<Change, Change[]>();
  for (const c of drops) {
    for (const fk of c.table.foreignKeys) {
      const parent = byKey.get(key(fk.references.schema, fk.references.table));
      if (parent && parent !== c) referencedBy.set(parent, [...(referencedBy.get(parent) ?? []), c]);
    }
    // The parent's DROP takes its partitions along: theirs must run first.
    const parent = c.table.partitionOf ? byKey.get(c.table.partitionOf) : undefined;
    if (parent) referencedBy.set(parent, [...(referencedBy.get(parent) ?? []), c]);
  }
  const visit = (c: Change) => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const child of referencedBy.get(c) ?? []) visit(child);
    out.push(c);
  };
  for (const c of drops) visit(c);
  let i = 0;
  return items.map((c) => (c.kind === 'dropTable' ? out[i++]! : c));
}

function hazardsOf(c: Change, ctx: { from: Catalog; isLarge: (t: TableRef) => boolean; isNew: (t: TableRef) => boolean; concurrentFor: (t: TableRef) => boolean }, rendered: RenderedChange): Hazard[] {
  const h: Hazard[] = [];
  const t = tableOf(c);
  const existing = t ? !ctx.isNew(t) : false;
  switch (c.kind) {
    case 'dropTable':
      h.push(hazard('PH101', c.path));
      break;
    case 'dropColumn':
      h.push(hazard('PH102', c.path));
      break;
    case 'dropSchema':
    case 'dropExtension':
      h.push(hazard('PH103', c.path));
      break;
    case 'dropSequence':
      h.push(hazard('PH106', c.path));
      break;
    case 'alterExtension':
      h.push(hazard('EX101', `${c.before.version} → ${c.extension.version}`));
      break;
    case 'replaceEnum':
      h.push(hazard('LK101', 'columns are converted to the new type'));
      if (c.before.labels.some((l) => !c.after.labels.includes(l))) h.push(hazard('MF108', c.path));
      break;
    case 'alterColumnType':
      if (existing) {
        h.push(hazard('LK101', 'the table may be rewritten'));
        h.push(hazard(c.after.type.kind === 'json' || c.after.type.kind === 'jsonb' ? 'MF107' : 'MF105', `${c.before.type.raw} → ${c.after.type.raw}`));
      }
      break;
    case 'alterTableOptions':
      h.push(hazard('LK103', c.path));
      if (conversionMayLoseText(c)) h.push(hazard('MF109', `${c.before.charset ?? c.before.collation} → ${c.after.charset ?? c.after.collation}`));
      break;
    case 'alterColumnNullability':
      if (!c.after.nullable && existing) h.push(hazard('MF101', c.path));
      break;
    case 'addColumn':
      if (existing && !c.column.nullable && c.column.default === null && !c.column.identity && !c.column.generated) h.push(hazard('MF106', c.path));
      break;
    case 'addUnique':
    case 'addPrimaryKey':
      if (existing) {
        h.push(hazard('MF102', c.path));
        if (ctx.isLarge(c.table)) h.push(hazard('LK102', 'the unique index builds under a write lock'));
      }
      break;
    case 'addForeignKey':
      if (existing) h.push(hazard('MF103', c.path));
      break;
    case 'addCheck':
      if (existing) h.push(hazard(/json/i.test(c.check.expression) ? 'MF107' : 'MF104', c.path));
      break;
    case 'createIndex':
      if (existing && !ctx.concurrentFor(c.table)) h.push(hazard('IX101', c.path));
      break;
    case 'dropIndex':
      h.push(hazard('IX102', c.path));
      break;
    case 'renameTable':
      h.push(hazard('BC101', `${c.from.schema}.${c.from.name} → ${c.to.schema}.${c.to.name}`));
      break;
    case 'renameColumn':
      h.push(hazard('BC102', `${c.from} → ${c.to}`));
      break;
    case 'grant':
    case 'revoke':
    case 'createPolicy':
    case 'dropPolicy':
    case 'alterPolicy':
    case 'enableRls':
    case 'disableRls':
    case 'forceRls':
      h.push(hazard('AZ101', c.path));
      break;
    default:
      break;
  }
  if (rendered.lossy && !h.some((x) => x.code.startsWith('PH'))) h.push(hazard('PH109', c.path));
  return h;
}

/** What a data-losing step would need copied aside for its rollback to give the data back. */
function backupOf(c: Change, from: Catalog): Pick<PlanStep, 'backup'> {
  if (c.kind === 'dropTable') return { backup: { table: { schema: c.table.schema, name: c.table.name }, key: c.table.primaryKey?.columns ?? [] } };
  if (c.kind === 'dropColumn') {
    const key = findTable(from, c.table.schema, c.table.name)?.primaryKey?.columns ?? [];
    // Values can be put back only where a key finds their row again.
    return key.length ? { backup: { table: { ...c.table }, column: c.column.name, key } } : {};
  }
  return {};
}

function summaryOf(c: Change): string {
  const words = c.kind.replace(/([A-Z])/g, ' $1').toLowerCase();
  return `${words} ${c.path}`;
}

/**
 * Postgres refuses to change the type of (or drop) a column a view reads. Views
 * in `from` that read a column such a change touches — and views built on those
 * views — are dropped before the change and recreated from the target after it
 * (a view holds no data, so nothing is lost). The diff cannot see this
 * dependency; the planner must.
 */
export function detachDependentViews(changes: Change[], from: Catalog, to: Catalog): Change[] {
  const word = (name: string) => new RegExp(`(^|[^A-Za-z0-9_$])"?${escapeRe(name)}"?($|[^A-Za-z0-9_$])`);
  const touched: { schema: string; table: string; column: string }[] = [];
  for (const c of changes) {
    if (c.kind === 'alterColumnType') touched.push({ schema: c.table.schema, table: c.table.name, column: c.before.name });
    else if (c.kind === 'dropColumn') touched.push({ schema: c.table.schema, table: c.table.name, column: c.column.name });
    else if (c.kind === 'replaceEnum') for (const u of c.columns) touched.push({ schema: u.table.schema, table: u.table.name, column: u.column });
  }
  if (!touched.length) return changes;
  const views = from.schemas.flatMap((s) => s.views);
  const hit = new Set<View>();
  for (const v of views) if (touched.some((t) => word(t.table).test(v.definition) && word(t.column).test(v.definition))) hit.add(v);
  // Views reading a detached view are detached too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of views) if (!hit.has(v) && [...hit].some((h) => word(h.name).test(v.definition))) (hit.add(v), (grew = true));
  }
  if (!hit.size) return changes;
  const out = [...changes];
  const dropped = new Set(changes.filter((c) => c.kind === 'dropView' || c.kind === 'dropMaterializedView').map((c) => c.path));
  for (const v of hit) {
    const target = to.schemas.find((s) => s.name === v.schema)?.views.find((x) => x.name === v.name);
    const i = out.findIndex((c) => (c.kind === 'replaceView' && c.path === v.path) || ((c.kind === 'createView' || c.kind === 'createMaterializedView') && c.path === v.path));
    if (i >= 0) out.splice(i, 1);
    if (!dropped.has(v.path)) out.push(v.materialized ? { kind: 'dropMaterializedView', path: v.path, view: v } : { kind: 'dropView', path: v.path, view: v });
    if (target) out.push(target.materialized ? { kind: 'createMaterializedView', path: target.path, view: target } : { kind: 'createView', path: target.path, view: target });
  }
  return out;
}

export function buildPlan(input: BuildPlanInput): Plan {
  const { dialect: d, from, to } = input;
  // Steps are rendered in execution order below, which a stateful plan renderer (SQLite's rebuilds) relies on.
  const render = input.render ?? planRenderer(d.name, from) ?? (d.render ? d.render.bind(d) : undefined);
  if (!render) throw new PlumbError('E_DIALECT_UNAVAILABLE', `the ${d.name} dialect cannot render changes to SQL yet`, 'plan against Postgres or PGlite');
  const o = input.options ?? {};
  const online = !!o.online && !!d.onlineColumn;
  const concurrently = (!!o.concurrently || online) && d.capabilities.concurrentIndex;
  const largeTableRows = o.largeTableRows ?? DEFAULT_LARGE_TABLE_ROWS;
  const lockTimeoutMs = o.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const created = new Set(input.changes.filter((c) => c.kind === 'createTable').map((c) => `${(c as Extract<Change, { kind: 'createTable' }>).table.schema}.${(c as Extract<Change, { kind: 'createTable' }>).table.name}`));
  const renamedTo = new Map<string, string>();
  for (const c of input.changes) if (c.kind === 'renameTable') renamedTo.set(`${c.to.schema}.${c.to.name}`, `${c.from.schema}.${c.from.name}`);
  const liveTable = (t: TableRef) => {
    const k = renamedTo.get(`${t.schema}.${t.name}`);
    if (k) {
      const [s, n] = [k.slice(0, k.indexOf('.')), k.slice(k.indexOf('.') + 1)];
      return findTable(from, s, n);
    }
    return findTable(from, t.schema, t.name);
  };
  const isNew = (t: TableRef) => created.has(`${t.schema}.${t.name}`) || !liveTable(t);
  const isLarge = (t: TableRef) => !isNew(t) && (liveTable(t)?.rowEstimate ?? 0) >= largeTableRows;
  // Index builds and drops on an existing table go CONCURRENTLY (outside a transaction) when it is large, or
  // on every existing table with --concurrently: a plain build blocks writes for as long as it reads the table.
  // Postgres builds or drops no index CONCURRENTLY on a partitioned table, and the parent's index must find its
  // partitions' own indexes already there to attach them: a partition's indexes are built with its parent's, plainly.
  // (Not yet: each partition's index CONCURRENTLY, then CREATE INDEX ON ONLY the parent and ATTACH PARTITION.)
  const partitioned = (t: TableRef) => [from, to].some((c) => { const k = c.schemas.find((s) => s.name === t.schema)?.tables.find((x) => x.name === t.name)?.kind; return k === 'partitioned' || k === 'partition'; });
  const concurrentFor = (t: TableRef) => d.capabilities.concurrentIndex && !isNew(t) && !partitioned(t) && (concurrently || isLarge(t));
  const isViewTarget = (t: TableRef) => !!to.schemas.find((s) => s.name === t.schema)?.views.some((v) => v.name === t.name);
  const isPartition = (t: TableRef) => to.schemas.find((s) => s.name === t.schema)?.tables.find((x) => x.name === t.name)?.kind === 'partition';
  const pcx: PreCheckContext = { d, from, to, liveTable };
  const tableNames = [...new Set(to.schemas.flatMap((s) => s.tables.map((t) => t.name)))];

  // Bucket changes by phase; some kinds move depending on what they touch.
  const buckets: Change[][] = PHASES.map(() => []);
  const extraValidate: Change[] = [];
  const notValidFor = new Set<Change>();
  // NOT NULL changes set through a validated check of this name, and the remediation key of that check's validation.
  const notNullThrough = new Map<Change, string>();
  const remediationOf = new Map<Change, string>();
  // The constraint each validation validates: the rows that would fail it are counted (and remediated) right
  // before the validation, not when it is added NOT VALID, where the count would read the whole table while
  // the transaction holds the locks of the steps before it.
  const validates = new Map<Change, Change>();
  // UNIQUE / PRIMARY KEY changes attached to an index built concurrently, and that index's change.
  const attachedIndex = new Map<Change, Change>();
  const addedFks = input.changes.filter((c): c is Extract<Change, { kind: 'addForeignKey' }> => c.kind === 'addForeignKey');
  const referencedByAddedFk = (c: Extract<Change, { kind: 'addUnique' | 'addPrimaryKey' }>) => {
    const cols = c.kind === 'addUnique' ? c.unique.columns : c.primaryKey.columns;
    return addedFks.some((f) => f.foreignKey.references.schema === c.table.schema && f.foreignKey.references.table === c.table.name && f.foreignKey.references.columns.join() === cols.join());
  };
  // A new column with a volatile default on a large table: added bare (catalog only), its default set for new
  // rows, the existing rows backfilled in batches, NOT NULL through a validated check. The target is the same.
  const batched = backfillSupport(d.name);
  const batchSize = Math.max(1, o.batchSize ?? DEFAULT_BATCH_SIZE);
  const backfills: { path: string; backfill: Backfill }[] = [];
  // Type changes that would rewrite a large table, done expand / contract with --online (or why they cannot be).
  const onlineColumns: { change: ChangeOf<'alterColumnType'>; online: OnlineColumnChange }[] = [];
  const notOnline = new Map<Change, string>();
  const changes: Change[] = [];
  for (const c of detachDependentViews(input.changes, from, to)) {
    if (c.kind === 'alterColumnType' && online && isLarge(c.table) && d.lockImpact?.(c, {}).work === 'rewrite') {
      const live = liveTable(c.table)!;
      const oc = d.onlineColumn!(c, live, findTable(to, c.table.schema, c.table.name)!, from, to);
      if ('refused' in oc) {
        notOnline.set(c, oc.refused);
        changes.push(c);
        continue;
      }
      onlineColumns.push({ change: c, online: oc });
      backfills.push({ path: c.path, backfill: { table: { schema: c.table.schema, name: c.table.name }, key: live.primaryKey!.columns, column: oc.backfill.column, expression: oc.backfill.expression, onlyWhere: oc.backfill.onlyWhere, batchSize } });
      // NOT NULL of the new column: a check added NOT VALID and validated (the table is large) before the swap.
      if (oc.notNull) {
        const path = `${c.table.schema}.${c.table.name}.${oc.notNull.name}`;
        changes.push({ kind: 'addCheck', path, table: c.table, check: { name: oc.notNull.name, path, expression: oc.notNull.expression, columns: [oc.notNull.column], validated: true } });
      }
      for (const { index } of oc.indexes) changes.push({ kind: 'createIndex', path: index.path, table: c.table, index });
      continue;
    }
    const key = c.kind === 'addColumn' ? liveTable(c.table)?.primaryKey?.columns : undefined;
    if (c.kind === 'addColumn' && batched && key?.length && isLarge(c.table) && c.column.default !== null && !c.column.identity && c.column.generated === null && d.lockImpact?.(c, {}).work === 'rewrite') {
      const bare = { ...c.column, default: null, nullable: true };
      const withDefault = { ...c.column, nullable: true };
      changes.push({ ...c, column: bare }, { kind: 'alterColumnDefault', path: c.path, table: c.table, before: bare, after: withDefault });
      if (!c.column.nullable) changes.push({ kind: 'alterColumnNullability', path: c.path, table: c.table, before: withDefault, after: c.column });
      backfills.push({ path: c.path, backfill: { table: { schema: c.table.schema, name: c.table.name }, key, column: c.column.name, expression: c.column.default, batchSize } });
    } else changes.push(c);
  }
  // NOT NULL of a column changing type online is the new column's, set at the swap: not the old one's before it.
  const onlinePaths = new Set(onlineColumns.map((x) => x.change.path));
  for (let i = changes.length - 1; i >= 0; i--) if (changes[i]!.kind === 'alterColumnNullability' && onlinePaths.has(changes[i]!.path)) changes.splice(i, 1);
  // Relation names (tables, indexes) this plan creates: a dropped table that holds one of them must go
  // before it is created again, not in the final drops phase (Postgres index names are per schema).
  const createdRelations = new Set<string>();
  for (const c of changes) {
    // A renamed index takes its new name as a created one would.
    if (c.kind === 'createIndex' || c.kind === 'renameIndex') createdRelations.add(`${c.table.schema}.${c.index.name}`);
    if (c.kind === 'addUnique') createdRelations.add(`${c.table.schema}.${c.unique.name}`);
    if (c.kind === 'addPrimaryKey') createdRelations.add(`${c.table.schema}.${c.primaryKey.name}`);
    if (c.kind === 'createTable') {
      for (const n of [c.table.name, ...c.table.uniques.map((u) => u.name), ...(c.table.primaryKey ? [c.table.primaryKey.name] : [])]) createdRelations.add(`${c.table.schema}.${n}`);
    }
  }
  // An index whose leading columns are a foreign key this plan adds is built before the key, on every engine:
  // MySQL/MariaDB would otherwise create an index of its own for the key, move the key onto the new index,
  // and then refuse to drop that index on rollback while the key still exists.
  const addedFkColumns = new Map<string, string[][]>();
  for (const c of changes) if (c.kind === 'addForeignKey') addedFkColumns.set(`${c.table.schema}.${c.table.name}`, [...(addedFkColumns.get(`${c.table.schema}.${c.table.name}`) ?? []), c.foreignKey.columns]);
  // A unique index a new foreign key references (a key, not a constraint, as Rails' schemas often have) must exist before the key.
  const referencedKeys = new Map<string, string[][]>();
  for (const c of changes) if (c.kind === 'addForeignKey') referencedKeys.set(`${c.foreignKey.references.schema}.${c.foreignKey.references.table}`, [...(referencedKeys.get(`${c.foreignKey.references.schema}.${c.foreignKey.references.table}`) ?? []), c.foreignKey.references.columns]);
  const isReferencedKey = (c: Change) =>
    c.kind === 'createIndex' && c.index.unique && !c.index.predicate && c.index.elements.every((e) => e.column !== undefined) &&
    !!referencedKeys.get(`${c.table.schema}.${c.table.name}`)?.some((cols) => cols.length === c.index.elements.length && cols.every((col) => c.index.elements.some((e) => e.column === col)));
  const servesAddedFk = (c: Change) => isReferencedKey(c) || (c.kind === 'createIndex' && !!addedFkColumns.get(`${c.table.schema}.${c.table.name}`)?.some((cols) => cols.every((col, i) => c.index.elements[i]?.column === col)));
  const indexesBeforeFks = new Set<Change>();
  // An index a live foreign key lacks is built before anything rebuilds its table: MariaDB refuses to rebuild one
  // (CONVERT TO, MODIFY) while a foreign key of it has no index (errno 150), which seed 000's database had.
  const leads = (cols: readonly string[], lead: readonly (string | null | undefined)[]) => cols.every((col, i) => lead[i] === col);
  const servesUnindexedFk = (c: Change) => {
    if (c.kind !== 'createIndex' || isNew(c.table)) return false;
    const live = liveTable(c.table)!;
    const indexed = [...live.indexes.map((i) => i.elements.map((e) => e.column)), ...live.uniques.map((u) => u.columns), ...(live.primaryKey ? [live.primaryKey.columns] : [])];
    return live.foreignKeys.some((fk) => leads(fk.columns, c.index.elements.map((e) => e.column)) && !indexed.some((cols) => leads(fk.columns, cols)));
  };
  const indexesForLiveFks = new Set<Change>();
  // An index of a live table (large, or any with --concurrently) is dropped without its table's exclusive lock, before the
  // concurrent builds (one may take its name) — unless a transactional step creates a relation of that name.
  const concurrentDrops = new Set<Change>();
  const droppedConcurrently = (c: Change) =>
    c.kind === 'dropIndex' && concurrentFor(c.table) &&
    (!createdRelations.has(`${c.table.schema}.${c.index.name}`) || changes.some((x) => x.kind === 'createIndex' && x.index.name === c.index.name && x.table.schema === c.table.schema && x.table.name === c.table.name));
  const clashesOnCreate = new Set<Change>();
  for (const c of changes) {
    if (c.kind !== 'dropTable') continue;
    const names = [c.table.name, ...c.table.indexes.map((i) => i.name), ...c.table.uniques.map((u) => u.name), ...(c.table.primaryKey ? [c.table.primaryKey.name] : [])];
    if (names.some((n) => createdRelations.has(`${c.table.schema}.${n}`))) clashesOnCreate.add(c);
  }
  for (const c of changes) {
    const ph = phaseOfKind.get(c.kind);
    if (!ph) throw new PlumbError('E_INTERNAL', `the planner has no phase for change kind ${c.kind}`);
    let phase = ph.phase;
    if (routineNeedsTables(c, tableNames)) phase = phaseIndex('dependents');
    if (c.kind === 'createIndex' && isViewTarget(c.table)) phase = phaseIndex('dependents');
    else if (c.kind === 'createIndex' && concurrentFor(c.table)) phase = phaseIndex('indexes-concurrent');
    else if (droppedConcurrently(c)) {
      phase = phaseIndex('indexes-concurrent');
      concurrentDrops.add(c);
    }
    else if (servesAddedFk(c)) {
      phase = phaseIndex('constraints');
      indexesBeforeFks.add(c);
    } else if (servesUnindexedFk(c)) {
      phase = phaseIndex('columns');
      indexesForLiveFks.add(c);
    }
    if (c.kind === 'alterColumnNullability' && !c.after.nullable) phase = phaseIndex('constraints');
    // NOT NULL on a large table: a NOT VALID check added with the constraints, validated in a transaction of its
    // own, lets SET NOT NULL (in the validate phase, after it) skip its full-table scan under an exclusive lock.
    if (c.kind === 'alterColumnNullability' && !c.after.nullable && isLarge(c.table) && d.capabilities.notValidConstraints && d.capabilities.checkConstraints) {
      const name = `${c.after.name}_not_null_plumb`.slice(0, 63);
      const path = `${c.table.schema}.${c.table.name}.${name}`;
      const add: Change = { kind: 'addCheck', path, table: c.table, check: { name, path, expression: `${d.quoteIdent(c.after.name)} IS NOT NULL`, columns: [c.after.name], validated: true } };
      buckets[phaseIndex('constraints')]!.push(add);
      notValidFor.add(add);
      const validate: Change = { kind: 'validateConstraint', path, table: c.table, constraint: name, constraintKind: 'check' };
      extraValidate.push(validate);
      validates.set(validate, add);
      remediationOf.set(validate, c.path);
      notNullThrough.set(c, name);
      phase = phaseIndex('validate');
    }
    if (clashesOnCreate.has(c)) phase = phaseIndex('tables');
    // UNIQUE / PRIMARY KEY on a large table: its index is built concurrently (no write lock),
    // then attached with USING INDEX (a moment's exclusive lock) after it. Not when a foreign key this plan adds
    // references it: keys are added before the concurrent build.
    if ((c.kind === 'addUnique' || c.kind === 'addPrimaryKey') && isLarge(c.table) && concurrentFor(c.table) && !referencedByAddedFk(c)) {
      const k = c.kind === 'addUnique' ? c.unique : c.primaryKey;
      const index: Change = {
        kind: 'createIndex',
        path: `${c.table.schema}.${c.table.name}.${k.name}`,
        table: c.table,
        index: { name: k.name, path: `${c.table.schema}.${c.table.name}.${k.name}`, elements: k.columns.map((column) => ({ column })), unique: true, primary: false, method: 'btree', predicate: null, include: [], valid: true, constraint: null, ...(c.kind === 'addUnique' && c.unique.nullsNotDistinct ? { nullsNotDistinct: true } : {}) },
      };
      buckets[phaseIndex('indexes-concurrent')]!.push(index);
      attachedIndex.set(c, index);
      phase = phaseIndex('dependents');
    }
    if ((c.kind === 'addForeignKey' || c.kind === 'addCheck') && d.capabilities.notValidConstraints && isLarge(c.table)) {
      const validated = c.kind === 'addForeignKey' ? c.foreignKey.validated : c.check.validated;
      if (validated) {
        notValidFor.add(c);
        const name = c.kind === 'addForeignKey' ? c.foreignKey.name : c.check.name;
        const validate: Change = { kind: 'validateConstraint', path: c.path, table: c.table, constraint: name, constraintKind: c.kind === 'addForeignKey' ? 'foreignKey' : 'check' };
        extraValidate.push(validate);
        validates.set(validate, c);
      }
    }
    buckets[phase]!.push(c);
  }
  buckets[phaseIndex('validate')]!.push(...extraValidate);

  const baseRank = (c: Change): number => {
    // Right after the foreign keys that pointed at it are gone, right before tables are created.
    if (clashesOnCreate.has(c)) return phaseOfKind.get('createTable')!.rank - 0.5;
    if (c.kind === 'createIndex' && isViewTarget(c.table)) return phaseOfKind.get('createMaterializedView')!.rank + 0.5;
    if (routineNeedsTables(c, tableNames)) return -1;
    if (indexesBeforeFks.has(c)) return PHASES[phaseIndex('constraints')]!.kinds.length;
    if (indexesForLiveFks.has(c)) return -1;
    if (attachedIndex.has(c)) return -2;
    if (concurrentDrops.has(c)) return -3;
    return phaseOfKind.get(c.kind)!.rank;
  };
  // A partition's own index (foreign key) comes before its parent's: the parent's CREATE INDEX (ADD FOREIGN KEY)
  // then attaches it instead of cloning one that would clash with it.
  const rankOf = (c: Change): number => baseRank(c) - ((c.kind === 'createIndex' || c.kind === 'addForeignKey') && isPartition(c.table) ? 0.25 : 0);
  const phases: PlanPhase[] = [];
  const stepIdOf = new Map<Change, string>();
  const onlineStep = ({ change: c, online: oc }: (typeof onlineColumns)[number], part: 'expand' | 'swap' | 'contract', id: string): PlanStep => {
    const live = liveTable(c.table)!;
    const sql = oc[part];
    const what = `${c.before.type.raw} → ${c.after.type.raw}`;
    const summary = {
      expand: `add ${oc.names.added} (${c.after.type.raw}) beside ${c.path}, kept in step by trigger ${oc.names.sync}`,
      swap: `swap ${oc.names.added} in as ${c.path} (${what}); the old column stays as ${oc.names.old}`,
      contract: `drop ${oc.names.old}, the column ${c.path} was before its type changed`,
    }[part];
    const hazards = part === 'contract' ? [hazard('OC102', `${c.table.schema}.${c.table.name}.${oc.names.old}`)] : [hazard('OC101', what)];
    // Values that would not cast fail the trigger (and so the application's writes): they are counted first.
    const preChecks = part === 'expand' ? preChecksFor(pcx, c, id, created) : [];
    if (part === 'expand' && preChecks.length) hazards.push(hazard('MF105', what));
    return {
      id,
      kind: `${part}Column`,
      path: c.path,
      phase: part === 'expand' ? 'columns' : part === 'swap' ? 'dependents' : 'contract',
      summary,
      safety: safetyOf(hazards, preChecks.length ? 'data-dependent' : 'safe'),
      hazards,
      forward: sql.forward.map((s) => ({ sql: s })),
      rollback: sql.rollback.map((s) => ({ sql: s })),
      preChecks,
      remediation: o.remediate?.[id] ?? o.remediate?.[c.path] ?? 'abort',
      transactional: true,
      impact: stepImpact(oc.impact, live),
    };
  };
  PHASES.forEach((def, pi) => {
    // New columns of one table in the target's order, not their names' (one is placed AFTER the one before it).
    const ordinal = (c: Change) => (c.kind === 'addColumn' ? `${c.table.schema}.${c.table.name}\u0000${String(c.column.ordinal).padStart(6, '0')}` : c.path);
    let items = [...buckets[pi]!].sort((a, b) => rankOf(a) - rankOf(b) || (ordinal(a) < ordinal(b) ? -1 : ordinal(a) > ordinal(b) ? 1 : 0));
    items = sortTableDrops(sortViews(items));
    const nonTx = def.name === 'indexes-concurrent';
    const steps: PlanStep[] = [];
    if (def.name === 'backfill') {
      backfills.forEach(({ path, backfill: b }, si) => {
        const live = liveTable(b.table)!;
        steps.push({
          id: `${phases.length + 1}.${si + 1}`,
          kind: 'backfillColumn',
          path,
          phase: def.name,
          summary: `backfill ${path} in batches of ${b.batchSize}`,
          safety: 'safe',
          hazards: [],
          forward: [{ sql: batched!.scriptSql(b), backfill: b }],
          // The column is dropped by the rollback of the step that added it.
          rollback: [],
          preChecks: [],
          remediation: 'abort',
          transactional: false,
          impact: stepImpact({ lock: batched!.lock, blocks: 'nothing', work: 'backfill' }, live),
        });
      });
    }
    // Online type changes: the new column and its sync trigger with the other column changes.
    if (def.name === 'columns') for (const oc of onlineColumns) steps.push(onlineStep(oc, 'expand', `${phases.length + 1}.${steps.length + 1}`));
    // The swap, first among the dependents: after the backfill, the validated NOT NULL check and the concurrent indexes.
    if (def.name === 'dependents') for (const oc of onlineColumns) steps.push(onlineStep(oc, 'swap', `${phases.length + 1}.${steps.length + 1}`));
    if (def.name === 'contract') for (const oc of onlineColumns) steps.push(onlineStep(oc, 'contract', `${phases.length + 1}.${steps.length + 1}`));
    items.forEach((c) => {
      const id = `${phases.length + 1}.${steps.length + 1}`;
      const ro: RenderOptions = {};
      if (notValidFor.has(c)) ro.notValid = true;
      if (nonTx) ro.concurrently = true;
      const rendered = render(c, ro);
      const through = notNullThrough.get(c);
      // Through a validated check, the rows are known to hold no NULL: the check's own step counted them.
      const validated = validates.get(c);
      // The duplicates a unique key would reject are counted before its index is built, not when it is attached.
      const keyOfIndex = [...attachedIndex].find(([, ix]) => ix === c)?.[0];
      const preChecks: PreCheck[] = through || notValidFor.has(c) || attachedIndex.has(c) ? [] : preChecksFor(pcx, validated ?? keyOfIndex ?? c, id, created);
      // A change another step's statement already makes (MySQL's CREATE TABLE with all its keys) leaves nothing
      // to run, undo or check: it is no step.
      if (!rendered.forward.length && !rendered.rollback.length && !preChecks.length) return;
      stepIdOf.set(c, id);
      let forward = rendered.forward.map((sql) => ({ sql }));
      let rollback = rendered.rollback.map((sql) => ({ sql }));
      if (through && c.kind === 'alterColumnNullability') {
        const tq = d.quoteQualified(c.table.schema, c.table.name);
        const cn = d.quoteIdent(through);
        forward = [...forward, { sql: `ALTER TABLE ${tq} DROP CONSTRAINT ${cn}` }];
        // Puts the check back as the step before left it, so that step's own rollback finds it.
        rollback = [...rollback, { sql: `ALTER TABLE ${tq} ADD CONSTRAINT ${cn} CHECK (${d.quoteIdent(c.after.name)} IS NOT NULL) NOT VALID` }];
      }
      const t = tableOf(c);
      const live = t && !isNew(t) ? liveTable(t) : undefined;
      const lock = live && d.lockImpact?.(c, ro);
      // SET NOT NULL through a validated check reads no rows; a key attached to a built index builds nothing.
      const impact = lock && live ? stepImpact(through || attachedIndex.has(c) ? { ...lock, work: 'metadata' } : lock, live) : undefined;
      // The engine is asked for the online form in the statement itself, so it refuses instead of silently locking.
      if (lock && d.onlineDdl) forward = forward.map((s) => ({ ...s, ...d.onlineDdl!(s.sql, lock) }));
      if (attachedIndex.has(c) && (c.kind === 'addUnique' || c.kind === 'addPrimaryKey')) {
        const k = c.kind === 'addUnique' ? c.unique : c.primaryKey;
        const defer = c.kind === 'addUnique' && c.unique.deferrable ? (c.unique.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE') : '';
        forward = [{ sql: `ALTER TABLE ${d.quoteQualified(c.table.schema, c.table.name)} ADD CONSTRAINT ${d.quoteIdent(k.name)} ${c.kind === 'addUnique' ? 'UNIQUE' : 'PRIMARY KEY'} USING INDEX ${d.quoteIdent(k.name)}${defer}` }];
      }
      if (keyOfIndex && c.kind === 'createIndex') {
        // Rolled back after the key, whose DROP CONSTRAINT already took the index with it.
        rollback = [{ sql: `DROP INDEX CONCURRENTLY IF EXISTS ${d.quoteQualified(c.table.schema, c.index.name)}` }];
      }
      if (nonTx && c.kind === 'createIndex') {
        const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${d.quoteQualified(c.table.schema, c.index.name)}`;
        forward = forward.map((s) => ({ ...s, onRetry: [drop] }));
      }
      const hazards = hazardsOf(c, { from, isLarge, isNew, concurrentFor }, rendered);
      if (notOnline.has(c)) hazards.push(hazard('OC103', notOnline.get(c)));
      if (notValidFor.has(c)) hazards.push({ code: 'LK102', message: 'added NOT VALID; validated in the validate phase without blocking writes' });
      const base = preChecks.length ? 'data-dependent' : 'safe';
      steps.push({
        id,
        kind: c.kind,
        path: c.path,
        phase: def.name,
        summary: summaryOf(c),
        safety: safetyOf(hazards.filter((x) => !(notValidFor.has(c) && x.code === 'LK102')), base),
        hazards,
        forward,
        rollback,
        preChecks,
        remediation: o.remediate?.[id] ?? o.remediate?.[c.path] ?? o.remediate?.[remediationOf.get(c) ?? ''] ?? 'abort',
        transactional: !nonTx && !rendered.nonTransactional,
        ...(impact ? { impact } : {}),
        ...(validated && stepIdOf.has(validated) ? { validates: stepIdOf.get(validated)! } : {}),
        ...backupOf(c, from),
      });
    });
    if (steps.length) {
      // A new enum label cannot be used in the transaction that adds it: commit after this phase.
      const commitAfter = steps.some((s) => s.kind === 'addEnumValue');
      const stepTransactions = def.name === 'validate';
      const deferred = def.name === 'contract';
      phases.push({ name: def.name, title: def.title, explanation: def.explanation, transactional: steps.every((s) => s.transactional), ...(commitAfter ? { commitAfter } : {}), ...(stepTransactions ? { stepTransactions } : {}), ...(deferred ? { deferred } : {}), steps });
    }
  });
  const body: PlanBody = {
    formatVersion: PLAN_FORMAT_VERSION,
    dialect: d.name,
    catalogChecksum: input.checksums?.from ?? catalogChecksum(from),
    targetChecksum: input.checksums?.to ?? catalogChecksum(to),
    specChecksum: input.specChecksum ?? null,
    options: { concurrently, largeTableRows, lockTimeoutMs, schemas: [...(o.schemas ?? [])].sort(), ...(online ? { online } : {}) },
    allow: [...new Set(o.allow ?? [])].sort(),
    phases,
  };
  return { ...body, checksum: planChecksum(body), plumbVersion: input.plumbVersion ?? '0.0.0', createdAt: input.createdAt ?? new Date(0).toISOString() };
}

/** Every step id and path, for validating --remediate and --allow arguments. */
export function stepIndex(plan: Plan): Map<string, PlanStep> {
  const m = new Map<string, PlanStep>();
  for (const p of plan.phases) for (const s of p.steps) {
    m.set(s.id, s);
    if (!m.has(s.path)) m.set(s.path, s);
  }
  return m;
}
