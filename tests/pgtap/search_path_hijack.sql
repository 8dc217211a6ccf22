-- Issue 17, holes 1 and 2: look-alikes planted in schema public, in a database where PUBLIC may
-- create there (the default before PostgreSQL 15).
-- Hole 1: a role with no antq rights planted public.*(numeric, integer) and
-- public.array_to_string(text[], text); a superuser's antq.classify loaded the rules cache
-- through the caller's search path, ran them as superuser and compiled the wrong rules. The
-- rules cache now names every built-in with its schema and loads under a pinned path
-- (extension/engine/rules_cache.c, extension/search_path.c).
-- Hole 2: with the README's old path ("$user", public, antq) a planted
-- public.>=(antq.rating, antq.rating) shadowed antq's; the recommended path puts antq first.
BEGIN;
SELECT plan(11);
\ir engine_fixture.psql

-- Units that each fail one criterion the planted functions would change: households (the
-- threshold, read through *), a serious crime (the incident kinds, read through array_to_string).
SELECT pg_temp.add_unit('residential_area', '00691-T' || n) FROM generate_series(1, 3) AS n;
SELECT pg_temp.good(u.unit_id) FROM antq.unit u WHERE u.code LIKE '00691%';
UPDATE antq.assessment a SET households_registered = 90
  FROM antq.unit u WHERE u.unit_id = a.unit_id AND u.code = '00691-T1' AND a.year = 2024;
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity)
SELECT u.unit_id, '2024-03-02', 'crime', 'serious' FROM antq.unit u WHERE u.code = '00691-T2';
CREATE TEMP TABLE expected AS
SELECT r.unit_id, r.safe_attainment::text AS safe_attainment, r.rating::text AS rating
  FROM antq.results_computed('08', 2024) r;

-- The hostile role: no antq rights but reading (to name antq.rating), CREATE on public.
SET client_min_messages = warning;
CREATE ROLE antq_test_mallory;
GRANT antq_reader TO antq_test_mallory;
GRANT CREATE ON SCHEMA public TO PUBLIC;
SET LOCAL ROLE antq_test_mallory;
CREATE TABLE public.planted_log (what text, by_role text);
GRANT INSERT ON public.planted_log TO PUBLIC;
-- Each look-alike records who ran it, tries to make its owner superuser, and answers wrong.
CREATE FUNCTION public.planted_hit(p_what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.planted_log VALUES (p_what, current_user);
    BEGIN
        EXECUTE 'ALTER ROLE antq_test_mallory SUPERUSER';
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END;
END $$;
CREATE FUNCTION public.planted_mul(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('*(numeric, integer)'); RETURN 0; END $$;
CREATE OPERATOR public.* (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = public.planted_mul);
CREATE FUNCTION public.array_to_string(text[], text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('array_to_string(text[], text)'); RETURN ''; END $$;
CREATE FUNCTION public.planted_ge(antq.rating, antq.rating) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('>=(antq.rating, antq.rating)'); RETURN false; END $$;
CREATE OPERATOR public.>= (LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = public.planted_ge);
RESET ROLE;
RESET client_min_messages;

-- Hole 1 exactly as reported: the old README's path, a rules change so that the next call
-- loads the rules again, and the superuser's classify is that call.
SET LOCAL search_path = "$user", public, antq;
SET LOCAL ROLE antq_test_mallory;
SELECT ok(array_to_string(ARRAY['a'], ',') = '' AND 2.5::numeric * 2 = 0,
          'the look-alikes win resolution on this path (the test can fail)');
RESET ROLE;
TRUNCATE public.planted_log;
UPDATE antq.criteria_set SET title = title WHERE set_id = 'tt124-residential_area';
SELECT is(antq.classify('commune', '08', 2024, 95::numeric, true)::integer, 4,
          'classify as superuser on the old path: Xuất sắc');
SELECT is((SELECT count(*) FROM public.planted_log), 0::bigint,
          'no planted *(numeric, integer) or array_to_string ran while the rules loaded');
SELECT ok(NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'antq_test_mallory'),
          'the planting role did not become superuser');
SELECT is((SELECT count(*) FROM antq.results_computed('08', 2024) r JOIN expected e USING (unit_id)
            WHERE r.safe_attainment::text IS DISTINCT FROM e.safe_attainment OR r.rating::text IS DISTINCT FROM e.rating),
          0::bigint, 'the rules loaded then are the real ones: every result as before the planting');
SELECT is(antq.refresh('08', 2024) > 0, true, 'a superuser''s refresh on the old path stores the province');
SELECT is((SELECT count(*) FROM antq.unit_result r JOIN expected e USING (unit_id)
            WHERE r.year OPERATOR(pg_catalog.=) 2024
              AND (r.safe_attainment::text IS DISTINCT FROM e.safe_attainment OR r.rating::text IS DISTINCT FROM e.rating)),
          0::bigint, 'and stores the real results');

-- Hole 2: public before antq lets the planted >= answer for everybody; antq first does not.
SELECT is('xuat_sac'::antq.rating >= 'kha', false, 'on the old path the planted >= is chosen (why the README changed)');
SET LOCAL search_path = antq, "$user", public;
SELECT is('xuat_sac'::antq.rating >= 'kha', true, 'on the recommended path antq''s >= is chosen: Xuất sắc >= Khá');

-- What keeps the extension's own SQL safe, as the catalog shows it (tests/t/041_hostile_lookalikes.pl
-- proves it by calling everything among planted look-alikes): every PL/pgSQL function pins the
-- path, and the SQL functions that do not (so that the planner can inline them) are these,
-- whose every built-in is named with its schema. A new one belongs in one group or the other.
RESET search_path;
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
                 WHERE p.pronamespace = 'antq'::regnamespace AND p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'plpgsql')
                   AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false) ORDER BY 1),
          '{}'::text[], 'every PL/pgSQL function pins search_path to pg_catalog, pg_temp');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
                 WHERE p.pronamespace = 'antq'::regnamespace AND p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'sql')
                   AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false) ORDER BY 1),
          ARRAY['antq.current_version(bigint,date)', 'antq.predecessors(bigint)',
                'antq.reorganize(bigint,date,bigint,text,text,text,bigint)', 'antq.successors(bigint)',
                'antq.summary_levels(text,text,text,boolean)', 'antq.unit_at(text,date)', 'antq.units_under(bigint,date)',
                'antq.units_under(text,date)', 'antq.window_end(text,integer)', 'antq.window_start(text,integer)'],
          'the SQL functions without a pinned path are the inlinable ones, fully qualified');

SELECT * FROM finish();
ROLLBACK;
