-- The model-unit programme (issue 19): which units take part in a year
-- (antq.model_participation, by id and by code), the rule a selection must follow (safe and
-- rated Khá or better the year before, decided or computed), each participant's progress
-- ("28/34"), the summaries counted over participants only ("1/2 on track"), kept by
-- difference as by a whole recompute (antq.verify), the C national pass agreeing with SQL,
-- and participation following its unit through a new version.
BEGIN;
SELECT plan(45);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT unit_id FROM antq.unit WHERE code = p_code ORDER BY valid_from DESC LIMIT 1 $$;
CREATE FUNCTION pg_temp.differences() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM antq.verify('08', 2024) $$;
-- The programme columns of one stored summary row: candidates, complete, participants,
-- participants complete, participants on track.
CREATE FUNCTION pg_temp.row(p_level text, p_code text, p_kind text) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('|', s.model_candidates, s.model_complete, s.model_participants, s.model_participants_complete,
                   s.model_participants_on_track)
    FROM antq.summary s WHERE s.area_level = p_level AND s.area_code = p_code AND s.unit_kind = p_kind AND s.year = 2024 $$;
CREATE FUNCTION pg_temp.select_unit(p_code text, p_on date DEFAULT '2024-02-15') RETURNS void LANGUAGE sql AS $$
  INSERT INTO antq.model_participation (unit_id, year, selected_on, decision_number, authority)
  VALUES (pg_temp.u(p_code), 2024, p_on, '45/QĐ-BCĐ', 'Ban Chỉ đạo 138 tỉnh') $$;
CREATE FUNCTION pg_temp.checks(p_code text, p_met integer, p_failed integer[] DEFAULT '{}') RETURNS void LANGUAGE sql AS $$
  INSERT INTO antq.model_check (unit_id, year, criterion_no, met)
  SELECT pg_temp.u(p_code), 2024, n, true FROM generate_series(1, p_met) n
  UNION ALL SELECT pg_temp.u(p_code), 2024, f, false FROM unnest(p_failed) f $$;

