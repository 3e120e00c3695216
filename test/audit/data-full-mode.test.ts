// `--data sample|full` on real engines: defects planted past the sample limit
// (a small one here, 50 rows, instead of millions of rows) are missed in
// sample mode, which says how much it read and what full mode would add, and
// found in full mode, which reads every row. Postgres servers (before 16: JSON
// checked by CAST, then value by value; 16+: pg_input_is_valid), MariaDB
// (JSON_VALID) and SQLite (json_valid).
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.js';
import { dataRules } from '../../src/audit/rules/data-rules.js';
import type { AuditResult, Finding } from '../../src/audit/types.js';
import type { Connection } from '../../src/drivers/connection.js';
import { renderAuditText } from '../../src/report/audit-text.js';
import { renderAuditMarkdown } from '../../src/report/audit-markdown.js';
import { freshDatabase, mysqlUrl, pgEngines, pgServerUrl, type FreshDb } from '../helpers/engines.js';
import { freshMysql } from '../helpers/mysql.js';
import { freshSqlite } from '../helpers/sqlite.js';

const ROWS = 300;
const LIMIT = 50;

/** 300 users and 300 orders; every defect but one orphan sits past row 50 (by key). */
function plant(): string[] {
  const users: string[] = [];
  const orders: string[] = [];
  for (let i = 1; i <= ROWS; i++) {
    const email = i === 260 ? 'user250@example.com' : `user${i}@example.com`; // duplicate email, case aside
    const status = i === 270 ? 'zombie' : i % 2 ? 'active' : 'disabled'; // outside the declared set
    const settings = i === 280 ? `'{"theme": '` : `'{"theme": "dark", "n": ${i}}'`; // invalid JSON
    users.push(`(${i}, '${i === 250 ? 'USER250@example.com' : email}', '${status}', ${settings})`);
    const userId = i === 10 || i === 290 || i === 295 ? 9000 + i : i; // orphans: one inside the sample, two past it
    orders.push(`(${i}, ${userId}, 'order ${i}')`);
  }
  return [
    `CREATE TABLE accounts (id int PRIMARY KEY, status varchar(20) NOT NULL, CHECK (status IN ('active', 'disabled')))`,
    `INSERT INTO accounts VALUES (1, 'active')`,
    `CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL, status varchar(20) NOT NULL, settings text)`,
    `INSERT INTO users VALUES ${users.join(', ')}`,
    `CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, note varchar(100))`,
    `INSERT INTO orders VALUES ${orders.join(', ')}`,
    // A hash chain whose one broken link (row 20's previous hash) is far older than the newest 50 rows.
    `CREATE TABLE audit_logs (seq int PRIMARY KEY, action varchar(20) NOT NULL, previous_hash varchar(16), row_hash varchar(16))`,
    `INSERT INTO audit_logs VALUES ${Array.from({ length: ROWS }, (_, k) => k + 1).map((i) => `(${i}, 'a', ${i === 1 ? 'NULL' : `'h${i === 20 ? 'x' : i - 1}'`}, 'h${i}')`).join(', ')}`,
  ];
}

const byRule = (r: AuditResult, rule: string): Finding[] => r.findings.filter((f) => f.rule === rule);
const keys = (f: Finding | undefined) => (f?.evidence?.sampleKeys ?? []) as unknown[];

interface Engine {
  name: string;
  open(): Promise<{ conn: Connection; dispose(): Promise<void> }>;
}

const mysql = mysqlUrl();
// Postgres servers: the machine's (15: JSON by CAST, then value by value) and the embedded 18 (pg_input_is_valid).
const servers = pgEngines().filter((e) => e.kind === 'server');
const engines: Engine[] = [
  ...(servers.length ? servers : [{ name: 'server', kind: 'server' as const, url: pgServerUrl() }]).map((e) => ({ name: e.name, open: () => freshDatabase(e) })),
  { name: 'sqlite', open: () => freshSqlite() },
  ...(mysql ? [{ name: 'mariadb', open: () => freshMysql(mysql) }] : []),
];

