// Asks MySQL/MariaDB for the online algorithm a change allows, in the statement
// itself (ALGORITHM=INSTANT, or INPLACE with LOCK=NONE), so the server refuses
// rather than silently falling back to a table copy that blocks writers. What
// it refuses is retried in the next weaker form, and apply says so (fallbacks).
// Pure: statement text in, statement text out; never weakens what was asked.
import type { LockImpact, OnlineStatement } from '../../diff/render-types.js';

const INSTANT = 'ALGORITHM=INSTANT';
const INPLACE = 'ALGORITHM=INPLACE, LOCK=NONE';

/** The clauses to try, strongest first, for a change of this impact; none for the copy algorithm. */
function clausesFor(impact: LockImpact): string[] {
  if (impact.lock === INSTANT) return [INSTANT, INPLACE];
  if (impact.lock === INPLACE) return [INPLACE];
  return [];
}

/** One statement with an algorithm clause, where the statement can carry one. */
function withClause(sql: string, clause: string): string | undefined {
  const s = sql.trimEnd().replace(/;$/, '');
  if (/\bALGORITHM\s*=|\bLOCK\s*=/i.test(s)) return undefined;
  // ALTER TABLE lists options with commas; CREATE INDEX takes them space-separated after the statement.
  // (MariaDB's DROP INDEX … ON takes none: a syntax error, not a refusal, so it is left as it is.)
  if (/^\s*ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE\b/i.test(s)) return `${s}, ${clause}`;
  if (/^\s*CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\b/i.test(s)) return `${s} ${clause.replace(',', '')}`;
  return undefined;
}

export function mysqlOnlineDdl(sql: string, impact: LockImpact): OnlineStatement {
  const forms = clausesFor(impact)
    .map((c) => withClause(sql, c))
    .filter((s): s is string => s !== undefined);
  if (!forms.length) return { sql };
  return { sql: forms[0]!, fallbacks: [...forms.slice(1), sql] };
}
