-- Every table, view, column, type and function of the extension carries a COMMENT, so BI users
-- and analysts see what each thing is (in English, with the Vietnamese term).
BEGIN;
SELECT plan(7);

SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'antq' AND c.relkind IN ('r', 'v', 'm', 'p')
                   AND obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1),
          '{}'::text[], 'every table and view has a comment');

SELECT is(ARRAY(SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE n.nspname = 'antq' AND c.relkind IN ('r', 'v', 'm', 'p')
                   AND col_description(c.oid, a.attnum) IS NULL ORDER BY 1),
          '{}'::text[], 'every column of every table and view has a comment');

SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'antq' AND obj_description(p.oid, 'pg_proc') IS NULL ORDER BY 1),
          '{}'::text[], 'every function and aggregate has a comment');

SELECT is(ARRAY(SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'antq' AND t.typtype IN ('b', 'd', 'e') AND t.typcategory <> 'A' AND obj_description(t.oid, 'pg_type') IS NULL ORDER BY 1),
          '{}'::text[], 'every base type, domain and enum has a comment');

SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'antq' AND p.prosecdef
                   AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false) ORDER BY 1),
          '{}'::text[], 'every SECURITY DEFINER function pins search_path to pg_catalog, pg_temp');

SELECT is(ARRAY(SELECT pg_describe_object(d.classid, d.objid, 0) FROM pg_depend d
                 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'antq') AND d.deptype = 'e'
                   AND d.classid IN ('pg_operator'::regclass, 'pg_opclass'::regclass, 'pg_cast'::regclass)
                   AND obj_description(d.objid, d.classid::regclass::text) IS NULL ORDER BY 1),
          '{}'::text[], 'every operator, operator class and cast has a comment');

SELECT is(ARRAY(SELECT p.polname || ' ON ' || p.polrelid::regclass::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                 WHERE c.relnamespace = 'antq'::regnamespace AND obj_description(p.oid, 'pg_policy') IS NULL ORDER BY 1),
          '{}'::text[], 'every row-level security policy has a comment');

SELECT * FROM finish();
ROLLBACK;
