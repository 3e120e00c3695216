// Idempotent seeding of reference data keyed by natural keys: each row is
// found by its key, inserted when missing, updated only when a value differs
// (encrypted columns compared by decrypting, hashed ones by verifying), so a
// second run changes nothing. References to other seeded rows are resolved by
// their natural key. Never prints an encrypted value, a hash or a password.
import type { Catalog, Table } from '../catalog/types.js';
import { findTable } from '../catalog/normalize.js';
import type { Connection } from '../drivers/connection.js';
import { getDialect } from '../dialects/index.js';
import { PlumbError } from '../errors.js';
import { isSeedRef, type SeedRef, type SpecSeedTable } from '../spec/types.js';
import { decryptValue, encryptValue, generateSecret, hashPassword, verifyPassword, type EncryptionKey } from './seed-crypto.js';

export interface SeedOptions {
  /** Needed when a table has `encrypt` columns. */
  key?: EncryptionKey;
  /** Environment for `hash: { env }` sources (the CLI passes process.env). */
  env?: Record<string, string | undefined>;
  /** Delete rows not in the spec from tables marked `prune` (destructive: the CLI asks first). */
  prune?: boolean;
  /** Run in a transaction that is rolled back; report what would change. */
  dryRun?: boolean;
}

export interface SeedTableReport {
  table: string;
  inserted: number;
  updated: number;
  unchanged: number;
  pruned: number;
}

export interface SeedReport {
  tables: SeedTableReport[];
  /** Passwords generated for hashed columns with no source: shown once, never stored in plaintext. */
  generated: { table: string; key: Record<string, unknown>; column: string; secret: string }[];
  dryRun: boolean;
}

class DryRun extends Error {}

function refTable(ref: SeedRef, defaultSchema: string): { schema: string; name: string } {
  const i = ref.$ref.indexOf('.');
  return i < 0 ? { schema: defaultSchema, name: ref.$ref } : { schema: ref.$ref.slice(0, i), name: ref.$ref.slice(i + 1) };
}

