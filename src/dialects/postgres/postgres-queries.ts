// The set-based pg_catalog queries behind Postgres introspection. One query
// per object kind for the whole database — never one per table. Each takes the
// included namespace oids as $1. Written for Postgres 13–18. Expressions are
// deparsed in pretty mode (fewer parentheses); the introspector then strips
// any parentheses that wrap a whole expression, the same way everywhere.
// The widest results also list their columns' types (…_FIELDS), in select-list
// order, for the binary COPY path (postgres-copy-rows.ts); a test checks each
// list against the server's own description of the result.
import type { CopyFields } from './postgres-copy-rows.js';

/**
 * True when a stored node tree (pg_node_tree) has a boolean expression inside
 * another: only then can pretty-printing lose a nesting (`a AND (b AND c)`
 * prints `a AND b AND c`), so only then is the plain deparse fetched too
 * (the `*_plain` columns; postgres-faithful-text.ts picks one).
 */
const NESTED_BOOL = (tree: string) => `${tree}::text LIKE '%{BOOLEXPR %{BOOLEXPR %'`;

/**
 * Objects that belong to an extension are the extension's, not the user's.
 * Naming the referenced class lets the server find the few extension
 * dependencies by index instead of reading all of pg_depend.
 */
/** A collation's name as DDL names it: bare for the built-in ones, schema-qualified for a user's (CREATE COLLATION). */
const COLLATION_NAME = `CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END`;

const NOT_EXTENSION_MEMBER = (classId: string, col: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.refclassid = 'pg_extension'::regclass AND dep.classid = '${classId}'::regclass AND dep.objid = ${col} AND dep.deptype = 'e')`;

export const SCHEMAS_SQL = `
SELECT n.oid AS oid, n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner, d.description AS comment,
       has_schema_privilege(n.oid, 'USAGE') AS usable
FROM pg_namespace n
LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  AND ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')}
ORDER BY n.nspname`;

/** SCHEMAS_SQL that also exports the transaction's snapshot (once, on every row) for helper sessions. */
export const SCHEMAS_EXPORTING_SQL = `
WITH snap AS MATERIALIZED (SELECT pg_export_snapshot() AS snapshot)
SELECT s.*, snap.snapshot FROM (${SCHEMAS_SQL}) s CROSS JOIN snap ORDER BY s.name`;

/**
 * Sizes: pg_total_relation_size opens every table, index and TOAST relation
 * (≈ 0.5 s for 2,000 tables on a fresh session), so a table with planner
 * statistics is sized from relpages (table + TOAST + indexes, as of its last
 * VACUUM/ANALYZE, like the row estimate); only a table never analysed is
 * measured exactly.
 */
export const RELATIONS_SQL = `
WITH ip AS MATERIALIZED (SELECT x.indrelid, sum(xc.relpages)::int8 AS pages FROM pg_index x JOIN pg_class xc ON xc.oid = x.indexrelid GROUP BY x.indrelid)
SELECT c.oid AS oid, c.relnamespace AS nsp, c.relname AS name, c.relkind AS kind,
       c.relispartition AS is_partition, c.reltuples::float8 AS reltuples, c.relpages AS relpages,
       c.relrowsecurity AS rls, c.relforcerowsecurity AS rls_forced,
       pg_get_userbyid(c.relowner) AS owner, d.description AS comment,
       CASE WHEN c.relkind IN ('r','m') AND %ANALYSED%
            THEN (c.relpages::int8 + COALESCE(tc.relpages, 0) + COALESCE(ip.pages, 0) + COALESCE(tip.pages, 0)) * current_setting('block_size')::int8
            WHEN c.relkind IN ('r','p','m','f') THEN pg_total_relation_size(c.oid) END::float8 AS bytes,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       CASE WHEN c.relispartition THEN (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid LIMIT 1) END AS parent,
       CASE WHEN NOT c.relispartition AND c.relkind IN ('r','p','f') THEN (SELECT array_agg(pn.nspname || '.' || pc.relname ORDER BY i.inhseqno) FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid) END AS inherits,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
       CASE WHEN c.relkind IN ('v','m') THEN pg_get_viewdef(c.oid, true) END AS viewdef,
       CASE WHEN c.relkind IN ('v','m') AND EXISTS (SELECT 1 FROM pg_rewrite rw WHERE rw.ev_class = c.oid AND rw.rulename = '_RETURN' AND ${NESTED_BOOL('rw.ev_action')}) THEN pg_get_viewdef(c.oid) END AS viewdef_plain,
       c.reloptions AS reloptions, c.relpersistence AS persistence
