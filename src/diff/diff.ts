// Catalog × Catalog → Change[]: every difference between what a database is
// (`from`) and what it should be (`to`), as typed changes in a deterministic,
// apply-friendly order. Renames happen only when hinted, never guessed. A type
// change is always an in-place ALTER, never a drop and re-create. Pure.
import type {
  Catalog,
  CheckConstraint,
  Collation,
  Column,
  RewriteRule,
  Enum,
  ExclusionConstraint,
  ForeignKey,
  Grant,
  Index,
  Policy,
  Routine,
  Schema,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  View,
} from '../catalog/types.js';
import { objectPath, splitPath } from '../catalog/paths.js';
import type { Change, ChangeKind, EnumUsage, ObjectRef, TableRef, TableStorage } from './changes.js';
import { normExpr, normViewSql, mentionsIdentifier, renameIdentifiers, typeKey } from './normalize-sql.js';

export interface RenameHints {
  tables: { from: TableRef; to: TableRef }[];
  /** `table` is the table's name in the target. */
  columns: { table: TableRef; from: string; to: string }[];
  enums: { from: TableRef; to: TableRef }[];
  views: { from: TableRef; to: TableRef }[];
  /** `enum` is the enum's name in the target. */
  enumLabels: { enum: TableRef; from: string; to: string }[];
}

export interface DiffOptions {
  /** Declared renames (spec `renamedFrom`); applied only when the old name exists and the new one does not. */
  renames?: Partial<RenameHints>;
  /** Compare grants (default true). Specs that declare none set this false. */
  grants?: boolean;
  /** Compare comments (default true). */
  comments?: boolean;
  /** Compare RLS flags and policies (default true). */
  rls?: boolean;
  /**
   * Match constraints and indexes by name only (default false: an object whose
   * name differs but whose definition is identical counts as unchanged).
   */
  exactNames?: boolean;
  /** Compare extensions (default true). */
  extensions?: boolean;
  /** USING expressions for type changes, by target column path (spec `using`). */
  columnUsing?: Record<string, string>;
}

// The order changes are emitted in: drops of dependants first, then creation
// from the bottom up, then what hangs off finished tables. Within a stage: by path.
const STAGES: ChangeKind[][] = [
  ['dropTrigger', 'dropPolicy', 'dropRule', 'revoke'],
  ['dropView', 'dropMaterializedView'],
  ['dropForeignKey'],
  ['dropIndex', 'dropCheck', 'dropUnique', 'dropExclusion', 'dropPrimaryKey'],
  // Tables go before anything is created: their index and constraint names become free for new objects.
  ['dropTable'],
  ['createExtension', 'alterExtension', 'createSchema'],
  ['renameTable', 'renameView', 'renameEnum'],
  ['renameColumn', 'renameEnumValue', 'renameIndex', 'renameConstraint'],
  ['createCollation', 'createEnum', 'addEnumValue', 'replaceEnum', 'createDomain', 'alterDomain', 'createCompositeType', 'alterCompositeType'],
  ['createSequence'],
  // Before columns are added or changed: CONVERT TO re-encodes every text column, overriding column charsets set earlier.
  ['alterTableOptions', 'alterTableStorage'],
  ['createTable', 'addColumn'],
  ['alterColumnType', 'alterColumnDefault', 'alterColumnVisibility', 'alterColumnIdentity', 'alterColumnGenerated', 'alterColumnNullability'],
  ['dropColumn'],
  ['addPrimaryKey', 'addUnique', 'addCheck', 'addExclusion', 'createIndex'],
  ['addForeignKey', 'validateConstraint'],
  ['createRoutine', 'replaceRoutine'],
  ['createView', 'replaceView', 'createMaterializedView'],
  ['createTrigger', 'enableTrigger', 'disableTrigger', 'createEvent', 'createRule'],
  ['enableRls', 'disableRls', 'forceRls', 'createPolicy', 'alterPolicy'],
  ['alterSequence', 'grant', 'setComment'],
  ['dropRoutine', 'dropEvent', 'dropSequence', 'dropEnum', 'dropDomain', 'dropCompositeType', 'dropCollation'],
  ['dropSchema', 'dropExtension'],
];
const STAGE_OF = new Map<ChangeKind, number>();
STAGES.forEach((kinds, i) => kinds.forEach((k) => STAGE_OF.set(k, i)));

const key = (schema: string, name: string) => `${schema}\u0000${name}`;
const refOf = (t: { schema: string; name: string }): TableRef => ({ schema: t.schema, name: t.name });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Ctx {
  out: Change[];
  o: Required<Omit<DiffOptions, 'renames' | 'columnUsing'>>;
  columnUsing: Record<string, string>;
  /** from-table key → target TableRef, for tables renamed by a hint. */
  tableRenames: Map<string, TableRef>;
  /** target table key → (old column → new column). */
  columnRenames: Map<string, Map<string, string>>;
  /** Identifiers renamed anywhere (old lower-cased → new): applied to the from side's view bodies. */
  globalIdentRenames: Map<string, string>;
  /** Column by path, built on first use (only sequences owned by identity columns need it). */
  fromColumns: () => Map<string, Column>;
  toColumns: () => Map<string, Column>;
  droppedTables: Set<string>;
  droppedColumns: Set<string>;
  /** `schema\0name` of every index, key and relation in the target (Postgres index names are per schema). */
  toRelations: () => Set<string>;
  fromRelations: () => Set<string>;
  /** Postgres on both sides: a constraint the target names otherwise is renamed (RENAME CONSTRAINT). */
  renameConstraints: boolean;
  /** from-table key → the table as it was, for tables whose charset or collation is converted. */
  convertedTables: Map<string, Table>;
  /** Changes whose place differs from their kind's stage: indexes on materialized views run after the views; a drop that makes room for a re-create runs just before it. */
  stage: WeakMap<Change, number>;
}

