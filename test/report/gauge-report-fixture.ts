// The audit of the gauge-calibration "before" database on PGlite, plus one
// hostile table comment (a `</script>` break-out) that the HTML must neutralise.
import { readFileSync } from 'node:fs';
import { runAudit, type AuditRun } from '../../src/audit/audit.js';
import { PGlite } from '@electric-sql/pglite';
import { pgliteParsers, wrapPglite } from '../../src/drivers/pglite-driver.js';

export const HOSTILE_COMMENT = 'gauges </script><script>window.__pwned = 1</script> <!-- & "quotes"';

export async function auditGaugeBefore(): Promise<AuditRun & { dispose(): Promise<void> }> {
  // A PGlite of its own (no clone of a shared instance): this file needs exactly one database.
  const pg = await PGlite.create(undefined, { parsers: pgliteParsers });
  const db = { conn: wrapPglite(pg, { driver: 'pglite', dialect: 'postgres', redacted: 'pglite:' }, true) };
  await db.conn.exec(readFileSync('examples/gauge-calibration/before/postgres.sql', 'utf8'));
  await db.conn.exec(`COMMENT ON TABLE public.gauges IS '${HOSTILE_COMMENT.replace(/'/g, "''")}'`);
  const run = await runAudit(db.conn, { now: () => new Date('2026-01-02T03:04:05Z'), toolVersion: '0.0.0-test' });
  return { ...run, dispose: () => db.conn.close() };
}
