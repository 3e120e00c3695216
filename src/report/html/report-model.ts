// The data an HTML report embeds: a compact, browser-friendly view of the
// catalog and the audit (arrays instead of objects where a table has many rows),
// plus each schema's ERD laid out in Node so the page never lays out big diagrams.
// Pure: catalog and audit in, plain JSON-serialisable data out.
import { splitPath } from '../../catalog/paths.js';
import type { Catalog, Table } from '../../catalog/types.js';
import type { AuditResult, Finding, Severity } from '../../audit/types.js';
import { selectErd } from '../../erd/erd-graph.js';
import { layoutScene, sceneFromGraph, type TableMark } from '../../erd/erd-layout.js';
import type { ErdScene } from '../../erd/erd-scene.js';
import { indexDefinition } from '../catalog-report.js';
import { dataCoverageLine } from '../data-coverage.js';

/** [name, type, nullable 0|1, default, comment] */
export type ModelColumn = [string, string, 0 | 1, string | null, string | null];

export interface ModelTable {
  s: string;
  n: string;
  p: string;
  k: string;
  c: string | null;
  r: number | null;
  /** 1 when r is an exact count. */
  x?: 1;
  b: number | null;
  cols: ModelColumn[];
  pk: string[] | null;
  /** [name, columns] */
  uq: [string, string[]][];
  /** [name, columns, referenced table path, referenced columns, on delete, on update, referenced table index or -1] */
  fk: [string, string[], string, string[], string, string, number][];
  /** [name, definition, backs constraint] */
  ix: [string, string, string | null][];
  ck: [string, string][];
  /** Triggers and policies as one-line descriptions. */
  tg: string[];
  po: string[];
  rls: 0 | 1;
  /** Indexes of tables whose foreign keys reference this one. */
  rb: number[];
}

export interface ModelFinding {
  r: string;
  c: string;
  s: Severity;
  g: string;
  p: string;
  m: string;
  f: string | null;
  /** Table index the finding is about, or -1 (schema, routine, database). */
  t: number;
  /** Schema name, or '' for database-wide findings. */
  sc: string;
  /** Column the path names, when it names one. */
  col: string | null;
}

export interface ModelSchema {
  name: string;
  comment: string | null;
  tables: number[];
  /** [name (and "materialized"), its columns as `name type`, its definition]. */
  views: [string, string[], string][];
  /** [signature line, returns, definition (cut at MAX_DEFINITION characters)]. */
  routines: [string, string | null, string][];
  enums: [string, string[]][];
}