export function diffCatalogs(from: Catalog, to: Catalog, options: DiffOptions = {}): Change[] {
  const ctx: Ctx = {
    out: [],
    o: { grants: options.grants ?? true, comments: options.comments ?? true, rls: options.rls ?? true, exactNames: options.exactNames ?? false, extensions: options.extensions ?? true },
    tableRenames: new Map(),
    columnRenames: new Map(),
    globalIdentRenames: new Map(),
    fromColumns: lazy(() => columnIndex(from)),
    toColumns: lazy(() => columnIndex(to)),
    droppedTables: new Set(),
    droppedColumns: new Set(),
    convertedTables: new Map(),
    toRelations: lazy(() => relationNames(to)),
    fromRelations: lazy(() => relationNames(from)),
    renameConstraints: from.dialect === 'postgres' && to.dialect === 'postgres' && !options.exactNames,
    stage: new WeakMap(),
    columnUsing: options.columnUsing ?? {},
  };
  const hints: RenameHints = { tables: [], columns: [], enums: [], views: [], enumLabels: [], ...options.renames };

  if (ctx.o.extensions) {
    const fe = new Map(from.extensions.map((e) => [e.name, e]));
    const te = new Map(to.extensions.map((e) => [e.name, e]));
    for (const [n, e] of te) if (!fe.has(n)) ctx.out.push({ kind: 'createExtension', path: n, extension: e });
    for (const [n, e] of fe) if (!te.has(n)) ctx.out.push({ kind: 'dropExtension', path: n, extension: e });
    // A comment someone set (not the extension's own) is compared where the target has one.
    for (const [n, e] of te) if (e.comment !== undefined && e.comment !== fe.get(n)?.comment) comment(ctx, { kind: 'extension', schema: e.schema, name: n }, n, fe.get(n)?.comment ?? null, e.comment);
    // A version is compared only where the target states one (a spec that names it; another live database).
    for (const [n, e] of te) {
      const f = fe.get(n);
      if (f && e.version && f.version && e.version !== f.version) ctx.out.push({ kind: 'alterExtension', path: n, extension: e, before: f });
    }
  }

  const fromSchemas = new Map(from.schemas.map((s) => [s.name, s]));
  const toSchemas = new Map(to.schemas.map((s) => [s.name, s]));
  for (const s of to.schemas) {
    if (!fromSchemas.has(s.name)) ctx.out.push({ kind: 'createSchema', path: s.path, schema: { name: s.name, owner: s.owner, comment: s.comment } });
    else comment(ctx, { kind: 'schema', schema: s.name, name: s.name }, s.path, fromSchemas.get(s.name)!.comment, s.comment);
  }
  for (const s of from.schemas) if (!toSchemas.has(s.name)) ctx.out.push({ kind: 'dropSchema', path: s.path, schema: { name: s.name, owner: s.owner, comment: s.comment } });

  const all = (c: Catalog) => c.schemas;
  const tablesOf = (c: Catalog) => new Map(all(c).flatMap((s) => s.tables.map((t) => [key(s.name, t.name), t] as const)));
  const fromTables = tablesOf(from);
  const toTables = tablesOf(to);

  // Table renames: only when the old table exists and the new name is free.
  const pairs: [Table, Table][] = [];
  const matchedFrom = new Set<string>();
  const matchedTo = new Set<string>();
  for (const h of hints.tables) {
    const fk = key(h.from.schema, h.from.name);
    const tk = key(h.to.schema, h.to.name);
    const ft = fromTables.get(fk);
    const tt = toTables.get(tk);
    if (!ft || !tt || fromTables.has(tk) || matchedFrom.has(fk)) continue;
    ctx.out.push({ kind: 'renameTable', path: tt.path, from: refOf(ft), to: refOf(tt) });
    ctx.tableRenames.set(fk, refOf(tt));
    if (h.from.name !== h.to.name) ctx.globalIdentRenames.set(h.from.name.toLowerCase(), h.to.name);
    pairs.push([ft, tt]);
    matchedFrom.add(fk);
    matchedTo.add(tk);
  }
  for (const [k, tt] of toTables) {
    if (matchedTo.has(k)) continue;
    const ft = fromTables.get(k);
    if (ft && !matchedFrom.has(k)) {
      pairs.push([ft, tt]);
      matchedFrom.add(k);
      matchedTo.add(k);
    }
  }
  // Column renames inside matched tables.
  for (const [ft, tt] of pairs) {
    const renames = new Map<string, string>();
    for (const h of hints.columns) {
      if (h.table.schema !== tt.schema || h.table.name !== tt.name) continue;
      const has = (t: Table, n: string) => t.columns.some((c) => c.name === n);
      if (has(ft, h.from) && !has(ft, h.to) && has(tt, h.to) && !renames.has(h.from)) renames.set(h.from, h.to);
    }
    if (renames.size) ctx.columnRenames.set(key(tt.schema, tt.name), renames);
  }

  // Known before the types are compared: an enum rebuilt in place converts only columns of tables that stay.
  for (const k of fromTables.keys()) if (!matchedFrom.has(k)) ctx.droppedTables.add(k);
  diffTypes(ctx, from, to, hints);
  diffSequences(ctx, from, to);

  for (const [ft, tt] of pairs) diffTable(ctx, ft, tt);
  recreateForeignKeysOverConvertedText(ctx, pairs);
  for (const [k, tt] of toTables) if (!matchedTo.has(k)) createTable(ctx, tt);
  for (const [k, ft] of fromTables) {
    if (matchedFrom.has(k)) continue;
    // Its foreign keys go first as their own changes, so tables that reference each other drop in any order.
    for (const fk of ft.foreignKeys) ctx.out.push({ kind: 'dropForeignKey', path: fk.path, table: refOf(ft), foreignKey: fk });
    ctx.out.push({ kind: 'dropTable', path: ft.path, table: { ...ft, foreignKeys: [] } });
  }

  orderIndexRenames(ctx, from);
  diffViews(ctx, from, to, hints);
  orderViewsByDependency(ctx, from, to);
  diffRoutines(ctx, from, to);
  diffEvents(ctx, from, to);
  diffRules(ctx, from, to);
  diffCollations(ctx, from, to);
  // Sequences owned by a dropped table or column vanish with it.
  ctx.out = ctx.out.filter((c) => {
    if (c.kind !== 'dropSequence' || !c.sequence.ownedBy) return true;
    const [s, t, col] = splitPath(c.sequence.ownedBy);
    return !(ctx.droppedTables.has(key(s!, t!)) || ctx.droppedColumns.has(`${key(s!, t!)}\u0000${col}`));
  });
  return sortChanges(ctx.out, (c) => ctx.stage.get(c));
}

/** Deterministic order: by stage, then path, then kind (stable for equal keys). */
export function sortChanges(changes: Change[], stageOf: (c: Change) => number | undefined = () => undefined): Change[] {
  return changes
    .map((c, i) => ({ c, i, s: stageOf(c) ?? STAGE_OF.get(c.kind) ?? 99 }))
    .sort((a, b) => a.s - b.s || cmp(a.c.path, b.c.path) || cmp(a.c.kind, b.c.kind) || a.i - b.i)
    .map((x) => x.c);
}

/** Emit a drop that must run just before the stage of the kind that re-creates the object. */
function dropBefore(ctx: Ctx, c: Change, recreate: ChangeKind): void {
  ctx.stage.set(c, STAGE_OF.get(recreate)! - 0.5);
  ctx.out.push(c);
}

function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

/**
 * Index renames share a namespace (the schema's relations) with each other and
 * with everything that stays: a rename whose new name something kept still
 * holds is dropped (the index keeps its name), and when one rename's new name
 * is another's old name (a chain, a swap) every rename goes through a
 * temporary name first.
 */
function orderIndexRenames(ctx: Ctx, from: Catalog): void {
  const renames = ctx.out.filter((c): c is Extract<Change, { kind: 'renameIndex' }> => c.kind === 'renameIndex');
  if (!renames.length) return;
  // Names freed before the renames run: what is dropped, and the renamed indexes' old names.
  const freed = new Set<string>();
  for (const c of ctx.out) {
    if (c.kind === 'dropTable') freed.add(key(c.table.schema, c.table.name));
    else if (c.kind === 'dropIndex') freed.add(key(c.table.schema, c.index.name));
    else if (c.kind === 'dropUnique') freed.add(key(c.table.schema, c.unique.name));
    else if (c.kind === 'dropPrimaryKey') freed.add(key(c.table.schema, c.primaryKey.name));
    else if (c.kind === 'dropExclusion') freed.add(key(c.table.schema, c.exclusion.name));
    else if (c.kind === 'dropView' || c.kind === 'dropMaterializedView') freed.add(key(c.view.schema, c.view.name));
    else if (c.kind === 'renameTable') freed.add(key(c.from.schema, c.from.name));
  }
  if (ctx.droppedTables.size) for (const s of from.schemas) for (const t of s.tables) if (ctx.droppedTables.has(key(s.name, t.name))) for (const i of t.indexes) freed.add(key(s.name, i.name));
  const oldNames = new Set(renames.map((r) => key(r.table.schema, r.from)));
  const held = ctx.fromRelations();
  const blocked = new Set(renames.filter((r) => held.has(key(r.table.schema, r.index.name)) && !freed.has(key(r.table.schema, r.index.name)) && !oldNames.has(key(r.table.schema, r.index.name))));
  if (blocked.size) ctx.out = ctx.out.filter((c) => !blocked.has(c as never));
  const kept = renames.filter((r) => !blocked.has(r));
  if (!kept.some((r) => oldNames.has(key(r.table.schema, r.index.name)))) return;
  const stage = STAGE_OF.get('renameIndex')!;
  kept.forEach((r, n) => {
    const tmp = `plumb_rename_${n}`;
    const first: Change = { ...r, index: { ...r.index, name: tmp } };
    ctx.stage.set(first, stage - 0.25);
    ctx.out.push(first);
    r.from = tmp;
  });
}

function relationNames(c: Catalog): Set<string> {
  const out = new Set<string>();
  for (const s of c.schemas) {
    for (const v of s.views) out.add(key(s.name, v.name));
    for (const t of s.tables) {
      out.add(key(s.name, t.name));
      for (const i of t.indexes) out.add(key(s.name, i.name));
      for (const u of t.uniques) out.add(key(s.name, u.name));
      if (t.primaryKey) out.add(key(s.name, t.primaryKey.name));
    }
  }
  return out;
}

function columnIndex(c: Catalog): Map<string, Column> {
  const m = new Map<string, Column>();
  for (const s of c.schemas) for (const t of s.tables) for (const col of t.columns) m.set(col.path, col);
  return m;
}

function comment(ctx: Ctx, target: ObjectRef, path: string, before: string | null, after: string | null, column?: Column, columnBefore?: Column): void {
  if (!ctx.o.comments || (before ?? null) === (after ?? null)) return;
  ctx.out.push({ kind: 'setComment', path, target, before: before ?? null, after: after ?? null, ...(column ? { column } : {}), ...(columnBefore ? { columnBefore } : {}) });
}

