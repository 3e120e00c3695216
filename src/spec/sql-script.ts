// A `.sql` spec read the way psql reads a pg_dump file, split into statements
// by the real Postgres parser (libpg-query), so the scratch engine can run them
// one by one inside a transaction that is rolled back. What only makes sense to
// psql or outside a transaction is left out or softened; nothing is executed here.
//
// - psql meta-commands (`\restrict`, `\connect`, `\set` …) and COPY … FROM stdin
//   data blocks are removed;
// - BEGIN/COMMIT/ROLLBACK (a COMMIT would end the scratch transaction), VACUUM
//   and `SELECT pg_catalog.setval(…)` (data, not design) are left out;
// - CREATE/DROP INDEX CONCURRENTLY loses CONCURRENTLY (not allowed in a transaction);
// - CREATE EXTENSION statements are listed, so the scratch engine can provide them.
import { PlumbError } from '../errors.js';
import { parsePostgresStatements, type PostgresStatement } from '../dialects/postgres/postgres-statements.js';

export interface SqlScriptStatement {
  sql: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
  /** The parser's node name (CreateStmt, IndexStmt, VariableSetStmt …). */
  node: string;
}

export interface SqlScriptExtension {
  name: string;
  schema?: string;
}

export interface PreparedSqlScript {
  statements: SqlScriptStatement[];
  extensions: SqlScriptExtension[];
}

/** The text psql would send to the server: meta-command lines and COPY data blanked (line numbers kept). */
export function stripPsqlMetaCommands(text: string): string {
  const lines = text.split('\n');
  let inCopyData = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (inCopyData) {
      if (/^\\\.\s*$/.test(l)) inCopyData = false;
      lines[i] = '';
      continue;
    }
    if (/^\s*\\/.test(l)) lines[i] = '';
    else if (/^\s*COPY\b[\s\S]*\bFROM\s+stdin\b[^;]*;\s*$/i.test(l)) {
      lines[i] = '';
      inCopyData = true;
    }
  }
  return lines.join('\n');
}

/** Split and clean a `.sql` spec (see the module comment). `source` names the file in errors. */
export async function prepareSqlScript(text: string, source: string): Promise<PreparedSqlScript> {
  const clean = stripPsqlMetaCommands(text);
  let stmts: PostgresStatement[];
  try {
    stmts = await parsePostgresStatements(clean);
  } catch (e) {
    const cursor = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    const at = typeof cursor === 'number' ? `:${lineAt(Buffer.from(clean, 'utf8').subarray(0, cursor).toString('utf8'))}` : '';
    throw new PlumbError('E_SPEC', `${source}${at}: not valid Postgres SQL: ${(e as Error).message}`, 'a .sql spec is DDL as psql would run it (pg_dump --schema-only output works)');
  }
  // The parser's locations count bytes of UTF-8.
  const bytes = Buffer.from(clean, 'utf8');
  const statements: SqlScriptStatement[] = [];
  const extensions: SqlScriptExtension[] = [];
  for (const { node, body, start, sql: text } of stmts) {
    const leading = bytes.subarray(0, start).toString('utf8');
    let sql = text;
    // stmt_location points at the comment before a statement too: count lines from the statement's first word.
    const line = lineAt(leading) + lineAt(sql.slice(0, firstWord(sql))) - 1;
    if (node === 'TransactionStmt' || node === 'VacuumStmt') continue;
    if (node === 'SelectStmt' && /^\s*SELECT\s+(pg_catalog\.)?setval\s*\(/i.test(stripComments(sql))) continue;
    if (node === 'IndexStmt' && body.concurrent) sql = sql.replace(/\bCONCURRENTLY\s+/i, '');
    if (node === 'DropStmt' && body.concurrent) sql = sql.replace(/\bCONCURRENTLY\s+/i, '');
    if (node === 'CreateExtensionStmt') {
      const schema = ((body.options as { DefElem?: { defname?: string; arg?: { String?: { sval?: string } } } }[] | undefined) ?? []).find((o) => o.DefElem?.defname === 'schema')?.DefElem?.arg?.String?.sval;
      extensions.push({ name: String(body.extname), ...(schema ? { schema } : {}) });
    }
    statements.push({ sql, line, node });
  }
  return { statements, extensions };
}

function lineAt(prefix: string): number {
  let n = 1;
  for (let i = prefix.indexOf('\n'); i >= 0; i = prefix.indexOf('\n', i + 1)) n++;
  return n;
}

function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

/** Offset of the first character that is neither whitespace nor inside a leading comment. */
function firstWord(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else return i;
  }
}