/** Tables whose rows reference other seeded tables come after them. */
export function seedOrder(tables: SpecSeedTable[]): SpecSeedTable[] {
  const key = (s: string, n: string) => `${s}.${n}`;
  const byKey = new Map(tables.map((t) => [key(t.schema, t.table), t]));
  const out: SpecSeedTable[] = [];
  const state = new Map<SpecSeedTable, number>();
  const visit = (t: SpecSeedTable) => {
    if (state.get(t)) return;
    state.set(t, 1);
    for (const row of t.rows) for (const v of Object.values(row)) {
      if (!isSeedRef(v)) continue;
      const r = refTable(v, t.schema);
      const dep = byKey.get(key(r.schema, r.name));
      if (dep && dep !== t) visit(dep);
    }
    state.set(t, 2);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

function stable(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v, Object.keys(v as object).sort());
  return String(v);
}

export async function seed(conn: Connection, tables: SpecSeedTable[], catalog: Catalog, options: SeedOptions = {}): Promise<SeedReport> {
  const d = getDialect(conn.dialect);
  const p = (i: number) => (conn.dialect === 'postgres' ? `$${i}` : '?');
  // Null-safe equality differs per engine (IS NOT DISTINCT FROM / <=> / IS).
  const same = (a: string, b: string) => (conn.dialect === 'mysql' ? `${a} <=> ${b}` : conn.dialect === 'sqlite' ? `${a} IS ${b}` : `${a} IS NOT DISTINCT FROM ${b}`);
  const report: SeedReport = { tables: [], generated: [], dryRun: !!options.dryRun };
  const refCache = new Map<string, unknown>();

  const resolveRef = async (tx: Connection, from: Table, column: string, ref: SeedRef): Promise<unknown> => {
    const target = refTable(ref, from.schema);
    const t = findTable(catalog, target.schema, target.name);
    if (!t) throw new PlumbError('E_SPEC', `seed reference to ${target.schema}.${target.name}: no such table`, 'seed tables in the order they exist, or fix the $ref');
    const fk = from.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column && f.references.table === t.name && f.references.schema === t.schema);
    const pick = ref.column ?? fk?.references.columns[0] ?? (t.primaryKey?.columns.length === 1 ? t.primaryKey.columns[0] : undefined);
    if (!pick) throw new PlumbError('E_SPEC', `seed reference to ${target.schema}.${target.name}: name the column to take with \`column\``, 'the table has no single-column primary key');
    const keys = Object.keys(ref.key).sort();
    const cacheKey = `${target.schema}.${target.name}.${pick}:${stable(ref.key)}`;
    if (refCache.has(cacheKey)) return refCache.get(cacheKey);
    const rows = await tx.query<Record<string, unknown>>(
      `SELECT ${d.quoteIdent(pick)} AS v FROM ${d.quoteQualified(t.schema, t.name)} WHERE ${keys.map((k, i) => `${d.quoteIdent(k)} = ${p(i + 1)}`).join(' AND ')}`,
      keys.map((k) => ref.key[k]),
    );
    if (rows.length !== 1) {
      throw new PlumbError('E_SPEC', `seed reference ${target.name} ${stable(ref.key)} matches ${rows.length} rows (column ${from.name}.${column})`, 'a $ref key must identify exactly one row; seed the referenced row first');
    }
    refCache.set(cacheKey, rows[0]!.v);
    return rows[0]!.v;
  };

  const run = async (tx: Connection) => {
    for (const st of seedOrder(tables)) {
      const t = findTable(catalog, st.schema, st.table);
      if (!t) throw new PlumbError('E_SPEC', `seed table ${st.schema}.${st.table} does not exist`, 'apply the spec first (plumb apply), then seed');
      const tq = d.quoteQualified(t.schema, t.name);
      const enc = new Set(st.encrypt);
      const hashed = st.hash ?? {};
      for (const k of st.key) if (enc.has(k) || hashed[k]) throw new PlumbError('E_SPEC', `seed ${st.table}: key column ${k} cannot be encrypted or hashed`, 'natural keys must be stored as they are');
      if (enc.size && !options.key) throw new PlumbError('E_CONFIG', `seed ${st.table} encrypts ${[...enc].join(', ')} but no key was given`, 'set PLUMB_ENCRYPTION_KEY (base64, 32 bytes) or pass --key-file');
      const r: SeedTableReport = { table: `${t.schema}.${t.name}`, inserted: 0, updated: 0, unchanged: 0, pruned: 0 };
      for (const row of st.rows) {
        const values: Record<string, unknown> = {};
        for (const [c, v] of Object.entries(row)) {
          if (!t.columns.some((x) => x.name === c)) throw new PlumbError('E_SPEC', `seed ${st.table}: no column ${c}`, `columns of ${st.table}: ${t.columns.map((x) => x.name).join(', ')}`);
          values[c] = isSeedRef(v) ? await resolveRef(tx, t, c, v) : v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
        }
        for (const k of st.key) if (values[k] === undefined || values[k] === null) throw new PlumbError('E_SPEC', `seed ${st.table}: a row has no value for key column ${k}`, 'every row names its natural key');
        for (const [c, h] of Object.entries(hashed)) {
          if (h.scheme !== 'scrypt') throw new PlumbError('E_CONFIG', `seed ${st.table}.${c}: hash scheme ${h.scheme} is not available`, 'use scheme: scrypt (built into Node)');
          const plain = (h.env ? options.env?.[h.env] : undefined) ?? (typeof values[c] === 'string' ? (values[c] as string) : undefined);
          if (plain === undefined) delete values[c];
          else values[c] = { $plain: plain };
        }
        const keyWhere = st.key.map((k, i) => same(d.quoteIdent(k), p(i + 1))).join(' AND ');
        const keyParams = st.key.map((k) => values[k]);
        const existing = await tx.query<Record<string, unknown>>(`SELECT * FROM ${tq} WHERE ${keyWhere}`, keyParams);
        if (existing.length > 1) throw new PlumbError('E_SPEC', `seed ${st.table}: key (${st.key.join(', ')}) = ${stable(keyParams)} matches ${existing.length} rows`, 'add a unique constraint on the natural key, or fix the duplicates');
        const cur = existing[0];
        // Turn special columns into what is stored, reusing the stored value when it already holds the same plaintext.
        const stored: Record<string, unknown> = {};
        for (const [c, v] of Object.entries(values)) {
          if (enc.has(c) && v !== null && v !== undefined) {
            const plain = String(v);
            const old = cur?.[c];
            stored[c] = typeof old === 'string' && decryptValue(options.key!, old) === plain ? old : encryptValue(options.key!, plain);
          } else if (v && typeof v === 'object' && '$plain' in v) {
            const plain = (v as { $plain: string }).$plain;
            const old = cur?.[c];
            stored[c] = typeof old === 'string' && verifyPassword(plain, old) ? old : hashPassword(plain);
          } else stored[c] = v;
        }
        if (!cur) {
          for (const [c, h] of Object.entries(hashed)) {
            if (stored[c] !== undefined || !t.columns.some((x) => x.name === c)) continue;
            void h;
            const secret = generateSecret();
            stored[c] = hashPassword(secret);
            report.generated.push({ table: r.table, key: Object.fromEntries(st.key.map((k) => [k, values[k]])), column: c, secret });
          }
          const cols = Object.keys(stored);
          await tx.query(`INSERT INTO ${tq} (${cols.map((c) => d.quoteIdent(c)).join(', ')}) VALUES (${cols.map((_, i) => p(i + 1)).join(', ')})`, cols.map((c) => stored[c]));
          r.inserted++;
          continue;
        }
        const cols = Object.keys(stored).filter((c) => !st.key.includes(c));
        if (!cols.length) {
          r.unchanged++;
          continue;
        }
        // The database compares (its own types, its own equality), so '1.50' vs 1.5 or timestamp spellings never cause an update.
        const n = st.key.length;
        const diff = await tx.query(
          `SELECT 1 AS x FROM ${tq} WHERE ${keyWhere} AND NOT (${cols.map((c, i) => same(d.quoteIdent(c), p(n + i + 1))).join(' AND ')})`,
          [...keyParams, ...cols.map((c) => stored[c])],
        );
        if (!diff.length) {
          r.unchanged++;
          continue;
        }
        await tx.query(`UPDATE ${tq} SET ${cols.map((c, i) => `${d.quoteIdent(c)} = ${p(i + 1)}`).join(', ')} WHERE ${st.key.map((k, i) => same(d.quoteIdent(k), p(cols.length + i + 1))).join(' AND ')}`, [
          ...cols.map((c) => stored[c]),
          ...keyParams,
        ]);
        r.updated++;
      }
      if (st.prune && options.prune && st.rows.length) {
        const keep = st.rows.map((row) => st.key.map((k) => row[k]));
        if (keep.some((k) => k.some((v) => isSeedRef(v)))) throw new PlumbError('E_SPEC', `seed ${st.table}: prune needs plain key values`, 'remove prune, or key the table by plain columns');
        const params = keep.flat();
        const tuples = keep.map((k, i) => `(${k.map((_, j) => p(i * st.key.length + j + 1)).join(', ')})`).join(', ');
        const before = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${tq} WHERE (${st.key.map((k) => d.quoteIdent(k)).join(', ')}) NOT IN (${tuples})`, params);
        r.pruned = Number(before[0]?.n ?? 0);
        if (r.pruned) await tx.query(`DELETE FROM ${tq} WHERE (${st.key.map((k) => d.quoteIdent(k)).join(', ')}) NOT IN (${tuples})`, params);
      }
      report.tables.push(r);
    }
    if (options.dryRun) throw new DryRun();
  };
  try {
    await conn.transaction(run);
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  }
  return report;
}
