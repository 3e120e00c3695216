// Postgres SQL split into statements by the real parser (libpg-query, the
// server's own grammar compiled to WebAssembly): quotes, E'' escapes, dollar
// quotes and nested comments are the server's business, not ours. Pure apart
// from loading the parser once; never runs anything.
import { PlumbError } from '../../errors.js';

/** One parsed statement: its parse-tree node name and body, and its text. */
export interface PostgresStatement {
  /** The parser's node name (SelectStmt, CreateStmt, TransactionStmt …). */
  node: string;
  body: Record<string, unknown>;
  /** The statement's text, trimmed, without its semicolon. */
  sql: string;
  /** Byte offset (UTF-8) of the statement's text in the input, comments before it included. */
  start: number;
}

interface RawStmt {
  stmt: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

let loaded: Promise<typeof import('libpg-query')> | undefined;

/** The parser, loaded once (WebAssembly): after it resolves, its `parseSync` can be called. */
export async function postgresParser(): Promise<typeof import('libpg-query')> {
  loaded ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    return m;
  });
  return loaded;
}

/**
 * The statements of `sql` in order (ones that are only comments left out).
 * Throws the parser's error, whose `sqlDetails.cursorPosition` is a byte offset.
 */
export async function parsePostgresStatements(sql: string): Promise<PostgresStatement[]> {
  const pg = await postgresParser();
  const stmts = (pg.parseSync(sql) as unknown as { stmts?: RawStmt[] }).stmts ?? [];
  // The parser's locations count bytes of UTF-8.
  const bytes = Buffer.from(sql, 'utf8');
  const out: PostgresStatement[] = [];
  for (const s of stmts) {
    const node = Object.keys(s.stmt)[0] ?? '';
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    const text = bytes.subarray(start, end).toString('utf8').trim();
    if (text) out.push({ node, body: s.stmt[node] as Record<string, unknown>, sql: text, start });
  }
  return out;
}

/** Statements that end, or step outside, the transaction a check runs in. */
const TRANSACTION_CONTROL = new Set(['TransactionStmt', 'VacuumStmt', 'CheckPointStmt']);

/**
 * `sql` when it is one statement that stays inside verify's rolled-back
 * transaction, else an E_SPEC error: over a server's simple protocol a second
 * statement would run too, and `COMMIT; …` would make it permanent.
 */
export async function singlePostgresStatement(sql: string): Promise<string> {
  const refuse = (why: string) =>
    new PlumbError(
      'E_SPEC',
      `a check must be one statement that stays inside verify's transaction; refused (${why}): ${sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`,
      'write one SELECT or row change per check, without COMMIT, ROLLBACK or other transaction control',
    );
  let all: PostgresStatement[];
  try {
    all = await parsePostgresStatements(sql);
  } catch (e) {
    throw refuse(`not valid Postgres SQL: ${(e as Error).message}`);
  }
  if (all.length !== 1) throw refuse(`${all.length} statements`);
  if (TRANSACTION_CONTROL.has(all[0]!.node)) throw refuse('transaction control');
  return all[0]!.sql;
}
