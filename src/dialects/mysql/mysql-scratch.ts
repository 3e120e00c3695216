// Scratch databases for normalising a spec on MySQL/MariaDB: one
// `plumb_scratch_l<random>_<n>` database per spec schema, on the live
// database's server (or PLUMB_DEV_URL's, passed in as `target`), dropped
// afterwards, on SIGINT/SIGTERM, or by the next run once their owner is gone.
// MySQL has no embedded engine, and only the server itself prints defaults,
// checks and views the way inspection will read them back.
// It must never reach any other data: the scratch session has multiple
// statements off (the server refuses a smuggled second statement), and each
// statement is split out, checked to be DDL of a spec's own kinds aimed at a
// scratch database, and run alone; events are created disabled.
import { randomBytes } from 'node:crypto';
import type { ScratchSpace, ScriptReport } from '../dialect.js';
import type { Catalog } from '../../catalog/types.js';
import type { Connection, Row, TransactionOptions } from '../../drivers/connection.js';
import type { DbTarget } from '../../drivers/url.js';
import { PlumbError } from '../../errors.js';
import { connectMysql } from '../../drivers/mysql-driver.js';
import { quoteIdent } from './mysql-dialect.js';
import { splitMysqlStatements, type MysqlStatement, type MysqlToken } from './mysql-statements.js';
import { prepareMysqlScript, type MysqlScriptStatement } from './mysql-script.js';

export const MYSQL_SCRATCH_PREFIX = 'plumb_scratch_';
/** Names of scratch databases whose owner holds the lock `plumb_scratch_l<tag>` while it lives. */
const LOCKED_SCRATCH = /^plumb_scratch_(l[0-9a-f]{8})_\d+$/;

export async function openMysqlScratch(target: DbTarget | undefined, schemas: readonly string[], home: string | undefined): Promise<ScratchSpace | undefined> {
  if (!target) return undefined;
  const conn = await connectMysql(target, { multipleStatements: false });
  const tag = `l${randomBytes(4).toString('hex')}`;
  const names: Record<string, string> = {};
  const created: string[] = [];
  const inert: DisabledEvent[] = [];
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    live.delete(entry);
    try {
      for (const db of created) await conn.exec(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`);
    } finally {
      await conn.close();
      watchSignals();
    }
  };
  const entry: LiveScratch = { target, created };
  live.add(entry);
  watchSignals();
  try {
    // Held for the session's life: a scratch database whose lock is free belongs to a run that is gone.
    await conn.query('SELECT GET_LOCK(?, 0) AS got', [`${MYSQL_SCRATCH_PREFIX}${tag}`]);
    await dropStaleScratch(conn);
    // Each scratch database takes the defaults of the database it stands for (a table the spec creates
    // there inherits them on apply too), or the server's for one that does not exist yet.
    const defaults = new Map(
      (schemas.length
        ? await conn.query<{ n: string; cs: string; co: string }>(
            `SELECT SCHEMA_NAME AS n, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${schemas.map(() => '?').join(', ')})`,
            [...schemas],
          )
        : []
      ).map((r) => [String(r.n), ` CHARACTER SET ${String(r.cs)} COLLATE ${String(r.co)}`]),
    );
    for (const [i, s] of schemas.entries()) {
      const db = `${MYSQL_SCRATCH_PREFIX}${tag}_${i}`;
      created.push(db);
      await conn.exec(`CREATE DATABASE ${quoteIdent(db)}${defaults.get(s) ?? ''}`);
      names[s] = db;
    }
  } catch (e) {
    await dispose().catch(() => undefined);
    const why = e instanceof PlumbError ? e.message : String(e);
    throw new PlumbError(
      'E_PERMISSION',
      `plumb normalises a spec on scratch databases (${MYSQL_SCRATCH_PREFIX}…) and cannot create one on ${target.redacted}: ${why}`,
      `grant this user CREATE and DROP on \`${MYSQL_SCRATCH_PREFIX}%\`.*, or set PLUMB_DEV_URL to a MySQL/MariaDB server where it may`,
    );
  }
  // Unqualified names in view and routine bodies resolve in the session's database, as they will on the target.
  const homeDb = home !== undefined ? names[home] : undefined;
  if (homeDb) await conn.exec(`USE ${quoteIdent(homeDb)}`);
  const guarded = new ScratchConnection(conn, new Set(created), homeDb, inert);
  const runScript = async (text: string, source: string): Promise<ScriptReport> => {
    if (!homeDb) throw new PlumbError('E_SPEC', `${source}: a .sql spec on MySQL lands in the URL's database, and the URL names none`, 'add the database to the URL, e.g. mysql://user@host:3306/mydb');
    const script = prepareMysqlScript(text, await conn.serverVersion());
    try {
      await runInOrder(guarded, script.statements, source);
    } finally {
      // What the script set for its own reading ends with it (mysqldump restores most of it itself).
      await conn.exec(`SET NAMES utf8mb4, SESSION sql_mode = DEFAULT, SESSION foreign_key_checks = 1, SESSION unique_checks = 1, SESSION time_zone = DEFAULT`);
    }
    return { statements: script.statements.length, skipped: script.skipped };
  };
  return { conn: guarded, names, dispose, restore: (c) => enableEvents(c, inert), runScript };
}

