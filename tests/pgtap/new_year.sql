-- The turn of the year (sql/61_new_year.sql): a year with no facts yet becomes the current one,
-- and every unit taking part needs its result. antq.open_year (the worker's, hourly) recomputes
-- the year for the nation once and records it; the year of installation counts as opened.
BEGIN;
SELECT plan(7);
SET client_min_messages = warning;

SELECT is((SELECT count(*) FROM antq.year_opened WHERE year = antq.current_year()), 1::bigint,
          'the year of installation counts as opened');
SELECT is(antq.open_year(), NULL, 'an opened year is not opened again');

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '2000-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', 'xa', '02545', 'Xã Tân Trào', unit_id, '2000-01-01' FROM antq.unit WHERE code = '08';
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'residential_area', 'thon', '02545-TH0' || n, 'Thôn ' || n, c.unit_id, '2015-01-01'
  FROM antq.unit c, generate_series(1, 3) n WHERE c.code = '02545';
-- One area has its facts of the year: what a writer's first write of a new year gives.
INSERT INTO antq.assessment (unit_id, year, registered_on) SELECT unit_id, antq.current_year(), make_date(antq.current_year(), 1, 5)
  FROM antq.unit WHERE code = '02545-TH01';
SELECT antq.recompute_keys(ARRAY['08'], ARRAY[antq.current_year()], true);
DELETE FROM antq.unit_result WHERE year = antq.current_year() AND code <> '02545-TH01';
DELETE FROM antq.summary WHERE year = antq.current_year();
DELETE FROM antq.year_opened WHERE year = antq.current_year();   -- as on the first day of a year

SELECT is(antq.open_year(), antq.current_year(), 'the new year is opened');
SELECT is((SELECT count(*) FILTER (WHERE NOT assessed) || ' not assessed, ' || count(*) FILTER (WHERE assessed) || ' assessed'
             FROM antq.unit_result WHERE year = antq.current_year() AND kind = 'residential_area'),
          '2 not assessed, 1 assessed', 'every area taking part has its result: the two without facts not assessed');
SELECT is((SELECT total || '/' || assessed FROM antq.summary
            WHERE area_level = 'province' AND area_code = '08' AND year = antq.current_year() AND unit_kind = 'residential_area'),
          '3/1', 'the province counts its three areas, one of them assessed');
SELECT is((SELECT count(*) FROM antq.verify() v WHERE v.year = antq.current_year()), 0::bigint,
          'the year''s stored results and summaries are what a computation from scratch gives');
SELECT is(antq.open_year(), NULL, 'and it is opened once');

SELECT * FROM finish();
ROLLBACK;
