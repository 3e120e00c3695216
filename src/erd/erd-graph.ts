// Chooses what an entity-relationship diagram shows: a whole catalog, one
// schema, or one table's neighbourhood (tables joined to it by foreign keys, in
// either direction, up to a depth). Pure: catalog in, graph out, sorted by path.
import { objectPath, splitPath } from '../catalog/paths.js';
import type { Catalog, Table } from '../catalog/types.js';
import { PlumbError } from '../errors.js';

export interface ErdSelection {
  /** Only this schema's tables (plus stubs for the tables they reference elsewhere). */
  schema?: string;
  /** Centre the diagram on this table (`name` or `schema.name`) and show its neighbourhood. */
  table?: string;
  /** Neighbourhood depth for `table`: 1 or 2 (default 1). */
  depth?: number;
}

export interface ErdColumn {
  name: string;
  type: string;
  nullable: boolean;
  pk: boolean;
  fk: boolean;
  unique: boolean;
  comment: string | null;
}

export interface ErdNode {
  /** The table's path (`schema.table`). */
  id: string;
  schema: string;
  name: string;
  comment: string | null;
  columns: ErdColumn[];
  /** True for a table outside the selection, shown only because a selected table references it. */
  external: boolean;
}

export interface ErdEdge {
  /** The foreign key's path. */
  id: string;
  name: string;
  /** Referencing (child) table id and columns. */
  from: string;
  columns: string[];
  /** Referenced (parent) table id and columns. */
  to: string;
  refColumns: string[];
  /** Every referencing column is NOT NULL: each child row has exactly one parent. */
  required: boolean;
  /** The referencing columns are unique: one-to-one. */
  oneToOne: boolean;
  /** The referencing columns are part of the child's primary key (an identifying relationship). */
  identifying: boolean;
  onDelete: string;
  onUpdate: string;
}

export interface ErdGraph {
  nodes: ErdNode[];
  edges: ErdEdge[];
}

const tableId = (schema: string, name: string): string => `${schema}\u0000${name}`;
const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function erdColumns(t: Table): ErdColumn[] {
  const pk = new Set(t.primaryKey?.columns ?? []);
  const fk = new Set(t.foreignKeys.flatMap((k) => k.columns));
  const uq = new Set(t.uniques.filter((u) => u.columns.length === 1).map((u) => u.columns[0]!));
  for (const ix of t.indexes) if (ix.unique && ix.predicate == null && ix.elements.length === 1 && ix.elements[0]!.column) uq.add(ix.elements[0]!.column);
  return t.columns.map((c) => ({
    name: c.name,
    type: c.type.raw,
    nullable: c.nullable,
    pk: pk.has(c.name),
    fk: fk.has(c.name),
    unique: uq.has(c.name) && !pk.has(c.name),
    comment: c.comment,
  }));
}

function isUniqueSet(t: Table, cols: string[]): boolean {
  if (t.primaryKey && sameSet(t.primaryKey.columns, cols)) return true;
  if (t.uniques.some((u) => sameSet(u.columns, cols))) return true;
  return t.indexes.some((ix) => ix.unique && ix.predicate == null && ix.elements.every((e) => e.column) && sameSet(ix.elements.map((e) => e.column!), cols));
}

/** Finds a table by `name` (unique across schemas, or within `schema`) or by `schema.name`. */
export function resolveTable(catalog: Catalog, ref: string, schema?: string): Table {
  const all = catalog.schemas.flatMap((s) => s.tables);
  const parts = splitPath(ref);
  let hits: Table[];
  if (parts.length >= 2) hits = all.filter((t) => t.schema === parts[0] && t.name === parts.slice(1).join('.'));
  else hits = all.filter((t) => t.name === ref && (!schema || t.schema === schema));
  if (hits.length === 0 && parts.length >= 2) hits = all.filter((t) => t.name === ref && (!schema || t.schema === schema));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0)
    throw new PlumbError('E_USAGE', `no table ${ref}${schema ? ` in schema ${schema}` : ''}`, 'name a table as it appears in `plumb inspect -f text` (schema.table when the name is in several schemas)');
  throw new PlumbError('E_USAGE', `table name ${ref} is in several schemas: ${hits.map((t) => t.schema).join(', ')}`, `qualify it, e.g. --table ${hits[0]!.path}`);
}