FROM pg_class c
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
LEFT JOIN ip ON ip.indrelid = c.oid
LEFT JOIN ip tip ON tip.indrelid = c.reltoastrelid
WHERE c.relnamespace = ANY($1::oid[]) AND c.relkind IN ('r','p','f','v','m')
  AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`;
export const RELATIONS_FIELDS: CopyFields = [['oid', 'oid'], ['nsp', 'oid'], ['name', 'name'], ['kind', 'char'], ['is_partition', 'bool'], ['reltuples', 'float8'], ['relpages', 'int4'], ['rls', 'bool'], ['rls_forced', 'bool'], ['owner', 'name'], ['comment', 'text'], ['bytes', 'float8'], ['bound', 'text'], ['parent', 'text'], ['inherits', '_text'], ['partkey', 'text'], ['viewdef', 'text'], ['viewdef_plain', 'text'], ['reloptions', '_text'], ['persistence', 'char']];

/**
 * Columns are the widest result (13 per table): rows stay narrow, and the
 * type facts come once per distinct type from COLUMN_TYPES_SQL. Defaults are
 * deparsed without the table (relid 0) — they cannot reference columns — so
 * the server does not open every table; generated expressions need it.
 */
export const COLUMNS_SQL = `
SELECT a.attrelid AS rel, a.attname AS name, a.attnum AS num, a.atttypid AS typid,
       format_type(a.atttypid, a.atttypmod) AS formatted, a.atttypmod AS typmod,
       a.attnotnull AS notnull, a.attcollation AS collid,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0, true) ELSE pg_get_expr(ad.adbin, ad.adrelid, true) END AS def,
       CASE WHEN ${NESTED_BOOL('ad.adbin')} THEN CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) ELSE pg_get_expr(ad.adbin, ad.adrelid) END END AS def_plain,
       a.attidentity AS identity, a.attgenerated AS generated,
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN (SELECT ${COLLATION_NAME} FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation,
       d.description AS comment,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
       NULLIF(a.attstattarget::int, -1) AS stats, %COMPRESSION% AS compression
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.relnamespace = ANY($1::oid[]) AND c.relkind IN ('r','p','f','v','m')
  AND a.attnum > 0 AND NOT a.attisdropped`;
export const COLUMNS_FIELDS: CopyFields = [['rel', 'oid'], ['name', 'name'], ['num', 'int2'], ['typid', 'oid'], ['formatted', 'text'], ['typmod', 'int4'], ['notnull', 'bool'], ['collid', 'oid'], ['def', 'text'], ['def_plain', 'text'], ['identity', 'char'], ['generated', 'char'], ['collation', 'text'], ['comment', 'text'], ['storage', 'char'], ['stats', 'int4'], ['compression', 'text']];

/**
 * pg_type facts for column types: every type except the row types of tables,
 * views and sequences (and their arrays), which would be thousands of rows.
 * A column typed by such a row type is looked up afterwards (rare).
 */
export const COLUMN_TYPES_SQL = `
SELECT t.oid AS oid, t.typname, t.typtype, tn.nspname AS typschema,
       et.typname AS elem_typname, et.typtype AS elem_typtype, etn.nspname AS elem_typschema
FROM pg_type t
JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
WHERE %TYPE_FILTER%`;

const NOT_TABLE_ROWTYPE = (alias: string) =>
  `(${alias}.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = ${alias}.typrelid AND r.relkind = 'c'))`;

/** The common case: types that are not table row types, nor arrays of them. */
export const COLUMN_TYPES_FILTER = `${NOT_TABLE_ROWTYPE('t')} AND (et.oid IS NULL OR ${NOT_TABLE_ROWTYPE('et')})`;

/** The follow-up for types the first pass left out: $1 is their oids. */
export const COLUMN_TYPES_BY_OID_FILTER = `t.oid = ANY($1::oid[])`;

/**
 * Referenced column names come from the columns result unless the referenced
 * table is outside the included schemas.
 *
 * Deparsing a CHECK opens its table (the server builds the table's relcache
 * entry: ≈ 30 µs each on a fresh session, 60 ms for 2,000 tables), yet schemas
 * repeat the same checks across tables. So each distinct stored tree is
 * deparsed once, on one of its tables (expr_rel): its text is every sharing
 * table's text as long as the columns the check reads (conkey) have the same
 * names there, which the introspector verifies, deparsing again
 * (CHECKS_BY_OID_SQL) where they do not. A tree with a whole-row reference
 * names its table as well: those are never shared.
 */
export const CONSTRAINTS_SQL = `
WITH checks AS MATERIALIZED (
  SELECT con.oid, con.conrelid, con.conbin, con.conbin::text AS bin,
         CASE WHEN con.conbin::text LIKE '%:varattno 0 %' THEN con.conrelid ELSE 0 END AS own
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid
  WHERE c.relnamespace = ANY($1::oid[]) AND con.contype = 'c'
), deparsed AS MATERIALIZED (
  SELECT r.bin, r.own, r.conrelid AS rel, pg_get_expr(r.conbin, r.conrelid, true) AS expr,
         CASE WHEN ${NESTED_BOOL('r.conbin')} THEN pg_get_expr(r.conbin, r.conrelid) END AS expr_plain
  FROM (SELECT DISTINCT ON (bin, own) bin, own, conbin, conrelid FROM checks ORDER BY bin, own, oid) r
)
SELECT con.conrelid AS rel, con.conname AS name, con.contype AS type,
       con.conkey AS conkey, con.confkey AS confkey, con.confrelid AS ref_rel,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       CASE WHEN con.contype = 'f' AND NOT fc.relnamespace = ANY($1::oid[]) THEN ARRAY(SELECT fa.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS fk(attnum, n) JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = fk.attnum ORDER BY fk.n) END AS ref_columns,
       con.confupdtype AS on_update, con.confdeltype AS on_delete, con.confmatchtype AS match,
       con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
       con.connoinherit AS noinherit,
       dp.expr AS expr, dp.expr_plain AS expr_plain, dp.rel AS expr_rel, con.oid AS oid,
       CASE WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid, true) END AS def,
       CASE WHEN con.contype = 'u' THEN %UNIQUE_NULLS_NOT_DISTINCT% END AS nulls_not_distinct,
       CASE WHEN con.contype IN ('p','u','x') THEN con.conindid END AS index_oid,
       d.description AS comment
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN checks ck ON ck.oid = con.oid
LEFT JOIN deparsed dp ON dp.bin = ck.bin AND dp.own = ck.own
LEFT JOIN pg_description d ON d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[]) AND con.contype IN ('p','u','f','c','x')`;
export const CONSTRAINTS_FIELDS: CopyFields = [['rel', 'oid'], ['name', 'name'], ['type', 'char'], ['conkey', '_int2'], ['confkey', '_int2'], ['ref_rel', 'oid'], ['ref_schema', 'name'], ['ref_table', 'name'], ['ref_columns', '_text'], ['on_update', 'char'], ['on_delete', 'char'], ['match', 'char'], ['deferrable', 'bool'], ['deferred', 'bool'], ['validated', 'bool'], ['noinherit', 'bool'], ['expr', 'text'], ['expr_plain', 'text'], ['expr_rel', 'oid'], ['oid', 'oid'], ['def', 'text'], ['nulls_not_distinct', 'bool'], ['index_oid', 'oid'], ['comment', 'text']];

/** The checks whose shared text does not fit their table (other column names): $1 is their oids. */
export const CHECKS_BY_OID_SQL = `
SELECT con.oid AS oid, pg_get_expr(con.conbin, con.conrelid, true) AS expr,
       CASE WHEN ${NESTED_BOOL('con.conbin')} THEN pg_get_expr(con.conbin, con.conrelid) END AS expr_plain
