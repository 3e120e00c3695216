// Registry of dialect-specific rules (MySQL/MariaDB, SQLite). One import per rule file.
import type { Rule } from '../rule.js';
import mysqlNonUtf8mb4 from './mysql-non-utf8mb4.js';
import mysqlNonTransactionalEngine from './mysql-non-transactional-engine.js';
import mysqlForeignKeyCollationMismatch from './mysql-foreign-key-collation-mismatch.js';
import mysqlJsonWithoutCheck from './mysql-json-without-check.js';
import mysqlZeroDates from './mysql-zero-dates.js';
import mysqlSqlModeNotStrict from './mysql-sql-mode-not-strict.js';
import mysqlScheduledEvent from './mysql-scheduled-event.js';
import sqliteForeignKeysOff from './sqlite-foreign-keys-off.js';
import sqliteMixedStorageTypes from './sqlite-mixed-storage-types.js';
import sqliteAutoincrement from './sqlite-autoincrement.js';
import sqliteNullablePrimaryKey from './sqlite-nullable-primary-key.js';
import mysqlAutoIncrementNearExhaustion from './mysql-auto-increment-near-exhaustion.js';
import mysqlIntDisplayWidth from './mysql-int-display-width.js';

export const dialectRules: Rule[] = [
  mysqlNonUtf8mb4,
  mysqlNonTransactionalEngine,
  mysqlForeignKeyCollationMismatch,
  mysqlJsonWithoutCheck,
  mysqlZeroDates,
  mysqlSqlModeNotStrict,
  mysqlScheduledEvent,
  sqliteForeignKeysOff,
  sqliteMixedStorageTypes,
  sqliteAutoincrement,
  sqliteNullablePrimaryKey,
  mysqlAutoIncrementNearExhaustion,
  mysqlIntDisplayWidth,
];
