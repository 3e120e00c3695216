// Property tests of the SQLite renderer on real SQLite (fast-check, 100 cases
// each): for random pairs of schemas (with rows in the first), the rendered
// plan either applies — and then nothing is left to change and every row is
// kept — or fails and leaves the database exactly as it was; the rollbacks of
// a plan without lossy steps return the original catalog and rows. Fault
// injection: interrupting the plan at every statement boundary leaves the
// database exactly as before (DDL is transactional in SQLite).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { introspectSqlite } from '../../../src/dialects/sqlite/sqlite-introspector.js';
import { renderSqliteChanges } from '../../../src/dialects/sqlite/sqlite-render.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import type { Connection } from '../../../src/drivers/connection.js';
import { freshSqlite } from '../../helpers/sqlite.js';
import { pairArb, rowsSql, schemaDdl, tableName, type Dialectish, type SchemaModel } from './schema-arbitrary.js';

const sqlite: Dialectish = {
  typeSql: (t) => ({ int: 'INTEGER', text: 'TEXT', varchar: 'VARCHAR(20)', numeric: 'NUMERIC(8,2)', real: 'REAL', bool: 'BOOLEAN', date: 'DATE' })[t],
  q: (n) => `"${n}"`,
  indexable: () => true,
};

/** Every row of every table, as one comparable value. */
async function content(conn: Connection): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const tables = await conn.query<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  for (const { name } of tables) out[name] = await conn.query(`SELECT * FROM "${name}" ORDER BY id`);
  return out;
}

async function setup(before: SchemaModel, after: SchemaModel) {
  const a = await freshSqlite();
  const b = await freshSqlite();
  for (const s of [...schemaDdl(before, sqlite), ...rowsSql(before, sqlite)]) await a.conn.exec(s);
  for (const s of schemaDdl(after, sqlite)) await b.conn.exec(s);
  const from = await introspectSqlite(a.conn);
  const to = await introspectSqlite(b.conn);
  await b.dispose();
  const changes = diffCatalogs(from, to);
  return { a, from, to, changes, rendered: renderSqliteChanges(changes, from) };
}

class Interrupt extends Error {}

describe('sqlite renderer properties (fast-check)', () => {
  const seen = { applied: 0, refused: 0, rolledBack: 0, rebuilds: 0 };

  it('a rendered plan applies completely or not at all; applied plans match the target and keep the rows; rollbacks restore', async () => {
    await fc.assert(
      fc.asyncProperty(pairArb, async ([before, after]) => {
        const { a, from, to, rendered } = await setup(before, after);
        try {
          const rows0 = await content(a.conn);
          if (rendered.some((r) => r.forward.some((s) => s.includes('plumb_new_')))) seen.rebuilds++;
          let ok = true;
          try {
            await a.conn.transaction(async (tx) => {
              for (const r of rendered) for (const s of r.forward) await tx.exec(s);
            });
          } catch {
            ok = false;
          }
          const now = await introspectSqlite(a.conn);
          if (!ok) {
            // Refused (the rows break a target constraint): nothing changed.
            seen.refused++;
            expect(diffCatalogs(now, from)).toEqual([]);
            expect(await content(a.conn)).toEqual(rows0);
            return;
          }
          seen.applied++;
          expect(diffCatalogs(now, to)).toEqual([]);
          // Every table that exists on both sides kept its rows (ids).
          const rows1 = await content(a.conn);
          for (const [t, rs] of Object.entries(rows0)) if (rows1[t]) expect(rows1[t]!.map((r) => (r as { id: number }).id)).toEqual(rs.map((r) => (r as { id: number }).id));
          if (rendered.some((r) => r.lossy)) return;
          await a.conn.transaction(async (tx) => {
            for (const r of [...rendered].reverse()) for (const s of r.rollback) await tx.exec(s);
          });
          seen.rolledBack++;
          expect(diffCatalogs(await introspectSqlite(a.conn), from)).toEqual([]);
          expect(await content(a.conn)).toEqual(rows0);
        } finally {
          await a.dispose();
        }
      }),
      { numRuns: 100, seed: 20261123 },
    );
    process.stdout.write(`sqlite property: ${JSON.stringify(seen)}\n`);
    // The cases must exercise both outcomes and the rebuild path, or the property proves little.
    expect(seen.applied).toBeGreaterThan(20);
    expect(seen.rolledBack).toBeGreaterThan(10);
    expect(seen.rebuilds).toBeGreaterThan(10);
  });

  it('interrupting a plan at any statement boundary leaves the database as it was (100 cuts)', async () => {
    const before: SchemaModel = [
      { cols: [{ type: 'int', notNull: true, withDefault: false, check: false, unique: false, index: true, ref: null }, { type: 'text', notNull: false, withDefault: true, check: false, unique: true, index: false, ref: null }] },
      { cols: [{ type: 'int', notNull: true, withDefault: false, check: true, unique: false, index: false, ref: 0 }, { type: 'varchar', notNull: false, withDefault: false, check: false, unique: false, index: false, ref: null }] },
    ];
    const after: SchemaModel = [
      { cols: [{ type: 'int', notNull: true, withDefault: true, check: true, unique: false, index: false, ref: null }, { type: 'text', notNull: false, withDefault: false, check: false, unique: false, index: true, ref: null }, { type: 'date', notNull: false, withDefault: true, check: false, unique: false, index: false, ref: null }] },
      { cols: [{ type: 'int', notNull: true, withDefault: false, check: false, unique: false, index: false, ref: 0 }, { type: 'numeric', notNull: false, withDefault: false, check: true, unique: true, index: false, ref: null }] },
      { cols: [{ type: 'int', notNull: false, withDefault: false, check: false, unique: false, index: false, ref: 1 }] },
    ];
    const { a, from, to, rendered } = await setup(before, after);
    try {
      const statements = rendered.flatMap((r) => r.forward);
      expect(statements.length).toBeGreaterThan(30);
      const rows0 = await content(a.conn);
      const cuts = Array.from({ length: 100 }, (_, i) => Math.floor((i * statements.length) / 100));
      for (const cut of cuts) {
        await expect(
          a.conn.transaction(async (tx) => {
            for (const [i, s] of statements.entries()) {
              if (i === cut) throw new Interrupt(`cut at ${i}`);
              await tx.exec(s);
            }
          }),
        ).rejects.toBeInstanceOf(Interrupt);
        expect(diffCatalogs(await introspectSqlite(a.conn), from), `cut ${cut}`).toEqual([]);
        expect(await content(a.conn)).toEqual(rows0);
      }
      // And uninterrupted, it completes.
      await a.conn.transaction(async (tx) => {
        for (const s of statements) await tx.exec(s);
      });
      expect(diffCatalogs(await introspectSqlite(a.conn), to)).toEqual([]);
      expect(Object.keys(await content(a.conn))).toContain(tableName(2));
    } finally {
      await a.dispose();
    }
  });
});