function diffGrants(ctx: Ctx, target: ObjectRef, path: string, before: Grant[], after: Grant[], oldTarget: ObjectRef = target): void {
  if (!ctx.o.grants) return;
  const bm = new Map(before.map((g) => [g.grantee, g]));
  const am = new Map(after.map((g) => [g.grantee, g]));
  for (const [grantee, a] of am) {
    const b = bm.get(grantee);
    if (b && !!b.grantable !== !!a.grantable) {
      ctx.out.push({ kind: 'revoke', path, target: oldTarget, grant: { grantee, privileges: [...b.privileges].sort() } });
      ctx.out.push({ kind: 'grant', path, target, grant: { grantee, privileges: [...a.privileges].sort(), ...(a.grantable ? { grantable: true } : {}) } });
      continue;
    }
    const have = new Set(b?.privileges ?? []);
    const add = a.privileges.filter((p) => !have.has(p)).sort();
    if (add.length) ctx.out.push({ kind: 'grant', path, target, grant: { grantee, privileges: add, ...(a.grantable ? { grantable: true } : {}) } });
    const want = new Set(a.privileges);
    const remove = (b?.privileges ?? []).filter((p) => !want.has(p)).sort();
    if (remove.length) ctx.out.push({ kind: 'revoke', path, target: oldTarget, grant: { grantee, privileges: remove } });
  }
  for (const [grantee, b] of bm) if (!am.has(grantee)) ctx.out.push({ kind: 'revoke', path, target: oldTarget, grant: { grantee, privileges: [...b.privileges].sort() } });
}

// ───────────────────────────── tables ─────────────────────────────

function createTable(ctx: Ctx, t: Table): void {
  const ref = refOf(t);
  ctx.out.push({ kind: 'createTable', path: t.path, table: t });
  for (const fk of t.foreignKeys) ctx.out.push({ kind: 'addForeignKey', path: fk.path, table: ref, foreignKey: fk });
  for (const i of t.indexes) if (!i.constraint) ctx.out.push({ kind: 'createIndex', path: i.path, table: ref, index: i });
  for (const tr of t.triggers) ctx.out.push({ kind: 'createTrigger', path: tr.path, table: ref, trigger: tr });
  if (ctx.o.rls) {
    if (t.rls.enabled) ctx.out.push({ kind: 'enableRls', path: t.path, table: ref });
    if (t.rls.forced) ctx.out.push({ kind: 'forceRls', path: t.path, table: ref, force: true });
    for (const p of t.policies) ctx.out.push({ kind: 'createPolicy', path: p.path, table: ref, policy: p });
  }
  diffGrants(ctx, { kind: 'table', schema: t.schema, name: t.name }, t.path, [], t.grants);
  comment(ctx, { kind: 'table', schema: t.schema, name: t.name }, t.path, null, t.comment);
  for (const c of t.columns) comment(ctx, { kind: 'column', schema: t.schema, name: t.name, member: c.name }, c.path, null, c.comment, c);
}

/** Pairs objects by name, then (unless exactNames) leftovers by an equal definition key. */
function pairUp<T extends { name: string }>(ctx: Ctx, before: T[], after: T[], defKey: (x: T, side: 'from' | 'to') => string): { pairs: [T, T][]; added: T[]; removed: T[] } {
  const am = new Map(after.map((x) => [x.name, x]));
  const pairs: [T, T][] = [];
  const removed: T[] = [];
  const used = new Set<string>();
  for (const b of before) {
    const a = am.get(b.name);
    if (a) {
      pairs.push([b, a]);
      used.add(a.name);
    } else removed.push(b);
  }
  let added = after.filter((a) => !used.has(a.name));
  if (!ctx.o.exactNames && removed.length && added.length) {
    const byDef = new Map<string, T[]>();
    for (const a of added) {
      const k = defKey(a, 'to');
      byDef.set(k, [...(byDef.get(k) ?? []), a]);
    }
    const stillRemoved: T[] = [];
    for (const b of removed) {
      const list = byDef.get(defKey(b, 'from'));
      const a = list?.shift();
      if (a) {
        pairs.push([b, a]);
        used.add(a.name);
      } else stillRemoved.push(b);
    }
    removed.length = 0;
    removed.push(...stillRemoved);
    added = added.filter((a) => !used.has(a.name));
  }
  return { pairs, added, removed };
}

