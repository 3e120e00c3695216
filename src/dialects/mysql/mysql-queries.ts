// The set-based information_schema queries behind MySQL/MariaDB introspection.
// One query per object kind for all included databases (`?` expands to the
// list) — never one per table. Columns that only some servers have are added
// from the probe of information_schema itself (see `optionalColumns`).

/** Which optional information_schema columns this server has (MySQL 8 vs MariaDB). */
export const OPTIONAL_COLUMNS_SQL = `
SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = 'information_schema'
  AND TABLE_NAME IN ('STATISTICS', 'CHECK_CONSTRAINTS', 'TABLE_CONSTRAINTS', 'SCHEMATA', 'COLUMNS')`;

export interface OptionalColumns {
  statisticsExpression: boolean;
  statisticsVisible: boolean;
  statisticsIgnored: boolean;
  checkTableName: boolean;
  checkLevel: boolean;
  constraintEnforced: boolean;
  schemaComment: boolean;
  checkConstraintsTable: boolean;
}

export function optionalColumns(rows: { t: string; c: string }[]): OptionalColumns {
  const has = (t: string, c: string) => rows.some((r) => String(r.t).toUpperCase() === t && String(r.c).toUpperCase() === c);
  return {
    statisticsExpression: has('STATISTICS', 'EXPRESSION'),
    statisticsVisible: has('STATISTICS', 'IS_VISIBLE'),
    statisticsIgnored: has('STATISTICS', 'IGNORED'),
    checkTableName: has('CHECK_CONSTRAINTS', 'TABLE_NAME'),
    checkLevel: has('CHECK_CONSTRAINTS', 'LEVEL'),
    constraintEnforced: has('TABLE_CONSTRAINTS', 'ENFORCED'),
    schemaComment: has('SCHEMATA', 'SCHEMA_COMMENT'),
    checkConstraintsTable: rows.some((r) => String(r.t).toUpperCase() === 'CHECK_CONSTRAINTS'),
  };
}

export const SCHEMAS_SQL = (o: OptionalColumns) => `
SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation,
       ${o.schemaComment ? 'SCHEMA_COMMENT' : 'NULL'} AS comment
FROM information_schema.SCHEMATA
ORDER BY SCHEMA_NAME`;

export const TABLES_SQL = `
SELECT TABLE_SCHEMA AS sch, TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_ROWS AS row_count,
       DATA_LENGTH + INDEX_LENGTH AS bytes, TABLE_COLLATION AS collation, TABLE_COMMENT AS comment, CREATE_OPTIONS AS create_options
FROM information_schema.TABLES
WHERE TABLE_SCHEMA IN (?) AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')`;

export const COLUMNS_SQL = `
SELECT TABLE_SCHEMA AS sch, TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS num,
       COLUMN_DEFAULT AS def, IS_NULLABLE AS nullable, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type,
       CHARACTER_MAXIMUM_LENGTH AS char_length, NUMERIC_PRECISION AS num_precision, NUMERIC_SCALE AS num_scale,
       CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation, EXTRA AS extra, COLUMN_COMMENT AS comment,
       GENERATION_EXPRESSION AS gen_expr
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA IN (?)`;

export const INDEXES_SQL = (o: OptionalColumns) => `
SELECT TABLE_SCHEMA AS sch, TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
       COLUMN_NAME AS col, SUB_PART AS sub_part, COLLATION AS dir, INDEX_TYPE AS method,
       ${o.statisticsExpression ? 'EXPRESSION' : 'NULL'} AS expr, INDEX_COMMENT AS comment
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN (?)
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

export const FOREIGN_KEYS_SQL = `
SELECT k.TABLE_SCHEMA AS sch, k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.ORDINAL_POSITION AS pos,
       k.REFERENCED_TABLE_SCHEMA AS ref_schema, k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_col,
       r.UPDATE_RULE AS on_update, r.DELETE_RULE AS on_delete, r.MATCH_OPTION AS match_option
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA IN (?) AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

/**
 * What the server hides from this user, in one query: foreign keys whose
 * columns KEY_COLUMN_USAGE shows but REFERENTIAL_CONSTRAINTS does not (MariaDB
 * lists a table's constraints only to a user with a privilege other than
 * SELECT on it), and views listed without their body (no SHOW VIEW).
 */
export const HIDDEN_OBJECTS_SQL = `
SELECT DISTINCT 'foreign key' AS kind, k.TABLE_SCHEMA AS sch, k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name
FROM information_schema.KEY_COLUMN_USAGE k
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA IN (?) AND k.REFERENCED_TABLE_NAME IS NOT NULL AND r.CONSTRAINT_NAME IS NULL
UNION ALL
SELECT 'view', TABLE_SCHEMA, TABLE_NAME, TABLE_NAME
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA IN (?) AND (VIEW_DEFINITION IS NULL OR VIEW_DEFINITION = '')
ORDER BY 1, 2, 3, 4`;

