// The MySQL/MariaDB dialect rules on the machine's server: each rule's bad
// example (its docs) fires in a fresh database, its good example does not.
// sql_mode is server-wide, so those checks also run on catalogs with the
// setting replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, runRules } from '../../../src/audit/audit.js';
import { dialectRules } from '../../../src/audit/rules/dialect-rules.js';
import type { Rule } from '../../../src/audit/rule.js';
import type { Catalog } from '../../../src/catalog/types.js';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';

const server = mysqlServer();
const mysqlRules = dialectRules.filter((r) => r.meta.dialects?.includes('mysql'));
/** Rules that give no fix: the finding needs a decision (zero dates: what the value means; display width: the full column definition). */
const NO_FIX = new Set(['mysql-zero-dates', 'mysql-int-display-width']);
/** Rules whose examples are server settings, not DDL: tested on catalogs below. */
const SETTING_RULES = new Set(['mysql-sql-mode-not-strict']);

describe.runIf(server)('mysql dialect rules on their docs examples', () => {
  const dbs: FreshMysql[] = [];
  const found = new Map<string, { bad: string[]; good: string[]; fixes: string[] }>();

  beforeAll(async () => {
    for (const r of mysqlRules) {
      if (SETTING_RULES.has(r.meta.id)) continue;
      const out = { bad: [] as string[], good: [] as string[], fixes: [] as string[] };
      for (const side of ['bad', 'good'] as const) {
        const db = await freshMysql();
        dbs.push(db);
        await db.conn.exec(r.meta.docs[side]);
        const res = await audit(db.conn, { only: [r.meta.id] });
        const mine = res.findings.filter((f) => f.rule === r.meta.id && f.path.startsWith(db.name + '.'));
        out[side] = mine.map((f) => f.path.slice(db.name.length + 1));
        if (side === 'bad') out.fixes = mine.map((f) => f.fix ?? '');
        // A fix must be SQL the server accepts and that silences the finding.
        if (side === 'bad' && !NO_FIX.has(r.meta.id)) {
          for (const f of mine) if (f.fix && !f.fix.startsWith('SET GLOBAL')) await db.conn.exec(f.fix);
          const after = await audit(db.conn, { only: [r.meta.id] });
          out.fixes.push(`remaining:${after.findings.filter((f) => f.rule === r.meta.id && f.path.startsWith(db.name + '.')).length}`);
        }
      }
      found.set(r.meta.id, out);
    }
  });
  afterAll(async () => {
    for (const d of dbs) await d.dispose();
  });

  it('there are MySQL rules in PLB200–249', () => {
    expect(mysqlRules.length).toBeGreaterThanOrEqual(6);
    for (const r of mysqlRules) expect(Number(r.meta.code.slice(3))).toBeGreaterThanOrEqual(200);
  });

  it.each(mysqlRules.filter((r) => !SETTING_RULES.has(r.meta.id)).map((r) => [r.meta.id, r] as const))('%s fires on its bad example, not on its good one, and its fix works', (id: string, _r: Rule) => {
    const f = found.get(id)!;
    expect(f.bad.length, `${id} should fire`).toBeGreaterThan(0);
    expect(f.good).toEqual([]);
    if (!NO_FIX.has(id)) expect(f.fixes).toContain('remaining:0');
  });

  it('reports the exact objects', () => {
    expect(found.get('mysql-non-utf8mb4')!.bad).toEqual(['customers']);
    expect(found.get('mysql-non-utf8mb4')!.fixes[0]).toMatch(/CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;$/);
    expect(found.get('mysql-non-transactional-engine')!.bad).toEqual(['audit_logs']);
    expect(found.get('mysql-json-without-check')!.bad).toEqual(['core_events.payload']);
    expect(found.get('mysql-zero-dates')!.bad).toEqual(['checkouts.returned_at']);
    expect(found.get('mysql-scheduled-event')!.bad).toEqual(['expire_transfer_requests']);
    expect(found.get('mysql-foreign-key-collation-mismatch')!.bad.length).toBe(1);
    expect(found.get('mysql-auto-increment-near-exhaustion')!.bad).toEqual(['clicks.id']);
    expect(found.get('mysql-int-display-width')!.bad).toEqual(['branches.id']);
  });
});

describe.runIf(server)('mysql server-setting rules', () => {
  let db: FreshMysql;
  let cat: Catalog;
  beforeAll(async () => {
    db = await freshMysql();
    cat = await introspectMysql(db.conn);
  });
  afterAll(async () => db?.dispose());

  const withMode = (mode: string): Catalog => ({ ...cat, settings: { ...cat.settings, sql_mode: mode } });
  const run = async (c: Catalog, id: string) => (await runRules(c, undefined, { only: [id], rules: dialectRules })).findings.filter((f) => f.rule === id);

  it('sql_mode without STRICT is an error with a fix; strict modes pass', async () => {
    const bad = await run(withMode('NO_ENGINE_SUBSTITUTION'), 'mysql-sql-mode-not-strict');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'error', path: db.name });
    expect(bad[0]!.fix).toContain("STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'");
    expect(await run(withMode('STRICT_ALL_TABLES'), 'mysql-sql-mode-not-strict')).toEqual([]);
    expect(await run(withMode('TRADITIONAL'), 'mysql-sql-mode-not-strict')).toEqual([]);
  });

  it('zero dates: sql_mode without NO_ZERO_DATE is reported once, with NO_ZERO_DATE,NO_ZERO_IN_DATE it is not', async () => {
    expect(await run(withMode('STRICT_TRANS_TABLES'), 'mysql-zero-dates')).toHaveLength(1);
    expect(await run(withMode('STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE'), 'mysql-zero-dates')).toEqual([]);
  });

  it('a scheduled event is a warning while the scheduler runs, info while it is off', async () => {
    await db.conn.exec(`CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DO SELECT 1; CREATE EVENT off_ev ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1`);
    const c = await introspectMysql(db.conn);
    const on = await run({ ...c, settings: { ...c.settings, event_scheduler: 'ON' } }, 'mysql-scheduled-event');
    const off = await run({ ...c, settings: { ...c.settings, event_scheduler: 'OFF' } }, 'mysql-scheduled-event');
    expect(on.map((f) => [f.path, f.severity])).toEqual([[`${db.name}.ev`, 'warning']]);
    expect(off.map((f) => f.severity)).toEqual(['info']);
  });
});
