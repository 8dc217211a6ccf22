-- Roles: antq_reader reads, antq_writer writes facts and units, antq_admin edits rules.
-- Results, summaries and the queue are written by the extension's own code only (the worker,
-- and antq.refresh, which admins may run): a writer cannot forge or erase a result, nor run a
-- recompute; an admin cannot write summaries (issue 17, hole 4). A reader cannot queue
-- recomputes through a table of its own (hole 3), nor take the locks the worker waits on (hole 5).
BEGIN;
SELECT plan(37);

SELECT has_role('antq_reader', 'role antq_reader exists');
SELECT has_role('antq_writer', 'role antq_writer exists');
SELECT has_role('antq_admin', 'role antq_admin exists');
SELECT ok(pg_has_role('antq_writer', 'antq_reader', 'USAGE'), 'a writer can do what a reader can');
SELECT ok(pg_has_role('antq_admin', 'antq_writer', 'USAGE'), 'an admin can do what a writer can');
SELECT ok(NOT pg_has_role('antq_reader', 'antq_writer', 'USAGE'), 'a reader is not a writer');

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '04', 'Tỉnh Cao Bằng', '1991-10-01');

SET LOCAL ROLE antq_reader;
SELECT is((SELECT name FROM antq.unit WHERE code = '04'), 'Tỉnh Cao Bằng', 'a reader reads the registry');
SELECT throws_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '06', 'Tỉnh Bắc Kạn', '1997-01-01')$$,
    '42501', 'permission denied for table unit', 'a reader cannot insert a unit');
SELECT throws_ok($$UPDATE antq.unit SET name = 'X' WHERE code = '04'$$, '42501', 'permission denied for table unit', 'a reader cannot update a unit');
SELECT throws_ok($$SELECT antq.reorganize(1, '2025-07-01')$$, '42501', 'permission denied for function reorganize', 'a reader cannot reorganize units');
RESET ROLE;

SET LOCAL ROLE antq_writer;
SELECT lives_ok($$INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '06', 'Tỉnh Bắc Kạn', '1997-01-01')$$,
    'a writer registers a unit');
SELECT lives_ok($$UPDATE antq.unit SET name = 'Tỉnh Bắc Kạn (cũ)' WHERE code = '06'$$, 'a writer corrects a unit''s name');
RESET ROLE;

-- Stored results and summaries of province 08 (two communes meeting every criterion), as text:
-- what every refused attempt below must leave as it was.
\ir engine_fixture.psql
SELECT pg_temp.good(u.unit_id) FROM antq.unit u WHERE u.code IN ('00691', '00694');
SELECT antq.refresh('08', 2024);
CREATE FUNCTION pg_temp.results() RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(r::text, E'\n' ORDER BY r.unit_id, r.year) FROM antq.unit_result r $$;
CREATE FUNCTION pg_temp.summaries() RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(s::text, E'\n' ORDER BY s.area_level, s.area_code, s.year, s.unit_kind) FROM antq.summary s $$;
SELECT pg_temp.results() AS results_before, pg_temp.summaries() AS summaries_before \gset
SELECT is((SELECT r.safe_met::text || ' ' || coalesce(r.rating::text, 'unrated') FROM antq.unit_result r WHERE r.code = '00691' AND r.year = 2024),
          'true unrated', 'commune 00691 meets the safe standard in 2024, without a rating');

-- A writer: no forged rating, no erased results, no recompute of its own.
SET LOCAL ROLE antq_writer;
SELECT throws_ok($$UPDATE antq.unit_result SET rating = 'xuat_sac', safe_met = true, score = 100 WHERE code = '00691' AND year = 2024$$,
    '42501', 'permission denied for table unit_result', 'a writer cannot forge a result');
SELECT throws_ok($$DELETE FROM antq.unit_result$$, '42501', 'permission denied for table unit_result',
    'a writer cannot delete results');
SELECT throws_ok($$INSERT INTO antq.unit_result SELECT * FROM antq.unit_result$$, '42501', 'permission denied for table unit_result',
    'a writer cannot insert results');
SELECT throws_ok($$SELECT antq.compute_results(NULL, 2024)$$, '42501', 'permission denied for function compute_results',
    'a writer cannot run a national recompute');
SELECT throws_ok($$SELECT antq.refresh('08', 2024)$$, '42501', 'permission denied for function refresh',
    'a writer cannot run antq.refresh');
RESET ROLE;
SELECT is(pg_temp.results(), :'results_before', 'the stored results are unchanged');

