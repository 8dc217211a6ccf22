-- antq.recompute_units, the worker's path for fact changes: the results of the changed units,
-- the versions grown out of them and their communes are recomputed, and the difference is added
-- to the stored summaries. Each step is checked against a full recompute (antq.verify).
BEGIN;
SELECT plan(28);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT unit_id FROM antq.unit WHERE code = p_code ORDER BY valid_from DESC LIMIT 1 $$;
CREATE FUNCTION pg_temp.met(p_code text) RETURNS boolean LANGUAGE sql AS $$
  SELECT r.safe_met FROM antq.unit_result r WHERE r.unit_id = pg_temp.u(p_code) AND r.year = 2024 $$;
-- One stored summary row as text: total, met, incidents, incidents by kind, tip-offs.
CREATE FUNCTION pg_temp.row(p_level text, p_code text, p_kind text) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('|', s.total, s.met, s.incidents, s.incidents_by_kind, s.tipoffs)
    FROM antq.summary s
   WHERE s.area_level = p_level AND s.area_code = p_code AND s.unit_kind = p_kind AND s.year = 2024 $$;
CREATE FUNCTION pg_temp.differences() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM antq.verify('08', 2024) $$;

SELECT pg_temp.add_unit('residential_area', 'R1'), pg_temp.add_unit('residential_area', 'R2'),
       pg_temp.add_unit('residential_area', 'R3', p_commune => '00694');
-- R5 and R6 were merged into R6 on 1 January 2024: the new R6's "no more crime than last
-- year" reads the sum of both predecessors' 2023 rows (5 + 5), against 8 this year.
SELECT pg_temp.add_unit('residential_area', 'R5', p_commune => '00694'), pg_temp.add_unit('residential_area', 'R6', p_commune => '00694');
SELECT pg_temp.good(pg_temp.u(c)) FROM unnest(ARRAY['00691', '00694', 'R1', 'R2', 'R3', 'R5', 'R6']) AS c;
DELETE FROM antq.assessment WHERE unit_id IN (pg_temp.u('R5'), pg_temp.u('R6')) AND year = 2024;
SELECT antq.merge_units(pg_temp.u('R6'), ARRAY[pg_temp.u('R5')], '2024-01-01');
SELECT pg_temp.good(pg_temp.u('R6'));
DELETE FROM antq.assessment WHERE unit_id = pg_temp.u('R6') AND year = 2023;
UPDATE antq.assessment SET crime_count = 8 WHERE unit_id = pg_temp.u('R6') AND year = 2024;
SELECT antq.refresh('08', 2024);
SELECT is(pg_temp.differences(), 0::bigint, 'after a refresh nothing differs');
SELECT is(pg_temp.row('province', '08', 'commune'), '2|2|0|{}|0', 'both communes meet the standard');

-- A serious crime in R1 and tip-offs: R1 fails, and with it commune 00691's criterion 4.
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (pg_temp.u('R1'), '2024-03-02', 'crime', 'serious');
UPDATE antq.assessment SET tipoffs = 9 WHERE unit_id = pg_temp.u('R1') AND year = 2024;
SELECT is(antq.recompute_units('08', 2024, ARRAY[pg_temp.u('R1')]), 2, 'R1 and the commune it lies in are recomputed');
SELECT is(pg_temp.met('R1'), false, 'R1 no longer meets the standard');
SELECT is(pg_temp.met('00691'), false, 'commune 00691 no longer meets it: 1 of its 2 residential areas is recognized');
SELECT is(pg_temp.row('commune', '00691', 'residential_area'), '2|1|1|{"crime": 1}|9', 'commune 00691 row: the difference added');
SELECT is(pg_temp.row('province', '08', 'residential_area'), '4|3|1|{"crime": 1}|9', 'province row: the same difference');
SELECT is(pg_temp.row('nation', 'VN', 'residential_area'), pg_temp.row('province', '08', 'residential_area'), 'nation row: the same difference');
SELECT is(pg_temp.row('province', '08', 'commune'), '2|1|0|{}|0', 'the communes row counts one commune less');
SELECT is(pg_temp.differences(), 0::bigint, 'stored results and summaries equal a full recompute');

-- The incident withdrawn: the kind drops out of incidents_by_kind instead of staying at 0.
DELETE FROM antq.incident WHERE unit_id = pg_temp.u('R1');
SELECT is(antq.recompute_units('08', 2024, ARRAY[pg_temp.u('R1')]), 2, 'recomputed again');
SELECT is(pg_temp.row('commune', '00691', 'residential_area'), '2|2|0|{}|9', 'a kind that comes to 0 is left out');
SELECT is(pg_temp.differences(), 0::bigint, 'and nothing differs');

-- A fact of a merged-away unit: its successor, which reads it as last year's, is recomputed.
UPDATE antq.assessment SET crime_count = 0 WHERE unit_id = pg_temp.u('R5') AND year = 2023;
SELECT ok(antq.unit_versions_after(ARRAY[pg_temp.u('R5')]) @> ARRAY[pg_temp.u('R5'), pg_temp.u('R6')],
          'unit_versions_after follows the lineage');
