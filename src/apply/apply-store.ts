// The journal and history tables apply writes: the journal makes an
// interrupted apply resumable or reversible statement by statement; the
// history records every plan applied, by checksum. Both live in the target
// database itself; what they say is believed only where the live catalog
// agrees (apply-plan.ts). Never touches user tables.
import { PLUMB_SCHEMAS } from '../catalog/plumb-schemas.js';
import type { Connection } from '../drivers/connection.js';
import type { Dialect } from '../dialects/dialect.js';
import { applySupport, type ApplyStoreSql } from '../dialects/apply-support.js';
import { PlumbError } from '../errors.js';

/** `failed`: the engine refused the statement outside a transaction (so it did not take effect). */
export type JournalStatus = 'started' | 'done' | 'failed' | 'rolled_back';

export interface JournalRow {
  step_id: string;
  statement_index: number;
  status: JournalStatus;
  detail: string | null;
}

export interface HistoryRow {
  id: number;
  plan_checksum: string;
  format_version: number;
  plumb_version: string;
  outcome: string;
  applied_at: string;
}

/** Schemas the store uses; introspection for drift checks leaves them out. */
export const STORE_SCHEMAS = PLUMB_SCHEMAS;

export class ApplyStore {
  readonly journal: string;
  readonly history: string;
  private readonly sql: ApplyStoreSql;
  constructor(
    private readonly dialect: Dialect,
    private readonly conn: Connection,
  ) {
    this.sql = applySupport(dialect.name).store;
    // The store lives in the target database itself, so it goes (and comes back) with it: a `plumb` schema
    // where schemas live inside a database (Postgres); prefixed tables beside the user's where the engine has
    // no schemas (SQLite) or its schemas are databases of their own (MySQL: a server-wide `plumb` database
    // would outlive a dropped, recreated or restored target, and vouch for a plan it no longer holds).
    const home = this.sql.inTargetDatabase ? dialect.homeSchema?.(conn.target) : undefined;
    if (this.sql.inTargetDatabase && !home) {
      throw new PlumbError('E_USAGE', `plumb keeps its journal and history in the target database, and ${conn.target.redacted} names none`, 'add the database to the URL (mysql://user@host/database)');
    }
    const q = (n: string) => (home ? dialect.quoteQualified(home, `plumb_${n}`) : dialect.capabilities.schemas ? dialect.quoteQualified('plumb', n) : dialect.quoteIdent(`plumb_${n}`));
    this.journal = q('journal');
    this.history = q('history');
    this.inSchema = dialect.capabilities.schemas && !home;
  }
  /** True where the tables sit in a `plumb` schema that must exist first. */
  private readonly inSchema: boolean;

  /** Positional parameter marker (the Connection contract: $n for Postgres, ? elsewhere). */
  private p(i: number): string {
    return this.sql.param(i);
  }

  ddl(): string[] {
    const { timestampType: ts, jsonType: json, autoIdColumn: id, textType: text, checksumType: sum } = this.sql;
    return [
      ...(this.inSchema ? ['CREATE SCHEMA IF NOT EXISTS plumb'] : []),
      `CREATE TABLE IF NOT EXISTS ${this.journal} (
  plan_checksum ${sum} NOT NULL,
  step_id ${text} NOT NULL,
  statement_index integer NOT NULL,
  status ${text} NOT NULL,
  detail text,
  updated_at ${ts} NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (plan_checksum, step_id, statement_index)
)`,
      `CREATE TABLE IF NOT EXISTS ${this.history} (
  id ${id},
  plan_checksum ${sum} NOT NULL,
  format_version integer NOT NULL,
  plumb_version ${text} NOT NULL,
  applied_at ${ts} NOT NULL DEFAULT CURRENT_TIMESTAMP,
  applied_by ${text},
  duration_ms integer,
  outcome ${text} NOT NULL,
  error text,
  steps ${json} NOT NULL
)`,
    ];
  }

  async ensure(conn: Connection = this.conn): Promise<void> {
    for (const s of this.ddl()) await conn.exec(s);
  }

  async exists(): Promise<boolean> {
    try {
      await this.conn.query(`SELECT 1 FROM ${this.journal} WHERE 1 = 0`);
      return true;
    } catch {
      return false;
    }
  }

  async readJournal(checksum: string, conn: Connection = this.conn): Promise<JournalRow[]> {
    return conn.query<JournalRow>(
      `SELECT step_id, statement_index, status, detail FROM ${this.journal} WHERE plan_checksum = ${this.p(1)} ORDER BY step_id, statement_index`,
      [checksum],
    );
  }

  /** Delete-then-insert keeps this portable (no ON CONFLICT / ON DUPLICATE KEY). */
  async mark(conn: Connection, checksum: string, stepId: string, index: number, status: JournalStatus, detail: string | null = null): Promise<void> {
    await conn.query(`DELETE FROM ${this.journal} WHERE plan_checksum = ${this.p(1)} AND step_id = ${this.p(2)} AND statement_index = ${this.p(3)}`, [checksum, stepId, index]);
    await conn.query(
      `INSERT INTO ${this.journal} (plan_checksum, step_id, statement_index, status, detail) VALUES (${this.p(1)}, ${this.p(2)}, ${this.p(3)}, ${this.p(4)}, ${this.p(5)})`,
      [checksum, stepId, index, status, detail],
    );
  }

  async clearJournal(conn: Connection, checksum: string): Promise<void> {
    await conn.query(`DELETE FROM ${this.journal} WHERE plan_checksum = ${this.p(1)}`, [checksum]);
  }

  async startHistory(conn: Connection, checksum: string, formatVersion: number, plumbVersion: string, steps: unknown): Promise<number> {
    await conn.query(
      `INSERT INTO ${this.history} (plan_checksum, format_version, plumb_version, applied_by, outcome, steps) VALUES (${this.p(1)}, ${this.p(2)}, ${this.p(3)}, ${this.sql.currentUser ?? 'NULL'}, 'running', ${this.p(4)})`,
      [checksum, formatVersion, plumbVersion, JSON.stringify(steps)],
    );
    const [r] = await conn.query<{ id: string | number }>(`SELECT max(id) AS id FROM ${this.history} WHERE plan_checksum = ${this.p(1)}`, [checksum]);
    return Number(r?.id);
  }

  async finishHistory(conn: Connection, id: number, outcome: string, durationMs: number, error: string | null, steps?: unknown): Promise<void> {
    await conn.query(
      // Parameters in the order they appear: positional `?` (MySQL, SQLite) cannot be numbered.
      `UPDATE ${this.history} SET outcome = ${this.p(1)}, duration_ms = ${this.p(2)}, error = ${this.p(3)}${steps === undefined ? '' : `, steps = ${this.p(4)}`} WHERE id = ${this.p(steps === undefined ? 4 : 5)}`,
      steps === undefined ? [outcome, Math.round(durationMs), error, id] : [outcome, Math.round(durationMs), error, JSON.stringify(steps), id],
    );
  }

  async lastHistory(checksum: string, conn: Connection = this.conn): Promise<HistoryRow | undefined> {
    const rows = await conn.query<HistoryRow>(
      `SELECT id, plan_checksum, format_version, plumb_version, outcome, applied_at FROM ${this.history} WHERE plan_checksum = ${this.p(1)} ORDER BY id DESC`,
      [checksum],
    );
    return rows[0];
  }

  async listHistory(conn: Connection = this.conn): Promise<HistoryRow[]> {
    return conn.query<HistoryRow>(`SELECT id, plan_checksum, format_version, plumb_version, outcome, applied_at FROM ${this.history} ORDER BY id`);
  }
}
