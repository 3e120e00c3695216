// `plumb chain install` on a MySQL/MariaDB table that already exists and holds
// rows (seed 000's core_audit_logs): the rows are chained in key order, the
// AUTO_INCREMENT id (assigned after BEFORE INSERT triggers) is left out of the
// hash, and appends through the trigger verify like the backfilled rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installChain } from '../../src/chain/install.js';
import { verifyChain } from '../../src/chain/verify.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';

describe.skipIf(!mysqlServer())('chain install on a MySQL table that already has rows', () => {
  let db: FreshMysql;
  beforeAll(async () => {
    db = await freshMysql();
    await db.conn.exec(`CREATE TABLE audit (
      id INT AUTO_INCREMENT PRIMARY KEY, action VARCHAR(20) NOT NULL, changes JSON NULL, note TEXT NULL,
      created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))`);
    // Inserted out of id order: the chain follows --order-by, here the id.
    await db.conn.exec(`INSERT INTO audit (id, action, changes, note) VALUES (3, 'DELETE', NULL, 'it''s \\\\ "quoted"'), (1, 'INSERT', '{"a": [1, 2]}', NULL), (2, 'UPDATE', '{"b": "é😀"}', '')`);
  });
  afterAll(async () => db?.dispose());

  it('chains the existing rows in order and verifies', async () => {
    const r = await installChain(db.conn, { table: 'audit', orderBy: ['id'] });
    expect(r.backfilled).toBe(3);
    expect(r.columns.map((c) => c.name)).toEqual(['action', 'changes', 'note', 'created_at']);
    expect(r.notes.join('\n')).toMatch(/id is AUTO_INCREMENT/);
    const seqs = await db.conn.query<{ id: number; seq: string }>('SELECT id, CAST(seq AS CHAR) AS seq FROM audit ORDER BY id');
    expect(seqs.map((x) => [x.id, x.seq])).toEqual([[1, '1'], [2, '2'], [3, '3']]);
    const v = await verifyChain(db.conn, { table: 'audit' });
    expect([v.ok, v.head.seq], JSON.stringify(v.problems)).toEqual([true, '3']);
  });

  it('appends through the trigger after the backfilled rows; edits are refused, and detected when forced', async () => {
    await db.conn.exec("INSERT INTO audit (action) VALUES ('LOGIN'), ('LOGOUT')");
    const v = await verifyChain(db.conn, { table: 'audit' });
    expect([v.ok, v.head.seq], JSON.stringify(v.problems)).toEqual([true, '5']);
    await expect(db.conn.exec("UPDATE audit SET action = 'X' WHERE id = 2")).rejects.toThrow(/append-only/);
    await db.conn.exec('DROP TRIGGER plumb_chain_noupd_audit');
    await db.conn.exec("UPDATE audit SET note = 'rewritten' WHERE id = 2");
    const t = await verifyChain(db.conn, { table: 'audit' });
    expect(t.ok).toBe(false);
    expect(t.problems[0]).toMatchObject({ kind: 'edited', seq: '2' });
  });
});
