// The data rules are dialect-neutral: the same rules, through the same audit
// engine, on MariaDB (mysql driver + MySQL introspector), each fixture in its
// own database. Bad fixtures must fire, good ones must not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { dataRules } from '../../src/audit/rules/data-rules.js';
import type { Rule } from '../../src/audit/rule.js';
import type { AuditResult } from '../../src/audit/types.js';
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { mysqlUrl, uniqueName } from '../helpers/engines.js';
import { loadDataFixture, plantMysql } from './fixtures/data/harness.js';

const url = mysqlUrl();
const run = uniqueName('dx');
const dbOf = (r: Rule, side: 'bad' | 'good') => `${run}_${r.meta.code.toLowerCase()}_${side}`;
const SECRETS = ['Welcome2024!', 'sk_live_51Hx9QkLmN2pOq3RsTu4VwXy', 'JBSWY3DPEHPK3PXP'];

/** Rules whose defect cannot be planted on MariaDB (fixture `mysql: null`). */
const notOnMysql = dataRules.filter((r) => loadDataFixture(r.meta.id).mysql === null).map((r) => r.meta.id);

describe.skipIf(!url)('data rules on MariaDB', () => {
  let conn: Connection;
  let bad: AuditResult;
  let good: AuditResult;
  const created: string[] = [];
  const planted: Rule[] = [];

  // Two audits (every data rule over every bad database, then every good one): the good side is a clean twin.
  beforeAll(async () => {
    conn = await connect(url!);
    for (const r of dataRules) {
      const fx = loadDataFixture(r.meta.id);
      if (fx.mysql === null) continue;
      const sql = fx.mysql ?? { bad: fx.bad, good: fx.good };
      for (const side of ['bad', 'good'] as const) {
        created.push(dbOf(r, side));
        await plantMysql(conn, dbOf(r, side), sql[side]);
      }
      planted.push(r);
    }
    bad = await audit(conn, { rules: dataRules, inspect: { schemas: planted.map((r) => dbOf(r, 'bad')) } });
    good = await audit(conn, { rules: dataRules, inspect: { schemas: planted.map((r) => dbOf(r, 'good')) } });
  });
  afterAll(async () => {
    if (!conn) return;
    for (const d of created) await conn.exec(`DROP DATABASE IF EXISTS \`${d}\``);
    await conn.close();
  });

  it('every data rule runs on MariaDB', () => {
    expect(notOnMysql).toEqual([]);
  });

  it('runs every check: nothing skipped on either side', () => {
    expect(bad.skipped).toEqual([]);
    expect(good.skipped).toEqual([]);
  });

  it.each(dataRules.map((r) => [r.meta.id] as const))('%s fires on its bad fixture and not on any good one', (id) => {
    const r = dataRules.find((x) => x.meta.id === id)!;
    const found = bad.findings.filter((f) => f.rule === id && f.path.startsWith(`${dbOf(r, 'bad')}.`));
    expect(found.length, `${id}: ${JSON.stringify(bad.findings.filter((f) => f.rule === id))}`).toBeGreaterThan(0);
    expect(good.findings.filter((f) => f.rule === id).map((f) => `${f.path}: ${f.message}`)).toEqual([]);
  });

  it('reports the same facts as on Postgres (orphans, duplicates, chain break)', () => {
    const ev = (id: string) => bad.findings.find((f) => f.rule === id)!.evidence;
    expect(ev('foreign-key-orphans')).toMatchObject({ orphans: 1, sampleKeys: ['2'], missingParentValues: ['99'] });
    expect(ev('natural-key-duplicates')).toMatchObject({ duplicateValues: 1, rowsInvolved: 2, sampleKeys: ['1', '2'] });
    expect(ev('status-value-outside-set')).toMatchObject({ outside: [{ value: 'pending_unseal', rows: 1 }], sampleKeys: ['3'] });
    expect(ev('audit-chain-broken')).toMatchObject({ brokenLinks: 1, nullHashes: 1, firstBreak: { at: '4' } });
    expect(ev('nullable-never-null')).toEqual({ rows: 120, nulls: 0 });
    // Fix SQL comes from the MySQL renderer, not Postgres syntax.
    expect(bad.findings.find((f) => f.rule === 'nullable-never-null')!.fix).toMatch(/^ALTER TABLE `[^`]+`\.`customers` MODIFY/);
  });

  it('never puts a planted secret in a finding', () => {
    const all = JSON.stringify(bad);
    for (const s of SECRETS) expect(all).not.toContain(s);
  });
});
