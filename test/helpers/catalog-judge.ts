// An independent judge of Postgres schema equality for round-trip tests: one
// sorted line per schema fact, read straight from the system catalogs with the
// server's own deparsers, never from plumb's catalog (a trimmed catdump.sql).
import type { Connection } from '../../src/drivers/connection.js';

const JUDGE_SQL = `
WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog','information_schema','pg_toast','plumb')
    AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'
),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
rels AS (
  SELECT c.* FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
)
SELECT line FROM (
  SELECT 'extension ' || e.extname AS line FROM pg_extension e WHERE e.extname <> 'plpgsql'
  UNION ALL
  SELECT 'rel ' || c.oid::regclass || ' kind=' || c.relkind::text || ' persist=' || c.relpersistence::text || ' rls=' || c.relrowsecurity
         || coalesce(' opts=' || array_to_string(c.reloptions, ','), '')
         || coalesce(' partkey=' || pg_get_partkeydef(c.oid), '') || coalesce(' bound=' || pg_get_expr(c.relpartbound, c.oid), '')
  FROM rels c WHERE c.relkind IN ('r','p','v','m','f','c')
  UNION ALL
  SELECT 'col ' || c.oid::regclass || ' ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' notnull' ELSE '' END
         || coalesce(' default=' || pg_get_expr(d.adbin, d.adrelid), '')
         || CASE WHEN a.attstorage <> t.typstorage THEN ' storage=' || a.attstorage::text ELSE '' END
         || coalesce(' stats=' || NULLIF(a.attstattarget::int, -1), '') || coalesce(' compression=' || NULLIF(a.attcompression::text, ''), '')
  FROM rels c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE c.relkind IN ('r','p','v','m','f','c')
  UNION ALL
  SELECT 'con ' || r.oid::regclass || ' ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN rels r ON r.oid = k.conrelid WHERE k.contype <> 'n'
  UNION ALL
  SELECT 'idx ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN rels r ON r.oid = i.indrelid
  UNION ALL
  SELECT 'viewdef ' || c.oid::regclass || ' ' || regexp_replace(pg_get_viewdef(c.oid), '\\s+', ' ', 'g')
  FROM rels c WHERE c.relkind IN ('v','m')
  UNION ALL
  SELECT 'func ' || pg_get_functiondef(p.oid)
  FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
  WHERE p.prokind IN ('f','p','w') AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
  UNION ALL
  SELECT 'range ' || r.rngtypid::regtype || ' subtype=' || r.rngsubtype::regtype
  FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid JOIN ns ON ns.oid = t.typnamespace
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(tg.oid) || CASE WHEN tg.tgparentid <> 0 THEN ' cloned' ELSE '' END
  FROM pg_trigger tg JOIN rels r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'enum ' || t.oid::regtype || ' ' || string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder)
  FROM pg_type t JOIN ns ON ns.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
  GROUP BY t.oid
  UNION ALL
  SELECT 'seq ' || s.seqrelid::regclass || ' ' || format_type(s.seqtypid, NULL)
         || ' start=' || s.seqstart || ' inc=' || s.seqincrement || ' min=' || s.seqmin
         || ' max=' || s.seqmax || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle
         || coalesce((SELECT ' owned=' || dep.refobjid::regclass || '.' || quote_ident(a.attname) || ' dep=' || dep.deptype::text
                      FROM pg_depend dep JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
                      WHERE dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid
                        AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a','i') LIMIT 1), '')
  FROM pg_sequence s JOIN rels c ON c.oid = s.seqrelid
  UNION ALL
  SELECT 'col-identity ' || c.oid::regclass || ' ' || quote_ident(a.attname) || ' ' || a.attidentity::text
  FROM rels c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE a.attidentity <> ''
  UNION ALL
  SELECT 'policy ' || quote_ident(schemaname) || '.' || quote_ident(tablename) || ' ' || quote_ident(policyname)
         || ' ' || permissive || ' ' || array_to_string(roles, ',') || ' ' || cmd
         || coalesce(' using=' || qual, '') || coalesce(' check=' || with_check, '')
  FROM pg_policies WHERE schemaname IN (SELECT nspname FROM ns)
  UNION ALL
  SELECT 'trgstate ' || tg.tgrelid::regclass || ' ' || quote_ident(tg.tgname) || ' ' || tg.tgenabled::text
  FROM pg_trigger tg JOIN rels r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'agg ' || a.aggfnoid::regprocedure || ' kind=' || a.aggkind::text || ' sfunc=' || a.aggtransfn::regproc || ' stype=' || format_type(a.aggtranstype, NULL)
         || ' final=' || a.aggfinalfn::regproc || ' extra=' || a.aggfinalextra || ' modify=' || a.aggfinalmodify::text || ' combine=' || a.aggcombinefn::regproc
         || ' init=' || coalesce(a.agginitval, '-') || ' msfunc=' || a.aggmtransfn::regproc || ' sortop=' || a.aggsortop::regoperator || ' parallel=' || p.proparallel::text
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN ns ON ns.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
  UNION ALL
  SELECT 'collation ' || c.oid::regcollation || ' ' || c.collprovider::text || ' ' || coalesce(c.collcollate, '') || ' ' || coalesce(c.collctype, '')
         || ' ' || coalesce(to_jsonb(c)->>'colllocale', to_jsonb(c)->>'colliculocale', '') || ' det=' || c.collisdeterministic
  FROM pg_collation c JOIN ns ON ns.oid = c.collnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_collation'::regclass AND ext.objid = c.oid)
  UNION ALL
  SELECT 'rule ' || pg_get_ruledef(rw.oid) || coalesce(' comment=' || obj_description(rw.oid, 'pg_rewrite'), '')
  FROM pg_rewrite rw JOIN rels r ON r.oid = rw.ev_class WHERE rw.rulename <> '_RETURN'
  UNION ALL
  SELECT 'inherits ' || i.inhrelid::regclass || ' <- ' || i.inhparent::regclass || ' #' || i.inhseqno FROM pg_inherits i JOIN rels r ON r.oid = i.inhrelid
  UNION ALL
  SELECT 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ' = ' || d.description
  FROM pg_description d
  WHERE (pg_identify_object(d.classoid, d.objoid, d.objsubid)).schema IN (SELECT nspname FROM ns)
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = d.classoid AND ext.objid = d.objoid)
) q
ORDER BY line COLLATE "C"`;

/** The schema facts of the database `conn` is connected to, one sorted line each (plumb's own schema left out). */
export async function judgeCatalog(conn: Connection): Promise<string[]> {
  const rows = await conn.query<{ line: string }>(JUDGE_SQL);
  return rows.map((r) => String(r.line));
}