/**
 * The script's statements in file order. One that fails because what it
 * needs comes later (a view over a view further down) is tried again in the
 * next pass, with the session settings that preceded it replayed first, until
 * a pass makes no progress: then the first failure is the error, by line.
 */
async function runInOrder(conn: Connection, statements: readonly MysqlScriptStatement[], source: string): Promise<void> {
  const pending = new Set(statements.filter((s) => !s.session));
  let failures: { st: MysqlScriptStatement; error: unknown }[] = [];
  // At least one pass: a script of settings alone still has them checked.
  for (let pass = 0; pass === 0 || (pending.size && pass < 8); pass++) {
    const before = pending.size;
    failures = [];
    for (const st of statements) {
      if (!st.session && !pending.has(st)) continue;
      try {
        await conn.exec(st.sql);
        pending.delete(st);
      } catch (e) {
        // The scratch space's refusals are final: retrying cannot make a statement allowed.
        if (e instanceof PlumbError && e.code === 'E_SPEC') throw new PlumbError('E_SPEC', `${source}:${st.line}: ${e.message}`, e.hint);
        if (st.session) throw new PlumbError('E_SPEC', `${source}:${st.line}: ${(e as Error).message}`, 'a session setting the server does not take: remove it or guard it with an executable comment for the server it is meant for');
        failures.push({ st, error: e });
      }
    }
    if (pending.size === before) break;
  }
  if (failures.length) {
    const f = failures[0]!;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    throw new PlumbError('E_SPEC', `${source}:${f.st.line}: the statement fails on the scratch database: ${((f.error as Error).message ?? String(f.error)).replace(/\s*\(while running:.*$/s, '')}${more}`, 'a .sql spec on MySQL is DDL the mysql client could load into an empty database (mysqldump --no-data output works)');
  }
}

interface DisabledEvent {
  schema: string;
  name: string;
}

/** Events the scratch space created disabled (so their bodies never ran) are reported as the spec wrote them: enabled. */
function enableEvents(c: Catalog, inert: readonly DisabledEvent[]): Catalog {
  if (!inert.length) return c;
  const key = (s: string, n: string) => `${s}\u0000${n.toLowerCase()}`;
  const want = new Set(inert.map((e) => key(e.schema, e.name)));
  return { ...c, schemas: c.schemas.map((s) => ({ ...s, events: s.events.map((e) => (want.has(key(s.name, e.name)) ? { ...e, enabled: true } : e)) })) };
}

/**
 * The scratch session as a Connection: `exec` runs a spec's DDL one checked
 * statement at a time; `query` and `transaction` serve inspection (the
 * session has multiple statements off, so each is one statement).
 */
