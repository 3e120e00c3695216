// One sentence on how much of the data an audit's data rules read, shared by
// the text, Markdown and HTML reports: in sample mode, the rows read of the
// large tables against their size, and what `--data full` would add.
import type { AuditResult } from '../audit/types.js';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The sentence, or null when no data rule read a table (catalog-only audit, --no-data). */
export function dataCoverageLine(r: Pick<AuditResult, 'data'>): string | null {
  const d = r.data;
  if (!d) return null;
  if (d.mode === 'full') return `data rules read every row (--data full)${d.tablesRead ? `: ${n(d.rowsRead ?? 0)} rows of ${d.tablesRead} table${d.tablesRead === 1 ? '' : 's'}, one pass each` : ''}`;
  const t = d.sampledTables;
  if (!t.length) return `data rules read every row (no table holds more than ${n(d.sampleLimit)})`;
  const read = t.reduce((a, x) => a + x.rowsRead, 0);
  const known = t.filter((x) => x.tableRows !== null).reduce((a, x) => a + x.tableRows!, 0);
  const unknown = t.some((x) => x.tableRows === null);
  const size = unknown ? `more than ${n(Math.max(known, read))}` : `~${n(known)}`;
  return `data rules read ${n(read)} of ${size} rows of ${t.length} large table${t.length === 1 ? '' : 's'} (the first ${n(d.sampleLimit)} of each, by key); run with --data full to read all`;
}
