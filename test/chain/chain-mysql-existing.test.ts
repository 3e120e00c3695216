// `plumb chain install` on a MySQL/MariaDB table that already exists and holds
// rows (seed 000's core_audit_logs): the rows are chained in key order, the
// AUTO_INCREMENT id is hashed (the append trigger assigns it, as MySQL would
// only after BEFORE INSERT triggers), and appends verify like the backfilled rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installChain } from '../../src/chain/install.js';
import { verifyChain } from '../../src/chain/verify.js';
import { connect } from '../../src/drivers/connect.js';
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
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'action', 'changes', 'note', 'created_at']);
    expect(r.notes.join('\n')).toMatch(/id is AUTO_INCREMENT: the append trigger assigns it/);
    const seqs = await db.conn.query<{ id: number; seq: string }>('SELECT id, CAST(seq AS CHAR) AS seq FROM audit ORDER BY id');
    expect(seqs.map((x) => [x.id, x.seq])).toEqual([[1, '1'], [2, '2'], [3, '3']]);
    const v = await verifyChain(db.conn, { table: 'audit' });
    expect([v.ok, v.head.seq], JSON.stringify(v.problems)).toEqual([true, '3']);
  });

  it('appends through the trigger after the backfilled rows; edits are refused, and detected when forced', async () => {
    await db.conn.exec("INSERT INTO audit (action) VALUES ('LOGIN'), ('LOGOUT')");
    const v = await verifyChain(db.conn, { table: 'audit' });
    expect([v.ok, v.head.seq], JSON.stringify(v.problems)).toEqual([true, '5']);
    expect((await db.conn.query<{ id: number }>('SELECT id FROM audit ORDER BY seq')).map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
    await expect(db.conn.exec("UPDATE audit SET action = 'X' WHERE id = 2")).rejects.toThrow(/append-only/);
    await db.conn.exec('DROP TRIGGER plumb_chain_noupd_audit');
    await db.conn.exec("UPDATE audit SET note = 'rewritten' WHERE id = 2");
    const t = await verifyChain(db.conn, { table: 'audit' });
    expect(t.ok).toBe(false);
    expect(t.problems[0]).toMatchObject({ kind: 'edited', seq: '2' });
  });

  it('concurrent appends each get a distinct id from the trigger, hashed, with no fork', async () => {
    await db.conn.exec('CREATE TRIGGER plumb_chain_noupd_audit BEFORE UPDATE ON audit FOR EACH ROW SIGNAL SQLSTATE \'45000\' SET MESSAGE_TEXT = \'append-only\'');
    const writers = await Promise.all(Array.from({ length: 4 }, () => connect(db.url)));
    try {
      await Promise.all(writers.map(async (w, i) => {
        for (let j = 0; j < 100; j++) await w.query("INSERT INTO audit (action) VALUES (?)", [`w${i}-${j}`]);
      }));
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const ids = (await db.conn.query<{ id: number }>('SELECT id FROM audit WHERE seq > 5 ORDER BY seq')).map((x) => x.id);
    expect(new Set(ids).size).toBe(400);
    // The edited row 2 is still reported; nothing else is.
    const v = await verifyChain(db.conn, { table: 'audit' });
    expect(v.head.seq).toBe('405');
    expect(v.problems.map((p) => [p.kind, p.seq])).toEqual([['edited', '2']]);
  }, 60_000);

  it('a changed id is an edit too', async () => {
    await db.conn.exec('DROP TRIGGER plumb_chain_noupd_audit');
    await db.conn.exec('UPDATE audit SET id = 4000 WHERE id = 4');
    const t = await verifyChain(db.conn, { table: 'audit' });
    expect(t.problems.map((p) => [p.kind, p.seq])).toContainEqual(['edited', '4']);
  });
});