/** The diagram for a selection: nodes and foreign-key edges, deterministic order. */
export function selectErd(catalog: Catalog, sel: ErdSelection = {}): ErdGraph {
  const tables = new Map<string, Table>();
  for (const s of catalog.schemas) for (const t of s.tables) tables.set(tableId(t.schema, t.name), t);
  if (sel.schema && !catalog.schemas.some((s) => s.name === sel.schema))
    throw new PlumbError('E_USAGE', `no schema ${sel.schema}`, `schemas: ${catalog.schemas.map((s) => s.name).join(', ') || '(none)'}`);

  let chosen: Set<string>;
  if (sel.table) {
    const centre = resolveTable(catalog, sel.table, sel.schema);
    const depth = Math.max(0, Math.min(sel.depth ?? 1, 5));
    // Undirected adjacency: a neighbourhood is what joins to the table, whichever side holds the key.
    const adj = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      if (!adj.has(a)) adj.set(a, new Set());
      adj.get(a)!.add(b);
    };
    for (const [id, t] of tables)
      for (const fk of t.foreignKeys) {
        const to = tableId(fk.references.schema, fk.references.table);
        link(id, to);
        link(to, id);
      }
    chosen = new Set([tableId(centre.schema, centre.name)]);
    let frontier = [...chosen];
    for (let d = 0; d < depth; d++) {
      const next: string[] = [];
      for (const id of frontier) for (const n of adj.get(id) ?? []) if (!chosen.has(n) && tables.has(n)) (chosen.add(n), next.push(n));
      frontier = next;
    }
  } else {
    chosen = new Set([...tables].filter(([, t]) => !sel.schema || t.schema === sel.schema).map(([id]) => id));
  }

  const nodes: ErdNode[] = [];
  const edges: ErdEdge[] = [];
  const stubs = new Map<string, { schema: string; name: string; columns: Set<string> }>();
  for (const id of chosen) {
    const t = tables.get(id)!;
    nodes.push({ id: t.path, schema: t.schema, name: t.name, comment: t.comment, columns: erdColumns(t), external: false });
    const pk = new Set(t.primaryKey?.columns ?? []);
    for (const fk of t.foreignKeys) {
      const toId = tableId(fk.references.schema, fk.references.table);
      const parent = tables.get(toId);
      // In a neighbourhood, show only keys between shown tables; in a schema view, stub the foreign parents.
      if (!chosen.has(toId)) {
        if (sel.table) continue;
        const stub = stubs.get(toId) ?? { schema: fk.references.schema, name: fk.references.table, columns: new Set<string>() };
        for (const c of fk.references.columns) stub.columns.add(c);
        stubs.set(toId, stub);
      }
      edges.push({
        id: fk.path,
        name: fk.name,
        from: t.path,
        columns: fk.columns,
        to: parent?.path ?? objectPath(fk.references.schema, fk.references.table),
        refColumns: fk.references.columns,
        required: fk.columns.every((c) => t.columns.find((x) => x.name === c)?.nullable === false),
        oneToOne: isUniqueSet(t, fk.columns),
        identifying: fk.columns.length > 0 && fk.columns.every((c) => pk.has(c)),
        onDelete: fk.onDelete,
        onUpdate: fk.onUpdate,
      });
    }
  }
  for (const [id, s] of stubs) {
    const t = tables.get(id);
    const cols = t ? erdColumns(t).filter((c) => s.columns.has(c.name)) : [...s.columns].sort().map((name) => ({ name, type: '', nullable: false, pk: true, fk: false, unique: false, comment: null }));
    nodes.push({ id: t?.path ?? objectPath(s.schema, s.name), schema: s.schema, name: s.name, comment: t?.comment ?? null, columns: cols, external: true });
  }
  return { nodes: nodes.sort(byId), edges: edges.sort(byId) };
}
