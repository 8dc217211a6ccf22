-- The reasons of antq.explain_unit in Vietnamese (reason_vi): the facts, incident kinds,
-- severities and ratings in the words of antq.term_labels(), numbers and dates written the
-- Vietnamese way, the level a rating criterion requires; and a label for every word they use.
BEGIN;
SELECT plan(15);
\ir engine_fixture.psql

-- Every word the reasons can name has its label.
SELECT is((SELECT array_agg(c.attname::text ORDER BY c.attname) FROM pg_attribute c
            WHERE c.attrelid = 'antq.assessment'::regclass AND c.attnum > 0 AND NOT c.attisdropped
              AND c.attname NOT IN ('unit_id', 'year', 'extra')
              AND c.attname::text NOT IN (SELECT t.term FROM antq.term_labels() t WHERE t.domain = 'fact')),
          NULL, 'every fact of antq.assessment has a Vietnamese label');
SELECT set_eq($$SELECT t.term FROM antq.term_labels() t WHERE t.domain = 'incident_kind'$$,
              $$SELECT k.kind FROM antq.incident_kinds() k$$, 'every incident kind, and only those, has a label');
SELECT set_eq($$SELECT t.term FROM antq.term_labels() t WHERE t.domain = 'severity'$$,
              $$VALUES ('less_serious'), ('serious'), ('very_serious'), ('especially_serious')$$, 'every severity has a label');
SELECT is((SELECT count(*) FROM antq.term_labels() t WHERE t.domain = 'force_rating' AND antq.severity_rank(t.term) IS NULL
              AND t.term IN ('not_completed', 'completed', 'completed_well', 'completed_excellently')), 4::bigint,
          'every force rating has a label');
SELECT is((SELECT count(*) FROM antq.term_labels() t WHERE t.label_vi IS NULL OR t.label_en IS NULL
              OR t.label_vi <> antq.nfc(t.label_vi)), 0::bigint, 'labels are given in both languages, in NFC');

SELECT pg_temp.add_unit('residential_area', '00691-V' || n) FROM generate_series(0, 5) AS n;
SELECT pg_temp.good((antq.unit_at('00691-V' || n, '2024-06-01')).unit_id) FROM generate_series(0, 5) AS n;
CREATE FUNCTION pg_temp.ra(n integer) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at('00691-V' || n, '2024-06-01')).unit_id $$;
CREATE FUNCTION pg_temp.why_vi(p_unit bigint) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(e.reason_vi, ' | ' ORDER BY e.criterion_pos) FROM antq.explain_unit(p_unit, 2024) e WHERE e.state = 'not met'
$$;

UPDATE antq.assessment SET households_registered = 774, households_total = 1000 WHERE unit_id = pg_temp.ra(1) AND year = 2024;
SELECT is(pg_temp.why_vi(pg_temp.ra(1)),
          '1-households: số hộ đăng ký/tổng số hộ gia đình = 774/1000 (77,4%), yêu cầu tối thiểu 100%',
          'a ratio: the facts by name, the share with a decimal comma, the share required');
UPDATE antq.assessment SET registered_on = '2024-05-02' WHERE unit_id = pg_temp.ra(2) AND year = 2024;
SELECT is(pg_temp.why_vi(pg_temp.ra(2)), '1-registration: ngày đăng ký 02/05/2024, không trong quý I năm 2024',
          'a date outside Q1, written day/month/year');
UPDATE antq.assessment SET crime_count = 6 WHERE unit_id = pg_temp.ra(3) AND year = 2024;
SELECT is(pg_temp.why_vi(pg_temp.ra(3)), '4a: số vụ tội phạm, tệ nạn xã hội = 6, cao hơn năm 2023 (5)',
          'a count above last year''s');
UPDATE antq.assessment SET force_rating = 'not_completed' WHERE unit_id = pg_temp.ra(4) AND year = 2024;
SELECT is(pg_temp.why_vi(pg_temp.ra(4)),
          '5-rating: xếp loại lực lượng nòng cốt, bảo vệ là «không hoàn thành nhiệm vụ», dưới mức yêu cầu «hoàn thành nhiệm vụ»',
          'a rating below the level: both levels named');
SELECT is((SELECT e.reason FROM antq.explain_unit(pg_temp.ra(4), 2024) e WHERE e.state = 'not met'),
          '5-rating: force_rating is not_completed, below the level required (completed)', 'the English reason names the level too');
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (pg_temp.ra(5), '2024-03-02', 'crime', 'serious');
SELECT is(pg_temp.why_vi(pg_temp.ra(5)),
          '4b: tội phạm nghiêm trọng ngày 02/03/2024, không phải bất khả kháng, không được phát hiện, xử lý kịp thời',
          'an incident: kind, severity and date in Vietnamese, the exceptions it did not meet');
SELECT is((SELECT string_agg(e.reason_vi, ' | ' ORDER BY e.criterion_pos) FROM antq.explain_unit(pg_temp.ra(0), 2024) e),
          '1: đạt | 2: đạt | 3: đạt | 4: đạt | 5: đạt', 'criteria met say so');
SELECT is((SELECT count(*) FROM antq.explain_unit(pg_temp.ra(0), 2024) e WHERE e.reason_vi IS NULL OR e.reason IS NULL),
          0::bigint, 'every row has both reasons');

-- A fact not recorded is named, and a unit-year without facts still gets its reasons.
SELECT is((SELECT e.reason_vi FROM antq.assessment a,
             antq.explain('safe', 'residential_area', 'thon', '08', 2024, jsonb_populate_record(a, '{"households_total": null}'), NULL) e
            WHERE a.unit_id = pg_temp.ra(0) AND a.year = 2024 AND e.state = 'not met'),
          '1-households: chưa ghi nhận số hộ đăng ký hoặc tổng số hộ gia đình', 'a missing fact is named');
SELECT is((SELECT count(*) FROM antq.explain('safe', 'residential_area', 'thon', '08', 2024, NULL) e WHERE e.reason_vi IS NULL),
          0::bigint, 'a unit-year with no facts still gets reasons');

SELECT * FROM finish();
ROLLBACK;
