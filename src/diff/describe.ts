// Human words for each Change (one line), and the diff report in text,
// Markdown or JSON. Deterministic: the order of the changes is kept. Pure.
import { stableStringify } from '../catalog/normalize.js';
import { changeActions, type Change, type ChangeVisitor } from './changes.js';

const cols = (c: string[]) => c.join(', ');
const labels = (l: string[]) => l.map((x) => `'${x}'`).join(', ');

const describers: ChangeVisitor<string> = {
  createSchema: (c) => `create schema ${c.path}`,
  dropSchema: (c) => `drop schema ${c.path}`,
  createExtension: (c) => `create extension ${c.extension.name}`,
  dropExtension: (c) => `drop extension ${c.extension.name}`,
  alterExtension: (c) => `update extension ${c.extension.name} ${c.before.version} → ${c.extension.version}`,
  createTable: (c) => `create table ${c.path} (${c.table.columns.length} columns)`,
  dropTable: (c) => `drop table ${c.path}`,
  renameTable: (c) => `rename table ${c.from.schema}.${c.from.name} → ${c.to.schema}.${c.to.name}`,
  alterTableOptions: (c) =>
    `change ${(['engine', 'charset', 'collation'] as const)
      .filter((k) => c.after[k] !== undefined)
      .map((k) => `${k} ${c.before[k] ?? '(default)'} → ${c.after[k]}`)
      .join(', ')} of table ${c.path}`,
  alterTableStorage: (c) =>
    `change storage of table ${c.path}: ${[
      ...(c.before.unlogged !== c.after.unlogged ? [c.after.unlogged ? 'unlogged' : 'logged'] : []),
      ...(c.before.parameters.join(',') !== c.after.parameters.join(',') ? [`(${c.before.parameters.join(', ')}) → (${c.after.parameters.join(', ')})`] : []),
      ...Object.entries(c.after.columns).map(([n, s]) => `column ${n} ${c.before.columns[n]} → ${s}`),
    ].join(', ')}`,
  addColumn: (c) => `add column ${c.path} ${c.column.type.raw}${c.column.nullable ? '' : ' not null'}${c.column.default !== null ? ` default ${c.column.default}` : ''}`,
  dropColumn: (c) => `drop column ${c.path}`,
  renameColumn: (c) => `rename column ${c.table.schema}.${c.table.name}.${c.from} → ${c.to}`,
  alterColumnType: (c) => `change type of ${c.path}: ${c.before.type.raw} → ${c.after.type.raw}`,
  alterColumnNullability: (c) => `${c.after.nullable ? 'allow NULL in' : 'set NOT NULL on'} ${c.path}`,
  alterColumnVisibility: (c) => `make ${c.path} ${c.after.invisible ? 'invisible' : 'visible'}`,
  alterColumnDefault: (c) => `change default of ${c.path}: ${c.before.default ?? 'none'} → ${c.after.default ?? 'none'}`,
  alterColumnIdentity: (c) => `change identity of ${c.path}: ${c.before.identity ?? 'none'} → ${c.after.identity ?? 'none'}`,
  alterColumnGenerated: (c) => `change generated expression of ${c.path}: ${c.before.generated ?? 'none'} → ${c.after.generated ?? 'none'}`,
  addPrimaryKey: (c) => `add primary key ${c.path} (${cols(c.primaryKey.columns)})`,
  dropPrimaryKey: (c) => `drop primary key ${c.path}`,
  addUnique: (c) => `add unique ${c.path} (${cols(c.unique.columns)})`,
  dropUnique: (c) => `drop unique ${c.path}`,
  addForeignKey: (c) => `add foreign key ${c.path} (${cols(c.foreignKey.columns)}) → ${c.foreignKey.references.schema}.${c.foreignKey.references.table} (${cols(c.foreignKey.references.columns)})`,
  dropForeignKey: (c) => `drop foreign key ${c.path}`,
  addCheck: (c) => `add check ${c.path}: ${c.check.expression}`,
  dropCheck: (c) => `drop check ${c.path}`,
  addExclusion: (c) => `add exclusion ${c.path}`,
  dropExclusion: (c) => `drop exclusion ${c.path}`,
  validateConstraint: (c) => `validate ${c.constraintKind === 'foreignKey' ? 'foreign key' : 'check'} ${c.path}`,
  createIndex: (c) => `create ${c.index.unique ? 'unique ' : ''}index ${c.path}`,
  dropIndex: (c) => `drop index ${c.path}`,
  renameConstraint: (c) => `rename constraint ${c.table.schema}.${c.table.name}.${c.from} → ${c.to}`,
  renameIndex: (c) => `rename index ${c.table.schema}.${c.table.name}.${c.from} → ${c.index.name}`,
  createEnum: (c) => `create enum ${c.path} (${labels(c.enum.labels)})`,
  dropEnum: (c) => `drop enum ${c.path}`,
  addEnumValue: (c) => `add value '${c.value}' to enum ${c.path}`,
  renameEnumValue: (c) => `rename value '${c.from}' → '${c.to}' in enum ${c.path}`,
  replaceEnum: (c) => `rebuild enum ${c.path}: (${labels(c.before.labels)}) → (${labels(c.after.labels)}), converting ${c.columns.length} column(s)`,
  renameEnum: (c) => `rename enum ${c.before.path} → ${c.after.path}`,
  createDomain: (c) => `create domain ${c.path}`,
  dropDomain: (c) => `drop domain ${c.path}`,
  alterDomain: (c) => `alter domain ${c.path}`,
  createCompositeType: (c) => `create type ${c.path}`,
  dropCompositeType: (c) => `drop type ${c.path}`,
  alterCompositeType: (c) => `alter type ${c.path}`,
  createView: (c) => `create view ${c.path}`,
  replaceView: (c) => `replace view ${c.path}`,
  dropView: (c) => `drop view ${c.path}`,
  renameView: (c) => `rename ${c.materialized ? 'materialized view' : 'view'} ${c.from.schema}.${c.from.name} → ${c.to.schema}.${c.to.name}`,
  createMaterializedView: (c) => `create materialized view ${c.path}`,
  dropMaterializedView: (c) => `drop materialized view ${c.path}`,
  createSequence: (c) => `create sequence ${c.path}`,
  alterSequence: (c) => `alter sequence ${c.path}${c.before.ownedBy !== c.after.ownedBy ? ` (owned by ${c.after.ownedBy ?? 'none'})` : ''}`,
  dropSequence: (c) => `drop sequence ${c.path}`,
  createRoutine: (c) => `create ${c.routine.kind} ${c.path}`,
  replaceRoutine: (c) => `replace ${c.after.kind} ${c.path}`,
  dropRoutine: (c) => `drop ${c.routine.kind} ${c.path}`,
  createTrigger: (c) => `create trigger ${c.path}`,
  dropTrigger: (c) => `drop trigger ${c.path}`,
  enableTrigger: (c) => `enable trigger ${c.path}`,
  disableTrigger: (c) => `disable trigger ${c.path}`,
  createEvent: (c) => `create event ${c.path}`,
  createCollation: (c) => `create collation ${c.path} (${c.collation.provider}, ${c.collation.locale}${c.collation.deterministic ? '' : ', nondeterministic'})`,
  dropCollation: (c) => `drop collation ${c.path}`,
  createRule: (c) => `create rule ${c.path}`,
  dropRule: (c) => `drop rule ${c.path}`,
  dropEvent: (c) => `drop event ${c.path}`,
  enableRls: (c) => `enable row level security on ${c.path}`,
  disableRls: (c) => `disable row level security on ${c.path}`,
  forceRls: (c) => `${c.force ? 'force' : 'stop forcing'} row level security on ${c.path}`,
  createPolicy: (c) => `create policy ${c.path} (${c.policy.command})`,
  dropPolicy: (c) => `drop policy ${c.path}`,
  alterPolicy: (c) => `alter policy ${c.path}`,
  grant: (c) => `grant ${c.grant.privileges.join(', ')} on ${c.path} to ${c.grant.grantee}`,
  revoke: (c) => `revoke ${c.grant.privileges.join(', ')} on ${c.path} from ${c.grant.grantee}`,
  setComment: (c) => `${c.after === null ? 'remove comment on' : 'set comment on'} ${c.target.kind} ${c.path}`,
};