FROM pg_constraint con WHERE con.oid = ANY($1::oid[])`;

/**
 * One row per index, its elements as the parallel arrays of pg_index (key
 * columns, then INCLUDE columns; options, opclasses and collations for the key
 * columns only): a row per element cost the server a lateral unnest and a
 * join per element. Non-default opclass and collation names come from
 * INDEX_NAMES_SQL; expressions are deparsed only for indexes that have one.
 * The constraint an index backs comes from CONSTRAINTS_SQL's index_oid.
 */
export const INDEXES_SQL = `
SELECT i.indrelid AS rel, ic.relname AS name, i.indexrelid AS oid,
       i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid,
       i.indnkeyatts AS nkey, am.amname AS method,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       CASE WHEN ${NESTED_BOOL('i.indpred')} THEN pg_get_expr(i.indpred, i.indrelid) END AS predicate_plain,
       %NULLS_NOT_DISTINCT% AS nulls_not_distinct,
       i.indkey::int2[] AS keys, i.indoption::int2[] AS options, i.indclass::oid[] AS opclasses, i.indcollation::oid[] AS collations,
       CASE WHEN 0 = ANY(i.indkey::int2[]) THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts::int) AS k) END AS exprs,
       CASE WHEN ${NESTED_BOOL('i.indexprs')} THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) FROM generate_series(1, i.indnatts::int) AS k) END AS exprs_plain,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_description d ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[]) AND c.relkind IN ('r','p','m')`;
export const INDEXES_FIELDS: CopyFields = [['rel', 'oid'], ['name', 'name'], ['oid', 'oid'], ['is_unique', 'bool'], ['is_primary', 'bool'], ['is_valid', 'bool'], ['nkey', 'int2'], ['method', 'name'], ['predicate', 'text'], ['predicate_plain', 'text'], ['nulls_not_distinct', 'bool'], ['keys', '_int2'], ['options', '_int2'], ['opclasses', '_oid'], ['collations', '_oid'], ['exprs', '_text'], ['exprs_plain', '_text'], ['comment', 'text']];

/** The names an index element shows when they are not its default: opclasses that are not their type's default, and collations. */
export const INDEX_NAMES_SQL = `
SELECT 'opclass' AS kind, o.oid AS oid, o.opcname::text AS name FROM pg_opclass o WHERE NOT o.opcdefault
UNION ALL
SELECT 'collation', co.oid, ${COLLATION_NAME} FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace`;

export const TRIGGERS_SQL = `
SELECT t.tgrelid AS rel, t.tgname AS name, t.tgtype AS type, t.tgenabled AS enabled,
       pn.nspname AS fn_schema, p.proname AS fn_name, pg_get_function_identity_arguments(p.oid) AS fn_args,
       pg_get_triggerdef(t.oid, true) AS def, CASE WHEN ${NESTED_BOOL('t.tgqual')} THEN pg_get_triggerdef(t.oid) END AS def_plain,
       d.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[]) AND NOT t.tgisinternal
  -- A partition's clone of its parent's trigger comes and goes with the parent's (Postgres 13+).
  AND t.tgparentid = 0`;

export const POLICIES_SQL = `
SELECT p.polrelid AS rel, p.polname AS name, p.polcmd AS cmd, p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END FROM unnest(p.polroles) r ORDER BY 1) AS roles,
       pg_get_expr(p.polqual, p.polrelid, true) AS using_expr, pg_get_expr(p.polwithcheck, p.polrelid, true) AS check_expr,
       CASE WHEN ${NESTED_BOOL('p.polqual')} THEN pg_get_expr(p.polqual, p.polrelid) END AS using_plain,
       CASE WHEN ${NESTED_BOOL('p.polwithcheck')} THEN pg_get_expr(p.polwithcheck, p.polrelid) END AS check_plain,
       d.description AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[])`;

export const GRANTS_SQL = `
SELECT c.oid AS rel, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee,
       a.privilege_type AS privilege, a.is_grantable AS grantable