function diffTable(ctx: Ctx, ft: Table, tt: Table): void {
  const ref = refOf(tt);
  // Drops run before renames (see STAGES): they name the table as it still is.
  const oldRef = refOf(ft);
  const tkey = key(tt.schema, tt.name);
  const renames = ctx.columnRenames.get(tkey) ?? new Map<string, string>();
  // Identifiers in the from side's expressions, as Postgres prints them after the renames.
  const identMap = new Map<string, string>([...renames].map(([a, b]) => [a.toLowerCase(), b]));
  for (const [a, b] of renames) identMap.set(a, b);
  const rn = (s: string | null) => (s === null ? null : renameIdentifiers(s, identMap));
  const col = (n: string) => renames.get(n) ?? n;
  const side = (s: 'from' | 'to') => (s === 'from' ? (x: string | null) => normExpr(rn(x)) : (x: string | null) => normExpr(x));

  for (const [a, b] of renames) ctx.out.push({ kind: 'renameColumn', path: objectPath(tt.schema, tt.name, b), table: ref, from: a, to: b });
  diffStorageOptions(ctx, ref, ft, tt);
  diffTableStorage(ctx, ref, ft, tt, renames);

  // Columns.
  const fcols = new Map(ft.columns.map((c) => [col(c.name), c]));
  const tcols = new Map(tt.columns.map((c) => [c.name, c]));
  for (const [i, c] of tt.columns.entries()) {
    const f = fcols.get(c.name);
    if (!f) {
      // Placed where the target has it, when a column that stays comes after it (else appending keeps the order).
      const placed = tt.columns.slice(i + 1).some((x) => fcols.has(x.name));
      // The plan adds a table's new columns in the target's order (build-plan), so AFTER names one that exists by then.
      ctx.out.push({ kind: 'addColumn', path: c.path, table: ref, column: c, ...(placed ? { after: i === 0 ? null : tt.columns[i - 1]!.name } : {}) });
      comment(ctx, { kind: 'column', schema: tt.schema, name: tt.name, member: c.name }, c.path, null, c.comment, c);
      continue;
    }
    const before: Column = { ...f, name: c.name, path: c.path, default: rn(f.default), generated: rn(f.generated) };
    diffColumn(ctx, ref, before, c);
  }
  // An index or check over a column whose type changes is rebuilt by the server from its old text, with the old
  // type's casts frozen in; it is created again from the target instead.
  const retyped = new Set(tt.columns.filter((c) => fcols.has(c.name) && typeKey(fcols.get(c.name)!.type) !== typeKey(c.type)).map((c) => c.name));
  let kept: string | null = null;
  for (const [i, f] of ft.columns.entries()) {
    const name = col(f.name);
    if (tcols.has(name)) {
      kept = name;
      continue;
    }
    ctx.droppedColumns.add(`${tkey}\u0000${name}`);
    // Its rollback puts it back after the column before it that stays (columns dropped together then keep their order).
    const last = i === ft.columns.length - 1;
    ctx.out.push({ kind: 'dropColumn', path: objectPath(tt.schema, tt.name, f.name), table: ref, column: f, ...(last ? {} : { after: kept }) });
  }

  const cols = (xs: string[], s: 'from' | 'to') => (s === 'from' ? xs.map(col) : xs).join(',');
  // Primary key: compared by columns.
  const fpk = ft.primaryKey;
  const tpk = tt.primaryKey;
  const pkChanged = !!fpk !== !!tpk || (fpk && tpk && (cols(fpk.columns, 'from') !== cols(tpk.columns, 'to') || (ctx.o.exactNames && fpk.name !== tpk.name)));
  if (pkChanged) {
    if (fpk) ctx.out.push({ kind: 'dropPrimaryKey', path: fpk.path, table: oldRef, primaryKey: { ...fpk, columns: fpk.columns } });
    if (tpk) ctx.out.push({ kind: 'addPrimaryKey', path: tpk.path, table: ref, primaryKey: tpk });
  }

  const uKey = (u: UniqueConstraint, s: 'from' | 'to') => `${cols(u.columns, s)}|${!!u.nullsNotDistinct}|${!!u.deferrable}|${!!u.initiallyDeferred}`;
  const up = pairUp(ctx, ft.uniques, tt.uniques, uKey);
  for (const [b, a] of up.pairs) if (uKey(b, 'from') !== uKey(a, 'to') || (b.name !== a.name && ctx.toRelations().has(key(oldRef.schema, b.name)))) {
    up.removed.push(b);
    up.added.push(a);
  }
  for (const u of up.removed) ctx.out.push({ kind: 'dropUnique', path: u.path, table: oldRef, unique: u });
  for (const u of up.added) ctx.out.push({ kind: 'addUnique', path: u.path, table: ref, unique: u });
  renameConstraints(ctx, ref, up, ft, 'unique');

  const fkKey = (f: ForeignKey, s: 'from' | 'to') => {
    let target = f.references;
    let refCols = f.references.columns;
    if (s === 'from') {
      const moved = ctx.tableRenames.get(key(target.schema, target.table));
      const tref = moved ?? { schema: target.schema, name: target.table };
      const m = ctx.columnRenames.get(key(tref.schema, tref.name));
      refCols = refCols.map((c) => m?.get(c) ?? c);
      target = { schema: tref.schema, table: tref.name, columns: refCols };
    }
    return `${cols(f.columns, s)}>${target.schema}.${target.table}(${refCols.join(',')})|${f.onDelete}|${f.onUpdate}|${f.deferrable}|${f.initiallyDeferred}|${f.match ?? 'simple'}`;
  };
  const fp = pairUp(ctx, ft.foreignKeys, tt.foreignKeys, fkKey);
  for (const [b, a] of fp.pairs) {
    // A validated key where NOT VALID is wanted is re-added NOT VALID: the catalogs differ, so the diff must say so.
    if (fkKey(b, 'from') !== fkKey(a, 'to') || (b.validated && !a.validated)) {
      fp.removed.push(b);
      fp.added.push(a);
    } else if (!b.validated && a.validated) ctx.out.push({ kind: 'validateConstraint', path: a.path, table: ref, constraint: b.name, constraintKind: 'foreignKey', notValid: { foreignKey: b } });
  }
  for (const f of fp.removed) ctx.out.push({ kind: 'dropForeignKey', path: f.path, table: oldRef, foreignKey: f });
  for (const f of fp.added) ctx.out.push({ kind: 'addForeignKey', path: f.path, table: ref, foreignKey: f });
  renameConstraints(ctx, ref, fp, ft, 'foreignKey');

  const ckKey = (c: CheckConstraint, s: 'from' | 'to') => `${side(s)(c.expression)}|${!!c.noInherit}`;
  const cp = pairUp(ctx, ft.checks, tt.checks, ckKey);
  for (const [b, a] of cp.pairs) {
    if (ckKey(b, 'from') !== ckKey(a, 'to') || (b.validated && !a.validated) || mentionsIdentifier(a.expression, retyped)) {
      cp.removed.push(b);
      cp.added.push(a);
    } else if (!b.validated && a.validated) ctx.out.push({ kind: 'validateConstraint', path: a.path, table: ref, constraint: b.name, constraintKind: 'check', notValid: { check: b } });
  }
  for (const c of cp.removed) ctx.out.push({ kind: 'dropCheck', path: c.path, table: oldRef, check: c });
  for (const c of cp.added) ctx.out.push({ kind: 'addCheck', path: c.path, table: ref, check: c });
  renameConstraints(ctx, ref, cp, ft, 'check');

  const exKey = (x: ExclusionConstraint, s: 'from' | 'to') => side(s)(x.definition) ?? '';
  const xp = pairUp(ctx, ft.exclusions, tt.exclusions, exKey);
  for (const [b, a] of xp.pairs) if (exKey(b, 'from') !== exKey(a, 'to') || mentionsIdentifier(a.definition, retyped)) {
    xp.removed.push(b);
    xp.added.push(a);
  }
  for (const x of xp.removed) ctx.out.push({ kind: 'dropExclusion', path: x.path, table: oldRef, exclusion: x });
  for (const x of xp.added) ctx.out.push({ kind: 'addExclusion', path: x.path, table: ref, exclusion: x });
  renameConstraints(ctx, ref, xp, ft, 'exclusion');

  diffIndexes(ctx, ref, ft.indexes, tt.indexes, side, col, oldRef, retyped);

  // Triggers.
  const trKey = (t: Trigger, s: 'from' | 'to') => `${t.timing}|${t.events.join(',')}|${t.level}|${t.function}|${side(s)(t.when)}|${side(s)(triggerCore(t.definition))}`;
  const tp = pairUp({ ...ctx, o: { ...ctx.o, exactNames: true } }, ft.triggers, tt.triggers, trKey);
  for (const [b, a] of tp.pairs) {
    if (trKey(b, 'from') !== trKey(a, 'to')) {
      tp.removed.push(b);
      tp.added.push(a);
    } else if (b.enabled !== a.enabled || (b.firing ?? 'origin') !== (a.firing ?? 'origin')) {
      ctx.out.push(a.enabled ? { kind: 'enableTrigger', path: a.path, table: ref, trigger: a } : { kind: 'disableTrigger', path: a.path, table: ref, trigger: { ...a, firing: b.firing ?? 'origin' } });
    }
  }
  for (const t of tp.removed) ctx.out.push({ kind: 'dropTrigger', path: t.path, table: oldRef, trigger: t });
  for (const t of tp.added) ctx.out.push({ kind: 'createTrigger', path: t.path, table: ref, trigger: t });

  if (ctx.o.rls) {
    if (ft.rls.enabled !== tt.rls.enabled) ctx.out.push({ kind: tt.rls.enabled ? 'enableRls' : 'disableRls', path: tt.path, table: ref });
    if (ft.rls.forced !== tt.rls.forced) ctx.out.push({ kind: 'forceRls', path: tt.path, table: ref, force: tt.rls.forced });
    const pKey = (p: Policy, s: 'from' | 'to') => `${p.command}|${p.permissive}|${[...p.roles].sort().join(',')}|${side(s)(p.using)}|${side(s)(p.withCheck)}`;
    const pp = pairUp({ ...ctx, o: { ...ctx.o, exactNames: true } }, ft.policies, tt.policies, pKey);
    for (const [b, a] of pp.pairs) {
      if (pKey(b, 'from') === pKey(a, 'to')) continue;
      // ALTER POLICY cannot change the command or kind, nor remove a clause.
      if (b.command !== a.command || b.permissive !== a.permissive || (b.using && !a.using) || (b.withCheck && !a.withCheck)) {
        pp.removed.push(b);
        pp.added.push(a);
      } else ctx.out.push({ kind: 'alterPolicy', path: a.path, table: ref, before: b, after: a });
    }
    for (const p of pp.removed) ctx.out.push({ kind: 'dropPolicy', path: p.path, table: oldRef, policy: p });
    for (const p of pp.added) ctx.out.push({ kind: 'createPolicy', path: p.path, table: ref, policy: p });
  }

  diffGrants(ctx, { kind: 'table', schema: tt.schema, name: tt.name }, tt.path, ft.grants, tt.grants, { kind: 'table', schema: ft.schema, name: ft.name });
  comment(ctx, { kind: 'table', schema: tt.schema, name: tt.name }, tt.path, ft.comment, tt.comment);
}

const STORAGE_OPTIONS = ['engine', 'charset', 'collation', 'rowFormat'] as const;
/** Column kinds whose values a character-set conversion re-encodes. */
const TEXT_KINDS = new Set(['char', 'varchar', 'text', 'enum']);
const isTextColumn = (c: Column) => TEXT_KINDS.has(c.type.kind) || (c.type.kind === 'other' && /^set\b/i.test(c.type.raw));

/**
 * Engine, charset and collation, compared only where both sides state them
 * (a Postgres catalog or a spec that says nothing never shows a change).
 * A charset change carries the collation of each side too, so the rollback
 * returns to the exact collation.
 */
function diffStorageOptions(ctx: Ctx, ref: TableRef, ft: Table, tt: Table): void {
  const fo = ft.options ?? {};
  const to = tt.options ?? {};
  const changed = STORAGE_OPTIONS.filter((k) => fo[k] !== undefined && to[k] !== undefined && fo[k]!.toLowerCase() !== to[k]!.toLowerCase());
  if (!changed.length) return;
  const fields: (typeof STORAGE_OPTIONS)[number][] = changed.includes('charset') && !changed.includes('collation') ? [...changed, 'collation'] : changed;
  const pick = (o: typeof fo) => Object.fromEntries(fields.filter((k) => o[k] !== undefined).map((k) => [k, o[k]!]));
  const converts = fields.includes('charset') || fields.includes('collation');
  ctx.out.push({ kind: 'alterTableOptions', path: tt.path, table: ref, before: pick(fo), after: pick(to), columns: converts ? ft.columns.filter(isTextColumn) : [] });
  if (converts) ctx.convertedTables.set(key(ft.schema, ft.name), ft);
}

