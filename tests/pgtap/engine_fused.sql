-- The natural query planned as one call (engine_support.c): complete(evaluate(...)) becomes
-- antq.evaluate_complete(...), classify(..., complete(evaluate(...))) becomes
-- antq.classify_evaluated(...), and both give what the nested calls give on every unit-year of
-- the fixture, NULLs included. A scalar subquery around evaluate keeps the planner from fusing,
-- which gives the unfused reference in the same query.
BEGIN;
SELECT plan(18);
\ir engine_fixture.psql

-- Units of every kind, most failing one criterion or another, some with no assessment.
SELECT pg_temp.add_unit('residential_area', '00691-T' || n) FROM generate_series(0, 7) AS n;
SELECT pg_temp.add_unit('agency', '00691-CQ1'), pg_temp.add_unit('school', '00691-TH1'),
       pg_temp.add_unit('enterprise', '00691-DN1'), pg_temp.add_unit('residential_area', '00694-T1', NULL, '00694');
SELECT pg_temp.good(u.unit_id) FROM antq.unit u WHERE u.code LIKE '00691%';
CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, '2024-06-01')).unit_id $$;
UPDATE antq.assessment SET households_registered = 90 WHERE unit_id = pg_temp.u('00691-T1') AND year = 2024;
UPDATE antq.assessment SET implements_policy = false WHERE unit_id = pg_temp.u('00691-T2') AND year = 2024;
UPDATE antq.assessment SET crime_count = 6 WHERE unit_id = pg_temp.u('00691-T3') AND year = 2024;
UPDATE antq.assessment SET force_rating = 'not_completed', registered_on = NULL WHERE unit_id = pg_temp.u('00691-T4') AND year = 2024;
UPDATE antq.assessment SET active_models = 0 WHERE unit_id = pg_temp.u('00691') AND year = 2024;
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (pg_temp.u('00691-T5'), '2024-03-02', 'crime', 'serious');
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, force_majeure) VALUES (pg_temp.u('00691-T6'), '2024-03-02', 'crime', 'serious', true);
DELETE FROM antq.assessment WHERE unit_id = pg_temp.u('00691-T7') AND year = 2023;

-- The inputs of every unit-year, with the communes' unit counts, a spread of scores across the
-- bands (and none), and the same rows in a year without criteria or sheets and of an unknown kind.
CREATE TEMP TABLE inp AS
SELECT i.unit_id, i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, r.unit_counts,
       i.checks_met, i.checks_recorded,
       (ARRAY[NULL, 40, 55, 72, 91, 99]::numeric[])[1 + (row_number() OVER (ORDER BY i.unit_id))::int % 6] AS score
  FROM antq.unit_inputs('08', 2024) i JOIN antq.results_computed('08', 2024) r USING (unit_id);
INSERT INTO inp SELECT unit_id, kind, sub_kind, province_code, 2000, facts, prev, incidents, unit_counts, checks_met, checks_recorded, score FROM inp WHERE year = 2024;
INSERT INTO inp SELECT unit_id, 'no_such_kind', sub_kind, province_code, year, facts, prev, incidents, unit_counts, checks_met, checks_recorded, score FROM inp WHERE year = 2024;

-- The plan of a query, as text.
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r record;
    t text := '';
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
        t := t || r."QUERY PLAN" || E'\n';
    END LOOP;
    RETURN t;
END $$;

\set complete_q 'antq.complete(antq.evaluate(''safe'', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded))'
\set classify_q 'antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate(''safe'', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded)))'

-- The rewrite happens, and only where it may.
SELECT ok(pg_temp.plan_of('SELECT ' || :'complete_q' || ' FROM inp i') ~ 'evaluate_complete\(' AND pg_temp.plan_of('SELECT ' || :'complete_q' || ' FROM inp i') !~ '[^_]complete\(|evaluate\(',
          'complete(evaluate(...)) is planned as one call of antq.evaluate_complete');
SELECT ok(pg_temp.plan_of('SELECT ' || :'classify_q' || ' FROM inp i') ~ 'classify_evaluated\(' AND pg_temp.plan_of('SELECT ' || :'classify_q' || ' FROM inp i') !~ 'evaluate_complete\(|[^_]classify\(',
          'classify(..., complete(evaluate(...))) is planned as one call of antq.classify_evaluated');
SELECT ok(pg_temp.plan_of($$SELECT antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts)) FROM inp i$$) ~ 'evaluate_complete\(',
          'a call relying on evaluate''s defaults is fused too');
