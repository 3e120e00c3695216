// Peer rules whose defect cannot be planted on PGlite (docs/peer-coverage.md):
// a foreign key to non-unique columns or to a missing table (only InnoDB
// accepts them), and an extension older than the server's (needs an old
// version script on disk). Each fires on the defect and not beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { catalogRules } from '../../src/audit/rules/catalog-rules.js';
import { freshDatabase, pgServerUrl, type FreshDb } from '../helpers/engines.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';

const parentRule = catalogRules.find((r) => r.meta.id === 'foreign-key-parent-not-unique')!;

describe.runIf(mysqlServer())('foreign-key-parent-not-unique (mariadb)', () => {
  const dbs: FreshMysql[] = [];
  const paths: Record<'bad' | 'good' | 'missing', string[]> = { bad: [], good: [], missing: [] };

  beforeAll(async () => {
    const missingParent = `SET foreign_key_checks = 0;
CREATE TABLE orders (id bigint PRIMARY KEY, ghost_id bigint, CONSTRAINT orders_ghost_fk FOREIGN KEY (ghost_id) REFERENCES ghosts (id)) ENGINE=InnoDB;
SET foreign_key_checks = 1;`;
    for (const [side, sql] of [['bad', parentRule.meta.docs.bad], ['good', parentRule.meta.docs.good], ['missing', missingParent]] as const) {
      const db = await freshMysql();
      dbs.push(db);
      await db.conn.exec(sql);
      const res = await audit(db.conn, { only: ['foreign-key-parent-not-unique'] });
      paths[side] = res.findings.filter((f) => f.rule === 'foreign-key-parent-not-unique').map((f) => `${f.path.slice(db.name.length + 1)} ${String(f.evidence?.references ?? '').replace(db.name, 'db')}`);
    }
  });
  afterAll(async () => {
    for (const d of dbs) await d.dispose();
  });

  it('reports a reference to non-unique columns, not one to a unique key', () => {
    expect(paths.bad).toEqual(['subscriptions.subscriptions_plan_fk db.plans']);
    expect(paths.good).toEqual([]);
  });

  it('reports a reference to a table that does not exist', () => {
    expect(paths.missing).toEqual(['orders.orders_ghost_fk db.ghosts']);
  });
});

describe('extension-outdated (postgres server)', () => {
  let db: FreshDb;
  const found: Record<'old' | 'updated', string[]> = { old: [], updated: [] };

  beforeAll(async () => {
    db = await freshDatabase({ name: 'server', kind: 'server', url: pgServerUrl() });
    await db.conn.exec(`CREATE EXTENSION hstore VERSION '1.4'`);
    const old = await audit(db.conn, { only: ['extension-outdated'] });
    found.old = old.findings.map((f) => `${f.path}: ${f.message} | ${f.fix}`);
    for (const f of old.findings) if (f.fix) await db.conn.exec(f.fix);
    found.updated = (await audit(db.conn, { only: ['extension-outdated'] })).findings.map((f) => f.path);
  });
  afterAll(async () => db?.dispose());

  it('reports an extension behind the default version, with a fix that silences it', () => {
    expect(found.old).toHaveLength(1);
    expect(found.old[0]).toMatch(/^public\.hstore: extension hstore is at version 1\.4; the server provides \d+\.\d+ \| ALTER EXTENSION "?hstore"? UPDATE;$/);
    expect(found.updated).toEqual([]);
  });
});