/**
 * UNLOGGED, storage parameters and column STORAGE (Postgres): one change with
 * only what differs, so `diff` is never empty while the tables are stored apart.
 */
function diffTableStorage(ctx: Ctx, ref: TableRef, ft: Table, tt: Table, renames: Map<string, string>): void {
  const fromName = new Map([...renames].map(([a, b]) => [b, a]));
  const cols: [string, string, string][] = [];
  const stats: [string, number, number][] = [];
  const comp: [string, string, string][] = [];
  for (const c of tt.columns) {
    const f = ft.columns.find((x) => x.name === (fromName.get(c.name) ?? c.name));
    if (!f) continue;
    if ((f.storage ?? 'default') !== (c.storage ?? 'default')) cols.push([c.name, f.storage ?? 'default', c.storage ?? 'default']);
    if ((f.statistics ?? -1) !== (c.statistics ?? -1)) stats.push([c.name, f.statistics ?? -1, c.statistics ?? -1]);
    if ((f.compression ?? 'default') !== (c.compression ?? 'default')) comp.push([c.name, f.compression ?? 'default', c.compression ?? 'default']);
  }
  const fp = [...(ft.storageParameters ?? [])].sort();
  const tp = [...(tt.storageParameters ?? [])].sort();
  if (!!ft.unlogged === !!tt.unlogged && fp.join(',') === tp.join(',') && !cols.length && !stats.length && !comp.length) return;
  const side = (unlogged: boolean, parameters: string[], k: 1 | 2): TableStorage => ({
    unlogged,
    parameters,
    columns: Object.fromEntries(cols.map((x) => [x[0], x[k]])),
    ...(stats.length ? { statistics: Object.fromEntries(stats.map((x) => [x[0], x[k]])) } : {}),
    ...(comp.length ? { compression: Object.fromEntries(comp.map((x) => [x[0], x[k]])) } : {}),
  });
  ctx.out.push({ kind: 'alterTableStorage', path: tt.path, table: ref, before: side(!!ft.unlogged, fp, 1), after: side(!!tt.unlogged, tp, 2) });
}

/**
 * MySQL refuses to re-encode a column a foreign key uses (either end): such
 * keys are dropped before the conversion and added back after it, unless the
 * diff already replaces them.
 */
function recreateForeignKeysOverConvertedText(ctx: Ctx, pairs: [Table, Table][]): void {
  if (!ctx.convertedTables.size) return;
  const replaced = new Set(ctx.out.filter((c) => c.kind === 'dropForeignKey').map((c) => c.path));
  const textIn = (t: Table | undefined, cols: string[]) => !!t && cols.some((n) => t.columns.find((c) => c.name === n && isTextColumn(c)));
  for (const [ft, tt] of pairs) {
    for (const fk of ft.foreignKeys) {
      if (replaced.has(fk.path)) continue;
      const child = ctx.convertedTables.get(key(ft.schema, ft.name));
      const parent = ctx.convertedTables.get(key(fk.references.schema, fk.references.table));
      if (!textIn(child, fk.columns) && !textIn(parent, fk.references.columns)) continue;
      const target = tt.foreignKeys.find((x) => x.name === fk.name);
      if (!target) continue;
      ctx.out.push({ kind: 'dropForeignKey', path: fk.path, table: refOf(ft), foreignKey: fk });
      ctx.out.push({ kind: 'addForeignKey', path: target.path, table: refOf(tt), foreignKey: target });
    }
  }
}

/** The part of a trigger definition after `ON table` (names change with renames; the rest is the trigger). */
function triggerCore(def: string): string {
  // From REFERENCING (transition tables), when there is one.
  const m = /(\bREFERENCING\b[\s\S]*?)?\bFOR EACH\b[\s\S]*$/i.exec(def);
  return m ? m[0] : def;
}

/**
 * The same constraint under another name is renamed where the target names it
 * (Postgres; elsewhere it is kept under its name, as a name the spec left to
 * plumb is). A name something on the table (or, for a unique or exclusion
 * constraint, in the schema) already holds is not taken.
 */
function renameConstraints<T extends { name: string; path: string; implicitName?: boolean }>(ctx: Ctx, ref: TableRef, p: { pairs: [T, T][]; removed: T[] }, ft: Table, kind: 'unique' | 'check' | 'foreignKey' | 'exclusion'): void {
  if (!ctx.renameConstraints) return;
  const held = new Set([...ft.uniques, ...ft.checks, ...ft.foreignKeys, ...ft.exclusions, ...(ft.primaryKey ? [ft.primaryKey] : [])].map((x) => x.name));
  for (const [b, a] of p.pairs) {
    if (p.removed.includes(b) || b.name === a.name || a.implicitName || held.has(a.name)) continue;
    if ((kind === 'unique' || kind === 'exclusion') && ctx.fromRelations().has(key(ref.schema, a.name))) continue;
    ctx.out.push({ kind: 'renameConstraint', path: a.path, table: ref, from: b.name, to: a.name, constraintKind: kind });
  }
}

function diffIndexes(ctx: Ctx, ref: TableRef, before: Index[], after: Index[], side: (s: 'from' | 'to') => (x: string | null) => string | null, col: (n: string) => string, oldRef: TableRef = ref, retyped: ReadonlySet<string> = new Set()): void {
  const iKey = (i: Index, s: 'from' | 'to') =>
    [
      i.unique,
      i.method,
      side(s)(i.predicate),
      (s === 'from' ? i.include.map(col) : i.include).join(','),
      !!i.nullsNotDistinct,
      i.elements
        .map((e) => `${e.column !== undefined ? `c:${s === 'from' ? col(e.column) : e.column}` : `e:${side(s)(e.expression ?? '')}`}/${!!e.descending}/${e.nullsFirst ?? ''}/${e.opclass ?? ''}/${e.collation ?? ''}`)
        .join(';'),
    ].join('|');
  const ip = pairUp(ctx, before.filter((i) => !i.constraint), after.filter((i) => !i.constraint), iKey);
  const overRetyped = (i: Index) => mentionsIdentifier(i.predicate, retyped) || i.elements.some((e) => mentionsIdentifier(e.expression, retyped));
  for (const [b, a] of ip.pairs) if (iKey(b, 'from') !== iKey(a, 'to') || overRetyped(a)) {
    ip.removed.push(b);
    ip.added.push(a);
  }
  for (const i of ip.removed) ctx.out.push({ kind: 'dropIndex', path: i.path, table: oldRef, index: i });
  for (const i of ip.added) ctx.out.push({ kind: 'createIndex', path: i.path, table: ref, index: i });
  // The same index under another name is renamed when the target names it (a
  // name the spec left to plumb is no reason to touch it), or when the target
  // gives its old name to another object.
  const renamed = (b: Index, a: Index) => b.name !== a.name && (!a.implicitName || ctx.toRelations().has(key(oldRef.schema, b.name)));
  for (const [b, a] of ip.pairs) if (!ip.removed.includes(b) && renamed(b, a)) ctx.out.push({ kind: 'renameIndex', path: a.path, table: ref, from: b.name, index: a });
  // A created index brings its comment (the renderer adds it); a kept one may change only its comment.
  for (const [b, a] of ip.pairs) if (!ip.removed.includes(b)) comment(ctx, { kind: 'index', schema: ref.schema, name: renamed(b, a) ? a.name : b.name }, a.path, b.comment ?? null, a.comment ?? null);
}