SELECT ok(pg_temp.plan_of($$SELECT antq.complete((SELECT antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts))) FROM inp i$$) !~ 'evaluate_complete\(',
          'a scalar subquery around evaluate keeps the calls apart (the reference below)');
SELECT ok(pg_temp.plan_of($$SELECT antq.complete(a) FROM (VALUES ('++'::antq.attainment)) v(a)$$) !~ 'evaluate_complete\(',
          'complete of anything but evaluate is left alone');
SELECT ok(pg_temp.plan_of($$SELECT antq.classify(i.kind COLLATE "C", i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts))) FROM inp i$$)
          ~ 'evaluate_complete\(.*[^_]classify\(|[^_]classify\(.*evaluate_complete\(',
          'classify under another collation than its evaluation keeps its own call around evaluate_complete');

-- Same results as the nested calls, on every row.
SELECT is((SELECT count(*) FROM inp i
            WHERE antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded))
                  IS DISTINCT FROM antq.complete((SELECT antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded)))),
          0::bigint, 'safe: evaluate_complete gives complete(evaluate(...)) on every row');
SELECT is((SELECT count(*) FROM inp i
            WHERE antq.complete(antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL, i.checks_met, i.checks_recorded))
                  IS DISTINCT FROM antq.complete((SELECT antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL, i.checks_met, i.checks_recorded)))),
          0::bigint, 'model: evaluate_complete gives complete(evaluate(...)) on every row');
SELECT is((SELECT count(*) FROM inp i
            WHERE antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded)))::text
                  IS DISTINCT FROM antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete((SELECT antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded))))::text),
          0::bigint, 'classify_evaluated gives classify(..., complete(evaluate(...))) on every row');
SELECT is((SELECT count(*) FROM inp i
            WHERE antq.classify(lower(i.kind), i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded)))::text
                  IS DISTINCT FROM antq.classify(lower(i.kind), i.province_code, i.year, i.score, antq.complete((SELECT antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded))))::text),
          0::bigint, 'classify_evaluated with its own key values (not the evaluation''s) gives the same on every row');
-- The comparisons above cover every case: met, not met and no criteria; ratings capped, not
-- capped and none.
SELECT is(ARRAY(SELECT DISTINCT antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded))::text
                  FROM inp i ORDER BY 1),
          ARRAY['false', 'true', NULL], 'the rows compared are met, not met, and without criteria (NULL)');
SELECT is((SELECT count(*) FROM inp i WHERE i.year = 2024 AND i.kind <> 'no_such_kind' AND i.score >= 91
              AND antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded)))::text = 'Trung bình')
          > 0 AND
          (SELECT count(*) FROM inp i WHERE i.year = 2024 AND i.kind <> 'no_such_kind' AND i.score >= 91
              AND antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded)))::text = 'Xuất sắc')
          > 0, true, 'the rows compared include high scores capped (safe standard not met) and not capped (met)');
SELECT is((SELECT count(*) FROM inp i WHERE i.kind = 'residential_area' AND i.year = 2000
              AND antq.classify('residential_area', i.province_code, 2024, 99, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts)))::text IS DISTINCT FROM 'Xuất sắc'),
          0::bigint, 'no criteria applying (NULL) puts no cap on the rating, fused as unfused');
SELECT is((SELECT count(*) FROM inp i WHERE i.score IS NULL
              AND antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts))) IS NOT NULL),
          0::bigint, 'no score gives no rating');

-- The internal functions called directly, and errors raised as the nested calls raise them.
SELECT is(antq.evaluate_complete(NULL, 'agency', NULL, '08', 2024, NULL, NULL, NULL, NULL, NULL, NULL), NULL, 'evaluate_complete without a standard is NULL, as evaluate is');
SELECT is(antq.classify_evaluated('agency', '08', 2024, 95, 'safe', 'agency', NULL, '08', 2024, NULL, NULL, NULL, NULL, NULL, NULL)::text, 'Trung bình',
          'classify_evaluated of an agency without facts: not met, so capped');
SELECT throws_ok($$SELECT antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate('safety', i.kind, i.sub_kind, i.province_code, i.year, i.facts))) FROM inp i$$,
                 '22023', 'unknown standard "safety"', 'the fused call rejects an unknown standard as evaluate does');
SELECT throws_ok($$SELECT antq.complete(antq.evaluate('safety', i.kind, i.sub_kind, i.province_code, i.year, i.facts)) FROM inp i$$,
                 '22023', 'unknown standard "safety"', 'evaluate_complete rejects an unknown standard as evaluate does');

SELECT * FROM finish();
ROLLBACK;