/** MariaDB names checks per table (CHECK_CONSTRAINTS.TABLE_NAME); MySQL 8 per schema (join TABLE_CONSTRAINTS). */
export const CHECKS_SQL = (o: OptionalColumns) =>
  o.checkTableName
    ? `
SELECT c.CONSTRAINT_SCHEMA AS sch, c.TABLE_NAME AS tbl, c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS clause,
       ${o.checkLevel ? 'c.LEVEL' : "'Table'"} AS level, 'YES' AS enforced
FROM information_schema.CHECK_CONSTRAINTS c
WHERE c.CONSTRAINT_SCHEMA IN (?)`
    : `
SELECT tc.TABLE_SCHEMA AS sch, tc.TABLE_NAME AS tbl, tc.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS clause,
       'Table' AS level, ${o.constraintEnforced ? 'tc.ENFORCED' : "'YES'"} AS enforced
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA IN (?) AND tc.CONSTRAINT_TYPE = 'CHECK'`;

export const VIEWS_SQL = `
SELECT TABLE_SCHEMA AS sch, TABLE_NAME AS name, VIEW_DEFINITION AS def, CHECK_OPTION AS check_option,
       DEFINER AS definer, SECURITY_TYPE AS security
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA IN (?)`;

export const ROUTINES_SQL = `
SELECT ROUTINE_SCHEMA AS sch, ROUTINE_NAME AS name, ROUTINE_TYPE AS type, DTD_IDENTIFIER AS ret_type,
       ROUTINE_DEFINITION AS body, IS_DETERMINISTIC AS is_det, SQL_DATA_ACCESS AS data_access,
       SECURITY_TYPE AS security, DEFINER AS definer, ROUTINE_COMMENT AS comment
FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA IN (?)`;

export const PARAMETERS_SQL = `
SELECT SPECIFIC_SCHEMA AS sch, SPECIFIC_NAME AS name, ROUTINE_TYPE AS type, ORDINAL_POSITION AS pos,
       PARAMETER_MODE AS mode, PARAMETER_NAME AS pname, DTD_IDENTIFIER AS dtd
FROM information_schema.PARAMETERS
WHERE SPECIFIC_SCHEMA IN (?) AND ORDINAL_POSITION > 0
ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION`;

export const TRIGGERS_SQL = `
SELECT TRIGGER_SCHEMA AS sch, TRIGGER_NAME AS name, EVENT_MANIPULATION AS event, EVENT_OBJECT_SCHEMA AS tsch,
       EVENT_OBJECT_TABLE AS tbl, ACTION_ORDER AS ord, ACTION_STATEMENT AS body, ACTION_ORIENTATION AS orientation,
       ACTION_TIMING AS timing, DEFINER AS definer
FROM information_schema.TRIGGERS
WHERE EVENT_OBJECT_SCHEMA IN (?)`;

export const EVENTS_SQL = `
SELECT EVENT_SCHEMA AS sch, EVENT_NAME AS name, DEFINER AS definer, EVENT_DEFINITION AS body, EVENT_TYPE AS type,
       EXECUTE_AT AS execute_at, INTERVAL_VALUE AS interval_value, INTERVAL_FIELD AS interval_field,
       ENDS AS ends, STATUS AS status, ON_COMPLETION AS on_completion, EVENT_COMMENT AS comment
FROM information_schema.EVENTS
WHERE EVENT_SCHEMA IN (?)`;

export const TABLE_PRIVILEGES_SQL = `
SELECT TABLE_SCHEMA AS sch, TABLE_NAME AS tbl, GRANTEE AS grantee, PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable
FROM information_schema.TABLE_PRIVILEGES
WHERE TABLE_SCHEMA IN (?)`;

export const SCHEMA_PRIVILEGES_SQL = `
SELECT TABLE_SCHEMA AS sch, GRANTEE AS grantee, PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable
FROM information_schema.SCHEMA_PRIVILEGES
WHERE TABLE_SCHEMA IN (?)`;

export const SETTINGS_SQL = `
SELECT @@GLOBAL.sql_mode AS sql_mode, @@GLOBAL.event_scheduler AS event_scheduler,
       @@character_set_server AS character_set_server, @@collation_server AS collation_server,
       @@default_storage_engine AS default_storage_engine, @@lower_case_table_names AS lower_case_table_names,
       @@innodb_strict_mode AS innodb_strict_mode, @@explicit_defaults_for_timestamp AS explicit_defaults_for_timestamp,
       @@time_zone AS time_zone, @@version_comment AS version_comment, VERSION() AS version, DATABASE() AS db`;

/** System databases plumb never inspects unless named explicitly. */
export const SYSTEM_SCHEMAS = new Set(['information_schema', 'mysql', 'performance_schema', 'sys']);