function diffColumn(ctx: Ctx, ref: TableRef, f: Column, t: Column): void {
  const typeChanged = typeKey(f.type) !== typeKey(t.type) || (f.collation ?? null) !== (t.collation ?? null) || (f.charset ?? null) !== (t.charset ?? null);
  const generatedChanged = normExpr(f.generated) !== normExpr(t.generated) || (!!t.generated && (f.generatedStored ?? true) !== (t.generatedStored ?? true));
  if (generatedChanged) {
    ctx.out.push({ kind: 'alterColumnGenerated', path: t.path, table: ref, before: f, after: t });
    return;
  }
  if (typeChanged) ctx.out.push({ kind: 'alterColumnType', path: t.path, table: ref, before: f, after: t, using: ctx.columnUsing[t.path] ?? null, rollbackUsing: null });
  if ((f.identity ?? null) !== (t.identity ?? null) || !!f.autoIncrement !== !!t.autoIncrement) ctx.out.push({ kind: 'alterColumnIdentity', path: t.path, table: ref, before: f, after: t });
  // Identity and generated columns have no default of their own; a type change restores the target default itself.
  const fd = f.identity || f.generated ? null : normExpr(f.default);
  const td = t.identity || t.generated ? null : normExpr(t.default);
  // MySQL's ON UPDATE belongs with the default (both are restated by MODIFY COLUMN).
  const onUpdateChanged = normExpr(f.onUpdate ?? null) !== normExpr(t.onUpdate ?? null);
  if ((fd !== td || onUpdateChanged) && !(typeChanged && !t.identity)) ctx.out.push({ kind: 'alterColumnDefault', path: t.path, table: ref, before: f, after: t });
  if (f.nullable !== t.nullable) ctx.out.push({ kind: 'alterColumnNullability', path: t.path, table: ref, before: f, after: t });
  // A type change restates the column (MODIFY), visibility included.
  if (!!f.invisible !== !!t.invisible && !typeChanged) ctx.out.push({ kind: 'alterColumnVisibility', path: t.path, table: ref, before: f, after: t });
  comment(ctx, { kind: 'column', schema: ref.schema, name: ref.name, member: t.name }, t.path, f.comment, t.comment, t, f);
}

// ───────────────────────────── types, sequences ─────────────────────────────

function enumUsages(ctx: Ctx, from: Catalog, e: Enum): EnumUsage[] {
  const out: EnumUsage[] = [];
  const [schema] = splitPath(e.path);
  const ref = `${schema}.${e.name}`;
  for (const s of from.schemas)
    for (const t of s.tables) {
      if (ctx.droppedTables.has(key(s.name, t.name))) continue;
      for (const c of t.columns) {
        const isArr = c.type.kind === 'array' && c.type.element?.ref === ref;
        if ((c.type.kind === 'enum' && c.type.ref === ref) || isArr) {
          const moved = ctx.tableRenames.get(key(s.name, t.name)) ?? { schema: s.name, name: t.name };
          const rename = ctx.columnRenames.get(key(moved.schema, moved.name));
          out.push({ table: moved, column: rename?.get(c.name) ?? c.name, default: c.default, array: isArr });
        }
      }
    }
  return out.sort((a, b) => cmp(objectPath(a.table.schema, a.table.name, a.column), objectPath(b.table.schema, b.table.name, b.column)));
}

function diffTypes(ctx: Ctx, from: Catalog, to: Catalog, hints: RenameHints): void {
  const fm = new Map(from.schemas.flatMap((s) => s.enums.map((e) => [key(s.name, e.name), e] as const)));
  const tm = new Map(to.schemas.flatMap((s) => s.enums.map((e) => [key(s.name, e.name), e] as const)));
  const pairs: [Enum, Enum][] = [];
  const usedFrom = new Set<string>();
  const usedTo = new Set<string>();
  for (const h of hints.enums) {
    const fk = key(h.from.schema, h.from.name);
    const tk = key(h.to.schema, h.to.name);
    const f = fm.get(fk);
    const t = tm.get(tk);
    if (!f || !t || fm.has(tk)) continue;
    ctx.out.push({ kind: 'renameEnum', path: t.path, before: f, after: { ...f, name: t.name, path: t.path } });
    pairs.push([{ ...f, name: t.name, path: t.path }, t]);
    usedFrom.add(fk);
    usedTo.add(tk);
  }
  for (const [k, t] of tm) {
    if (usedTo.has(k)) continue;
    const f = fm.get(k);
    if (f) pairs.push([f, t]);
    else ctx.out.push({ kind: 'createEnum', path: t.path, enum: t });
    usedFrom.add(k);
  }
  for (const [k, f] of fm) if (!usedFrom.has(k)) ctx.out.push({ kind: 'dropEnum', path: f.path, enum: f });
  for (const [f0, t] of pairs) {
    const [schema] = splitPath(t.path);
    let labels = [...f0.labels];
    for (const h of hints.enumLabels) {
      if (h.enum.schema !== schema || h.enum.name !== t.name) continue;
      const i = labels.indexOf(h.from);
      if (i >= 0 && !labels.includes(h.to) && t.labels.includes(h.to)) {
        labels[i] = h.to;
        ctx.out.push({ kind: 'renameEnumValue', path: t.path, enum: { ...t, labels: [...labels] }, from: h.from, to: h.to });
      }
    }
    if (labels.join('\u0000') !== t.labels.join('\u0000')) {
      // Additions only (old labels keep their relative order): ALTER TYPE … ADD VALUE per label.
      const kept = t.labels.filter((l) => labels.includes(l));
      if (kept.length === labels.length && kept.every((l, i) => l === labels[i])) {
        const usages = enumUsages(ctx, from, f0);
        const cur = [...labels];
        for (let i = 0; i < t.labels.length; i++) {
          const l = t.labels[i]!;
          if (cur.includes(l)) continue;
          // Place it before the next label that already exists; with none after it, at the end.
          const next = t.labels.slice(i + 1).find((x) => cur.includes(x)) ?? null;
          if (next !== null) cur.splice(cur.indexOf(next), 0, l);
          else cur.push(l);
          ctx.out.push({ kind: 'addEnumValue', path: t.path, enum: { ...t, labels: [...cur] }, value: l, before: next, after: null, columns: usages });
        }
      } else {
        ctx.out.push({ kind: 'replaceEnum', path: t.path, before: { ...f0, labels }, after: t, columns: enumUsages(ctx, from, f0) });
      }
    }
    comment(ctx, { kind: 'enum', schema: schema!, name: t.name }, t.path, f0.comment, t.comment);
  }

  // Domains.
  const fd = new Map(from.schemas.flatMap((s) => s.domains.map((d) => [key(s.name, d.name), d] as const)));
  const td = new Map(to.schemas.flatMap((s) => s.domains.map((d) => [key(s.name, d.name), d] as const)));
  const checksKey = (d: { checks: { name: string; expression: string }[] }) => d.checks.map((c) => `${c.name}:${normExpr(c.expression)}`).sort().join(';');
  for (const [k, t] of td) {
    const f = fd.get(k);
    const [schema] = splitPath(t.path);
    if (!f) ctx.out.push({ kind: 'createDomain', path: t.path, domain: t });
    else if (typeKey(f.type) !== typeKey(t.type)) {
      dropBefore(ctx, { kind: 'dropDomain', path: f.path, domain: f }, 'createDomain');
      ctx.out.push({ kind: 'createDomain', path: t.path, domain: t });
    } else if (normExpr(f.default) !== normExpr(t.default) || f.notNull !== t.notNull || checksKey(f) !== checksKey(t)) {
      ctx.out.push({ kind: 'alterDomain', path: t.path, before: f, after: t });
    }
    comment(ctx, { kind: 'domain', schema: schema!, name: t.name }, t.path, f?.comment ?? null, t.comment);
  }
  for (const [k, f] of fd) if (!td.has(k)) ctx.out.push({ kind: 'dropDomain', path: f.path, domain: f });

  // Composite types.
  const fc = new Map(from.schemas.flatMap((s) => s.compositeTypes.map((d) => [key(s.name, d.name), d] as const)));
  const tc = new Map(to.schemas.flatMap((s) => s.compositeTypes.map((d) => [key(s.name, d.name), d] as const)));
  const attrsKey = (c: { attributes: { name: string; type: Column['type'] }[]; range?: string }) => c.attributes.map((a) => `${a.name}:${typeKey(a.type)}`).join(';') + (c.range !== undefined ? `|range(${c.range})` : '');
  for (const [k, t] of tc) {
    const f = fc.get(k);
    const [schema] = splitPath(t.path);
    if (!f) ctx.out.push({ kind: 'createCompositeType', path: t.path, type: t });
    else if (attrsKey(f) !== attrsKey(t)) ctx.out.push({ kind: 'alterCompositeType', path: t.path, before: f, after: t });
    comment(ctx, { kind: 'compositeType', schema: schema!, name: t.name }, t.path, f?.comment ?? null, t.comment);
  }
  for (const [k, f] of fc) if (!tc.has(k)) ctx.out.push({ kind: 'dropCompositeType', path: f.path, type: f });
}

