// The MySQL/MariaDB dialect: capabilities, quoting, introspection. Each
// database is one catalog schema. DDL is not transactional here: the apply
// journal, not a transaction, makes an interrupted apply resumable.
import type { Capabilities, Dialect, InspectOptions } from '../dialect.js';
import type { Catalog } from '../../catalog/types.js';
import type { Connection } from '../../drivers/connection.js';
import { introspectMysql } from './mysql-introspector.js';
import { renderMysqlChange } from './mysql-render.js';
import { inlineEnums } from '../../catalog/lower-enums.js';
import { autoIncrementChecksAsTriggers } from './mysql-check-triggers.js';
import { singleDmlStatement, tokenizeMysql } from './mysql-statements.js';
import { mysqlLockWaitSeconds } from '../../drivers/mysql-lock-wait.js';
import { mysqlLockImpact } from './mysql-lock-impact.js';
import { mysqlNativeType } from './mysql-types.js';
import { mysqlOnlineDdl } from './mysql-online-ddl.js';

export const mysqlCapabilities: Capabilities = {
  transactionalDdl: false,
  schemas: true, // a database is a schema: `db`.`table`
  enums: true, // inline ENUM('a','b') column types
  domains: false,
  rowLevelSecurity: false,
  partialIndexes: false,
  expressionIndexes: true, // MySQL 8.0.13+; MariaDB through indexed generated columns
  includeColumns: false,
  checkConstraints: true, // MariaDB 10.2+, MySQL 8.0.16+
  exclusionConstraints: false,
  deferrableConstraints: false,
  notValidConstraints: false,
  concurrentIndex: false, // ALGORITHM=INPLACE, LOCK=NONE is the closest; not the same guarantee
  sequences: false,
  identityColumns: false, // AUTO_INCREMENT instead
  materializedViews: false,
  routines: true,
  triggers: true,
  events: true,
  grants: true,
  comments: true,
  statistics: true,
};

export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** Assumes the default sql_mode (backslash is an escape character: NO_BACKSLASH_ESCAPES off). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
}

/**
 * A portable table is transactional and stores Unicode: InnoDB and utf8mb4
 * unless the catalog says otherwise (seed 000's latin1 and MyISAM tables are
 * converted). The collation is left to the database's default.
 */
function withStorageDefaults(catalog: Catalog): Catalog {
  return {
    ...catalog,
    schemas: catalog.schemas.map((s) => ({ ...s, tables: s.tables.map((t) => ({ ...t, options: { engine: 'InnoDB', charset: 'utf8mb4', ...t.options } })) })),
  };
}

export const mysqlDialect: Dialect = {
  name: 'mysql',
  capabilities: mysqlCapabilities,
  quoteIdent,
  quoteQualified: (schema, name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  quoteLiteral,
  introspect: (conn: Connection, options?: InspectOptions) => introspectMysql(conn, options),
  render: (change, options) => renderMysqlChange(change, options),
  lockImpact: (change) => mysqlLockImpact(change),
  onlineDdl: mysqlOnlineDdl,
  // Each database is a schema: a spec's default schema is the URL's database.
  homeSchema: (target) => target.database,
  standardSqlSession: {
    enter: ['SET @plumb_sql_mode = @@SESSION.sql_mode', "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES,PIPES_AS_CONCAT')"],
    leave: ['SET SESSION sql_mode = @plumb_sql_mode'],
  },
  specStatement: (sql) => singleDmlStatement(sql),
  adaptCatalog: (catalog) => withStorageDefaults(autoIncrementChecksAsTriggers(inlineEnums(catalog))),
  nativeType: mysqlNativeType,
  // DDL commits as it goes: no BEGIN/COMMIT around phases. The client's own lock waits are the plan's lock timeout,
  // and a compound body (BEGIN … END) is sent whole under another DELIMITER.
  scriptFrame: (ms) => ({
    session: [`SET SESSION lock_wait_timeout = ${mysqlLockWaitSeconds(ms)};`, `SET SESSION innodb_lock_wait_timeout = ${mysqlLockWaitSeconds(ms)};`],
    begin: [],
    commit: [],
    statement: (sql) => {
      const text = sql.trimEnd();
      if (!tokenizeMysql(text).some((t) => t.kind === 'punct' && t.value === ';')) return [text + ';'];
      const delimiter = ['//', '$$', ';;', '@@@'].find((d) => !text.includes(d)) ?? '//';
      return [`DELIMITER ${delimiter}`, text + ' ' + delimiter, 'DELIMITER ;'];
    },
  }),
  openScratch: async (target, schemas, home) => (await import('./mysql-scratch.js')).openMysqlScratch(target, schemas, home),
};