-- An admin: no summary written by hand, but antq.refresh works (it runs as the extension's owner).
SET LOCAL ROLE antq_admin;
SELECT throws_ok($$INSERT INTO antq.summary SELECT * FROM antq.summary LIMIT 1$$, '42501', 'permission denied for table summary',
    'an admin cannot insert a summary row');
SELECT throws_ok($$UPDATE antq.summary SET met = total$$, '42501', 'permission denied for table summary',
    'an admin cannot change a summary row');
SELECT throws_ok($$DELETE FROM antq.summary$$, '42501', 'permission denied for table summary',
    'an admin cannot delete summary rows');
RESET ROLE;
SELECT is(pg_temp.summaries(), :'summaries_before', 'the stored summaries are unchanged');

-- A result tampered with behind the extension's back (as the owner could): an admin's refresh repairs it.
UPDATE antq.unit_result SET rating = 'xuat_sac', score = 100 WHERE code = '00691' AND year = 2024;
SET LOCAL ROLE antq_admin;
SELECT lives_ok($$SELECT antq.refresh('08', 2024)$$, 'an admin runs antq.refresh');
RESET ROLE;
SELECT is(pg_temp.results(), :'results_before', 'the refresh restored the computed results');
SELECT is(pg_temp.summaries(), :'summaries_before', 'and the summaries');

-- A reader cannot put a table of its own under capture to queue recomputes (hole 3): CREATE
-- TRIGGER needs EXECUTE on the capture function, which only the owner has; were it granted by
-- mistake, the capture refuses a table that is neither antq's nor a superuser's. A capture
-- trigger meant for antq.unit refuses any other table. (tests/t/040_privileges.pl shows the queue
-- stays empty once such attempts commit.)
SET LOCAL ROLE antq_reader;
CREATE TEMP TABLE reader_facts (unit_id bigint, year integer);
SELECT throws_ok($$CREATE TRIGGER reader_capture AFTER INSERT ON reader_facts REFERENCING NEW TABLE AS antq_new
                   FOR EACH STATEMENT EXECUTE FUNCTION antq.capture_facts('unit_id', 'year')$$,
    '42501', 'permission denied for function antq.capture_facts', 'a reader cannot attach the capture to a table of its own');
SELECT throws_ok($$SELECT antq.wake_worker()$$, '42501', 'permission denied for function wake_worker', 'nor wake the worker');
SELECT throws_ok($$SELECT count(*) FROM antq.pending$$, '42501', 'permission denied for table pending', 'nor read the queue');
RESET ROLE;
GRANT EXECUTE ON FUNCTION antq.capture_facts() TO antq_reader;
SET LOCAL ROLE antq_reader;
CREATE TRIGGER reader_capture AFTER INSERT ON reader_facts REFERENCING NEW TABLE AS antq_new
    FOR EACH STATEMENT EXECUTE FUNCTION antq.capture_facts('unit_id', 'year');
SELECT throws_ok($$INSERT INTO reader_facts VALUES (1, 2147483000)$$, '42501', NULL,
    'with EXECUTE granted by mistake, the capture refuses the reader''s table');
RESET ROLE;
CREATE TABLE public.look_alike_unit (unit_id bigint, province_code text, valid_from date, valid_to date);
CREATE TRIGGER look_alike_capture AFTER INSERT ON public.look_alike_unit REFERENCING NEW TABLE AS antq_new
    FOR EACH STATEMENT EXECUTE FUNCTION antq.capture_registry();
SELECT throws_ok($$INSERT INTO public.look_alike_unit VALUES (1, '99', '2000-01-01', NULL)$$, '42501',
    'antq.capture_registry() may not capture changes of table public.look_alike_unit',
    'the registry capture runs on antq.unit only, even on a superuser''s table');

-- The recompute locks (hole 5) are object locks of class antq.pending, one per key and one per
-- year for the nation, that only the extension's code takes: a reader can take none of them
-- (nor a unit code's), and the advisory keys they replace lock nothing of antq's any more.
SET LOCAL ROLE antq_reader;
SELECT throws_ok($$SELECT antq.lock_keys(ARRAY['08'], ARRAY[2024])$$, '42501', 'permission denied for function lock_keys',
    'a reader cannot take the recompute locks');
SELECT throws_ok($$SELECT antq.lock_recompute_key('08', 2024)$$, '42501', 'permission denied for function lock_recompute_key',
    'nor the lock of one key');
SELECT throws_ok($$SELECT antq.lock_unit_code('00691')$$, '42501', 'permission denied for function lock_unit_code',
    'nor the lock of a unit code');
RESET ROLE;
SELECT antq.lock_keys(ARRAY['08', '01', '08'], ARRAY[2024, 2024, 2025]);
SELECT results_eq(
    $$SELECT l.objid::integer, l.objsubid::integer, l.mode, l.granted FROM pg_catalog.pg_locks l
       WHERE l.locktype = 'object' AND l.classid = 'antq.pending'::regclass AND l.pid = pg_backend_pid()
         AND l.objsubid <> 32767 ORDER BY 1, 2$$,
    $$VALUES (2024, 0, 'ExclusiveLock', true), (2024, 101, 'ExclusiveLock', true), (2024, 108, 'ExclusiveLock', true),
             (2025, 0, 'ExclusiveLock', true), (2025, 108, 'ExclusiveLock', true)$$,
    'the recompute locks held: (year, 100 + province) per key, (year, 0) per nation, on class antq.pending');
SELECT ok(EXISTS (SELECT FROM pg_catalog.pg_locks l WHERE l.locktype = 'object' AND l.classid = 'antq.pending'::regclass
                     AND l.objsubid = 32767 AND l.pid = pg_backend_pid()),
          'registering units took their codes'' locks, of the same class');
SELECT is_empty($$SELECT FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid()$$,
    'and no advisory lock: the guessable keys lock nothing of antq''s');

SELECT * FROM finish();
ROLLBACK;