/** Identity columns own a sequence the engine manages; the diff leaves those alone. */
function userSequences(c: Catalog, cols: () => Map<string, Column>): Map<string, Sequence> {
  const m = new Map<string, Sequence>();
  for (const s of c.schemas)
    for (const q of s.sequences) {
      if (q.ownedBy && cols().get(q.ownedBy)?.identity) continue;
      m.set(key(s.name, q.name), q);
    }
  return m;
}

function diffSequences(ctx: Ctx, from: Catalog, to: Catalog): void {
  const fm = userSequences(from, ctx.fromColumns);
  const tm = userSequences(to, ctx.toColumns);
  const mapOwner = (ownedBy: string | null): string | null => {
    if (!ownedBy) return null;
    const [s, t, c] = splitPath(ownedBy);
    const moved = ctx.tableRenames.get(key(s!, t!)) ?? { schema: s!, name: t! };
    const col = ctx.columnRenames.get(key(moved.schema, moved.name))?.get(c!) ?? c!;
    return objectPath(moved.schema, moved.name, col);
  };
  const optsKey = (q: Sequence) => [q.type, q.start, q.increment, q.min, q.max, q.cache, q.cycle].join('|');
  for (const [k, t] of tm) {
    const f = fm.get(k);
    const [schema] = splitPath(t.path);
    if (!f) {
      // Create unowned (a serial's table does not exist yet); the owner is set once it does.
      ctx.out.push({ kind: 'createSequence', path: t.path, sequence: { ...t, ownedBy: null } });
      if (t.ownedBy) ctx.out.push({ kind: 'alterSequence', path: t.path, before: { ...t, ownedBy: null }, after: t });
    } else {
      const before = { ...f, ownedBy: mapOwner(f.ownedBy) };
      if (optsKey(before) !== optsKey(t) || before.ownedBy !== t.ownedBy) ctx.out.push({ kind: 'alterSequence', path: t.path, before: f, after: t });
    }
    comment(ctx, { kind: 'sequence', schema: schema!, name: t.name }, t.path, f?.comment ?? null, t.comment);
  }
  for (const [k, f] of fm) if (!tm.has(k)) ctx.out.push({ kind: 'dropSequence', path: f.path, sequence: f });
}

// ───────────────────────────── views, routines, events ─────────────────────────────

function diffViews(ctx: Ctx, from: Catalog, to: Catalog, hints: RenameHints): void {
  const fm = new Map(from.schemas.flatMap((s) => s.views.map((v) => [key(s.name, v.name), v] as const)));
  const tm = new Map(to.schemas.flatMap((s) => s.views.map((v) => [key(s.name, v.name), v] as const)));
  const pairs: [View, View][] = [];
  const usedFrom = new Set<string>();
  const usedTo = new Set<string>();
  const affected = viewsOverChangedColumns(ctx, fm);
  for (const h of hints.views) {
    const fk = key(h.from.schema, h.from.name);
    const tk = key(h.to.schema, h.to.name);
    const f = fm.get(fk);
    const t = tm.get(tk);
    if (!f || !t || fm.has(tk) || f.materialized !== t.materialized || affected.has(fk)) continue;
    ctx.out.push({ kind: 'renameView', path: t.path, from: refOf(f), to: refOf(t), materialized: t.materialized });
    pairs.push([f, t]);
    usedFrom.add(fk);
    usedTo.add(tk);
  }
  for (const [k, t] of tm) {
    if (usedTo.has(k)) continue;
    const f = fm.get(k);
    if (f) {
      pairs.push([f, t]);
      usedFrom.add(k);
    } else createView(ctx, t);
  }
  for (const [k, f] of fm) if (!usedFrom.has(k)) ctx.out.push({ kind: f.materialized ? 'dropMaterializedView' : 'dropView', path: f.path, view: f });

  const bodyKey = (v: View, s: 'from' | 'to') => normViewSql(s === 'from' ? renameIdentifiers(v.definition, ctx.globalIdentRenames) : v.definition);
  for (const [f, t] of pairs) {
    const kind = t.materialized ? 'materializedView' : 'view';
    const ref = refOf(t);
    if (affected.has(key(f.schema, f.name))) {
      ctx.out.push({ kind: f.materialized ? 'dropMaterializedView' : 'dropView', path: f.path, view: f });
      createView(ctx, t);
      continue;
    }
    const same = bodyKey(f, 'from') === bodyKey(t, 'to') && f.securityInvoker === t.securityInvoker && f.checkOption === t.checkOption && f.materialized === t.materialized;
    if (!same) {
      const fnames = f.columns.map((c) => `${c.name}:${typeKey(c.type)}`);
      const tnames = t.columns.map((c) => `${c.name}:${typeKey(c.type)}`);
      const appendOnly = fnames.every((n, i) => tnames[i] === n);
      if (!f.materialized && !t.materialized && appendOnly) ctx.out.push({ kind: 'replaceView', path: t.path, before: f, after: t });
      else {
        ctx.out.push({ kind: f.materialized ? 'dropMaterializedView' : 'dropView', path: f.path, view: f });
        createView(ctx, t);
        continue;
      }
    }
    if (t.materialized) diffIndexes(ctx, ref, f.indexes, t.indexes, (s) => (x) => normExpr(s === 'from' ? x && renameIdentifiers(x, ctx.globalIdentRenames) : x), (n) => n);
    diffGrants(ctx, { kind, schema: t.schema, name: t.name }, t.path, f.grants, t.grants, { kind, schema: f.schema, name: f.name });
    comment(ctx, { kind, schema: t.schema, name: t.name }, t.path, f.comment, t.comment);
  }
}

/**
 * Views Postgres would not let the column changes through: a view over a
 * column whose type changes (enum rebuilds included, whose rollback converts
 * columns too) or that is dropped must be dropped first and re-created after,
 * and so must every view over such a view. Reads view bodies by name, so a
 * false positive only costs a needless re-create.
 */
function viewsOverChangedColumns(ctx: Ctx, views: Map<string, View>): Set<string> {
  // Relations as pg_get_viewdef prints them: `schema.name`, or the bare name when the schema is on the search path (public).
  const touched = new Set<string>();
  const fromRef = new Map<string, TableRef>();
  for (const [fk, to] of ctx.tableRenames) {
    const [schema, name] = fk.split('\u0000');
    fromRef.set(key(to.schema, to.name), { schema: schema!, name: name! });
  }
  const spell = (r: TableRef) => {
    touched.add(`${r.schema}.${r.name}`.toLowerCase());
    if (r.schema === 'public') touched.add(r.name.toLowerCase());
  };
  const touch = (t: TableRef) => {
    spell(t);
    const old = fromRef.get(key(t.schema, t.name));
    if (old) spell(old);
  };
  for (const c of ctx.out) {
    if (c.kind === 'alterColumnType' || c.kind === 'alterColumnGenerated' || c.kind === 'dropColumn') touch(c.table);
    else if (c.kind === 'replaceEnum' || c.kind === 'addEnumValue') for (const u of c.columns) touch(u.table);
  }
  const affected = new Set<string>();
  if (!touched.size) return affected;
  const names = new Map<string, Set<string>>();
  for (const [k, v] of views) {
    const text = v.definition.toLowerCase().replace(/"/g, '');
    names.set(k, new Set(text.match(/[a-z_][a-z0-9_$]*(?:\s*\.\s*[a-z_][a-z0-9_$]*)?/g)?.map((x) => x.replace(/\s+/g, '')) ?? []));
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [k, v] of views) {
      if (affected.has(k)) continue;
      const n = names.get(k)!;
      for (const t of touched) {
        if (n.has(t)) {
          affected.add(k);
          spell({ schema: v.schema, name: v.name });
          grew = true;
          break;
        }
      }
    }
  }
  return affected;
}

