// The renderer a MySQL plan uses: a table the plan creates gets every key in
// its CREATE TABLE, in the order the keys were created, so the server keeps
// them in that order (SHOW CREATE TABLE, mysqldump) and builds the table in
// one statement; the plan's own steps for those indexes then have nothing
// left to run. Every other change renders as renderMysqlChange does. Pure.
import type { Change } from '../../diff/changes.js';
import type { ChangeRenderer, RenderOptions, RenderedChange } from '../../diff/render-types.js';
import { mysqlCreateTableSql, renderMysqlChange } from './mysql-render.js';

export function mysqlPlanRenderer(): ChangeRenderer {
  const created = new Set<string>();
  const key = (t: { schema: string; name: string }) => `${t.schema}\u0000${t.name}`;
  return (change: Change, options?: RenderOptions): RenderedChange => {
    if (change.kind === 'createTable') {
      const rendered = renderMysqlChange(change, options);
      created.add(key(change.table));
      return { ...rendered, forward: [mysqlCreateTableSql(change.table, true)] };
    }
    // Built with its table (the createTable step above): dropping the table undoes it.
    if (change.kind === 'createIndex' && created.has(key(change.table))) return { forward: [], rollback: [] };
    return renderMysqlChange(change, options);
  };
}