export function describeChange(c: Change): string {
  return (describers[c.kind] as (x: Change) => string)(c);
}

const SIGN = { create: '+', drop: '-', alter: '~', rename: '>' } as const;

export type DiffFormat = 'text' | 'md' | 'json';

export interface DiffReportExtras {
  /** Live schemas with objects that were not compared (the spec does not mention them). */
  outside?: readonly { schema: string; objects: number }[];
  /** What "no drift" means here (default: the database matches the spec). */
  same?: string;
}

/** The warning for schemas left out of a comparison; undefined when none were. */
export function outsideWarning(outside: DiffReportExtras['outside'] = []): string | undefined {
  if (!outside.length) return undefined;
  const list = outside.map((o) => `${o.schema} (${o.objects} object${o.objects === 1 ? '' : 's'})`).join(', ');
  return `warning: not compared: the spec does not mention ${outside.length === 1 ? 'schema' : 'schemas'} ${list}; add ${outside.length === 1 ? 'it' : 'them'} to the spec, or choose with --schema / --exclude-schema`;
}

export function formatDiff(changes: Change[], format: DiffFormat, title = 'plumb diff', extras: DiffReportExtras = {}): string {
  const outside = extras.outside ?? [];
  if (format === 'json') {
    return stableStringify({ changes: changes.length, drift: changes.length > 0, items: changes.map((c) => ({ kind: c.kind, path: c.path, summary: describeChange(c), change: c })), notCompared: outside }, 2);
  }
  const warning = outsideWarning(outside);
  const text = formatDiffBody(changes, format, title, extras.same ?? 'the database matches the spec');
  return warning ? `${text}${format === 'md' ? `\n> ${warning}\n` : `\n${warning}`}` : text;
}

function formatDiffBody(changes: Change[], format: DiffFormat, title: string, same: string): string {
  if (!changes.length) return format === 'md' ? `# ${title}\n\nNo drift: ${same}.\n` : `no drift: ${same}`;
  const counts = { create: 0, drop: 0, alter: 0, rename: 0 };
  for (const c of changes) counts[changeActions[c.kind]]++;
  const summary = `${changes.length} change${changes.length > 1 ? 's' : ''}: ${counts.create} to create, ${counts.alter} to alter, ${counts.rename} to rename, ${counts.drop} to drop`;
  if (format === 'md') {
    const rows = changes.map((c) => `| ${SIGN[changeActions[c.kind]]} | \`${c.kind}\` | \`${c.path.replace(/\|/g, '\\|')}\` | ${describeChange(c).replace(/\|/g, '\\|')} |`);
    return `# ${title}\n\n${summary}.\n\n| | kind | object | change |\n|---|---|---|---|\n${rows.join('\n')}\n`;
  }
  return `${changes.map((c) => `${SIGN[changeActions[c.kind]]} ${describeChange(c)}`).join('\n')}\n\n${summary}`;
}
