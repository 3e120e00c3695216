// Remediation SQL derived from a pre-check's predicate: nullify, delete, or
// quarantine (move the offending rows to plumb_quarantine.<schema>__<table>_<step> with
// a statement that puts them back). Pure: returns SQL, runs nothing.
import type { Dialect } from '../dialects/dialect.js';
import { applySupport } from '../dialects/apply-support.js';
import type { PreCheck, RemediationPolicy } from './types.js';

export const QUARANTINE_SCHEMA = 'plumb_quarantine';

export interface RemediationSql {
  forward: string[];
  /** Undoes the remediation (only quarantine can). */
  restore: string[];
  /** Where quarantined rows go. */
  quarantineTable?: string;
}

/**
 * The side table for one step's quarantined rows. It names the source schema
 * too: on MySQL/MariaDB plumb_quarantine is one database for the whole server,
 * and two databases with a table of the same name must never share one (a
 * rollback would put the other database's rows back into this one).
 */
export function quarantineTableName(check: PreCheck, stepId: string): string {
  const raw = `${check.table.schema}__${check.table.name}_${stepId}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  // Identifiers stop at 63 bytes in Postgres; keep the step suffix, which makes the name unique.
  return raw.length <= 63 ? raw : raw.slice(raw.length - 63);
}

export function remediationSql(d: Dialect, check: PreCheck, policy: RemediationPolicy, stepId: string): RemediationSql {
  const t = `${d.quoteQualified(check.table.schema, check.table.name)} AS t`;
  // MariaDB's single-table DELETE takes no alias: the dialect spells a DELETE that does.
  const deleteRows = () => applySupport(d.name).deleteWhere(d.quoteQualified(check.table.schema, check.table.name), check.predicate);
  switch (policy) {
    case 'abort':
      return { forward: [], restore: [] };
    case 'delete':
      return { forward: [deleteRows()], restore: [] };
    case 'nullify': {
      const cols = check.nullifyColumns ?? [];
      if (!cols.length) throw new Error(`pre-check ${check.id} cannot be remediated by nullify`);
      return { forward: [`UPDATE ${t} SET ${cols.map((c) => `${d.quoteIdent(c)} = NULL`).join(', ')} WHERE ${check.predicate}`], restore: [] };
    }
    case 'quarantine': {
      const name = quarantineTableName(check, stepId);
      const q = d.capabilities.schemas ? d.quoteQualified(QUARANTINE_SCHEMA, name) : d.quoteIdent(`${QUARANTINE_SCHEMA}_${name}`);
      const src = d.quoteQualified(check.table.schema, check.table.name);
      return {
        quarantineTable: q,
        forward: [
          ...(d.capabilities.schemas ? [`CREATE SCHEMA IF NOT EXISTS ${d.quoteIdent(QUARANTINE_SCHEMA)}`] : []),
          `CREATE TABLE IF NOT EXISTS ${q} AS SELECT * FROM ${src} WHERE false`,
          `INSERT INTO ${q} SELECT * FROM ${t} WHERE ${check.predicate}`,
          deleteRows(),
        ],
        // Identity columns keep their values: the rows go back exactly as they were.
        restore: [`INSERT INTO ${src}${d.capabilities.identityColumns ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT * FROM ${q}`, `DROP TABLE ${q}`],
      };
    }
  }
}

/** Which policies make sense for a kind of pre-check. */
export function allowedPolicies(check: PreCheck): RemediationPolicy[] {
  const out: RemediationPolicy[] = ['abort', 'delete', 'quarantine'];
  if (check.nullifyColumns?.length) out.push('nullify');
  return out;
}
