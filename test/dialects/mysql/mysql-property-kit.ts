// Property test of the MySQL/MariaDB renderer on the machine's server
// (fast-check): for random pairs of schemas (rows in the first), the rendered
// steps run one statement at a time — MySQL DDL commits itself, so the
// property is the journal's: if a step fails, running the rollbacks of the
// steps already done (newest first) restores the original catalog and rows
// (when none of them was lossy); if all succeed, nothing is left to change, every
// row is kept, and the rollbacks of a lossless plan restore everything.
// MariaDB DDL costs ~0.1 s per statement: the 102 cases are split over three
// files (different seeds) so each stays under a minute.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectMysql } from '../../../src/dialects/mysql/mysql-introspector.js';
import { renderMysqlChange } from '../../../src/dialects/mysql/mysql-render.js';
import { diffCatalogs } from '../../../src/diff/diff.js';
import type { Catalog } from '../../../src/catalog/types.js';
import type { Connection } from '../../../src/drivers/connection.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../../helpers/mysql.js';
import { pairArb, rowsSql, schemaDdl, type Dialectish } from '../sqlite/schema-arbitrary.js';

const server = mysqlServer();

const mysql: Dialectish = {
  typeSql: (t) => ({ int: 'INT', text: 'VARCHAR(100)', varchar: 'VARCHAR(20)', numeric: 'DECIMAL(8,2)', real: 'DOUBLE', bool: 'TINYINT(1)', date: 'DATE' })[t],
  q: (n) => '`' + n + '`',
  tableSuffix: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
  indexable: () => true,
};

async function reset(conn: Connection): Promise<void> {
  const tables = await conn.query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  if (tables.length) await conn.exec(`SET SESSION foreign_key_checks = 0; DROP TABLE ${tables.map((r) => '`' + r.t + '`').join(', ')}; SET SESSION foreign_key_checks = 1`);
}

async function content(conn: Connection): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const tables = await conn.query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1');
  for (const { t } of tables) out[t] = await conn.query(`SELECT * FROM \`${t}\` ORDER BY id`);
  return out;
}

const rename = (c: Catalog, from: string, to: string): Catalog => JSON.parse(JSON.stringify(c).split(from).join(to)) as Catalog;

export function mysqlRendererProperty(seed: number, cases: number): void {
  describe.runIf(server)(`mysql renderer property (fast-check, MariaDB, seed ${seed})`, () => {
    let a: FreshMysql;
    let b: FreshMysql;
    beforeAll(async () => {
      a = await freshMysql();
      b = await freshMysql();
    });
    afterAll(async () => {
      await a?.dispose();
      await b?.dispose();
    });

    it(`${cases} random plans: complete, or undone by the per-step rollbacks`, async () => {
      const seen = { applied: 0, failedAndUndone: 0, rolledBack: 0, statements: 0 };
      await fc.assert(
        fc.asyncProperty(pairArb, async ([before, after]) => {
          await reset(a.conn);
          await reset(b.conn);
          for (const s of [...schemaDdl(before, mysql), ...rowsSql(before, mysql)]) await a.conn.exec(s);
          for (const s of schemaDdl(after, mysql)) await b.conn.exec(s);
          const from = await introspectMysql(a.conn);
          const to = rename(await introspectMysql(b.conn), b.name, a.name);
          const changes = diffCatalogs(from, to, { grants: false });
          const rendered = changes.map((c) => renderMysqlChange(c));
          const rows0 = await content(a.conn);
          const done: typeof rendered = [];
          let failed = false;
          for (const r of rendered) {
            try {
              for (const s of r.forward) {
                seen.statements++;
                await a.conn.exec(s);
              }
              done.push(r);
            } catch {
              failed = true;
              break;
            }
          }
          if (failed) {
            // A lossy step's rollback may meet data it cannot take back (rounded values, dropped columns): only lossless prefixes must undo exactly.
            if (done.some((r) => r.lossy)) return;
            for (const r of [...done].reverse()) for (const s of r.rollback) await a.conn.exec(s);
            seen.failedAndUndone++;
            expect(diffCatalogs(await introspectMysql(a.conn), from, { grants: false })).toEqual([]);
            expect(await content(a.conn)).toEqual(rows0);
            return;
          }
          seen.applied++;
          expect(diffCatalogs(await introspectMysql(a.conn), to, { grants: false })).toEqual([]);
          const rows1 = await content(a.conn);
          for (const [t, rs] of Object.entries(rows0)) if (rows1[t]) expect(rows1[t]!.map((r) => (r as { id: number }).id)).toEqual(rs.map((r) => (r as { id: number }).id));
          if (rendered.some((r) => r.lossy)) return;
          for (const r of [...rendered].reverse()) for (const s of r.rollback) await a.conn.exec(s);
          seen.rolledBack++;
          expect(diffCatalogs(await introspectMysql(a.conn), from, { grants: false })).toEqual([]);
        }),
        // Shrinking re-runs DDL-heavy cases for minutes: report the first counterexample as found.
        { numRuns: cases, seed, endOnFailure: true },
      );
      process.stdout.write(`mysql property: ${JSON.stringify(seen)}\n`);
      expect(seen.applied).toBeGreaterThan(cases / 5);
      expect(seen.rolledBack).toBeGreaterThan(0);
      // ~1 s per case on an idle MariaDB; a server shared with other test runs can take several times that.
    }, 600_000);
  });
}
