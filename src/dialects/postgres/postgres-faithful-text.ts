// Chooses between the pretty and the plain deparse of an expression or query
// Postgres stored. Pretty printing drops the parentheses of a nested AND/OR
// (`a AND (b AND c)` prints `a AND b AND c`), which parses back to a different
// tree: the catalog would then carry text that does not re-create the object.
// The real parser (libpg-query) decides. Pure once the parser is loaded.
import { postgresParser } from './postgres-statements.js';

type Parser = Awaited<ReturnType<typeof postgresParser>>;
let pg: Parser | undefined;

/** Loads the parser; `faithfulText` needs it only where a plain text was fetched. */
export async function loadFaithfulText(): Promise<void> {
  pg ??= await postgresParser();
}

/** What the text is: an expression, or a whole statement (a view's query, CREATE TRIGGER). */
export type DeparseKind = 'expression' | 'statement';

/** The parse tree of `sql` without source positions, as a comparison key; null when it does not parse. */
function treeKey(sql: string, kind: DeparseKind): string | null {
  if (!pg) throw new Error('loadFaithfulText() must resolve before faithfulText() is called');
  try {
    const tree = pg.parseSync(kind === 'expression' ? `SELECT ${sql}` : sql);
    return JSON.stringify(tree, (k, v: unknown) => (k === 'location' || k === 'stmt_location' || k === 'stmt_len' ? undefined : v));
  } catch {
    return null;
  }
}

/**
 * `pretty` unless it parses to another tree than `plain` (the server's deparse
 * without pretty-printing, which keeps every parenthesis): then `plain`.
 * Without a plain text (the server saw nothing to lose), `pretty`.
 */
export function faithfulText(pretty: string, plain: string | null | undefined, kind: DeparseKind): string {
  if (plain == null || plain === pretty) return pretty;
  const a = treeKey(pretty, kind);
  return a !== null && a === treeKey(plain, kind) ? pretty : plain;
}
