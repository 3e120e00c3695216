// SQL Server dialect: render-only. plumb writes T-SQL for plans (`plumb plan
// --dialect mssql`); it does not connect to SQL Server yet.
import type { Capabilities, Dialect } from '../dialect.js';
import { PlumbError } from '../../errors.js';
import { quoteIdent, quoteLiteral, quoteQualified } from './mssql-sql.js';
import { renderMssql } from './mssql-render.js';
import { lowerEnums } from '../../catalog/lower-enums.js';

export const mssqlCapabilities: Capabilities = {
  transactionalDdl: true,
  schemas: true,
  enums: false,
  domains: false,
  rowLevelSecurity: false,
  partialIndexes: true,
  expressionIndexes: false,
  includeColumns: true,
  checkConstraints: true,
  exclusionConstraints: false,
  deferrableConstraints: false,
  notValidConstraints: true,
  concurrentIndex: false,
  sequences: true,
  identityColumns: true,
  materializedViews: false,
  routines: true,
  triggers: true,
  events: false,
  grants: true,
  comments: true,
  statistics: true,
};

export const mssqlDialect: Dialect = {
  name: 'mssql',
  capabilities: mssqlCapabilities,
  quoteIdent,
  quoteQualified,
  quoteLiteral,
  introspect: async () => {
    throw new PlumbError('E_DIALECT_UNAVAILABLE', 'SQL Server is render-only in plumb: it cannot inspect a live server yet', 'render T-SQL from a spec with: plumb plan --spec S --dialect mssql');
  },
  render: renderMssql,
  adaptCatalog: lowerEnums,
  scriptFrame: (ms) => ({ begin: ['BEGIN TRANSACTION;', `SET LOCK_TIMEOUT ${ms};`], commit: ['COMMIT TRANSACTION;'] }),
};
