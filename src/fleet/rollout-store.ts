// Rollout state in the control database (Postgres or PGlite): per rollout its
// options and status; per target its wave, what ran, when, the result and the
// plan checksum (and the plan itself, so a crashed coordinator can look it up
// in the target's own history and journal); and a timeline of events.
// Stores redacted URLs only. Every write is one statement (safe to share the
// connection between concurrent targets).
import { hostname } from 'node:os';
import type { Connection } from '../drivers/connection.js';
import type { Plan } from '../plan/types.js';

export type RolloutStatus = 'planning' | 'running' | 'halted' | 'done';
/** `running`: started, not known to have finished (a crash leaves it so). */
export type TargetRunStatus = 'pending' | 'running' | 'applied' | 'up-to-date' | 'drifted' | 'failed';

export interface RolloutRow {
  id: string;
  spec: string;
  spec_checksum: string;
  status: RolloutStatus;
  reference_fingerprint: string | null;
  halt_reason: string | null;
  options: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface TargetRunRow {
  name: string;
  url: string;
  position: number;
  wave: number;
  status: TargetRunStatus;
  plan_checksum: string | null;
  fingerprint: string | null;
  plan: Plan | null;
  steps: number | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  worker?: string | null;
}

export interface EventRow {
  at: string;
  target: string | null;
  event: string;
  detail: string | null;
}

const DDL = [
  'CREATE SCHEMA IF NOT EXISTS plumb_fleet',
  `CREATE TABLE IF NOT EXISTS plumb_fleet.rollouts (
  id text PRIMARY KEY,
  spec text NOT NULL,
  spec_checksum text NOT NULL,
  status text NOT NULL,
  reference_fingerprint text,
  halt_reason text,
  options jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
  `CREATE TABLE IF NOT EXISTS plumb_fleet.targets (
  rollout_id text NOT NULL REFERENCES plumb_fleet.rollouts (id) ON DELETE CASCADE,
  name text NOT NULL,
  url text NOT NULL,
  position integer NOT NULL,
  wave integer NOT NULL,
  status text NOT NULL,
  plan_checksum text,
  fingerprint text,
  plan jsonb,
  steps integer,
  attempts integer NOT NULL DEFAULT 0,
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  PRIMARY KEY (rollout_id, name)
)`,
  // Which process holds a target (host:pid): the coordinator, or a queue worker.
  'ALTER TABLE plumb_fleet.targets ADD COLUMN IF NOT EXISTS worker text',
  `CREATE TABLE IF NOT EXISTS plumb_fleet.events (
  id bigserial PRIMARY KEY,
  rollout_id text NOT NULL REFERENCES plumb_fleet.rollouts (id) ON DELETE CASCADE,
  target text,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  event text NOT NULL,
  detail text
)`,
];

// pg returns Date, PGlite text (`2026-12-02 09:54:40.19+00`): both become ISO 8601.
/** Runs DDL under an advisory lock: coordinators and workers starting together must not race on CREATE … IF NOT EXISTS. */
export async function ensureControlSchema(conn: Connection, ddl: readonly string[]): Promise<void> {
  await conn.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('plumb_fleet'))");
    for (const s of ddl) await tx.exec(s);
  });
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v instanceof Date ? v : String(v).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** One session shared by concurrent tasks: its statements go one after another (a pg client must not pipeline). */
export function serialConnection(control: Connection): Connection {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = tail.then(fn, fn);
    tail = p.catch(() => undefined);
    return p;
  };
  return {
    ...control,
    dialect: control.dialect,
    target: control.target,
    query: (sql, params) => serial(() => control.query(sql, params)),
    exec: (sql) => serial(() => control.exec(sql)),
    transaction: (fn, o) => serial(() => control.transaction(fn, o)),
  } as Connection;
}

export class RolloutStore {
  private readonly conn: Connection;
  constructor(control: Connection) {
    this.conn = serialConnection(control);
  }

  async ensure(): Promise<void> {
    await ensureControlSchema(this.conn, DDL);
  }

  async rollout(id: string): Promise<RolloutRow | undefined> {
    const [r] = await this.conn.query<RolloutRow>('SELECT * FROM plumb_fleet.rollouts WHERE id = $1', [id]);
    return r ? { ...r, options: json(r.options), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! } : undefined;
  }

  async createRollout(r: { id: string; spec: string; specChecksum: string; options: Record<string, unknown> }, targets: { name: string; url: string; wave: number }[]): Promise<void> {
    await this.conn.transaction(async (tx) => {
      await tx.query('INSERT INTO plumb_fleet.rollouts (id, spec, spec_checksum, status, options) VALUES ($1, $2, $3, $4, $5)', [r.id, r.spec, r.specChecksum, 'planning', JSON.stringify(r.options)]);
      for (const [i, t] of targets.entries()) {
        await tx.query('INSERT INTO plumb_fleet.targets (rollout_id, name, url, position, wave, status) VALUES ($1, $2, $3, $4, $5, $6)', [r.id, t.name, t.url, i, t.wave, 'pending']);
      }
    });
  }

  async setRollout(id: string, fields: { status?: RolloutStatus; reference_fingerprint?: string | null; halt_reason?: string | null }): Promise<void> {
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    if (!keys.length) return;
    await this.conn.query(`UPDATE plumb_fleet.rollouts SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [id, ...keys.map((k) => fields[k] ?? null)]);
  }

  async targets(id: string): Promise<TargetRunRow[]> {
    const rows = await this.conn.query<TargetRunRow>('SELECT name, url, position, wave, status, plan_checksum, fingerprint, plan, steps, attempts, started_at, finished_at, error, worker FROM plumb_fleet.targets WHERE rollout_id = $1 ORDER BY position', [id]);
    return rows.map((r) => ({ ...r, plan: r.plan === null ? null : json<Plan>(r.plan), started_at: iso(r.started_at), finished_at: iso(r.finished_at) }));
  }

  async target(id: string, name: string): Promise<TargetRunRow | undefined> {
    const rows = await this.conn.query<TargetRunRow>('SELECT name, url, position, wave, status, plan_checksum, fingerprint, plan, steps, attempts, started_at, finished_at, error, worker FROM plumb_fleet.targets WHERE rollout_id = $1 AND name = $2', [id, name]);
    return rows.map((r) => ({ ...r, plan: r.plan === null ? null : json<Plan>(r.plan), started_at: iso(r.started_at), finished_at: iso(r.finished_at) }))[0];
  }

  /** Back to pending before its job is queued (a queued retry must not count as failed until it fails again). */
  async resetTarget(id: string, name: string): Promise<void> {
    await this.conn.query("UPDATE plumb_fleet.targets SET status = 'pending', error = NULL WHERE rollout_id = $1 AND name = $2 AND status IN ('failed', 'drifted')", [id, name]);
  }

  async startTarget(id: string, name: string, worker = `${hostname()}:${process.pid}`): Promise<void> {
    await this.conn.query("UPDATE plumb_fleet.targets SET status = 'running', attempts = attempts + 1, started_at = now(), finished_at = NULL, error = NULL, worker = $3 WHERE rollout_id = $1 AND name = $2", [id, name, worker]);
  }

  /** The plan about to be applied, recorded BEFORE it runs: after a crash its checksum is what the target's history is searched for. */
  async recordPlan(id: string, name: string, plan: Plan, fingerprint: string, steps: number): Promise<void> {
    await this.conn.query('UPDATE plumb_fleet.targets SET plan = $3, plan_checksum = $4, fingerprint = $5, steps = $6 WHERE rollout_id = $1 AND name = $2', [id, name, JSON.stringify(plan), plan.checksum, fingerprint, steps]);
  }

  async setFingerprint(id: string, name: string, fingerprint: string | null, steps: number): Promise<void> {
    await this.conn.query('UPDATE plumb_fleet.targets SET fingerprint = $3, steps = $4 WHERE rollout_id = $1 AND name = $2', [id, name, fingerprint, steps]);
  }

  async finishTarget(id: string, name: string, status: TargetRunStatus, error: string | null = null): Promise<void> {
    await this.conn.query('UPDATE plumb_fleet.targets SET status = $3, error = $4, finished_at = now() WHERE rollout_id = $1 AND name = $2', [id, name, status, error]);
  }

  async event(id: string, target: string | null, event: string, detail: string | null = null): Promise<void> {
    await this.conn.query('INSERT INTO plumb_fleet.events (rollout_id, target, event, detail) VALUES ($1, $2, $3, $4)', [id, target, event, detail]);
  }

  async events(id: string): Promise<EventRow[]> {
    const rows = await this.conn.query<EventRow>('SELECT at, target, event, detail FROM plumb_fleet.events WHERE rollout_id = $1 ORDER BY id', [id]);
    return rows.map((r) => ({ ...r, at: iso(r.at)! }));
  }
}
