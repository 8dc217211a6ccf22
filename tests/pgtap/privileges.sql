-- Who may execute each function of schema antq (issue 17, holes 3 and 4): the table below is
-- the privilege model, and a function added without a line here fails the first test.
--   public  anybody (the types' own support: I/O, operators, casts, aggregates; pure, no table)
--   reader  antq_reader and the roles in it: the analyst API, reading as the caller
--   writer  antq_writer (and admins): the registry's helpers
--   admin   antq_admin: the rules' helper and antq.refresh (SECURITY DEFINER)
--   owner   nobody but the extension's owner and superusers: triggers, capture, the worker's side
-- Then: nothing PUBLIC may execute writes or locks; every SECURITY DEFINER function pins its
-- search path; no role may write results, summaries or the queue; and the types stay usable,
-- operators, casts, aggregates and the btree and hash operator classes included, by a reader
-- and by a role that merely has USAGE on the schema.
BEGIN;
SELECT plan(14);
SET LOCAL search_path = pg_catalog, public;  -- functions print schema-qualified

CREATE ROLE antq_test_nobody;
CREATE ROLE antq_test_typeuser;
GRANT USAGE ON SCHEMA antq TO antq_test_typeuser;

CREATE TEMP TABLE expected (fn text PRIMARY KEY, who text NOT NULL);
INSERT INTO expected VALUES
  ('antq.applicable_count(antq.attainment)', 'public'),
  ('antq.attainment(boolean[])', 'public'),
  ('antq.attainment_eq(antq.attainment,antq.attainment)', 'public'),
  ('antq.attainment_hash(antq.attainment)', 'public'),
  ('antq.attainment_hash_extended(antq.attainment,bigint)', 'public'),
  ('antq.attainment_in(cstring)', 'public'),
  ('antq.attainment_ne(antq.attainment,antq.attainment)', 'public'),
  ('antq.attainment_out(antq.attainment)', 'public'),
  ('antq.attainment_recv(internal)', 'public'),
  ('antq.attainment_send(antq.attainment)', 'public'),
  ('antq.complete(antq.attainment)', 'public'),
  ('antq.criteria_count(antq.attainment)', 'public'),
  ('antq.criterion_state(antq.attainment,integer)', 'public'),
  ('antq.denominator(antq.share)', 'public'),
  ('antq.format_vi(antq.share)', 'public'),
  ('antq.format_vi(antq.share,integer)', 'public'),
  ('antq.max(antq.rating)', 'public'),
  ('antq.met_count(antq.attainment)', 'public'),
  ('antq.met_share(antq.attainment)', 'public'),
  ('antq.min(antq.rating)', 'public'),
  ('antq.missing(antq.attainment)', 'public'),
  ('antq.numerator(antq.share)', 'public'),
  ('antq.percent(antq.share)', 'public'),
  ('antq.percent(antq.share,integer)', 'public'),
  ('antq.rating_cmp(antq.rating,antq.rating)', 'public'),
  ('antq.rating_eq(antq.rating,antq.rating)', 'public'),
  ('antq.rating_from_int(integer)', 'public'),
  ('antq.rating_ge(antq.rating,antq.rating)', 'public'),
  ('antq.rating_gt(antq.rating,antq.rating)', 'public'),
  ('antq.rating_hash(antq.rating)', 'public'),
  ('antq.rating_hash_extended(antq.rating,bigint)', 'public'),
  ('antq.rating_in(cstring)', 'public'),
  ('antq.rating_larger(antq.rating,antq.rating)', 'public'),
  ('antq.rating_le(antq.rating,antq.rating)', 'public'),
  ('antq.rating_lt(antq.rating,antq.rating)', 'public'),
  ('antq.rating_ne(antq.rating,antq.rating)', 'public'),
  ('antq.rating_out(antq.rating)', 'public'),
  ('antq.rating_recv(internal)', 'public'),
  ('antq.rating_send(antq.rating)', 'public'),
  ('antq.rating_smaller(antq.rating,antq.rating)', 'public'),
  ('antq.rating_to_int(antq.rating)', 'public'),
  ('antq.share(bigint,bigint)', 'public'),
  ('antq.share_add(antq.share,antq.share)', 'public'),
  ('antq.share_cmp(antq.share,antq.share)', 'public'),
  ('antq.share_eq(antq.share,antq.share)', 'public'),
  ('antq.share_ge(antq.share,antq.share)', 'public'),
  ('antq.share_gt(antq.share,antq.share)', 'public'),
  ('antq.share_hash(antq.share)', 'public'),
  ('antq.share_hash_extended(antq.share,bigint)', 'public'),
  ('antq.share_in(cstring)', 'public'),
  ('antq.share_le(antq.share,antq.share)', 'public'),
  ('antq.share_lt(antq.share,antq.share)', 'public'),
  ('antq.share_ne(antq.share,antq.share)', 'public'),
  ('antq.share_of(boolean)', 'public'),
  ('antq.share_of_accum(antq.share,boolean)', 'public'),
  ('antq.share_out(antq.share)', 'public'),
  ('antq.share_recv(internal)', 'public'),
  ('antq.share_send(antq.share)', 'public'),
  ('antq.share_sum_accum(antq.share,antq.share)', 'public'),
  ('antq.share_to_float8(antq.share)', 'public'),
  ('antq.share_to_numeric(antq.share)', 'public'),
  ('antq.sum(antq.share)', 'public'),
  ('antq.classify(text,text,integer,numeric,boolean)', 'reader'),
  ('antq.classify_evaluated(text,text,integer,numeric,text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])', 'reader'),
  ('antq.code_rule(text)', 'reader'),
  ('antq.current_version(bigint,date)', 'reader'),
  ('antq.date_label(date)', 'reader'),
  ('antq.evaluate(text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])', 'reader'),
  ('antq.evaluate_complete(text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])', 'reader'),
  ('antq.explain(text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])', 'reader'),
  ('antq.explain_unit(bigint,integer,text)', 'reader'),
  ('antq.model_eligibility(text,integer)', 'reader'),
  ('antq.fact_type(text)', 'reader'),
  ('antq.incident_kinds()', 'reader'),
  ('antq.incidents_add(jsonb,jsonb)', 'reader'),
  ('antq.incidents_sum(jsonb)', 'reader'),
  ('antq.keys_in_scope(text,integer)', 'reader'),
  ('antq.predecessors(bigint)', 'reader'),
  ('antq.ratio(numeric,numeric)', 'reader'),
  ('antq.results_computed(text,integer,bigint[],boolean)', 'reader'),
  ('antq.results_stale(integer)', 'reader'),
  ('antq.severity_rank(text)', 'reader'),
  ('antq.successors(bigint)', 'reader'),
  ('antq.summary_computed(text,integer)', 'reader'),
  ('antq.summary_levels(text,text,text,boolean)', 'reader'),
  ('antq.summary_measures(text,integer,antq.unit_result[],antq.unit_result[])', 'reader'),
  ('antq.summary_nation(integer)', 'reader'),
  ('antq.unit_at(text,date)', 'reader'),
  ('antq.unit_inputs(text,integer,bigint[])', 'reader'),
  ('antq.unit_label(bigint)', 'reader'),
  ('antq.unit_label(text,text,text)', 'reader'),
  ('antq.units_under(bigint,date)', 'reader'),
  ('antq.units_under(text,date)', 'reader'),
  ('antq.verify(text,integer)', 'reader'),
  ('antq.window_end(text,integer)', 'reader'),
  ('antq.window_start(text,integer)', 'reader'),
  ('antq.current_year()', 'reader'),
  ('antq.reported_share(integer,integer,integer)', 'reader'),
  ('antq.kinds_taking_part(integer)', 'reader'),
  ('antq.kind_takes_part(text,text,integer)', 'reader'),
  ('antq.worker_status_raw()', 'reader'),
  ('antq.year_min()', 'reader'),
  ('antq.year_max()', 'reader'),
  ('antq.date_min()', 'reader'),
  ('antq.date_max()', 'reader'),
  ('antq.year_window_hint()', 'reader'),
  ('antq.clip(text,integer)', 'reader'),
  ('antq.nfc(text)', 'reader'),
  ('antq.residential_sub_kind(text)', 'reader'),
  ('antq.residential_sub_kinds()', 'reader'),
  ('antq.unit_kinds()', 'reader'),
  ('antq.rating_levels()', 'reader'),
  ('antq.term_labels()', 'reader'),
  ('antq.confined_provinces(name)', 'reader'),
  ('antq.unit_within_reach(text,bigint,text[])', 'writer'),
  ('antq.confine_reject(text,text,text,text[])', 'writer'),
  ('antq.code_within_reach(text,text,text,text[])', 'writer'),
  ('antq.by_code_missing(text,text,integer,date,bigint)', 'writer'),
  ('antq.unit_by_code_apply(antq.unit_by_code,bigint,bigint)', 'writer'),
  ('antq.unit_by_code_refs(antq.unit_by_code)', 'writer'),
  ('antq.unit_by_code_begin()', 'owner'),
  ('antq.unit_by_code_write()', 'owner'),
  ('antq.unit_by_code_end()', 'owner'),
  ('antq.assessment_by_code_write()', 'owner'),
  ('antq.score_by_code_write()', 'owner'),
  ('antq.model_check_by_code_write()', 'owner'),
  ('antq.decision_by_code_write()', 'owner'),
  ('antq.model_participation_by_code_write()', 'owner'),
  ('antq.incident_by_code_write()', 'owner'),
  ('antq.assessment_by_code_begin()', 'owner'),
  ('antq.assessment_by_code_end()', 'owner'),
  ('antq.score_by_code_begin()', 'owner'),
  ('antq.score_by_code_end()', 'owner'),
  ('antq.model_check_by_code_begin()', 'owner'),
  ('antq.model_check_by_code_end()', 'owner'),
  ('antq.decision_by_code_begin()', 'owner'),
  ('antq.decision_by_code_end()', 'owner'),
  ('antq.model_participation_by_code_begin()', 'owner'),
  ('antq.model_participation_by_code_end()', 'owner'),
  ('antq.grant_province(regrole,text)', 'admin'),
  ('antq.revoke_province(regrole,text)', 'admin'),
  ('antq.grant_check(regrole,text)', 'owner'),
  ('antq.fact_out_of_range(text,text,text,bigint,integer,text,text)', 'writer'),
  ('antq.rule_out_of_range(text,text,text,text,text,text)', 'admin'),
  ('antq.check_band_scores()', 'owner'),
  ('antq.rule_scope_check()', 'owner'),
  ('antq.scoring_item_check()', 'owner'),
  ('antq.fact_reject(text,text,bigint,integer,text,text)', 'writer'),
  ('antq.lock_unit_code(text)', 'writer'),
  ('antq.fact_version(text,bigint,integer)', 'writer'),
  ('antq.fact_unit(text,bigint,integer,date,text[])', 'writer'),
  ('antq.move_facts(text[],text[])', 'writer'),
  ('antq.facts_conflict(text,text[])', 'writer'),
  ('antq.merge_units(bigint,bigint[],date,bigint,text,text,text,bigint)', 'writer'),
  ('antq.reopen_under(bigint[],bigint,date,text)', 'writer'),
  ('antq.reorganize(bigint,date,bigint,text,text,text,bigint)', 'writer'),
  ('antq.apply_reorganization(date,jsonb,text)', 'writer'),
  ('antq.reorganization_steps(jsonb)', 'writer'),
  ('antq.refresh(text,integer)', 'admin'),
  ('antq.rule_reject(text,text,text,text,text)', 'admin'),
  ('antq.assessment_check()', 'owner'),
  ('antq.assessment_check_full()', 'owner'),
  ('antq.unit_facts_follow()', 'owner'),
  ('antq.year_fact_tables()', 'owner'),
  ('antq.attach_audit(regclass)', 'owner'),
  ('antq.attach_capture(regclass,text,text[])', 'owner'),
  ('antq.audit_changes()', 'owner'),
  ('antq.audit_prune(integer)', 'owner'),
  ('antq.open_year()', 'owner'),
  ('antq.capture_changes(regclass,text,text)', 'owner'),
  ('antq.capture_facts()', 'owner'),
  ('antq.capture_lineage()', 'owner'),
  ('antq.capture_registry()', 'owner'),
  ('antq.capture_rule_changes(regclass)', 'owner'),
  ('antq.capture_rules()', 'owner'),
  ('antq.check_rating_bands()', 'owner'),
  ('antq.commune_results(integer,bigint[],integer[])', 'owner'),
  ('antq.compute_results(text,integer)', 'owner'),
  ('antq.criterion_check()', 'owner'),
  ('antq.decision_check()', 'owner'),
  ('antq.model_participation_check()', 'owner'),
  ('antq.engine_support(internal)', 'owner'),
  ('antq.expand_keys(text[],integer[])', 'owner'),
  ('antq.incident_check()', 'owner'),
  ('antq.lock_keys(text[],integer[])', 'owner'),
  ('antq.lock_recompute_key(text,integer)', 'owner'),
  ('antq.model_check_check()', 'owner'),
  ('antq.pending_taken()', 'owner'),
  ('antq.process_pending(integer)', 'owner'),
  ('antq.queue_elsewhere(text[],integer,bigint[])', 'owner'),
  ('antq.queue_units(text,integer,bigint[])', 'owner'),
  ('antq.recompute_keys(text[],integer[],boolean)', 'owner'),
  ('antq.recompute_unit_keys(antq.pending_key[])', 'owner'),
  ('antq.recompute_units(text,integer,bigint[])', 'owner'),
  ('antq.results_moved(antq.unit_result[],antq.unit_result[])', 'owner'),
  ('antq.summary_add(integer,antq.unit_result[],antq.unit_result[])', 'owner'),
  ('antq.retry_delay(integer)', 'owner'),
  ('antq.rules_changed()', 'owner'),
  ('antq.rules_check_current()', 'owner'),
  ('antq.set_key_aside(antq.pending_key,text)', 'owner'),
  ('antq.score_check()', 'owner'),
  ('antq.take_pending(integer)', 'owner'),
  ('antq.unit_check()', 'owner'),
  ('antq.unit_lineage_check()', 'owner'),
  ('antq.units_affected(bigint[])', 'owner'),
  ('antq.units_union(bigint[],bigint[])', 'owner'),
  ('antq.unit_versions_after(bigint[])', 'owner'),
  ('antq.wake_worker()', 'owner');

-- The level of a function: the least privileged of PUBLIC, reader, writer, admin that may execute it.
CREATE TEMP VIEW actual AS
SELECT p.oid::regprocedure::text AS fn,
       CASE WHEN has_function_privilege('antq_test_nobody', p.oid, 'EXECUTE') THEN 'public'
            WHEN has_function_privilege('antq_reader', p.oid, 'EXECUTE') THEN 'reader'
            WHEN has_function_privilege('antq_writer', p.oid, 'EXECUTE') THEN 'writer'
            WHEN has_function_privilege('antq_admin', p.oid, 'EXECUTE') THEN 'admin'
            ELSE 'owner' END AS who,
       p.oid
  FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = 'antq'::regnamespace;

SELECT is_empty($$SELECT fn FROM actual EXCEPT SELECT fn FROM expected$$,
                'every function of schema antq has its line in the privilege table');
SELECT set_eq($$SELECT fn, who FROM actual$$, $$SELECT fn, who FROM expected$$,
              'each function is executable by exactly the roles the table says');
SELECT is_empty($$SELECT a.fn FROM actual a JOIN pg_catalog.pg_proc p ON p.oid = a.oid
                   WHERE a.who = 'public'
                     AND (p.provolatile = 'v' OR p.prosecdef
                          OR p.prokind <> 'a' AND p.prolang <> (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname = 'c'))$$,
                'what PUBLIC may execute is C (or an aggregate of it), not volatile, not SECURITY DEFINER: it can neither write nor lock');
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
                   WHERE p.pronamespace = 'antq'::regnamespace AND p.prosecdef
                     AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, pg_temp']$$,
                'every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp');
