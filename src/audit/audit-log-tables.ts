// Which tables are audit logs (by name), shared by the audit-log rules.
import type { Table } from '../catalog/types.js';
import { matchesAny, stringList } from './rule-helpers.js';

export const auditLogOptions = { auditTables: ['*audit*', '*_history', '*_journal'] };

export function isAuditLog(t: Table, options: Record<string, unknown>): boolean {
  return matchesAny(t.name.toLowerCase(), stringList(options.auditTables, auditLogOptions.auditTables));
}