SELECT is(antq.recompute_units('08', 2024, ARRAY[pg_temp.u('R5')]), 2, 'R6 and its commune are recomputed (R5 does not take part in 2024)');
SELECT is(pg_temp.met('R6'), false, 'R6 now has more crime (8) than its predecessors had last year (0 + 5)');
SELECT is(pg_temp.differences(), 0::bigint, 'nothing differs after a lineage change');
-- The nation's results, where the units that grew out of no other version go through a query
-- of their own (one PostgreSQL can run in parallel), equal the province's, R6 included.
SELECT is((SELECT count(*) FROM ((SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed(NULL, 2024) r WHERE r.province_code = '08'
                                  EXCEPT ALL SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed('08', 2024) r)
                                 UNION ALL
                                 (SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed('08', 2024) r
                                  EXCEPT ALL SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed(NULL, 2024) r WHERE r.province_code = '08')) d),
          0::bigint, 'the nation''s results equal the province''s, R6 (grown out of R5) included');
-- Each branch of results_computed and unit_inputs holds its own copy of the input query
-- (sql/47_compute.sql): a list of every unit of the province gives what the province gives.
SELECT is((SELECT count(*) FROM ((SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed('08', 2024) r
                                  EXCEPT ALL SELECT to_jsonb(r) - 'computed_at'
                                    FROM antq.results_computed('08', 2024, ARRAY(SELECT u.unit_id FROM antq.unit u WHERE u.province_code = '08')) r)
                                 UNION ALL
                                 (SELECT to_jsonb(r) - 'computed_at'
                                    FROM antq.results_computed('08', 2024, ARRAY(SELECT u.unit_id FROM antq.unit u WHERE u.province_code = '08')) r
                                  EXCEPT ALL SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed('08', 2024) r)) d),
          0::bigint, 'the results of a list of the province''s units equal the province''s');
SELECT is((SELECT count(*) FROM ((SELECT to_jsonb(i) FROM antq.unit_inputs('08', 2024) i
                                  EXCEPT ALL SELECT to_jsonb(i)
                                    FROM antq.unit_inputs('08', 2024, ARRAY(SELECT u.unit_id FROM antq.unit u WHERE u.province_code = '08')) i)
                                 UNION ALL
                                 (SELECT to_jsonb(i)
                                    FROM antq.unit_inputs('08', 2024, ARRAY(SELECT u.unit_id FROM antq.unit u WHERE u.province_code = '08')) i
                                  EXCEPT ALL SELECT to_jsonb(i) FROM antq.unit_inputs('08', 2024) i)) d),
          0::bigint, 'the inputs of a list of the province''s units equal the province''s');

-- When the change adds a unit to the year (no stored result yet), the whole key is recomputed.
SELECT pg_temp.add_unit('residential_area', 'R7');
SELECT pg_temp.good(pg_temp.u('R7'));
SELECT antq.recompute_units('08', 2024, ARRAY[pg_temp.u('R7')]);
SELECT is(pg_temp.row('commune', '00691', 'residential_area'), '3|3|0|{}|9', 'a new unit: the key is recomputed whole');

-- And when a summary row the difference should go to is missing.
DELETE FROM antq.summary WHERE area_level = 'nation';
UPDATE antq.assessment SET tipoffs = 10 WHERE unit_id = pg_temp.u('R1') AND year = 2024;
SELECT antq.recompute_units('08', 2024, ARRAY[pg_temp.u('R1')]);
SELECT is(pg_temp.row('nation', 'VN', 'residential_area'), '5|4|0|{}|10', 'missing nation rows: recomputed whole');
SELECT is(pg_temp.differences(), 0::bigint, 'nothing differs after either fallback');

-- A recomputed commune counts its units for criterion 4 from its stored row, less the stored
-- rows of the units listed with it, plus their new ones; a list of more than 100 units is
-- planned for the call. 110 more areas in 00694, 20 of which, then 20 others, withdraw their
-- registration.
SELECT pg_temp.add_unit('residential_area', 'L' || g, p_commune => '00694') FROM generate_series(1, 110) g;
SELECT pg_temp.good(pg_temp.u('L' || g)) FROM generate_series(1, 110) g;
SELECT antq.refresh('08', 2024);
UPDATE antq.assessment SET registered_on = NULL
 WHERE unit_id IN (SELECT pg_temp.u('L' || g) FROM generate_series(1, 20) g) AND year = 2024;
SELECT is(antq.recompute_units('08', 2024, ARRAY(SELECT pg_temp.u('L' || g) FROM generate_series(1, 20) g)), 21,
          '20 of them and their commune recomputed by difference');
SELECT is(pg_temp.differences(), 0::bigint, 'the commune''s counts equal a full recompute''s');
UPDATE antq.assessment SET registered_on = NULL
 WHERE unit_id IN (SELECT pg_temp.u('L' || g) FROM generate_series(21, 40) g) AND year = 2024;
SELECT is(antq.recompute_units('08', 2024, ARRAY(SELECT pg_temp.u('L' || g) FROM generate_series(1, 110) g)), 111,
          'a list of 111 units (planned for the call) recomputed');
SELECT is(pg_temp.differences(), 0::bigint, 'and nothing differs');
-- A listed commune without a stored row counts its other units' stored rows.
DELETE FROM antq.unit_result WHERE unit_id = pg_temp.u('00694') AND year = 2024;
SELECT is((SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed('08', 2024, ARRAY[pg_temp.u('00694'), pg_temp.u('L1')], true) r
            WHERE r.unit_id = pg_temp.u('00694')),
          (SELECT to_jsonb(r) - 'computed_at' FROM antq.results_computed('08', 2024) r WHERE r.unit_id = pg_temp.u('00694')),
          'a commune with no stored row counts its units one by one');

SELECT * FROM finish();
ROLLBACK;
