// Turns validated spec input (YAML/JSON/defineSpec) into the normalised Spec:
// shorthands expanded, objects placed in their schemas, constraint and index
// names filled in the way Postgres would name them. Pure: no I/O.
import { PlumbError } from '../errors.js';
import type {
  Spec,
  SpecColumn,
  SpecDefault,
  SpecForeignKey,
  SpecGrant,
  SpecIndex,
  SpecIndexElement,
  SpecInput,
  SpecSchema,
  SpecSeedTable,
  SpecTable,
  SpecVerify,
} from './types.js';
import { SPEC_VERSION, specInputSchema } from './types.js';
import { formatZodIssues } from './spec-errors.js';

type TableInput = NonNullable<SpecInput['tables']>[number];
type ColumnInput = Extract<TableInput['columns'], unknown[]>[number];
type IndexInput = NonNullable<TableInput['indexes']>[number];

const NAMEDATALEN = 63;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function truncBytes(s: string, max: number): string {
  let out = s;
  while (bytes(out) > max) out = out.slice(0, -1);
  return out;
}

/** Postgres' makeObjectName: `name1_name2_label`, shortening the longer part until it fits in 63 bytes. */
export function pgObjectName(name1: string, name2: string | null, label: string): string {
  let n1 = name1;
  let n2 = name2 ?? '';
  const overhead = bytes(label) + 1 + (name2 ? 1 : 0);
  const avail = NAMEDATALEN - overhead;
  while (bytes(n1) + bytes(n2) > avail) {
    if (bytes(n1) > bytes(n2)) n1 = truncBytes(n1, bytes(n1) - 1);
    else n2 = truncBytes(n2, bytes(n2) - 1);
  }
  return name2 ? `${n1}_${n2}_${label}` : `${n1}_${label}`;
}