-- Four communes (two more than the fixture's), each with a residential area, and an agency;
-- every unit meets the safe standard in 2023 and 2024. Classified in 2023: 00691 Khá (85),
-- 00694 Xuất sắc (95), 00697 Trung bình (60), 00700 Xuất sắc (90) but its recognition refused
-- by decision; the agency A1 Khá (80).
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', 'xa', c.code, c.name, pg_temp.u('08'), '2004-01-01'
  FROM (VALUES ('00697', 'Xã Trung Yên'), ('00700', 'Xã Bình Yên')) AS c(code, name);
SELECT pg_temp.add_unit('residential_area', 'R1'), pg_temp.add_unit('residential_area', 'R2', p_commune => '00694'),
       pg_temp.add_unit('residential_area', 'R3', p_commune => '00697'), pg_temp.add_unit('residential_area', 'R4', p_commune => '00700'),
       pg_temp.add_unit('agency', 'A1');
SELECT pg_temp.good(pg_temp.u(c)) FROM unnest(ARRAY['00691', '00694', '00697', '00700', 'R1', 'R2', 'R3', 'R4', 'A1']) AS c;
INSERT INTO antq.score (unit_id, year, item, points)
SELECT pg_temp.u(c), 2023, 'other', p FROM (VALUES ('00691', 85), ('00694', 95), ('00697', 60), ('00700', 90), ('A1', 80)) AS v(c, p);
INSERT INTO antq.decision (unit_id, year, kind, met, rating, number, decided_on, authority)
VALUES (pg_temp.u('00700'), 2023, 'recognition', false, NULL, '12/QĐ-UBND', '2023-11-20', 'UBND tỉnh');
SELECT antq.refresh('08', 2023);

-- Selections: accepted where last year qualifies, refused with the rule's reason otherwise.
SELECT lives_ok($$SELECT pg_temp.select_unit('00691')$$, 'a commune safe and rated Khá (computed) in 2023 is accepted for 2024');
SELECT lives_ok($$SELECT pg_temp.select_unit('00694')$$, 'a commune rated Xuất sắc is accepted');
SELECT throws_ok($$SELECT pg_temp.select_unit('00697')$$, '23514',
    'unit_id for commune 00697 "Xã Trung Yên" in 2024: not eligible for the model-unit programme: classified Trung bình in 2023 (computed), below Khá',
    'a commune rated Trung bình the year before is refused, naming the code, the field and the reason');
SELECT throws_like($$SELECT pg_temp.select_unit('00700')$$, '%00700%recognition refused (decided)%',
    'a commune whose recognition was refused by decision is refused, though it met the standard as computed');
SELECT throws_like($$SELECT pg_temp.select_unit('R1')$$, '%no model-unit criteria set applies to kind residential_area%',
    'a residential area is refused: no model-unit set applies to its kind');
SELECT throws_ok($$SELECT pg_temp.select_unit('00691', '2023-12-30')$$, '23514', NULL,
    'a selection dated outside its year is refused');
SELECT throws_like($$INSERT INTO antq.model_participation VALUES (pg_temp.u('00694'), 2025, '2025-02-01', ' ', NULL)$$,
    'decision_number for commune 00694 % in 2025: an empty decision number',
    'an empty decision number is refused, naming the field');
SELECT throws_ok($$INSERT INTO antq.model_participation VALUES (pg_temp.u('00694'), 2023, '2023-02-01', '1/QĐ', NULL)$$, '23514', NULL,
    'a unit without a result the year before (2022) is refused');
-- By code, as provincial systems send it: accepted, resent unchanged, refused naming the row.
SELECT lives_ok($$INSERT INTO antq.model_participation_by_code (unit_code, year, selected_on, decision_number, authority)
                  VALUES ('A1', 2024, '2024-03-01', '46/QĐ-BCĐ', 'Ban Chỉ đạo 138 tỉnh')$$, 'an agency is selected by its code');
SELECT lives_ok($$INSERT INTO antq.model_participation_by_code (unit_code, year, selected_on, decision_number, authority)
                  VALUES ('A1', 2024, '2024-03-01', '46/QĐ-BCĐ', 'Ban Chỉ đạo 138 tỉnh')$$, 'and resent unchanged');
SELECT throws_like($$INSERT INTO antq.model_participation_by_code (unit_code, year, selected_on, decision_number)
                     VALUES ('A1', 2024, '2024-03-02', '46/QĐ-BCĐ'), ('00697', 2024, '2024-03-01', '46/QĐ-BCĐ')$$,
    'row 2: unit_id for commune 00697 % below Khá', 'a refused row sent by code is named by its row and code');
SELECT throws_ok($$INSERT INTO antq.model_participation_by_code (unit_code, year, selected_on, decision_number)
                   VALUES ('99999', 2024, '2024-03-01', '46/QĐ-BCĐ')$$, '23503', NULL, 'an unknown code is refused');
SELECT is((SELECT string_agg(u.code, ',' ORDER BY u.code) FROM antq.model_participation p JOIN antq.unit u USING (unit_id)),
          '00691,00694,A1', 'three units take part in 2024');

-- Progress in 2024: 00691 has all 34 criteria, 00694 28 with criterion 29 recorded not met, the
-- agency 10 of 14 so far; 00697 meets all 34 but does not take part.
SELECT pg_temp.checks('00691', 34), pg_temp.checks('00694', 28, '{29}'), pg_temp.checks('A1', 10), pg_temp.checks('00697', 34);
SELECT antq.refresh('08', 2024);
SELECT is((SELECT string_agg(format('%s %s %s %s', v.code, v.progress, v.complete, v.on_track), '; ' ORDER BY v.code) FROM antq.v_model_programme v),
          '00691 34/34 t t; 00694 28/34 f f; A1 10/14 f t',
          'per-unit progress: criteria met out of the set, complete, on track');
SELECT is((SELECT string_agg(format('%s %s %s', v.code, v.recognized_by, v.rated_by), '; ' ORDER BY v.code) FROM antq.v_model_programme v WHERE v.still_eligible),
          '00691 computed computed; 00694 computed computed; A1 computed computed',
          'each still eligible, on last year''s computed results (no decisions recorded)');
SELECT is(pg_temp.row('province', '08', 'commune'), '4|2|2|1|1',
          'province communes: 4 assessed against the model criteria, 2 complete; of the 2 taking part 1 complete, 1 on track');
SELECT is(pg_temp.row('commune', '00691', 'agency'), '1|0|1|0|1', 'commune 00691, agencies: the agency takes part and is on track');
SELECT is(pg_temp.row('nation', 'VN', 'commune'), pg_temp.row('province', '08', 'commune'), 'the nation row adds up the province');
SELECT is((SELECT format('%s %s %s %s', s.on_track_label, s.complete_label, s.on_track_pct, s.area_name) FROM antq.v_model_programme_summary s
            WHERE s.area_level = 'province' AND s.area_code = '08' AND s.year = 2024 AND s.unit_kind = 'commune'),
          '1/2 1/2 50.0 Tỉnh Tuyên Quang', 'the analysts'' view reads "1/2 on track" for the province''s communes');
SELECT is((SELECT count(*) FROM antq.v_model_programme_summary s WHERE s.year = 2024 AND s.unit_kind = 'residential_area'), 0::bigint,
          'kinds without participants have no row there');
SELECT is((SELECT r.model_programme::text || r.model_on_track::text FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('00694') AND r.year = 2024),
          'truefalse', 'unit_result stores participation and on track');
SELECT is((SELECT r.model_programme::text || coalesce(r.model_on_track::text, 'null') FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('00697') AND r.year = 2024),
          'falsenull', 'a unit not taking part is not on track or off it: NULL');
SELECT is(pg_temp.differences(), 0::bigint, 'stored results and summaries equal a full recompute');

-- The C national pass (extension/stale_results.c) computes the same participation and on
-- track as SQL, and finds a stored row where either differs.
CREATE FUNCTION pg_temp.stale_after(p_set text, p_code text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    found text;
BEGIN
    EXECUTE format('UPDATE antq.unit_result SET %s WHERE unit_id = pg_temp.u(%L) AND year = 2024', p_set, p_code);
    SELECT coalesce(string_agg(u.code, ',' ORDER BY u.code), '') INTO found
      FROM unnest((antq.results_stale(2024)).stale) AS x(id) JOIN antq.unit u ON u.unit_id = x.id;
    PERFORM antq.compute_results(NULL, 2024);
    RETURN found;
END
$$;
SELECT antq.compute_results(NULL, 2024);
SELECT is((antq.results_stale(2024)).stale, '{}'::bigint[], 'the pass in C agrees with SQL on participation and on track');
SELECT is(pg_temp.stale_after('model_on_track = false', 'A1'), 'A1', 'a participant''s on track changed is found');
SELECT is(pg_temp.stale_after('model_on_track = true', 'R1'), 'R1', 'an on track given to a non-participant is found');
SELECT is(pg_temp.stale_after('model_programme = true', 'R1'), 'R1', 'a participation given to a unit not selected is found');
SELECT is(pg_temp.stale_after('model_programme = false, model_on_track = NULL', 'A1'), 'A1', 'a participation taken from a participant is found');
SELECT is(pg_temp.differences(), 0::bigint, 'the national recomputes repaired every row');

-- The worker's path, by difference (antq.recompute_units, antq.summary_add).
INSERT INTO antq.model_check VALUES (pg_temp.u('00694'), 2024, 30, true);
SELECT is(antq.recompute_units('08', 2024, ARRAY[pg_temp.u('00694')]), 1, 'a new check: the commune is recomputed');
SELECT is(pg_temp.row('province', '08', 'commune'), '4|2|2|1|1', 'still off track: criterion 29 stays recorded not met');
UPDATE antq.model_check SET met = true WHERE unit_id = pg_temp.u('00694') AND year = 2024 AND criterion_no = 29;
SELECT antq.recompute_units('08', 2024, ARRAY[pg_temp.u('00694')]);
SELECT is(pg_temp.row('province', '08', 'commune'), '4|2|2|1|2', 'criterion 29 met: both participants on track, by difference');
SELECT is((SELECT v.progress FROM antq.v_model_programme v WHERE v.code = '00694'), '30/34', 'and 00694 at 30/34');
SELECT is(pg_temp.differences(), 0::bigint, 'by difference as by a whole recompute');
DELETE FROM antq.model_participation WHERE unit_id = pg_temp.u('A1');
SELECT antq.recompute_units('08', 2024, ARRAY[pg_temp.u('A1')]);
SELECT is(pg_temp.row('province', '08', 'agency'), '1|0|0|0|0', 'a withdrawn agency no longer counts as a participant, still as a candidate');
SELECT is(pg_temp.differences(), 0::bigint, 'nothing differs after a withdrawal');

-- A classification decided for 2023 qualifies 00697 after all; the basis says so.
INSERT INTO antq.decision (unit_id, year, kind, met, rating, number, decided_on, authority)
VALUES (pg_temp.u('00697'), 2023, 'classification', NULL, 'Khá', '13/QĐ-UBND', '2023-11-30', 'UBND tỉnh');
SELECT antq.recompute_units('08', 2023, ARRAY[pg_temp.u('00697')]);
SELECT lives_ok($$SELECT pg_temp.select_unit('00697')$$, 'rated Khá by decision, 00697 is accepted');
SELECT antq.recompute_units('08', 2024, ARRAY[pg_temp.u('00697')]);
SELECT is((SELECT format('%s %s %s', v.recognized_by, v.rated_by, v.progress) FROM antq.v_model_programme v WHERE v.code = '00697'),
          'computed decided 34/34', 'its eligibility shows the decided classification beside the computed recognition');
SELECT is(pg_temp.row('province', '08', 'commune'), '4|2|3|2|3', 'three communes take part, two complete, three on track');

-- Last year's result changing later: the selection stays and counts, flagged.
INSERT INTO antq.decision (unit_id, year, kind, met, rating, number, decided_on, authority)
VALUES (pg_temp.u('00691'), 2023, 'recognition', false, NULL, '14/QĐ-UBND', '2024-04-01', 'UBND tỉnh');
SELECT antq.recompute_units('08', 2023, ARRAY[pg_temp.u('00691')]);
SELECT is((SELECT format('%s: %s', v.still_eligible, v.not_eligible_reason) FROM antq.v_model_programme v WHERE v.code = '00691'),
          'f: not safe in 2023: recognition refused (decided)', 'a selection whose last year no longer qualifies is flagged with the reason');
SELECT is(pg_temp.row('province', '08', 'commune'), '4|2|3|2|3', 'and still counts: nothing is dropped silently');
SELECT lives_ok($$UPDATE antq.model_participation SET decision_number = '45b/QĐ-BCĐ' WHERE unit_id = pg_temp.u('00691')$$,
                'the flagged row can still be corrected');

-- Participation belongs to the code: a new version of the commune from 1 June 2024 takes its
-- 2024 facts, the selection with them.
SELECT antq.reorganize(pg_temp.u('00694'), '2024-06-01', p_name => 'Phường Minh Thanh');
SELECT is((SELECT p.unit_id FROM antq.model_participation p WHERE p.year = 2024 AND p.unit_id IN (SELECT unit_id FROM antq.unit WHERE code = '00694')),
          pg_temp.u('00694'), 'the selection moved to the version taking part in 2024');
SELECT antq.refresh('08', 2024);
SELECT is((SELECT format('%s %s', v.name, v.progress) FROM antq.v_model_programme v WHERE v.code = '00694'),
          'Phường Minh Thanh 30/34', 'and keeps its progress under the new name');
SELECT is(pg_temp.differences(), 0::bigint, 'nothing differs after the new version');

SELECT * FROM finish();
ROLLBACK;