FROM pg_class c
CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE c.relnamespace = ANY($1::oid[]) AND c.relkind IN ('r','p','f','v','m') AND c.relacl IS NOT NULL
  AND a.grantee <> c.relowner`;

export const TYPES_SQL = `
SELECT t.oid AS oid, t.typnamespace AS nsp, t.typname AS name, t.typtype AS typtype,
       d.description AS comment,
       CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_formatted,
       bt.typname AS base_typname, bt.typtype AS base_typtype, btn.nspname AS base_typschema, t.typtypmod AS base_typmod,
       t.typnotnull AS notnull, t.typdefault AS def,
       CASE WHEN t.typtype = 'd' THEN ARRAY(SELECT json_build_object('name', dc.conname, 'expression', pg_get_expr(dc.conbin, 0, true), 'plain', CASE WHEN ${NESTED_BOOL('dc.conbin')} THEN pg_get_expr(dc.conbin, 0) END)::text FROM pg_constraint dc WHERE dc.contypid = t.oid AND dc.contype = 'c' ORDER BY dc.conname) END AS domain_checks,
       CASE WHEN t.typtype = 'c' THEN ARRAY(SELECT json_build_object('name', ca.attname, 'formatted', format_type(ca.atttypid, ca.atttypmod), 'typname', ct.typname, 'typtype', ct.typtype, 'typschema', ctn.nspname, 'typmod', ca.atttypmod)::text FROM pg_attribute ca JOIN pg_type ct ON ct.oid = ca.atttypid JOIN pg_namespace ctn ON ctn.oid = ct.typnamespace WHERE ca.attrelid = t.typrelid AND ca.attnum > 0 AND NOT ca.attisdropped ORDER BY ca.attnum) END AS attributes,
       CASE WHEN t.typtype = 'r' THEN (
         SELECT concat_ws(', ', 'subtype = ' || format_type(r.rngsubtype, NULL),
                CASE WHEN NOT opc.opcdefault THEN 'subtype_opclass = ' || quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END,
                CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN 'collation = ' || r.rngcollation::regcollation::text END,
                CASE WHEN r.rngcanonical <> 0 THEN 'canonical = ' || r.rngcanonical::regproc::text END,
                CASE WHEN r.rngsubdiff <> 0 THEN 'subtype_diff = ' || r.rngsubdiff::regproc::text END)
         FROM pg_range r JOIN pg_type st ON st.oid = r.rngsubtype JOIN pg_opclass opc ON opc.oid = r.rngsubopc JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
         WHERE r.rngtypid = t.oid) END AS range_options