export interface ReportModel {
  v: 1;
  kind: 'audit' | 'inspect';
  title: string;
  database: string | null;
  dialect: string;
  serverVersion: string;
  generatedAt: string | null;
  audit: {
    grade: string;
    score: number;
    categories: { category: string; score: number; letter: string; counts: Record<Severity, number> }[];
    counts: Record<Severity, number>;
    rules: { id: string; code: string; title: string; category: string; severity: string; doc: string }[];
    skipped: { rule: string; path?: string; reason: string }[];
    target: string;
    durationMs: number;
    /** How much of the data the data rules read (dataCoverageLine), when they ran. */
    data?: string;
  } | null;
  schemas: ModelSchema[];
  tables: ModelTable[];
  findings: ModelFinding[];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

function ruleDoc(id: string, helpUri: string | undefined): string {
  return helpUri || `docs/rules/${id}.md`;
}

/** Which table (index) and column a finding's path names, if any. */
function locate(path: string, index: Map<string, number>, tables: ModelTable[]): { t: number; sc: string; col: string | null } {
  let parts: string[];
  try {
    parts = splitPath(path);
  } catch {
    parts = path.split('.');
  }
  const sc = parts[0] ?? '';
  for (let n = parts.length; n >= 2; n--) {
    // Try the longest prefix that is a table: names may contain dots when quoted.
    const t = index.get(`${parts[0]}\u0000${parts.slice(1, n).join('.')}`);
    if (t != null) {
      const rest = parts.slice(n);
      const col = rest.length && tables[t]!.cols.some((c) => c[0] === rest[0]) ? rest[0]! : null;
      return { t, sc, col };
    }
  }
  return { t: -1, sc, col: null };
}

/** A view's or routine's text is shown whole up to this size; a longer one ends with a note (the page must stay light). */
const MAX_DEFINITION = 20_000;
const cut = (text: string) => (text.length > MAX_DEFINITION ? `${text.slice(0, MAX_DEFINITION)}\n… (${text.length - MAX_DEFINITION} more characters: plumb inspect -f json has all of it)` : text);

function modelTable(t: Table): ModelTable {
  return {
    s: t.schema,
    n: t.name,
    p: t.path,
    k: t.kind,
    c: t.comment,
    r: t.rowEstimate,
    ...(t.rowsExact ? { x: 1 as const } : {}),
    b: t.totalBytes,
    cols: t.columns.map((c) => {
      let type = c.type.raw;
      if (c.identity) type += ` identity ${c.identity}`;
      if (c.generated) type += ` generated (${c.generated})`;
      return [c.name, type, c.nullable ? 1 : 0, c.default, c.comment];
    }),
    pk: t.primaryKey?.columns ?? null,
    uq: t.uniques.map((u) => [u.name, u.columns]),
    fk: t.foreignKeys.map((k) => [k.name, k.columns, `${k.references.schema}\u0000${k.references.table}`, k.references.columns, k.onDelete, k.onUpdate, -1]),
    ix: t.indexes.map((i) => [i.name, indexDefinition(i), i.constraint]),
    ck: t.checks.map((c) => [c.name, c.expression + (c.validated ? '' : ' (NOT VALID)')]),
    tg: t.triggers.map((g) => `${g.name}: ${g.timing} ${g.events.join(' or ')} for each ${g.level}${g.function ? ` → ${g.function}` : ''}${g.enabled ? '' : ' (disabled)'}`),
    po: t.policies.map((p) => `${p.name}: ${p.permissive ? 'permissive' : 'restrictive'} ${p.command} to ${p.roles.join(', ') || 'public'}${p.using ? ` using (${p.using})` : ''}${p.withCheck ? ` with check (${p.withCheck})` : ''}`),
    rls: t.rls.enabled ? 1 : 0,
    rb: [],
  };
}

export interface ModelOptions {
  /** Schemas with more tables than this get no precomputed diagram (the page offers neighbourhoods instead). */
  maxErdTables?: number;
}

export interface BuiltModel {
  model: ReportModel;
  /** Laid-out ERD per schema, same order as model.schemas; null when too big or empty. */
  scenes: (ErdScene | null)[];
}

export async function buildReportModel(catalog: Catalog, audit: AuditResult | null, options: ModelOptions = {}): Promise<BuiltModel> {
  const tables: ModelTable[] = [];
  const index = new Map<string, number>();
  const schemas: ModelSchema[] = catalog.schemas.map((s) => ({
    name: s.name,
    comment: s.comment,
    tables: s.tables.map((t) => {
      index.set(`${t.schema}\u0000${t.name}`, tables.length);
      tables.push(modelTable(t));
      return tables.length - 1;
    }),
    views: s.views.map((v): ModelSchema['views'][number] => [v.name + (v.materialized ? ' (materialized)' : ''), v.columns.map((c) => `${c.name} ${c.type.raw}`), cut(v.definition)]),
    routines: s.routines.map((r): ModelSchema['routines'][number] => [`${r.kind} ${r.name}(${r.signature})${r.securityDefiner ? ' SECURITY DEFINER' : ''}`, r.returns, cut(r.definition)]),
    enums: s.enums.map((e) => [e.name, e.labels]),
  }));
  tables.forEach((t, i) => {
    for (const fk of t.fk) {
      const target = index.get(fk[2]);
      fk[2] = fk[2].replace('\u0000', '.');
      if (target != null) {
        fk[6] = target;
        fk[2] = tables[target]!.p;
        if (!tables[target]!.rb.includes(i)) tables[target]!.rb.push(i);
      }
    }
  });

  const findings: ModelFinding[] = (audit?.findings ?? []).map((f: Finding) => {
    const where = locate(f.path, index, tables);
    return { r: f.rule, c: f.code, s: f.severity, g: f.category, p: f.path, m: f.message, f: f.fix ?? null, ...where };
  });
  const marks = new Map<string, TableMark>();
  for (const f of findings) {
    if (f.t < 0) continue;
    const p = tables[f.t]!.p;
    const m = marks.get(p);
    if (!m) marks.set(p, { severity: f.s, count: 1 });
    else {
      m.count++;
      if (SEVERITY_RANK[f.s] > SEVERITY_RANK[m.severity]) m.severity = f.s;
    }
  }

  const max = options.maxErdTables ?? 2500;
  const scenes: (ErdScene | null)[] = [];
  for (const s of catalog.schemas) {
    if (!s.tables.length || s.tables.length > max) {
      scenes.push(null);
      continue;
    }
    scenes.push(await layoutScene(sceneFromGraph(selectErd(catalog, { schema: s.name }), { marks })));
  }

  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.s]++;
  const helpById = new Map((audit?.rules ?? []).map((r) => [r.id, r.helpUri] as const));
  const model: ReportModel = {
    v: 1,
    kind: audit ? 'audit' : 'inspect',
    title: `${audit ? 'Audit' : 'Catalog'}${catalog.database ? ` of ${catalog.database}` : ''}`,
    database: catalog.database,
    dialect: catalog.dialect,
    serverVersion: catalog.serverVersion,
    generatedAt: audit?.generatedAt ?? null,
    audit: audit
      ? {
          grade: audit.grade,
          score: audit.score,
          categories: audit.categories.map((c) => ({ category: c.category, score: c.score, letter: c.letter, counts: c.counts })),
          counts,
          rules: [...audit.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => ({ id: r.id, code: r.code, title: r.title, category: r.category, severity: r.severity, doc: ruleDoc(r.id, r.helpUri) })),
          skipped: audit.skipped,
          target: audit.target.url,
          durationMs: audit.durationMs,
          ...(dataCoverageLine(audit) ? { data: dataCoverageLine(audit)! } : {}),
        }
      : null,
    schemas,
    tables,
    findings,
  };
  // Rules that reported but are not listed still need a doc link.
  if (model.audit) for (const f of findings) if (!model.audit.rules.some((r) => r.id === f.r)) model.audit.rules.push({ id: f.r, code: f.c, title: f.r, category: f.g, severity: f.s, doc: ruleDoc(f.r, helpById.get(f.r)) });
  return { model, scenes };
}