SELECT is_empty($$SELECT r.rolname || ' ' || t.tbl
                    FROM pg_catalog.pg_roles r,
                         unnest(ARRAY['antq.unit_result', 'antq.summary', 'antq.pending']) AS t(tbl)
                   WHERE r.rolname IN ('antq_reader', 'antq_writer', 'antq_admin', 'antq_test_nobody')
                     AND has_table_privilege(r.rolname, t.tbl, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')$$,
                'no antq role may write, truncate, reference or put a trigger on results, summaries or the queue');
SELECT ok(NOT has_table_privilege('antq_reader', 'antq.pending', 'SELECT'), 'the queue is the worker''s: readers do not read it');

-- The types, as a reader and as a role with nothing but USAGE on the schema (antq on the path
-- for the operators).
SET LOCAL search_path = pg_catalog, antq, public;
CREATE FUNCTION pg_temp.use_types() RETURNS text LANGUAGE sql AS $$
  WITH r(x) AS (VALUES ('kha'::antq.rating), ('xuat_sac'), ('yeu'), ('kha')),
       s(x) AS (VALUES (antq.share(1, 2)), ('3/4'::antq.share), (antq.share(2, 4))),
       a(x) AS (VALUES ('+-.'::antq.attainment), ('+-.'), ('++'))
  SELECT concat_ws(' | ',
    (SELECT string_agg(x::text, ',' ORDER BY x) FROM r),                      -- btree ordering
    (SELECT count(DISTINCT x) FROM r)::text,
    (SELECT antq.min(x)::text || '..' || antq.max(x)::text FROM r),           -- aggregates
    ('xuat_sac'::antq.rating > 'kha'::antq.rating)::text,                     -- operators
    ('kha'::antq.rating)::integer::text, (3::antq.rating)::text,              -- casts
    (SELECT antq.sum(x)::text FROM s), (SELECT antq.share_of(v)::text FROM (VALUES (true), (false)) v(v)),
    (antq.share(1, 2) = '2/4'::antq.share)::text, antq.percent(antq.share(1, 3), 1)::text,
    (antq.share(1, 4))::numeric::text,
    (SELECT count(*) FROM (SELECT DISTINCT x FROM a) d)::text, antq.met_count('+-.'::antq.attainment)::text,
    (SELECT count(*) FROM r r1 JOIN r r2 ON r1.x = r2.x)::text)               -- hash join (below)
$$;
SET LOCAL enable_mergejoin = off;
SET LOCAL enable_nestloop = off;
SET LOCAL enable_sort = off;
SELECT pg_temp.use_types() AS types_as_owner \gset
SET LOCAL ROLE antq_reader;
SELECT is(pg_temp.use_types(), :'types_as_owner', 'a reader uses the types: ordering, hashing, operators, casts, aggregates');
SELECT lives_ok($$CREATE TEMP TABLE reader_ratings (r antq.rating PRIMARY KEY, s antq.share, a antq.attainment)$$,
                'a reader keys a table of its own by a rating (btree operator class)');
SELECT lives_ok($$CREATE INDEX ON reader_ratings USING hash (s); CREATE INDEX ON reader_ratings USING hash (a);
                  INSERT INTO reader_ratings VALUES ('kha', '1/2', '+-'), ('yeu', '1/3', '++')$$,
                'hash indexes on a share and an attainment, and rows in them');
SELECT ok((SELECT r = 'kha' FROM reader_ratings WHERE s = '1/2'), 'and finds a row by a share');
RESET ROLE;
SET LOCAL ROLE antq_test_typeuser;
SELECT is(pg_temp.use_types(), :'types_as_owner', 'a role with only USAGE on schema antq uses the types too');
SELECT throws_ok($$SELECT antq.unit_at('01')$$, '42501', 'permission denied for function unit_at',
                 'but it is not a reader');
RESET ROLE;
SELECT ok(has_function_privilege('antq_reader', 'antq.worker_status_raw()', 'EXECUTE')
          AND has_table_privilege('antq_reader', 'antq.worker_status', 'SELECT'), 'a reader reads antq.worker_status');
SELECT ok(NOT has_function_privilege('antq_writer', 'antq.refresh(text, integer)', 'EXECUTE')
          AND has_function_privilege('antq_admin', 'antq.refresh(text, integer)', 'EXECUTE'), 'antq.refresh is an admin''s');

SELECT * FROM finish();
ROLLBACK;