/** How deep each view sits on other views (0: reads only tables), by the names its body mentions. */
function viewDepths(c: Catalog): Map<string, number> {
  const views = c.schemas.flatMap((s) => s.views);
  const spelled = new Map<string, string>();
  for (const v of views) {
    spelled.set(`${v.schema}.${v.name}`.toLowerCase(), key(v.schema, v.name));
    if (v.schema === 'public') spelled.set(v.name.toLowerCase(), key(v.schema, v.name));
  }
  const uses = new Map<string, string[]>();
  for (const v of views) {
    const text = v.definition.toLowerCase().replace(/"/g, '');
    const words = text.match(/[a-z_][a-z0-9_$]*(?:\s*\.\s*[a-z_][a-z0-9_$]*)?/g)?.map((x) => x.replace(/\s+/g, '')) ?? [];
    const k = key(v.schema, v.name);
    uses.set(k, [...new Set(words.map((w) => spelled.get(w)).filter((x): x is string => !!x && x !== k))]);
  }
  const depth = new Map<string, number>();
  const visit = (k: string, seen: Set<string>): number => {
    const d = depth.get(k);
    if (d !== undefined) return d;
    if (seen.has(k)) return 0;
    seen.add(k);
    const out = Math.max(-1, ...(uses.get(k) ?? []).map((u) => visit(u, seen))) + 1;
    depth.set(k, out);
    return out;
  };
  for (const k of uses.keys()) visit(k, new Set());
  return depth;
}

/** Views over views: drop the dependants first, create the bases first. */
function orderViewsByDependency(ctx: Ctx, from: Catalog, to: Catalog): void {
  let fromDepth: Map<string, number> | undefined;
  let toDepth: Map<string, number> | undefined;
  for (const c of ctx.out) {
    if (c.kind === 'dropView' || c.kind === 'dropMaterializedView') {
      fromDepth ??= viewDepths(from);
      const d = fromDepth.get(key(c.view.schema, c.view.name)) ?? 0;
      if (d) ctx.stage.set(c, (ctx.stage.get(c) ?? STAGE_OF.get(c.kind)!) - d * 1e-3);
    } else if (c.kind === 'createView' || c.kind === 'createMaterializedView' || c.kind === 'replaceView') {
      toDepth ??= viewDepths(to);
      const v = c.kind === 'replaceView' ? c.after : c.view;
      const d = toDepth.get(key(v.schema, v.name)) ?? 0;
      if (d) ctx.stage.set(c, (ctx.stage.get(c) ?? STAGE_OF.get(c.kind)!) + d * 1e-3);
    }
  }
}

function createView(ctx: Ctx, v: View): void {
  const ref = refOf(v);
  const kind = v.materialized ? 'materializedView' : 'view';
  ctx.out.push(v.materialized ? { kind: 'createMaterializedView', path: v.path, view: v } : { kind: 'createView', path: v.path, view: v });
  for (const i of v.indexes) {
    const c: Change = { kind: 'createIndex', path: i.path, table: ref, index: i };
    ctx.stage.set(c, STAGE_OF.get('createView')! + 0.5);
    ctx.out.push(c);
  }
  for (const tr of v.triggers) ctx.out.push({ kind: 'createTrigger', path: tr.path, table: ref, trigger: tr });
  diffGrants(ctx, { kind, schema: v.schema, name: v.name }, v.path, [], v.grants);
  comment(ctx, { kind, schema: v.schema, name: v.name }, v.path, null, v.comment);
}

const bodyNorm = (s: string) => s.replace(/\r\n/g, '\n').trim();

function diffRoutines(ctx: Ctx, from: Catalog, to: Catalog): void {
  const fm = new Map(from.schemas.flatMap((s) => s.routines.map((r) => [r.path, r] as const)));
  const tm = new Map(to.schemas.flatMap((s) => s.routines.map((r) => [r.path, r] as const)));
  const ref = (r: Routine): ObjectRef => ({ kind: 'routine', schema: splitPath(r.path.slice(0, r.path.lastIndexOf('(')))[0]!, name: r.name, signature: r.signature, routineKind: r.kind });
  // An aggregate is its CREATE AGGREGATE: language and volatility are not its to set.
  const bodyKey = (r: Routine) => (r.kind === 'aggregate' ? bodyNorm(r.definition) : [bodyNorm(r.definition), r.language, r.securityDefiner, r.volatility, [...r.config].sort().join(';')].join('|'));
  for (const [p, t] of tm) {
    const f = fm.get(p);
    if (!f) ctx.out.push({ kind: 'createRoutine', path: p, routine: t });
    else if (f.kind !== t.kind || (f.returns ?? '') !== (t.returns ?? '') || f.arguments !== t.arguments) {
      dropBefore(ctx, { kind: 'dropRoutine', path: p, routine: f }, 'createRoutine');
      ctx.out.push({ kind: 'createRoutine', path: p, routine: t });
    } else if (bodyKey(f) !== bodyKey(t)) ctx.out.push({ kind: 'replaceRoutine', path: p, before: f, after: t });
    comment(ctx, ref(t), p, f?.comment ?? null, t.comment);
  }
  for (const [p, f] of fm) if (!tm.has(p)) ctx.out.push({ kind: 'dropRoutine', path: p, routine: f });
}

/**
 * Collations by schema and name. One that changes is created again under its
 * name: the columns using it must be rebuilt, which Postgres refuses while
 * they exist, so the change is stated as a drop and a create that fail
 * with the engine's message instead of being applied half-way.
 */
function diffCollations(ctx: Ctx, from: Catalog, to: Catalog): void {
  const cKey = (c: Collation) => [c.provider, c.locale, c.lcCtype ?? '', c.deterministic, c.rules ?? ''].join('|');
  diffByName(ctx, from, to, (s) => s.collations ?? [], (a, b) => cKey(a) === cKey(b), 'createCollation', (co, schema) => ({ kind: 'createCollation', path: co.path, collation: co, schema }), (co, schema) => ({ kind: 'dropCollation', path: co.path, collation: co, schema }));
}

/**
 * Rewrite rules, by table and name: a changed one is dropped and created again
 * (its definition is the whole CREATE RULE). A rule on a table that goes away
 * goes with it; one on a renamed table is compared under the new name.
 */
function diffRules(ctx: Ctx, from: Catalog, to: Catalog): void {
  const each = (c: Catalog, renamed: boolean) =>
    new Map(
      c.schemas.flatMap((s: Schema) =>
        (s.rules ?? []).map((r) => {
          const moved = renamed ? ctx.tableRenames.get(key(s.name, r.table)) : undefined;
          return [`${key(moved?.schema ?? s.name, moved?.name ?? r.table)}\u0000${r.name}`, { s: s.name, r }] as const;
        }),
      ),
    );
  const fm = each(from, true);
  const tm = each(to, false);
  const rKey = (r: RewriteRule) => bodyNorm(r.definition.replace(/^CREATE\s+(OR\s+REPLACE\s+)?RULE\s+\S+\s+AS\s+ON\s+\w+\s+TO\s+\S+/i, ''));
  for (const [k, { s, r }] of tm) {
    const f = fm.get(k);
    if (f && rKey(f.r) === rKey(r)) {
      comment(ctx, { kind: 'rule', schema: s, name: r.table, member: r.name }, r.path, f.r.comment, r.comment);
      continue;
    }
    if (f) ctx.out.push({ kind: 'dropRule', path: f.r.path, rule: f.r, schema: f.s });
    ctx.out.push({ kind: 'createRule', path: r.path, rule: r, schema: s });
  }
  for (const [k, { s, r }] of fm) if (!tm.has(k) && !ctx.droppedTables.has(key(s, r.table))) ctx.out.push({ kind: 'dropRule', path: r.path, rule: r, schema: s });
}

function diffEvents(ctx: Ctx, from: Catalog, to: Catalog): void {
  const eKey = (e: Schema['events'][number]) => `${e.schedule}|${bodyNorm(e.definition)}|${e.enabled}`;
  diffByName(ctx, from, to, (s) => s.events, (a, b) => eKey(a) === eKey(b), 'createEvent', (e, schema) => ({ kind: 'createEvent', path: e.path, event: e, schema }), (e, schema) => ({ kind: 'dropEvent', path: e.path, event: e, schema }));
}

/**
 * Schema-level objects paired by schema and name: one whose definition
 * differs is dropped just before it is created again, one that went away is dropped.
 */
function diffByName<T extends { name: string }>(
  ctx: Ctx,
  from: Catalog,
  to: Catalog,
  list: (s: Schema) => readonly T[],
  same: (a: T, b: T) => boolean,
  createKind: ChangeKind,
  create: (o: T, schema: string) => Change,
  drop: (o: T, schema: string) => Change,
): void {
  const each = (c: Catalog) => new Map(c.schemas.flatMap((s) => list(s).map((o) => [key(s.name, o.name), { s: s.name, o }] as const)));
  const fm = each(from);
  const tm = each(to);
  for (const [k, { s, o }] of tm) {
    const f = fm.get(k);
    if (f && same(f.o, o)) continue;
    if (f) dropBefore(ctx, drop(f.o, f.s), createKind);
    ctx.out.push(create(o, s));
  }
  for (const [k, { s, o }] of fm) if (!tm.has(k)) ctx.out.push(drop(o, s));
}