FROM pg_type t
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
LEFT JOIN pg_namespace btn ON btn.oid = bt.typnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.typnamespace = ANY($1::oid[])
  AND (t.typtype IN ('e','d','r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c')))
  AND ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}`;

export const SEQUENCES_SQL = `
SELECT c.relnamespace AS nsp, c.relname AS name, format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
       s.seqcache::text AS cache, s.seqcycle AS cycle, d.description AS comment,
       own.refobjid AS owner_rel, own.refobjsubid AS owner_col, own.deptype AS owner_deptype,
       CASE WHEN has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid)::text END AS last_value
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
LEFT JOIN pg_depend own ON own.classid = 'pg_class'::regclass AND own.objid = c.oid AND own.refclassid = 'pg_class'::regclass AND own.deptype IN ('a','i')
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::oid[]) AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`;
export const SEQUENCES_FIELDS: CopyFields = [['nsp', 'oid'], ['name', 'name'], ['type', 'text'], ['start', 'text'], ['increment', 'text'], ['min', 'text'], ['max', 'text'], ['cache', 'text'], ['cycle', 'bool'], ['comment', 'text'], ['owner_rel', 'oid'], ['owner_col', 'int4'], ['owner_deptype', 'char'], ['last_value', 'text']];

/** `schema.name` of the function whose oid is `expr` (qualified always, so both sides of a diff print it alike). */
const fnName = (expr: string) => `(SELECT quote_ident(y.nspname) || '.' || quote_ident(x.proname) FROM pg_proc x JOIN pg_namespace y ON y.oid = x.pronamespace WHERE x.oid = ${expr})`;
const fnOpt = (opt: string, col: string) => `CASE WHEN a.${col} <> 0 THEN '${opt} = ' || ${fnName(`a.${col}`)} END`;

/** An aggregate has no pg_get_functiondef: its CREATE AGGREGATE is put together from pg_aggregate, as pg_dump does. */
const AGGREGATE_DEF = `'CREATE AGGREGATE ' || quote_ident((SELECT nspname FROM pg_namespace WHERE oid = p.pronamespace)) || '.' || quote_ident(p.proname)
         || '(' || COALESCE(NULLIF(pg_get_function_arguments(p.oid), ''), '*') || ') ('
         || concat_ws(', ',
              'SFUNC = ' || ${fnName('a.aggtransfn')},
              'STYPE = ' || format_type(a.aggtranstype, NULL),
              CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
              ${fnOpt('FINALFUNC', 'aggfinalfn')},
              CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
              CASE WHEN a.aggfinalmodify <> (CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END) THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
              ${fnOpt('COMBINEFUNC', 'aggcombinefn')},
              ${fnOpt('SERIALFUNC', 'aggserialfn')},
              ${fnOpt('DESERIALFUNC', 'aggdeserialfn')},
              CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || quote_literal(a.agginitval) END,
              ${fnOpt('MSFUNC', 'aggmtransfn')},
              ${fnOpt('MINVFUNC', 'aggminvtransfn')},
              CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || format_type(a.aggmtranstype, NULL) END,
              ${fnOpt('MFINALFUNC', 'aggmfinalfn')},
              CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || quote_literal(a.aggminitval) END,
              CASE WHEN a.aggsortop <> 0 THEN 'SORTOP = ' || (SELECT 'OPERATOR(' || quote_ident(y.nspname) || '.' || o.oprname || ')' FROM pg_operator o JOIN pg_namespace y ON y.oid = o.oprnamespace WHERE o.oid = a.aggsortop) END,
              CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
              CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END
            ) || ')'`;

export const ROUTINES_SQL = `
SELECT p.pronamespace AS nsp, p.proname AS name, p.prokind AS kind,
       pg_get_function_arguments(p.oid) AS args, pg_get_function_identity_arguments(p.oid) AS signature,
       CASE WHEN p.prokind IN ('f','w') THEN pg_get_function_result(p.oid) END AS returns,
       l.lanname AS language,
       CASE WHEN p.prokind IN ('f','p','w') THEN pg_get_functiondef(p.oid) WHEN a.aggfnoid IS NOT NULL THEN ${AGGREGATE_DEF} ELSE p.prosrc END AS body,
       p.prosecdef AS security_definer, p.provolatile AS volatility, p.proconfig AS config,
       pg_get_userbyid(p.proowner) AS owner, d.description AS comment
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE p.pronamespace = ANY($1::oid[]) AND ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
  -- A range type's constructors belong to the type (created and dropped with it).
  AND NOT EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.classid = 'pg_proc'::regclass AND dp.objid = p.oid AND dp.deptype = 'i')`;

// Read through to_jsonb: the ICU locale's column is colliculocale on 15-16, colllocale from 17; collicurules from 16.
export const COLLATIONS_SQL = `
SELECT c.collnamespace AS nsp, c.collname AS name, c.collprovider AS provider, c.collisdeterministic AS deterministic,
       c.collcollate AS lc_collate, c.collctype AS lc_ctype,
       COALESCE(to_jsonb(c)->>'colllocale', to_jsonb(c)->>'colliculocale') AS locale, to_jsonb(c)->>'collicurules' AS icu_rules