function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) {
    taken.add(base);
    return base;
  }
  for (let i = 1; ; i++) {
    const n = `${base}${i}`;
    if (!taken.has(n)) {
      taken.add(n);
      return n;
    }
  }
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Split `a.b.c` on dots outside double quotes, unquoting parts. */
export function splitDotted(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') {
      if (q && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else q = !q;
    } else if (ch === '.' && !q) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function emptySchema(name: string): SpecSchema {
  return { name, comment: null, tables: [], views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [], rules: [], collations: [] };
}

/** Validate raw input with the zod schema and normalise it. Throws E_SPEC with the path of each problem. */
export function parseSpec(input: unknown, source = 'spec'): Spec {
  const r = specInputSchema.safeParse(input);
  if (!r.success) {
    throw new PlumbError('E_SPEC', `${source} is not a valid spec:\n${formatZodIssues(r.error.issues)}`, 'the format is in docs/spec.md (an example per object kind); `plumb pull --db URL --out spec.yaml` writes a complete example');
  }
  return normalizeSpec(r.data as SpecInput, source);
}

export function normalizeSpec(input: SpecInput, source = 'spec'): Spec {
  const def = input.defaultSchema ?? 'public';
  const schemas = new Map<string, SpecSchema>();
  const schema = (name: string | undefined): SpecSchema => {
    const n = name ?? def;
    let s = schemas.get(n);
    if (!s) schemas.set(n, (s = emptySchema(n)));
    return s;
  };
  const errors: string[] = [];

  const addBody = (schemaName: string | undefined, body: Omit<NonNullable<Extract<NonNullable<SpecInput['schemas']>[number], object>>, 'name'> | SpecInput) => {
    for (const t of body.tables ?? []) {
      const s = schema(t.schema ?? schemaName);
      s.tables.push(normalizeTable(t, s.name, def, errors));
    }
    for (const v of body.views ?? []) {
      const s = schema(v.schema ?? schemaName);
      s.views.push({
        name: v.name,
        schema: s.name,
        sql: v.sql.trim().replace(/;\s*$/, ''),
        materialized: v.materialized ?? false,
        securityInvoker: v.securityInvoker ?? false,
        checkOption: v.checkOption ?? null,
        comment: v.comment ?? null,
        renamedFrom: list(v.renamedFrom),
        indexes: normalizeIndexes(v.name, v.indexes ?? []),
        grants: (v.grants ?? []).map(grant),
      });
    }
    for (const e of body.enums ?? []) {
      const s = schema(e.schema ?? schemaName);
      s.enums.push({ name: e.name, schema: s.name, labels: [...e.labels], renamedLabels: { ...(e.renamedLabels ?? {}) }, comment: e.comment ?? null, renamedFrom: list(e.renamedFrom) });
    }
    for (const d of body.domains ?? []) {
      const s = schema(d.schema ?? schemaName);
      const taken = new Set<string>();
      s.domains.push({
        name: d.name,
        schema: s.name,
        type: d.type,
        notNull: d.notNull ?? false,
        default: (d.default ?? null) as SpecDefault,
        checks: (d.checks ?? []).map((c) => (typeof c === 'string' ? { name: uniqueName(pgObjectName(d.name, null, 'check'), taken), expression: c } : { name: c.name ?? uniqueName(pgObjectName(d.name, null, 'check'), taken), expression: c.expression })),
        comment: d.comment ?? null,
      });
    }
    for (const c of body.compositeTypes ?? []) {
      const s = schema(c.schema ?? schemaName);
      const attrs = !c.attributes ? [] : Array.isArray(c.attributes) ? c.attributes.map((a) => ({ name: a.name, type: a.type })) : Object.entries(c.attributes).map(([name, type]) => ({ name, type }));
      s.compositeTypes.push({ name: c.name, schema: s.name, attributes: attrs, ...(c.range ? { range: c.range } : {}), comment: c.comment ?? null });
    }
    for (const q of body.sequences ?? []) {
      const s = schema(q.schema ?? schemaName);
      const type = q.type === 'smallint' || q.type === 'int2' ? 'smallint' : q.type === 'integer' || q.type === 'int' || q.type === 'int4' ? 'integer' : 'bigint';
      const str = (v: string | number | undefined) => (v === undefined ? null : String(v));
      s.sequences.push({
        name: q.name,
        schema: s.name,
        type,
        start: str(q.start),
        increment: str(q.increment) ?? '1',
        min: str(q.min),
        max: str(q.max),
        cache: str(q.cache) ?? '1',
        cycle: q.cycle ?? false,
        ownedBy: q.ownedBy ?? null,
        comment: q.comment ?? null,
      });
    }
    for (const r of body.routines ?? []) {
      const s = schema(r.schema ?? schemaName);
      const kind = r.kind ?? 'function';
      s.routines.push({
        name: r.name,
        schema: s.name,
        kind,
        arguments: r.arguments ?? '',
        returns: kind === 'procedure' || kind === 'aggregate' ? null : (r.returns ?? 'void'),
        language: r.language ?? (kind === 'aggregate' ? 'internal' : 'plpgsql'),
        body: r.body,
        securityDefiner: r.securityDefiner ?? false,
        volatility: r.volatility ?? 'volatile',
        config: [...(r.config ?? [])],
        comment: r.comment ?? null,
      });
    }
    for (const c of body.collations ?? []) {
      schema(c.schema ?? schemaName).collations.push({
        name: c.name,
        provider: c.provider ?? 'icu',
        locale: c.locale,
        ...(c.lcCtype !== undefined && c.lcCtype !== c.locale ? { lcCtype: c.lcCtype } : {}),
        deterministic: c.deterministic ?? true,
        ...(c.rules !== undefined ? { rules: c.rules } : {}),
      });
    }
    for (const r of body.rules ?? []) schema(r.schema ?? schemaName).rules.push({ name: r.name, table: r.table, definition: r.definition.trim().replace(/;\s*$/, ''), comment: r.comment ?? null });
    for (const e of body.events ?? []) {
      const s = schema(e.schema ?? schemaName);
      s.events.push({ name: e.name, schema: s.name, schedule: e.schedule, definition: e.definition, enabled: e.enabled ?? true, comment: e.comment ?? null });
    }
  };

  for (const s of input.schemas ?? []) {
    if (typeof s === 'string') schema(s);
    else {
      const sch = schema(s.name);
      if (s.comment !== undefined) sch.comment = s.comment;
      addBody(s.name, s);
    }
  }
  addBody(undefined, input);

  const findTable = (ref: string): SpecTable | undefined => {
    const parts = splitDotted(ref);
    const [sn, tn] = parts.length >= 2 ? [parts[0]!, parts[1]!] : [def, parts[0]!];
    return schemas.get(sn)?.tables.find((t) => t.name === tn);
  };
  for (const t of input.triggers ?? []) {
    const tab = findTable(t.schema ? `${t.schema}.${t.table}` : t.table);
    if (!tab) errors.push(`triggers: ${t.name}: table ${t.table} is not declared`);
    else tab.triggers.push(normalizeTrigger(t, tab.schema, errors));
  }
  for (const p of input.policies ?? []) {
    const tab = findTable(p.schema ? `${p.schema}.${p.table}` : p.table);
    if (!tab) errors.push(`policies: ${p.name}: table ${p.table} is not declared`);
    else tab.policies.push(normalizePolicy(p));
  }
  for (const g of input.grants ?? []) {
    const tab = findTable(g.on);
    const parts = splitDotted(g.on);
    const view = tab ? undefined : schemas.get(parts.length > 1 ? parts[0]! : def)?.views.find((v) => v.name === parts[parts.length - 1]);
    const target = tab ?? view;
    if (!target) errors.push(`grants: ${g.on} is not a declared table or view`);
    else target.grants.push(grant(g));
  }
  for (const [path, text] of Object.entries(input.comments ?? {})) {
    if (!applyComment(schemas, def, path, text ?? null)) errors.push(`comments: ${path} does not name a declared object`);
  }

  const seed: SpecSeedTable[] = [];
  const seedIn = input.seed ?? [];
  const seedEntries = Array.isArray(seedIn) ? seedIn.map((t) => [t.table, t] as const) : Object.entries(seedIn).map(([k, t]) => [t.table ?? k, t] as const);
  for (const [tableRef, t] of seedEntries) {
    const parts = splitDotted(tableRef);
    const schemaName = t.schema ?? (parts.length > 1 ? parts[0]! : def);
    const table = parts[parts.length - 1]!;
    seed.push({ schema: schemaName, table, key: [...t.key], rows: t.rows.map((r) => ({ ...r })), encrypt: [...(t.encrypt ?? [])], hash: { ...(t.hash ?? {}) }, prune: t.prune ?? false });
  }

  const verify: SpecVerify[] = (input.verify ?? []).map((v) =>
    ({ ...('reject' in v ? { kind: 'reject', name: v.name, reject: v.reject, errorClass: v.errorClass ?? null } : { kind: 'query', name: v.name, sql: v.sql, expect: v.expect }), ...(v.dialects ? { dialects: [...v.dialects] } : {}) }) as SpecVerify,
  );

  if (errors.length) {
    throw new PlumbError('E_SPEC', `${source} has ${errors.length} problem${errors.length > 1 ? 's' : ''}:\n${errors.map((e) => `  - ${e}`).join('\n')}`, 'fix the names above so every reference points at a declared object');
  }

  const all = [...schemas.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  resolveSchemaQualifiedRefs(all);
  const declaresGrants = all.some((s) => s.tables.some((t) => t.grants.length) || s.views.some((v) => v.grants.length));
  return {
    version: SPEC_VERSION,
    dialect: input.dialect ?? null,
    defaultSchema: def,
    extensions: (input.extensions ?? []).map((e) => (typeof e === 'string' ? { name: e, schema: null, version: null } : { name: e.name, schema: e.schema ?? null, version: e.version ?? null, ...(e.comment !== undefined ? { comment: e.comment } : {}) })),
    schemas: all,
    seed,
    verify,
    include: [...(input.include ?? [])],
    manage: { grants: input.manage?.grants ?? declaresGrants, comments: input.manage?.comments ?? true, rls: input.manage?.rls ?? true },
    sql: [],
    sources: [source],
  };
}

/**
 * A column's `references: a.b` reads as table `a`, column `b`. Where no table
 * `a` is declared beside it but a schema `a` declares a table `b`, the author
 * meant schema.table (`references: app.core_roles`): that one is taken.
 */
function resolveSchemaQualifiedRefs(schemas: SpecSchema[]): void {
  const tables = new Map(schemas.map((s) => [s.name, new Set(s.tables.map((t) => t.name))]));
  for (const s of schemas) {
    for (const t of s.tables) {
      for (const fk of t.foreignKeys) {
        const r = fk.references;
        const column = r.columns?.length === 1 ? r.columns[0]! : undefined;
        if (column === undefined || tables.get(r.schema)?.has(r.table) || !tables.get(r.table)?.has(column)) continue;
        fk.references = { schema: r.table, table: column, columns: null };
      }
    }
  }
}

function grant(g: { grantee: string; privileges: string[]; grantable?: boolean | undefined }): SpecGrant {
  return { grantee: g.grantee, privileges: g.privileges.map((p) => p.toUpperCase()), grantable: g.grantable ?? false };
}

function applyComment(schemas: Map<string, SpecSchema>, def: string, path: string, text: string | null): boolean {
  const parts = splitDotted(path);
  const tryIn = (sn: string, rest: string[]): boolean => {
    const s = schemas.get(sn);
    if (!s) return false;
    if (rest.length === 0) {
      s.comment = text;
      return true;
    }
    const [obj, member] = rest;
    const t = s.tables.find((x) => x.name === obj);
    if (t) {
      if (!member) {
        t.comment = text;
        return true;
      }
      const c = t.columns.find((x) => x.name === member);
      if (c) {
        c.comment = text;
        return true;
      }
      const i = t.indexes.find((x) => x.name === member);
      if (i) {
        i.comment = text;
        return true;
      }
      return false;
    }
    if (member) return false;
    for (const arr of [s.views, s.enums, s.domains, s.compositeTypes, s.sequences, s.routines, s.events] as { name: string; comment: string | null }[][]) {
      const o = arr.find((x) => x.name === obj);
      if (o) {
        o.comment = text;
        return true;
      }
    }
    return false;
  };
  return tryIn(parts[0]!, parts.slice(1)) || tryIn(def, parts);
}

function normalizeTrigger(
  t: { name: string; timing: 'before' | 'after' | 'instead of'; events: ('insert' | 'update' | 'delete' | 'truncate')[]; level?: 'row' | 'statement' | undefined; function?: string | undefined; body?: string | undefined; arguments?: string[] | undefined; updateOf?: string[] | undefined; referencing?: string | undefined; when?: string | undefined; enabled?: boolean | undefined },
  schemaName: string,
  errors: string[],
) {
  if ((t.function === undefined) === (t.body === undefined)) errors.push(`triggers: ${t.name}: a trigger has exactly one of \`function\` (the routine it calls) or \`body\` (its own statements, MySQL and SQLite)`);
  const fn = (t.function ?? '').replace(/\(\s*\)\s*$/, '');
  const parts = splitDotted(fn);
  const order = ['insert', 'update', 'delete', 'truncate'] as const;
  return {
    name: t.name,
    timing: t.timing,
    events: order.filter((e) => t.events.includes(e)),
    level: t.level ?? 'row',
    function: t.body !== undefined ? '' : parts.length > 1 ? `${parts[0]}.${parts[1]}` : `${schemaName}.${parts[0]}`,
    ...(t.body !== undefined ? { body: t.body } : {}),
    arguments: [...(t.arguments ?? [])],
    updateOf: [...(t.updateOf ?? [])],
    ...(t.referencing ? { referencing: t.referencing } : {}),
    when: t.when ?? null,
    enabled: t.enabled ?? true,
  };
}

function normalizePolicy(p: { name: string; command?: 'all' | 'select' | 'insert' | 'update' | 'delete' | undefined; permissive?: boolean | undefined; roles?: string[] | undefined; using?: string | undefined; withCheck?: string | undefined }) {
  return { name: p.name, command: p.command ?? 'all', permissive: p.permissive ?? true, roles: [...(p.roles ?? ['public'])].sort(), using: p.using ?? null, withCheck: p.withCheck ?? null };
}

function normalizeIndexes(table: string, indexes: IndexInput[], taken = new Set<string>()): SpecIndex[] {
  return indexes.map((i) => {
    const elements: SpecIndexElement[] = [
      ...(i.columns ?? []).map((c) => (typeof c === 'string' ? { column: c } : stripUndefined({ ...c }))),
      ...(i.expressions ?? []).map((e) => ({ expression: e })),
    ];
    const label = elements.map((e) => e.column ?? 'expr').join('_');
    return {
      name: i.name ?? uniqueName(pgObjectName(table, label, 'idx'), taken),
      elements,
      unique: i.unique ?? false,
      where: i.where ?? null,
      include: [...(i.include ?? [])],
      method: i.using ?? i.method ?? 'btree',
      nullsNotDistinct: i.nullsNotDistinct ?? false,
      comment: i.comment ?? null,
      ...(i.using ? { using: i.using } : {}),
      ...(i.name === undefined ? { implicitName: true } : {}),
    };
  });
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function normalizeTable(t: TableInput, schemaName: string, def: string, errors: string[]): SpecTable {
  const cols: ColumnInput[] = Array.isArray(t.columns)
    ? t.columns
    : Object.entries(t.columns).map(([n, v]) => (typeof v === 'string' ? { name: n, type: v } : { ...v, name: v.name ?? n }));
  const taken = new Set<string>();
  let pk: SpecTable['primaryKey'] = null;
  if (t.primaryKey) pk = Array.isArray(t.primaryKey) ? { name: '', columns: [...t.primaryKey] } : { name: t.primaryKey.name ?? '', columns: [...t.primaryKey.columns], ...stripUndefined({ lengths: t.primaryKey.lengths, using: t.primaryKey.using }) };
  const pkCols = cols.filter((c) => c.primaryKey).map((c) => c.name);
  if (pkCols.length) {
    if (pk) errors.push(`tables.${t.name}: primary key declared both on the table and on column(s) ${pkCols.join(', ')}`);
    else pk = { name: '', columns: pkCols };
  }
  if (pk) pk.name = pk.name || pgObjectName(t.name, null, 'pkey');
  if (pk) taken.add(pk.name);
  const inPk = new Set(pk?.columns ?? []);

  const columns: SpecColumn[] = cols.map((c) => {
    const identity = c.identity === true ? 'by default' : c.identity === false || c.identity === undefined ? null : c.identity;
    const generated = c.generated === undefined ? null : typeof c.generated === 'string' ? { expression: c.generated, stored: true } : { expression: c.generated.expression, stored: c.generated.stored ?? true };
    return {
      name: c.name,
      type: c.type,
      // Primary-key and identity columns are NOT NULL whatever is written.
      nullable: inPk.has(c.name) || identity ? false : (c.nullable ?? true),
      default: (c.default ?? null) as SpecDefault,
      identity,
      generated,
      collation: c.collation ?? null,
      comment: c.comment ?? null,
      renamedFrom: list(c.renamedFrom),
      using: c.using ?? null,
      ...(c.storage ? { storage: c.storage } : {}),
      ...(c.statistics !== undefined ? { statistics: c.statistics } : {}),
      ...(c.compression ? { compression: c.compression } : {}),
      ...(c.charset ? { charset: c.charset } : {}),
      ...(c.onUpdate ? { onUpdate: c.onUpdate } : {}),
      ...(c.invisible ? { invisible: true } : {}),
      ...(c.autoIncrement ? { autoIncrement: true } : {}),
    };
  });
  for (const name of inPk) if (!columns.some((c) => c.name === name)) errors.push(`tables.${t.name}.primaryKey: column ${name} is not declared`);

  const uniques: SpecTable['uniques'] = [];
  const addUnique = (u: { name?: string | undefined; columns: string[]; nullsNotDistinct?: boolean | undefined; deferrable?: boolean | undefined; initiallyDeferred?: boolean | undefined }) =>
    uniques.push({ name: u.name ?? uniqueName(pgObjectName(t.name, u.columns.join('_'), 'key'), taken), columns: [...u.columns], nullsNotDistinct: u.nullsNotDistinct ?? false, deferrable: u.deferrable ?? false, ...(u.initiallyDeferred ? { initiallyDeferred: true } : {}), ...(u.name === undefined ? { implicitName: true } : {}) });
  for (const c of cols) if (c.unique) addUnique({ columns: [c.name] });
  for (const u of t.uniques ?? []) addUnique(Array.isArray(u) ? { columns: u } : u);

  const foreignKeys: SpecForeignKey[] = [];
  const addFk = (f: NonNullable<TableInput['foreignKeys']>[number]) =>
    foreignKeys.push({
      name: f.name ?? uniqueName(pgObjectName(t.name, f.columns.join('_'), 'fkey'), taken),
      ...(f.name === undefined ? { implicitName: true } : {}),
      columns: [...f.columns],
      references: { schema: f.references.schema ?? (f.references.table.includes('.') ? splitDotted(f.references.table)[0]! : def), table: f.references.table.includes('.') ? splitDotted(f.references.table)[1]! : f.references.table, columns: f.references.columns ? [...f.references.columns] : null },
      onDelete: f.onDelete ?? 'no action',
      onUpdate: f.onUpdate ?? 'no action',
      deferrable: f.deferrable ?? false,
      initiallyDeferred: f.initiallyDeferred ?? false,
      match: f.match ?? 'simple',
      validated: f.validated ?? true,
    });
  for (const c of cols) {
    if (!c.references) continue;
    if (typeof c.references === 'string') {
      // `table`, `table.column`, `schema.table.column`
      const p = splitDotted(c.references);
      const [sn, tn, cn] = p.length >= 3 ? [p[0]!, p[1]!, p[2]!] : p.length === 2 ? [def, p[0]!, p[1]!] : [def, p[0]!, undefined];
      addFk({ columns: [c.name], references: { schema: sn, table: tn, ...(cn ? { columns: [cn] } : {}) } });
    } else {
      const r = c.references;
      addFk({ ...(r.name ? { name: r.name } : {}), columns: [c.name], references: { schema: r.schema ?? def, table: r.table, ...(r.column ? { columns: [r.column] } : {}) }, ...(r.onDelete ? { onDelete: r.onDelete } : {}), ...(r.onUpdate ? { onUpdate: r.onUpdate } : {}) });
    }
  }
  for (const f of t.foreignKeys ?? []) addFk(f);

  const checks: SpecTable['checks'] = [];
  for (const c of cols) if (c.check) checks.push({ name: uniqueName(pgObjectName(t.name, c.name, 'check'), taken), expression: c.check, noInherit: false, validated: true, implicitName: true });
  for (const c of t.checks ?? []) {
    if (typeof c === 'string') checks.push({ name: uniqueName(pgObjectName(t.name, null, 'check'), taken), expression: c, noInherit: false, validated: true, implicitName: true });
    else checks.push({ name: c.name ?? uniqueName(pgObjectName(t.name, null, 'check'), taken), expression: c.expression, noInherit: c.noInherit ?? false, validated: c.validated ?? true, ...(c.name === undefined ? { implicitName: true } : {}) });
  }
  const exclusions: SpecTable['exclusions'] = (t.exclusions ?? []).map((x) => ({
    name: x.name ?? uniqueName(pgObjectName(t.name, x.elements.map((e) => (/^\w+$/.test(e.expression) ? e.expression : 'expr')).join('_'), 'excl'), taken),
    using: x.using ?? 'gist',
    elements: x.elements.map((e) => ({ ...e })),
    where: x.where ?? null,
    ...(x.name === undefined ? { implicitName: true } : {}),
  }));
  // Index names share the namespace of relations, not constraints; Postgres picks `_idx` names.
  const indexes = normalizeIndexes(t.name, t.indexes ?? [], new Set(taken));
  const rls = t.rls === undefined ? { enabled: false, forced: false } : typeof t.rls === 'boolean' ? { enabled: t.rls, forced: false } : { enabled: t.rls.enabled, forced: t.rls.forced ?? false };
  return {
    name: t.name,
    schema: schemaName,
    comment: t.comment ?? null,
    renamedFrom: list(t.renamedFrom),
    columns,
    primaryKey: pk,
    uniques,
    foreignKeys,
    checks,
    exclusions,
    indexes,
    triggers: (t.triggers ?? []).map((x) => normalizeTrigger(x, schemaName, errors)),
    ...(t.unlogged ? { unlogged: true } : {}),
    ...(t.storageParameters?.length ? { storageParameters: [...t.storageParameters] } : {}),
    ...(t.partitionBy ? { partitionBy: t.partitionBy } : {}),
    ...(t.partitionOf ? { partitionOf: t.partitionOf, partitionBound: t.partitionBound ?? 'DEFAULT' } : {}),
    ...stripUndefined({ engine: t.engine, charset: t.charset, collation: t.collation, rowFormat: t.rowFormat }),
    policies: (t.policies ?? []).map(normalizePolicy),
    rls,
    grants: (t.grants ?? []).map(grant),
  };
}
