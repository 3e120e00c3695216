// Reads DBML (dbdiagram.io's language) into plumb's catalog shape, so a design
// drawn in a DBML tool can be diffed, planned and applied. Parsing is @dbml/core's
// job; this module only maps its model and must never guess renames or data.
import { createRequire } from 'node:module';
import { objectPath } from '../catalog/paths.js';
import { emptyTable, normalizeCatalog } from '../catalog/normalize.js';
import {
  CATALOG_VERSION,
  type Catalog,
  type Column,
  type ColumnType,
  type DialectName,
  type FkAction,
  type ForeignKey,
  type Index,
  type Schema,
  type Table,
  type TypeKind,
} from '../catalog/types.js';
import { PlumbError } from '../errors.js';
import { DBML_DOMAIN_PREFIX } from '../erd/dbml.js';
import { catalogToSpecInput } from './catalog-to-spec.js';
import { parseSpec } from './normalize-spec.js';
import type { Spec, SpecInput } from './types.js';

// @dbml/core ships CommonJS; createRequire keeps this ESM module loadable from dist/ and tsx alike.
const require = createRequire(import.meta.url);

export interface DbmlLoadOptions {
  /** Dialect the design targets when the DBML's Project has no database_type (default postgres). */
  dialect?: DialectName;
  /** Schema for tables written without one (default `public`). */
  defaultSchema?: string;
}

interface DbmlField {
  name: string;
  type: { schemaName: string | null; type_name: string; args: string | null };
  pk?: boolean;
  unique?: boolean;
  not_null?: boolean;
  increment?: boolean;
  note?: string | null;
  dbdefault?: { type: 'string' | 'number' | 'boolean' | 'expression'; value: string | number | boolean | null };
}
interface DbmlIndex {
  name?: string | null;
  unique?: boolean;
  pk?: boolean;
  type?: string | null;
  note?: string | null;
  columns: { type: 'column' | 'expression' | 'string'; value: string }[];
}
interface DbmlTable {
  name: string;
  note?: string | null;
  fields: DbmlField[];
  indexes: DbmlIndex[];
}
interface DbmlRef {
  name: string | null;
  onDelete?: string | null;
  onUpdate?: string | null;
  endpoints: { schemaName: string | null; tableName: string; fieldNames: string[]; relation: '1' | '*' }[];
}
interface DbmlExport {
  schemas: { name: string; note?: string | null; tables: DbmlTable[]; enums: { name: string; note?: string | null; values: { name: string }[] }[]; refs: DbmlRef[] }[];
}

const KIND_BY_NAME: [RegExp, TypeKind][] = [
  [/^(smallint|int2|smallserial)$/, 'smallint'],
  [/^(int|integer|int4|serial|mediumint)$/, 'int'],
  [/^(bigint|int8|bigserial)$/, 'bigint'],
  [/^tinyint$/, 'tinyint'],
  [/^(numeric|decimal|dec)$/, 'numeric'],
  [/^(real|float4|float)$/, 'real'],
  [/^(double precision|double|float8)$/, 'double'],
  [/^money$/, 'money'],
  [/^(bool|boolean)$/, 'bool'],
  [/^(text|tinytext|mediumtext|longtext|clob|string)$/, 'text'],
  [/^(varchar|character varying|nvarchar)$/, 'varchar'],
  [/^(char|character|bpchar|nchar)$/, 'char'],
  [/^bytea$/, 'bytea'],
  [/^(blob|tinyblob|mediumblob|longblob|binary|varbinary)$/, 'blob'],
  [/^date$/, 'date'],
  [/^(time|time without time zone)$/, 'time'],
  [/^(timetz|time with time zone)$/, 'timetz'],
  [/^(timestamp|timestamp without time zone|datetime)$/, 'timestamp'],
  [/^(timestamptz|timestamp with time zone)$/, 'timestamptz'],
  [/^interval$/, 'interval'],
  [/^year$/, 'year'],
  [/^json$/, 'json'],
  [/^jsonb$/, 'jsonb'],
  [/^uuid$/, 'uuid'],
  [/^inet$/, 'inet'],
  [/^cidr$/, 'cidr'],
  [/^(macaddr|macaddr8)$/, 'macaddr'],
  [/^(bit|bit varying|varbit)$/, 'bit'],
  [/^xml$/, 'xml'],
  [/^tsvector$/, 'tsvector'],
  [/^(geometry|geography)$/, 'geometry'],
];

