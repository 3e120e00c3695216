// Which tables are audit logs, shared by the audit-log rules. A name alone is
// not evidence (`alert_history`, `model_audits` are monitoring data and
// reviews, pruned or edited by design); this must never call a table an audit
// log unless its name is an audit log's, its columns record who did what when,
// or it carries a hash chain. Pure: reads the catalog only.
import type { Column, Table } from '../catalog/types.js';
import { matchesAny, nameWords, stringList } from './rule-helpers.js';

/** `auditTables`: globs of tables the user declares audit logs (trusted as is); the rest must show evidence. */
export const auditLogOptions = { auditTables: [] as string[] };

/** Column names of a hash chain: the previous row's hash, and the row's own. */
export const CHAIN_PREVIOUS = ['previous_hash', 'prev_hash'];
export const CHAIN_HASH = ['row_hash', 'hash_chain', 'hash', 'entry_hash', 'record_hash', 'current_hash'];

/** Last name words that make `<…>audit <word>` an audit log's own name (`audit_log`, `AuditTrail`, `station_audit_events`). */
const LOG_WORDS = new Set(['log', 'logs', 'trail', 'trails', 'event', 'events', 'entry', 'entries', 'record', 'records']);
/** Name words that hint at a log (with `*audit*`); with who/what/when columns they make one (`audits`, `change_history`). */
const HINT_WORDS = new Set(['history', 'histories', 'journal', 'journals']);

/** Who acted: a user or actor column, or `*_by` (`changed_by`, `performed_by_id`). */
const ACTOR = /^(user|user_id|userid|username|user_name|actor|actor_id|actor_name|author|author_id|principal|principal_id|admin_id|who)$|_by(_id)?$/;
const ACTION = /^(action|action_type|action_name|operation|operation_type|op|event|event_type|event_name|activity|verb|change_type|audit_action)$/;
const TIME_KINDS = new Set(['timestamp', 'timestamptz', 'date']);
const TIME_NAME = /(^|_)(at|time|timestamp|ts|when)$/;

const named = (t: Table, re: RegExp) => t.columns.some((c) => re.test(nameWords(c.name).join('_')));
const isTime = (c: Column) => TIME_KINDS.has(c.type.kind) || (['int', 'bigint'].includes(c.type.kind) && TIME_NAME.test(nameWords(c.name).join('_')));
const hasColumn = (t: Table, names: readonly string[]) => t.columns.some((c) => names.includes(c.name.toLowerCase()));

/** Why `t` is an audit log (`name`, `columns`, `hash-chain`, `declared`), or null when nothing says it is. */
export function auditLogEvidence(t: Table, options: Record<string, unknown>): 'declared' | 'name' | 'hash-chain' | 'columns' | null {
  if (matchesAny(t.name.toLowerCase(), stringList(options.auditTables, auditLogOptions.auditTables))) return 'declared';
  const w = nameWords(t.name);
  const last = w[w.length - 1] ?? '';
  if (['auditlog', 'auditlogs', 'audittrail'].includes(last) || (w.length >= 2 && w[w.length - 2] === 'audit' && LOG_WORDS.has(last))) return 'name';
  if (hasColumn(t, CHAIN_PREVIOUS) && hasColumn(t, CHAIN_HASH)) return 'hash-chain';
  if ((t.name.toLowerCase().includes('audit') || w.some((x) => HINT_WORDS.has(x))) && named(t, ACTOR) && named(t, ACTION) && t.columns.some(isTime)) return 'columns';
  return null;
}

export function isAuditLog(t: Table, options: Record<string, unknown>): boolean {
  return auditLogEvidence(t, options) !== null;
}
