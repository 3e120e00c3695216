// SQLite rendering on a real database: diff two schemas, render every change
// (the 12-step rebuild where SQLite cannot ALTER), apply, re-inspect: nothing
// left to change, data kept; the rollbacks return the original catalog.
import { describe, expect, it } from 'vitest';
import { introspectSqlite } from '../../../src/dialects/sqlite/sqlite-introspector.js';
import { renderSqliteChange, renderSqliteChanges, sqliteRenderedKinds } from '../../../src/dialects/sqlite/sqlite-render.js';
import { sqliteDialect } from '../../../src/dialects/sqlite/sqlite-dialect.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import { changeKinds, type Change } from '../../../src/diff/changes.js';
import type { Connection } from '../../../src/drivers/connection.js';
import { freshSqlite } from '../../helpers/sqlite.js';

async function evolve(before: string, after: string, data = '') {
  const a = await freshSqlite();
  const b = await freshSqlite();
  await a.conn.exec(before);
  if (data) await a.conn.exec(data);
  await b.conn.exec(after);
  const from = await introspectSqlite(a.conn);
  const to = await introspectSqlite(b.conn);
  await b.dispose();
  const changes = diffCatalogs(from, to);
  const rendered = renderSqliteChanges(changes, from);
  return { a, from, to, changes, rendered };
}

const run = (conn: Connection, stmts: string[][]) => conn.transaction(async (tx) => {
  for (const list of stmts) for (const s of list) await tx.exec(s);
});

describe('sqlite renderer', () => {
  it('covers every change kind', () => {
    expect([...sqliteRenderedKinds].sort()).toEqual([...changeKinds].sort());
  });

  it('evolves a schema with rebuilds, keeps the rows, and rolls back to the original catalog', async () => {
    const { a, from, to, changes, rendered } = await evolve(
      `CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
       CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent ON DELETE CASCADE, qty INT DEFAULT 1, note VARCHAR(20));
       CREATE INDEX child_parent ON child (parent_id);
       CREATE TRIGGER child_touch AFTER UPDATE ON child BEGIN UPDATE child SET qty = qty WHERE id = NEW.id; END;`,
      `CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL DEFAULT 'x', CONSTRAINT name_uq UNIQUE (name));
       CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent ON DELETE CASCADE, qty INT DEFAULT 2 CHECK (qty > 0), memo VARCHAR(40));
       CREATE INDEX child_parent ON child (parent_id);
       CREATE TRIGGER child_touch AFTER UPDATE ON child BEGIN UPDATE child SET qty = qty WHERE id = NEW.id; END;
       CREATE TABLE extra (id INTEGER PRIMARY KEY, child_id INT REFERENCES child (id));
       CREATE VIEW v AS SELECT id, name FROM parent;`,
      `INSERT INTO parent VALUES (1, 'a'), (2, 'b'); INSERT INTO child VALUES (1, 1, 5, 'n'), (2, 2, 3, 'm');`,
    );
    try {
      expect(changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['alterColumnNullability', 'addCheck', 'addUnique', 'dropColumn', 'createTable', 'createView']));
      // Rebuilds are marked lossy only when a column or a type goes.
      expect(rendered.some((r) => r.forward.some((s) => s.includes('plumb_new_child')))).toBe(true);
      await run(a.conn, rendered.map((r) => r.forward));
      expect(diffCatalogs(await introspectSqlite(a.conn), to)).toEqual([]);
      expect(await a.conn.query('SELECT id, parent_id, qty FROM child ORDER BY id')).toEqual([
        { id: 1, parent_id: 1, qty: 5 },
        { id: 2, parent_id: 2, qty: 3 },
      ]);
      await run(a.conn, [...rendered].reverse().map((r) => r.rollback));
      expect(diffCatalogs(await introspectSqlite(a.conn), from)).toEqual([]);
      expect(await a.conn.query('SELECT count(*) AS n FROM child')).toEqual([{ n: 2 }]);
    } finally {
      await a.dispose();
    }
  });

  it('refuses to rebuild with foreign keys ON, and rolls back when foreign_key_check finds violations', async () => {
    const { a, rendered } = await evolve(
      `CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT);`,
      `CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id));`,
      `INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1), (2, 99);`,
    );
    try {
      await expect(run(a.conn, rendered.map((r) => r.forward))).rejects.toThrow(/foreign_key_check found rows violating/);
      // The transaction rolled back: no foreign key, both rows still there.
      const cat = await introspectSqlite(a.conn);
      expect(cat.schemas[0]!.tables.find((t) => t.name === 'c')!.foreignKeys).toEqual([]);
      await a.conn.exec('PRAGMA foreign_keys = ON');
      await expect(run(a.conn, rendered.map((r) => r.forward))).rejects.toThrow(/foreign_keys must be OFF/);
    } finally {
      await a.dispose();
    }
  });

  it('inlines foreign keys in CREATE TABLE so the separate addForeignKey is a no-op', async () => {
    const { a, changes, rendered } = await evolve(``, `CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id) ON DELETE SET NULL);`);
    try {
      const i = changes.findIndex((c) => c.kind === 'addForeignKey');
      expect(i).toBeGreaterThanOrEqual(0);
      expect(rendered[i]).toEqual({ forward: [], rollback: [] });
      await run(a.conn, rendered.map((r) => r.forward));
      expect((await introspectSqlite(a.conn)).schemas[0]!.tables.find((t) => t.name === 'c')!.foreignKeys[0]).toMatchObject({ onDelete: 'set null' });
    } finally {
      await a.dispose();
    }
  });

  it('uses plain ALTER where SQLite can, and needs the catalog only for rebuilds', async () => {
    const { from, changes } = await evolve(`CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)`, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INT)`);
    const add = changes.find((c) => c.kind === 'addColumn')!;
    expect(sqliteDialect.render!(add).forward).toEqual(['ALTER TABLE "main"."t" ADD COLUMN "b" INT']);
    const nn = changes.find((c) => c.kind === 'alterColumnNullability')!;
    expect(() => renderSqliteChange(nn)).toThrow(/rebuild main.t/);
    expect(renderSqliteChange(nn, { catalog: from }).forward).toContain('DROP TABLE "main"."t"');
  });

  it('raises a PlumbError with a hint for what SQLite cannot have', () => {
    const c = { kind: 'createSchema', path: 'x', schema: { name: 'x', owner: null, comment: null } } as Change;
    expect(() => renderSqliteChange(c)).toThrow(expect.objectContaining({ code: 'E_PLAN', hint: expect.stringContaining('main') }));
    const e = { kind: 'createEnum', path: 'main.mood', enum: { name: 'mood', path: 'main.mood', labels: ['a'], comment: null } } as Change;
    expect(() => renderSqliteChange(e)).toThrow(expect.objectContaining({ code: 'E_PLAN', hint: expect.stringContaining('CHECK') }));
  });
});