/** A ColumnType from type text as people write it in DBML: `varchar(255)`, `numeric(10,2)`, `int[]`. */
export function columnTypeFromText(raw: string, enumRef?: string): ColumnType {
  const text = raw.trim();
  if (enumRef) return { kind: 'enum', raw: text, ref: enumRef };
  if (text.endsWith('[]')) return { kind: 'array', raw: text, element: columnTypeFromText(text.slice(0, -2)) };
  const m = /^([A-Za-z_][\w ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(unsigned)?$/i.exec(text);
  const base = (m?.[1] ?? text).toLowerCase().replace(/\s+/g, ' ');
  const kind = KIND_BY_NAME.find(([re]) => re.test(base))?.[1] ?? 'other';
  const t: ColumnType = { kind, raw: text };
  const a = m?.[2] != null ? Number(m[2]) : undefined;
  const b = m?.[3] != null ? Number(m[3]) : undefined;
  if (a != null) {
    if (kind === 'varchar' || kind === 'char' || kind === 'bit') t.length = a;
    else t.precision = a;
  }
  if (b != null) t.scale = b;
  if (m?.[4]) t.unsigned = true;
  return t;
}

function sqlDefault(d: NonNullable<DbmlField['dbdefault']>): string | null {
  if (d.value == null) return null;
  if (d.type === 'string') return `'${String(d.value).replace(/'/g, "''")}'`;
  return String(d.value);
}

function fkAction(a: string | null | undefined): FkAction {
  const v = (a ?? 'no action').toLowerCase();
  return (['no action', 'restrict', 'cascade', 'set null', 'set default'] as const).find((x) => x === v) ?? 'no action';
}

const DIALECT_BY_TYPE: Record<string, DialectName> = { postgresql: 'postgres', postgres: 'postgres', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite', 'sql server': 'mssql', mssql: 'mssql' };

function parseDbml(text: string): { exported: DbmlExport; databaseType: string | null; note: string | null } {
  const { Parser } = require('@dbml/core') as typeof import('@dbml/core');
  try {
    // 'dbmlv2' is @dbml/parse's compiler, the one dbdiagram.io uses; 'dbml' is the older PEG parser.
    const db = new Parser().parse(text, 'dbmlv2');
    return { exported: db.export() as unknown as DbmlExport, databaseType: db.databaseType ?? null, note: (db as { note?: string | null }).note ?? null };
  } catch (e) {
    const diags = (e as { diags?: { message?: string; location?: { start?: { line?: number; column?: number } } }[] }).diags;
    const first = diags?.[0];
    const where = first?.location?.start ? ` at line ${first.location.start.line}, column ${first.location.start.column}` : '';
    throw new PlumbError('E_SPEC', `DBML does not parse${where}: ${first?.message ?? (e as Error).message}`, 'check the DBML in dbdiagram.io or with `npx @dbml/cli dbml2sql`');
  }
}

/** DBML text → a Catalog (normalised, deterministic). Throws PlumbError E_SPEC on a parse error. */
export function loadDbml(text: string, options: DbmlLoadOptions = {}): Catalog {
  const { exported, databaseType, note } = parseDbml(text);
  const defaultSchema = options.defaultSchema ?? 'public';
  const dialect = (databaseType && DIALECT_BY_TYPE[databaseType.toLowerCase()]) || options.dialect || 'postgres';
  const schemaName = (n: string | null | undefined) => n || defaultSchema;

  const enumPaths = new Map<string, string>();
  const schemas = new Map<string, Schema>();
  const schemaOf = (name: string): Schema => {
    let s = schemas.get(name);
    if (!s) {
      s = { name, path: objectPath(name), owner: null, comment: null, tables: [], views: [], enums: [], domains: [], compositeTypes: [], sequences: [], routines: [], events: [] };
      schemas.set(name, s);
    }
    return s;
  };
  // Domains plumb wrote into the project note (DBML has none): `plumb domain {json}` per line.
  const domainPaths = new Map<string, string>();
  for (const line of (note ?? '').split('\n')) {
    if (!line.startsWith(DBML_DOMAIN_PREFIX)) continue;
    let d: { schema?: string; name?: string; type?: string; notNull?: boolean; default?: string | null; checks?: { name: string; expression: string }[]; comment?: string | null };
    try {
      d = JSON.parse(line.slice(DBML_DOMAIN_PREFIX.length)) as typeof d;
    } catch {
      throw new PlumbError('E_SPEC', `DBML project note: a "${DBML_DOMAIN_PREFIX.trim()}" line is not JSON: ${line.slice(0, 120)}`, 'leave the lines plumb wrote into the project note as they are, or remove them');
    }
    if (!d.name || !d.type) continue;
    const schema = schemaName(d.schema);
    const path = objectPath(schema, d.name);
    domainPaths.set(`${schema}\u0000${d.name}`, path);
    schemaOf(schema).domains.push({ name: d.name, path, type: columnTypeFromText(d.type), notNull: !!d.notNull, default: d.default ?? null, checks: d.checks ?? [], comment: d.comment ?? null });
  }
  for (const s of exported.schemas)
    for (const e of s.enums) {
      const path = objectPath(s.name, e.name);
      enumPaths.set(`${s.name}\u0000${e.name}`, path);
      schemaOf(s.name).enums.push({ name: e.name, path, labels: e.values.map((v) => v.name), comment: e.note ?? null });
    }

  const tables = new Map<string, Table>();
  for (const s of exported.schemas) {
    if (s.tables.length || s.enums.length) {
      const sc = schemaOf(s.name);
      if (s.note && s.note !== 'Default Public Schema') sc.comment = s.note;
    }
    for (const dt of s.tables) {
      const path = objectPath(s.name, dt.name);
      const domainType = (raw: string, schema: string | null | undefined, typeName: string): ColumnType | undefined => {
        const ref = domainPaths.get(`${schemaName(schema)}\u0000${typeName}`) ?? (schema ? undefined : domainPaths.get(`${defaultSchema}\u0000${typeName}`));
        return ref ? { kind: 'domain', raw, ref } : undefined;
      };
      const columns: Column[] = dt.fields.map((f, i) => {
        const enumRef = enumPaths.get(`${schemaName(f.type.schemaName)}\u0000${f.type.type_name}`) ?? (f.type.schemaName ? undefined : enumPaths.get(`${defaultSchema}\u0000${f.type.type_name}`));
        const name = f.type.schemaName ? objectPath(f.type.schemaName, f.type.type_name) : f.type.type_name;
        const raw = f.type.args ? `${name}(${f.type.args})` : name;
        return {
          name: f.name,
          path: objectPath(s.name, dt.name, f.name),
          ordinal: i + 1,
          type: domainType(raw, f.type.schemaName, f.type.type_name) ?? columnTypeFromText(raw, enumRef),
          nullable: !(f.not_null || f.pk),
          default: f.dbdefault ? sqlDefault(f.dbdefault) : null,
          identity: f.increment ? 'by default' : null,
          generated: null,
          collation: null,
          comment: f.note ?? null,
        };
      });
      const t: Table = emptyTable(s.name, dt.name, path, { comment: dt.note ?? null, columns });
      const pkCols = dt.fields.filter((f) => f.pk).map((f) => f.name);
      if (pkCols.length) t.primaryKey = { name: `${dt.name}_pkey`, path: objectPath(s.name, dt.name, `${dt.name}_pkey`), columns: pkCols };
      for (const f of dt.fields)
        if (f.unique && !f.pk) {
          const name = `${dt.name}_${f.name}_key`;
          t.uniques.push({ name, path: objectPath(s.name, dt.name, name), columns: [f.name] });
        }
      for (const ix of dt.indexes) {
        const cols = ix.columns.filter((c) => c.type !== 'expression').map((c) => c.value);
        const allColumns = cols.length === ix.columns.length;
        if (ix.pk && allColumns) {
          const name = ix.name || `${dt.name}_pkey`;
          t.primaryKey = { name, path: objectPath(s.name, dt.name, name), columns: cols };
          for (const c of t.columns) if (cols.includes(c.name)) c.nullable = false;
          continue;
        }
        const name = ix.name || `${dt.name}_${cols.join('_') || 'expr'}_${ix.unique ? 'key' : 'idx'}`;
        if (ix.unique && allColumns && !ix.type) {
          t.uniques.push({ name, path: objectPath(s.name, dt.name, name), columns: cols });
          continue;
        }
        const index: Index = {
          name,
          path: objectPath(s.name, dt.name, name),
          elements: ix.columns.map((c) => (c.type === 'expression' ? { expression: c.value } : { column: c.value })),
          unique: ix.unique === true,
          primary: false,
          method: (ix.type ?? 'btree').toLowerCase(),
          predicate: null,
          include: [],
          valid: true,
          constraint: null,
        };
        t.indexes.push(index);
      }
      tables.set(`${s.name}\u0000${dt.name}`, t);
      schemaOf(s.name).tables.push(t);
    }
  }

  // Refs may be declared in any schema block; '*' marks the referencing (many) side, '-' one-to-one
  // puts the key on the first endpoint, as dbdiagram does.
  for (const s of exported.schemas)
    for (const r of s.refs) {
      const [a, b] = r.endpoints;
      if (!a || !b) continue;
      const [child, parent] = a.relation === '1' && b.relation === '*' ? [b, a] : [a, b];
      const t = tables.get(`${schemaName(child.schemaName)}\u0000${child.tableName}`);
      if (!t) throw new PlumbError('E_SPEC', `DBML Ref ${r.name ?? ''} points at unknown table ${child.tableName}`, 'declare the Table before referencing it');
      const name = r.name || `${t.name}_${child.fieldNames.join('_')}_fkey`;
      const fk: ForeignKey = {
        name,
        path: objectPath(t.schema, t.name, name),
        columns: child.fieldNames,
        references: { schema: schemaName(parent.schemaName), table: parent.tableName, columns: parent.fieldNames },
        onDelete: fkAction(r.onDelete),
        onUpdate: fkAction(r.onUpdate),
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
      };
      t.foreignKeys.push(fk);
    }

  return normalizeCatalog({
    catalogVersion: CATALOG_VERSION,
    dialect,
    serverVersion: 'dbml',
    serverMajor: 0,
    database: null,
    extensions: [],
    schemas: [...schemas.values()].filter((s) => s.tables.length || s.enums.length || s.domains.length),
    settings: {},
  });
}

/** DBML text → the spec input users would write in YAML (the same mapping `plumb pull` uses). */
export function dbmlToSpecInput(text: string, options: DbmlLoadOptions = {}): SpecInput {
  return catalogToSpecInput(loadDbml(text, options));
}

/** DBML text → a validated, normalised Spec (the same shape YAML and TypeScript specs become). */
export function loadDbmlSpec(text: string, source = 'DBML spec', options: DbmlLoadOptions = {}): Spec {
  return parseSpec(dbmlToSpecInput(text, options), source);
}
