// Stable hazard codes for plan steps (Atlas / pg-schema-diff style). A code is
// never reused for a different meaning; apply refuses destructive ones until
// they are allowed by code or by `code:path`.
import type { Hazard, SafetyClass } from './types.js';

export interface HazardMeta {
  code: string;
  safety: SafetyClass;
  title: string;
}

const table: HazardMeta[] = [
  { code: 'PH101', safety: 'destructive', title: 'drops a table and its rows' },
  { code: 'PH102', safety: 'destructive', title: 'drops a column and its values' },
  { code: 'PH103', safety: 'destructive', title: 'drops a schema and everything in it' },
  { code: 'PH104', safety: 'destructive', title: 'drops a type (enum, domain, composite) that columns may use' },
  { code: 'PH105', safety: 'destructive', title: 'removes enum labels: rows holding them cannot be kept' },
  { code: 'PH106', safety: 'destructive', title: 'drops a sequence and its position' },
  { code: 'PH107', safety: 'destructive', title: 'remediation deletes rows' },
  { code: 'PH108', safety: 'destructive', title: 'remediation sets values to NULL' },
  { code: 'PH109', safety: 'destructive', title: 'loses values its rollback cannot restore (a narrower type, recomputed generated values)' },
  { code: 'MF101', safety: 'data-dependent', title: 'SET NOT NULL fails if the column holds NULLs' },
  { code: 'MF102', safety: 'data-dependent', title: 'a unique key fails if rows are duplicated' },
  { code: 'MF103', safety: 'data-dependent', title: 'a foreign key fails if rows are orphaned' },
  { code: 'MF104', safety: 'data-dependent', title: 'a check fails if rows violate it' },
  { code: 'MF105', safety: 'data-dependent', title: 'a type change fails if a value does not cast' },
  { code: 'MF106', safety: 'data-dependent', title: 'a NOT NULL column without default fails on a non-empty table' },
  { code: 'MF107', safety: 'data-dependent', title: 'a JSON check or type fails on invalid JSON text' },
  { code: 'MF108', safety: 'data-dependent', title: 'values outside the new enum labels fail the change' },
  { code: 'MF109', safety: 'data-dependent', title: 'converting to a character set fails on text it cannot hold' },
  { code: 'LK101', safety: 'blocking', title: 'takes an ACCESS EXCLUSIVE lock and may rewrite the table' },
  { code: 'LK102', safety: 'blocking', title: 'scans the table under a lock that blocks writes' },
  { code: 'LK103', safety: 'blocking', title: 'rebuilds the table (engine or character set change): writes wait until it is copied' },
  { code: 'OC101', safety: 'safe', title: 'changes a column type online: a new column kept in step by a trigger, filled in batches, swapped in by renames' },
  { code: 'OC102', safety: 'destructive', title: 'drops the old column an online type change left behind (runs only with apply --contract)' },
  { code: 'OC103', safety: 'blocking', title: 'cannot change this column type online: the table is rewritten under an exclusive lock' },
  { code: 'IX101', safety: 'blocking', title: 'builds an index without CONCURRENTLY: writes wait' },
  { code: 'IX102', safety: 'safe', title: 'drops an index: queries that used it slow down' },
  { code: 'BC101', safety: 'safe', title: 'renames a table: clients using the old name break' },
  { code: 'BC102', safety: 'safe', title: 'renames a column: clients using the old name break' },
  { code: 'EX101', safety: 'safe', title: 'updates an extension: its rollback needs a downgrade script the extension may not ship' },
  { code: 'AZ101', safety: 'safe', title: 'changes who may read or write (grants, policies, RLS)' },
];

export const HAZARDS: ReadonlyMap<string, HazardMeta> = new Map(table.map((h) => [h.code, h]));

export function hazard(code: string, detail?: string): Hazard {
  const meta = HAZARDS.get(code);
  if (!meta) throw new Error(`unknown hazard code ${code}`);
  return { code, message: detail ? `${meta.title} (${detail})` : meta.title };
}

/** The step's safety class is the worst of its hazards. */
export function safetyOf(hazards: Hazard[], base: SafetyClass = 'safe'): SafetyClass {
  const order: SafetyClass[] = ['safe', 'blocking', 'data-dependent', 'destructive'];
  let worst = order.indexOf(base);
  for (const h of hazards) worst = Math.max(worst, order.indexOf(HAZARDS.get(h.code)?.safety ?? 'safe'));
  return order[worst]!;
}
