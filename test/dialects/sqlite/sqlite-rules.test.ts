// The SQLite dialect rules on real SQLite databases: each rule's bad example
// (its docs) fires, its good example does not.
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/audit/audit.js';
import { dialectRules } from '../../../src/audit/rules/dialect-rules.js';
import { freshSqlite } from '../../helpers/sqlite.js';

const sqliteRules = dialectRules.filter((r) => r.meta.dialects?.includes('sqlite'));

async function findings(sql: string, id: string, foreignKeys?: boolean) {
  const db = await freshSqlite({ foreignKeys });
  try {
    // The docs' "good" example may turn foreign keys on with a PRAGMA, as an application would.
    await db.conn.exec(sql);
    const res = await audit(db.conn, { only: [id] });
    return { findings: res.findings.filter((f) => f.rule === id), skipped: res.skipped.filter((s) => s.rule === id) };
  } finally {
    await db.dispose();
  }
}

describe('sqlite dialect rules', () => {
  it('there are SQLite rules in PLB250–299', () => {
    expect(sqliteRules.length).toBeGreaterThanOrEqual(4);
    for (const r of sqliteRules) expect(Number(r.meta.code.slice(3))).toBeGreaterThanOrEqual(250);
  });

  it.each(sqliteRules.map((r) => [r.meta.id, r] as const))('%s fires on its bad example and not on its good one', async (id, r) => {
    const bad = await findings(r.meta.docs.bad, id);
    expect(bad.skipped).toEqual([]);
    expect(bad.findings.length, id).toBeGreaterThan(0);
    const good = await findings(r.meta.docs.good, id);
    expect(good.findings).toEqual([]);
  });

  it('foreign keys off: an error once rows already violate them, with the count', async () => {
    const r = await findings(
      `CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent (id));
       INSERT INTO child VALUES (1, 42), (2, 43);`,
      'sqlite-foreign-keys-off',
    );
    expect(r.findings[0]).toMatchObject({ severity: 'error', evidence: { violations: [{ table: 'child', n: 2 }] } });
    expect(r.findings[0]!.message).toMatch(/2 row\(s\) already violate/);
    // The URL option turns enforcement on: nothing to report.
    expect((await findings(`CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INT REFERENCES p (id));`, 'sqlite-foreign-keys-off', true)).findings).toEqual([]);
  });

  it('mixed storage types: names the column and the odd storage classes', async () => {
    const r = await findings(
      `CREATE TABLE m (id INTEGER PRIMARY KEY, n INTEGER, label TEXT, anything);
       INSERT INTO m (n, label, anything) VALUES (1, 'a', 1), ('x', 2, 'y'), (x'00', 'b', x'01');`,
      'sqlite-mixed-storage-types',
    );
    expect(r.findings.map((f) => [f.path, f.evidence?.storageClasses])).toEqual([
      ['main.m.n', { integer: 1, text: 1, blob: 1 }],
    ]);
  });

  it('autoincrement: one info finding per AUTOINCREMENT column, none for a plain INTEGER PRIMARY KEY', async () => {
    const r = await findings(`CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT); CREATE TABLE b (id INTEGER PRIMARY KEY);`, 'sqlite-autoincrement');
    expect(r.findings.map((f) => [f.path, f.severity])).toEqual([['main.a.id', 'info']]);
  });

  it('nullable primary key: rowid tables only (STRICT and WITHOUT ROWID keys refuse NULL)', async () => {
    const r = await findings(
      `CREATE TABLE loose (code TEXT PRIMARY KEY); CREATE TABLE strict_t (code TEXT PRIMARY KEY) STRICT;
       CREATE TABLE wr (code TEXT PRIMARY KEY) WITHOUT ROWID; CREATE TABLE rowid_alias (id INTEGER PRIMARY KEY);
       INSERT INTO loose VALUES (NULL), (NULL);`,
      'sqlite-nullable-primary-key',
    );
    expect(r.findings.map((f) => f.path)).toEqual(['main.loose.loose_pkey']);
  });
});