class ScratchConnection implements Connection {
  readonly dialect = 'mysql' as const;
  constructor(
    private readonly raw: Connection,
    private readonly scratch: ReadonlySet<string>,
    private readonly home: string | undefined,
    private readonly inert: DisabledEvent[],
  ) {}
  get target(): DbTarget {
    return this.raw.target;
  }
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.raw.query<T>(sql, params);
  }
  async exec(sql: string): Promise<void> {
    const checked = splitMysqlStatements(sql).map((s) => scratchStatement(s, this.scratch, this.home));
    for (const c of checked) {
      await this.raw.exec(c.sql);
      if (c.disabledEvent) this.inert.push(c.disabledEvent);
    }
  }
  transaction<T>(fn: (tx: Connection) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.raw.transaction(() => fn(this), options);
  }
  serverVersion(): Promise<string> {
    return this.raw.serverVersion();
  }
  close(): Promise<void> {
    return this.raw.close();
  }
}

/** What a spec may create in its scratch space; anything else (DML, GRANT, USE …) is refused, and DROP and SET only within it (below). */
const CREATABLE = new Set(['TABLE', 'VIEW', 'INDEX', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT', 'SEQUENCE']);
const ALTERABLE = new Set(['TABLE', 'EVENT', 'PROCEDURE', 'FUNCTION', 'DATABASE', 'SCHEMA']);
/** Storage engines that keep their rows in the scratch database's own files (FEDERATED, CONNECT, SPIDER, MERGE … reach elsewhere). */
const LOCAL_ENGINES = new Set(['INNODB', 'MYISAM', 'ARIA', 'MEMORY', 'HEAP', 'ARCHIVE', 'BLACKHOLE', 'CSV', 'ROCKSDB']);

/**
 * One statement of a spec's DDL as it may run in the scratch space, or an
 * E_SPEC error naming what was refused. Only the created or altered object's
 * own name (and an index's or trigger's table) must be in a scratch
 * database; bodies may name other databases, because creating a view,
 * routine or trigger does not run it.
 */
export function scratchStatement(s: MysqlStatement, scratch: ReadonlySet<string>, home: string | undefined): { sql: string; disabledEvent?: DisabledEvent } {
  const refuseWith =
    (hint: string) =>
    (why: string): never => {
      throw new PlumbError('E_SPEC', `the spec's SQL may only create objects in its scratch space; refused ${why}: ${s.text.slice(0, 160)}`, hint);
    };
  const refuse = refuseWith('a view, routine, trigger or event body is one statement of its kind: remove the extra statement');
  const t = s.tokens;
  if (t.some((x) => x.kind === 'executable-comment')) refuse('an executable comment (/*! … */)');
  const w = (i: number) => (t[i]?.kind === 'word' ? t[i]!.value : undefined);
  let i = 1;
  let kind: string | undefined;
  if (w(0) === 'CREATE') {
    // CREATE [OR REPLACE] [ALGORITHM = x] [DEFINER = user] [SQL SECURITY x] [UNIQUE|FULLTEXT|SPATIAL|AGGREGATE] kind
    while (i < t.length && !CREATABLE.has(w(i) ?? '')) {
      const v = w(i);
      if (v === 'OR' && w(i + 1) === 'REPLACE') i += 2;
      else if ((v === 'ALGORITHM' || v === 'DEFINER') && t[i + 1]?.value === '=') i = skipValue(t, i + 2);
      else if (v === 'SQL' && w(i + 1) === 'SECURITY') i += 3;
      else if (v === 'UNIQUE' || v === 'FULLTEXT' || v === 'SPATIAL' || v === 'AGGREGATE' || v === 'ONLINE' || v === 'OFFLINE') i++;
      else refuse(`CREATE ${t[i]?.value ?? ''}`);
    }
    kind = w(i);
  } else if (w(0) === 'ALTER') {
    while (w(i) === 'ONLINE' || w(i) === 'IGNORE') i++;
    kind = w(i);
    if (!ALTERABLE.has(kind ?? '')) refuse(`ALTER ${kind ?? ''}`);
  } else if (w(0) === 'SET') return sessionSetting(s, refuseWith('only session settings that change how DDL is read (SET NAMES, sql_mode, FOREIGN_KEY_CHECKS …) run there: remove the statement'));
  else if (w(0) === 'DROP') return dropInScratch(s, scratch, home, refuse);
  else refuse(`a ${t[0]?.value ?? 'empty'} statement`);
  i++;
  if (w(i) === 'IF') i += w(i + 1) === 'NOT' ? 3 : 2;
  const inScratch = (at: number) => {
    const name = qualifiedName(t, at);
    const db = name.schema ?? (kind === 'DATABASE' || kind === 'SCHEMA' ? name.name : home);
    if (db === undefined || !scratch.has(db)) refuse(`an object outside the scratch space (${name.schema ?? name.name ?? '?'})`);
    return name;
  };
  // An index's name is not qualified: its table is what must be in the scratch space.
  const object = kind === 'INDEX' ? qualifiedName(t, i) : inScratch(i);
  const top = topLevel(t);
  const has = (word: string) => top.some((x) => x.kind === 'word' && x.value === word);
  if (kind === 'INDEX' || kind === 'TRIGGER') {
    const on = t.findIndex((x, k) => k >= object.next && x.kind === 'word' && x.value === 'ON');
    if (on < 0) refuse(`a ${kind.toLowerCase()} without its table`);
    inScratch(on + 1);
  }
  if (kind === 'TABLE') {
    // Copying rows or shape from elsewhere, files outside the datadir, or an engine that reaches another server.
    if (t.some((x) => x.kind === 'word' && (x.value === 'SELECT' || x.value === 'UNION' || x.value === 'CONNECTION'))) refuse('a table filled from or linked to other data');
    if (has('LIKE') || has('RENAME') || has('EXCHANGE') || has('DIRECTORY') || has('DISCARD') || has('IMPORT')) refuse('a table option that reaches outside its database');
    // Every ENGINE option: the table's (depth 0) and its partitions' (depth 1), not a column called `engine` or
    // `type` (a column definition's first word, a key's column, a word inside an expression).
    let depth = 0;
    for (let k = 0; k < t.length; k++) {
      const x = t[k]!;
      if (x.value === '(' && x.kind === 'punct') depth++;
      else if (x.value === ')' && x.kind === 'punct') depth--;
      if (x.kind !== 'word' || (x.value !== 'ENGINE' && x.value !== 'TYPE') || depth > 1) continue;
      const prev = t[k - 1];
      if (depth === 1 && prev?.kind === 'punct' && (prev.value === '(' || prev.value === ',')) continue;
      const next = t[k + 1];
      if (!next || !(next.value === '=' || next.kind === 'word' || next.kind === 'quoted-ident' || next.kind === 'string')) continue;
      const v = next.value === '=' ? t[k + 2] : next;
      if (!LOCAL_ENGINES.has((v?.value ?? '').toUpperCase())) refuse(`the storage engine ${v?.value ?? '?'}`);
    }
  }
  if (w(0) === 'ALTER' && has('RENAME')) refuse('a rename');
  if (kind === 'EVENT') return inertEvent(s, t, w(0) === 'CREATE', { schema: object.schema ?? home, name: object.name }, refuse);
  return { sql: s.text };
}

/** Session variables a schema script may set: how the DDL after them is read, nothing beyond the session. */
const SESSION_SETTINGS = new Set([
  'NAMES', 'CHARACTER', 'CHARSET', 'CHARACTER_SET_CLIENT', 'CHARACTER_SET_RESULTS', 'CHARACTER_SET_CONNECTION', 'COLLATION_CONNECTION',
  'SQL_MODE', 'TIME_ZONE', 'FOREIGN_KEY_CHECKS', 'UNIQUE_CHECKS', 'SQL_NOTES', 'SQL_QUOTE_SHOW_CREATE', 'DEFAULT_STORAGE_ENGINE', 'STORAGE_ENGINE',
  'DEFAULT_TMP_STORAGE_ENGINE', 'EXPLICIT_DEFAULTS_FOR_TIMESTAMP', 'INNODB_STRICT_MODE', 'AUTOCOMMIT', 'SQL_SAFE_UPDATES', 'CHECK_CONSTRAINT_CHECKS',
]);

/**
 * `SET` of session settings and user variables only: no server-wide scope,
 * no other session's, and no value read from data (a subquery).
 */
function sessionSetting(s: MysqlStatement, refuse: (why: string) => never): { sql: string } {
  const t = s.tokens;
  if (t.some((x) => x.kind === 'word' && (x.value === 'SELECT' || x.value === 'FROM' || x.value === 'TABLE' || x.value === 'GLOBAL' || x.value === 'PERSIST' || x.value === 'PERSIST_ONLY'))) refuse('a setting beyond the session or read from data');
  // Each assignment's target: the token after SET or after a top-level comma.
  let depth = 0;
  for (let k = 0; k < t.length; k++) {
    const x = t[k]!;
    if (x.value === '(') depth++;
    else if (x.value === ')') depth--;
    const starts = k === 1 || (depth === 0 && t[k - 1]?.value === ',' && t[k - 1]?.kind === 'punct');
    if (!starts) continue;
    let j = k;
    if (t[j]?.kind === 'word' && (t[j]!.value === 'SESSION' || t[j]!.value === 'LOCAL')) j++;
    if (t[j]?.value === '@') {
      // @user_var, or @@[session.]system_var
      if (t[j + 1]?.value !== '@') continue;
      j += 2;
      if (t[j]?.kind === 'word' && (t[j]!.value === 'SESSION' || t[j]!.value === 'LOCAL') && t[j + 1]?.value === '.') j += 2;
    }
    const name = t[j]?.kind === 'word' ? t[j]!.value : '';
    if (!SESSION_SETTINGS.has(name)) refuse(`SET ${t[j]?.raw ?? ''} (only session settings that change how DDL reads: ${[...SESSION_SETTINGS].slice(0, 6).join(', ')} …)`);
  }
  return { sql: s.text };
}

const DROPPABLE = new Set(['TABLE', 'TABLES', 'VIEW', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT', 'INDEX', 'SEQUENCE']);

/** A DROP of objects that are all in the scratch space (a dump's DROP … IF EXISTS before each CREATE). */
function dropInScratch(s: MysqlStatement, scratch: ReadonlySet<string>, home: string | undefined, refuse: (why: string) => never): { sql: string } {
  const t = s.tokens;
  const w = (i: number) => (t[i]?.kind === 'word' ? t[i]!.value : undefined);
  let i = 1;
  if (w(i) === 'TEMPORARY') i++;
  const kind = w(i) ?? '';
  if (!DROPPABLE.has(kind)) refuse(`DROP ${t[i]?.value ?? ''}`);
  i++;
  if (w(i) === 'IF' && w(i + 1) === 'EXISTS') i += 2;
  const inScratch = (at: number) => {
    const name = qualifiedName(t, at);
    const db = name.schema ?? home;
    if (db === undefined || !scratch.has(db)) refuse(`a drop outside the scratch space (${name.schema ?? name.name ?? '?'})`);
    return name.next;
  };
  if (kind === 'INDEX') {
    const on = t.findIndex((x, k) => k > i && x.kind === 'word' && x.value === 'ON');
    if (on < 0) refuse('DROP INDEX without its table');
    inScratch(on + 1);
    return { sql: s.text };
  }
  // DROP TABLE a, b.c … [RESTRICT | CASCADE]
  for (;;) {
    i = inScratch(i);
    if (t[i]?.value !== ',') break;
    i++;
  }
  return { sql: s.text };
}

/** An event's body must not run in the scratch space: CREATE EVENT gets DISABLE, ALTER EVENT may not enable. */
function inertEvent(s: MysqlStatement, t: readonly MysqlToken[], create: boolean, object: { schema?: string; name?: string }, refuse: (why: string) => never): { sql: string; disabledEvent?: DisabledEvent } {
  const doAt = t.findIndex((x) => x.kind === 'word' && x.value === 'DO');
  const head = doAt < 0 ? t : t.slice(0, doAt);
  const status = head.find((x) => x.kind === 'word' && (x.value === 'ENABLE' || x.value === 'DISABLE'));
  if (!create) {
    if (status?.value === 'ENABLE' || doAt >= 0) refuse('enabling or changing an event body in the scratch space');
    return { sql: s.text };
  }
  if (doAt < 0) refuse('an event without a body');
  if (status?.value === 'DISABLE') return { sql: s.text };
  const base = t[0]!.start;
  const text = s.text;
  const at = (x: MysqlToken) => x.start - base;
  let sql: string;
  if (status) sql = `${text.slice(0, at(status))}DISABLE${text.slice(at(status) + status.end - status.start)}`;
  else {
    const comment = head.find((x) => x.kind === 'word' && x.value === 'COMMENT');
    const before = comment ?? t[doAt]!;
    sql = `${text.slice(0, at(before))}DISABLE ${text.slice(at(before))}`;
  }
  return { sql, disabledEvent: { schema: object.schema ?? '', name: object.name ?? '' } };
}

/** `name` or `db.name` at token `at`; `next` is the index after it. */
function qualifiedName(t: readonly MysqlToken[], at: number): { schema?: string; name?: string; next: number } {
  const part = (k: number) => (t[k] && (t[k]!.kind === 'quoted-ident' || t[k]!.kind === 'word') ? (t[k]!.kind === 'word' ? rawWord(t[k]!) : t[k]!.value) : undefined);
  const first = part(at);
  if (t[at + 1]?.value === '.') return { schema: first, name: part(at + 2), next: at + 3 };
  return { name: first, next: at + 1 };
}

/** A bare word as written (the tokenizer upper-cases words; database names are case-sensitive on most servers). */
function rawWord(x: MysqlToken): string {
  return x.raw;
}

/** Tokens outside any parentheses. */
function topLevel(t: readonly MysqlToken[]): MysqlToken[] {
  let depth = 0;
  const out: MysqlToken[] = [];
  for (const x of t) {
    if (x.kind === 'punct' && x.value === '(') depth++;
    else if (x.kind === 'punct' && x.value === ')') depth--;
    else if (depth === 0) out.push(x);
  }
  return out;
}

/** Skips `user@host`, `CURRENT_USER[()]` or a single word after `=`. */
function skipValue(t: readonly MysqlToken[], i: number): number {
  i++;
  if (t[i]?.value === '(' && t[i + 1]?.value === ')') i += 2;
  if (t[i]?.value === '@') i += 2;
  return i;
}

// ---- cleanup: on SIGINT/SIGTERM, and scratch databases a gone run left behind ----

interface LiveScratch {
  target: DbTarget;
  created: string[];
}
const live = new Set<LiveScratch>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let watching = false;

/** Signal handlers only while a scratch space is open, so a process without one keeps the default behaviour. */
function watchSignals(): void {
  if (live.size && !watching) {
    for (const s of SIGNALS) process.on(s, onSignal);
    watching = true;
  } else if (!live.size && watching) {
    for (const s of SIGNALS) process.off(s, onSignal);
    watching = false;
  }
}

function onSignal(signal: NodeJS.Signals): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  watching = false;
  const all = [...live];
  live.clear();
  // A fresh session each: the scratch session may be busy with the statement the signal interrupted.
  void Promise.allSettled(all.map((l) => dropWith(l.target, l.created))).finally(() => process.kill(process.pid, signal));
}

async function dropWith(target: DbTarget, dbs: readonly string[]): Promise<void> {
  if (!dbs.length) return;
  const c = await connectMysql(target, { multipleStatements: false });
  try {
    for (const db of dbs) await c.exec(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`).catch(() => undefined);
  } finally {
    await c.close();
  }
}

/** Drops scratch databases whose owning session is gone (its lock is free): a killed run's leftovers. */
async function dropStaleScratch(conn: Connection): Promise<void> {
  const rows = await conn.query<{ n: string }>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', ['plumb\\_scratch\\_l%']);
  for (const { n } of rows) {
    const tag = LOCKED_SCRATCH.exec(String(n))?.[1];
    if (!tag) continue;
    const [free] = await conn.query<{ f: unknown }>('SELECT IS_FREE_LOCK(?) AS f', [`${MYSQL_SCRATCH_PREFIX}${tag}`]);
    if (Number(free?.f) === 1) await conn.exec(`DROP DATABASE IF EXISTS ${quoteIdent(String(n))}`).catch(() => undefined);
  }
}
