// SQLite pieces of apply: journal/history column types (INTEGER PRIMARY KEY is
// the auto-numbered rowid; there are no users), the session renderer a table
// rebuild needs, and the foreign-key check every apply transaction must pass
// before it commits (foreign keys are off while tables are rebuilt).
import type { ApplySupport } from '../apply-support.js';
import { updateFromSql } from '../update-from.js';
import { quoteIdent as q } from './sqlite-dialect.js';
import { sqliteSessionRenderer } from './sqlite-render.js';

const GUARD = 'plumb: PRAGMA foreign_key_check found rows violating a foreign key; the apply transaction is rolled back';

export const sqliteApplySupport: ApplySupport = {
  store: {
    param: () => '?',
    checksumType: 'TEXT',
    textType: 'TEXT',
    timestampType: 'TEXT',
    jsonType: 'TEXT',
    autoIdColumn: 'INTEGER PRIMARY KEY',
    currentUser: null,
  },
  planRenderer: (from) => sqliteSessionRenderer(from),
  // A rebuild drops and recreates tables: with enforcement on, DROP TABLE would fire ON DELETE actions elsewhere
  // (https://www.sqlite.org/lang_altertable.html#otheralter step 1). The PRAGMA is a no-op inside a transaction, so it is set here, around the run.
  async prepareSession(conn) {
    const [r] = await conn.query<{ foreign_keys: number | string }>('PRAGMA foreign_keys');
    if (!Number(r?.foreign_keys)) return async () => undefined;
    await conn.exec('PRAGMA foreign_keys = OFF');
    return async () => {
      await conn.exec('PRAGMA foreign_keys = ON');
    };
  },
  // A CHECK on a temp table turns a non-empty foreign_key_check into an error, which rolls the transaction back.
  beforeCommit: [
    `CREATE TEMP TABLE IF NOT EXISTS "plumb_guard_commit_fk" (n INTEGER, CONSTRAINT ${q(GUARD)} CHECK (n = 0))`,
    'INSERT INTO temp."plumb_guard_commit_fk" (n) SELECT count(*) FROM pragma_foreign_key_check',
    'DELETE FROM temp."plumb_guard_commit_fk"',
  ],
  // Declared types are affinities, never refused (STRICT tables refuse in the rebuild's copy, and the transaction rolls back).
  castable: (expr, type) => (/^jsonb?$/i.test(type) ? { sql: `json_valid(${expr})` } : null),
  enforcesLength: false,
  deleteWhere: (table, predicate) => `DELETE FROM ${table} AS t WHERE ${predicate}`,
  updateFrom: (table, source, columns, key) => updateFromSql(table, source, columns, key, q),
};