FROM pg_collation c
WHERE c.collnamespace = ANY($1::oid[]) AND ${NOT_EXTENSION_MEMBER('pg_collation', 'c.oid')}
ORDER BY 1, 2`;

export const RULES_SQL = `
SELECT c.relnamespace AS nsp, c.relname AS rel, r.rulename AS name, regexp_replace(pg_get_ruledef(r.oid), ';\\s*$', '') AS def, d.description AS comment
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
LEFT JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_rewrite'::regclass AND d.objsubid = 0
WHERE r.rulename <> '_RETURN' AND c.relnamespace = ANY($1::oid[]) AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
ORDER BY 1, 2, 3`;

export const EXTENSIONS_SQL = `
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version,
       -- Only a comment someone set: the extension's own (its control file's) is what CREATE EXTENSION gives anyway.
       NULLIF(d.description, (SELECT a.comment FROM pg_available_extensions a WHERE a.name = e.extname)) AS comment
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass AND d.objsubid = 0
ORDER BY e.extname`;

export const SETTINGS_SQL = `
SELECT name, setting FROM pg_settings
WHERE name IN ('server_version_num', 'search_path', 'row_security', 'default_transaction_read_only', 'track_counts', 'TimeZone', 'server_encoding', 'standard_conforming_strings')`;

/** Per-version variants: columns that do not exist on older servers. */
export function versioned(sql: string, major: number): string {
  return sql
    .replace('%NULLS_NOT_DISTINCT%', major >= 15 ? 'i.indnullsnotdistinct' : 'false')
    .replace('%UNIQUE_NULLS_NOT_DISTINCT%', major >= 15 ? '(SELECT x.indnullsnotdistinct FROM pg_index x WHERE x.indexrelid = con.conindid)' : 'false')
    // 14+ marks a never-analysed table with reltuples = -1; 13 can only tell by non-zero stats.
    .replace('%ANALYSED%', major >= 14 ? 'c.reltuples >= 0' : '(c.reltuples > 0 OR c.relpages > 0)')
    .replace('%SQLBODY%', major >= 14 ? 'p.prosqlbody IS NOT NULL' : 'false')
    // Column compression (pglz, lz4) from 14.
    .replace('%COMPRESSION%', major >= 14 ? "NULLIF(a.attcompression::text, '')" : 'NULL::text');
}