describe.each(engines)('--data sample|full on $name', (engine) => {
  let db: { conn: Connection; dispose(): Promise<void> } | undefined;
  const audits = new Map<string, Promise<AuditResult>>();
  const auditIn = (mode: 'sample' | 'full'): Promise<AuditResult> => {
    let a = audits.get(mode);
    if (!a) {
      a = (async () => {
        if (!db) {
          db = await engine.open();
          for (const s of plant()) await db.conn.exec(s);
          await db.conn.exec(db.conn.dialect === 'sqlite' ? 'ANALYZE' : db.conn.dialect === 'mysql' ? 'ANALYZE TABLE users, orders' : 'ANALYZE');
        }
        return (await runAudit(db.conn, { rules: dataRules, data: mode, sampleThreshold: LIMIT })).result;
      })();
      audits.set(mode, a);
    }
    return a;
  };
  afterAll(async () => {
    await db?.dispose();
  });

  it('sample mode misses the defects past its rows, and says how much it read and what full mode adds', async () => {
    const r = await auditIn('sample');
    expect(byRule(r, 'invalid-json-text')).toEqual([]);
    expect(byRule(r, 'natural-key-duplicates')).toEqual([]);
    expect(byRule(r, 'status-value-outside-set')).toEqual([]);
    expect(byRule(r, 'audit-chain-broken')).toEqual([]);
    expect(r.data?.mode).toBe('sample');
    expect(r.data?.sampledTables.map((t) => [t.path.split('.').pop(), t.rowsRead])).toEqual([
      ['audit_logs', LIMIT],
      ['orders', LIMIT],
      ['users', LIMIT],
    ]);
    // The one orphan inside the sample is found, and the finding says what it read of how much.
    const [orphans] = byRule(r, 'implied-foreign-key-orphans');
    expect(orphans?.evidence?.orphans).toBe(1);
    expect(orphans?.sampled).toBe(true);
    expect(orphans?.sample?.rowsRead).toBe(LIMIT);
    expect(orphans?.message).toMatch(/sampled: read the first 50 of (~300|more than 50) rows by key; --data full reads all/);
    const line = /data rules read 150 of (~900|more than 150) rows of 3 large tables \(the first 50 of each, by key\); run with --data full to read all/i;
    expect(renderAuditText(r)).toMatch(line);
    expect(renderAuditMarkdown(r)).toMatch(line);
    expect(r.skipped).toEqual([]);
  });

  it('full mode reads every row and finds them all', async () => {
    const r = await auditIn('full');
    expect(r.data).toMatchObject({ mode: 'full', sampledTables: [], tablesRead: expect.any(Number) });
    expect(r.data!.rowsRead).toBeGreaterThanOrEqual(2 * ROWS);
    expect(r.findings.filter((f) => f.sampled)).toEqual([]);
    const [json] = byRule(r, 'invalid-json-text');
    expect(json?.path).toMatch(/users\.settings$/);
    expect(json?.evidence).toMatchObject({ invalid: 1, checked: ROWS });
    expect(keys(json)).toEqual(['280']);
    const [dup] = byRule(r, 'natural-key-duplicates');
    expect(dup?.path).toMatch(/users\.email$/);
    expect(dup?.evidence).toMatchObject({ duplicateValues: 1, rowsInvolved: 2, caseInsensitive: true });
    expect(keys(dup)).toEqual(['250', '260']);
    const [status] = byRule(r, 'status-value-outside-set');
    expect(status?.evidence).toMatchObject({ rows: 1, outside: [{ value: 'zombie', rows: 1 }] });
    expect(keys(status)).toEqual(['270']);
    const [orphans] = byRule(r, 'implied-foreign-key-orphans');
    expect(orphans?.evidence?.orphans).toBe(3);
    expect(keys(orphans)).toEqual(['10', '290', '295']);
    const [chain] = byRule(r, 'audit-chain-broken');
    expect(chain?.evidence).toMatchObject({ checked: ROWS, brokenLinks: 1, nullHashes: 0, firstBreak: { at: '20', after: '19', kind: 'previous hash does not match' } });
    expect(renderAuditText(r)).toMatch(/Data rules read every row \(--data full\): \d[\d,]* rows of \d+ tables, one pass each/);
    expect(r.skipped).toEqual([]);
  });
});
