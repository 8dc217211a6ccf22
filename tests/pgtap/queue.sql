-- The change queue's reading side: antq.take_pending expands each queued range into
-- (province, year) keys, unions the unit lists of a key (NULL, every unit, wins), keeps '*',
-- takes a batch oldest first together with the rows of the same province lying within it, and
-- leaves the rest; antq.process_pending recomputes what it took; worker_status counts every
-- queued year; the queue has no index; only the worker's side may take.
BEGIN;
SELECT plan(14);

-- The queue to ourselves: rows we insert stay invisible to the worker (this file rolls back).
DELETE FROM antq.pending;

SELECT is((SELECT count(*) FROM pg_catalog.pg_index WHERE indrelid = 'antq.pending'::regclass), 0::bigint,
          'antq.pending has no index: writers append one heap row');

INSERT INTO antq.pending (province_code, first_year, last_year, unit_ids, queued_at) VALUES
  ('01', 2024, 2025, '{3,1}', '2025-01-01 00:00:01+00'),
  ('01', 2024, 2025, '{2,3}', '2025-01-01 00:00:02+00'),
  ('01', 2025, 2026, '{5}',   '2025-01-01 00:00:03+00'),
  ('02', 2024, 2024, NULL,    '2025-01-01 00:00:04+00'),
  ('02', 2024, 2025, '{7}',   '2025-01-01 00:00:05+00'),
  ('*',  2024, 2024, NULL,    '2025-01-01 00:00:06+00');
SELECT results_eq(
  $$SELECT province_code, year, unit_ids::text, oldest FROM antq.take_pending(100) ORDER BY 1, 2$$,
  $$VALUES ('*', 2024, NULL::text, '2025-01-01 00:00:06+00'::timestamptz),
           ('01', 2024, '{1,2,3}', '2025-01-01 00:00:01+00'),
           ('01', 2025, '{1,2,3,5}', '2025-01-01 00:00:01+00'),
           ('01', 2026, '{5}', '2025-01-01 00:00:03+00'),
           ('02', 2024, NULL, '2025-01-01 00:00:04+00'),
           ('02', 2025, '{7}', '2025-01-01 00:00:05+00')$$,
  'one row per key: ranges expanded, unit lists united sorted and distinct, NULL (every unit) wins, * kept, oldest queued_at');
SELECT is((SELECT count(*) FROM antq.pending), 0::bigint, 'what was taken is deleted');

-- A batch of one row takes with it the rows of the same province within its years.
INSERT INTO antq.pending (province_code, first_year, last_year, unit_ids, queued_at) VALUES
  ('01', 2024, 2025, '{1}', '2025-01-01 00:00:01+00'),
  ('02', 2024, 2025, '{2}', '2025-01-01 00:00:02+00'),
  ('01', 2024, 2025, '{3}', '2025-01-01 00:00:03+00'),
  ('01', 2024, 2026, '{4}', '2025-01-01 00:00:04+00'),
  ('01', 2025, 2025, '{5}', '2025-01-01 00:00:05+00');
SELECT results_eq(
  $$SELECT province_code, year, unit_ids::text FROM antq.take_pending(1) ORDER BY 1, 2$$,
  $$VALUES ('01', 2024, '{1,3}'), ('01', 2025, '{1,3,5}')$$,
  'the oldest row, and the rows of its province lying within its years, are taken together');
SELECT results_eq(
  $$SELECT province_code, first_year, last_year, unit_ids::text FROM antq.pending ORDER BY queued_at$$,
  $$VALUES ('02', 2024, 2025, '{2}'), ('01', 2024, 2026, '{4}')$$,
  'another province, and a row reaching past those years, stay queued');
SELECT results_eq(
  $$SELECT province_code, year, unit_ids::text FROM antq.take_pending(1) ORDER BY 1, 2$$,
  $$VALUES ('02', 2024, '{2}'), ('02', 2025, '{2}')$$,
  'the next batch takes the next oldest row');
SELECT results_eq(
  $$SELECT province_code, year, unit_ids::text FROM antq.take_pending(10) ORDER BY 1, 2$$,
  $$VALUES ('01', 2024, '{4}'), ('01', 2025, '{4}'), ('01', 2026, '{4}')$$,
  'then the last one');
SELECT is((SELECT count(*) FROM antq.take_pending(10)), 0::bigint, 'an empty queue gives no keys');

-- antq.worker_status counts every year of every queued row (the worker of this database may
-- still be starting: wait for its slot).
INSERT INTO antq.pending (province_code, first_year, last_year) VALUES ('01', 2024, 2026), ('02', 2020, 2020);
DO $$
BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN EXISTS (SELECT FROM antq.worker_status w WHERE w.database = current_database());
    PERFORM pg_sleep(0.1);
  END LOOP;
END
$$;
SELECT is((SELECT queue_depth FROM antq.worker_status WHERE database = current_database()), 4::bigint,
          'worker_status.queue_depth counts the queued (province, year) keys');

-- antq.process_pending recomputes the keys it takes (whole, for now).
DELETE FROM antq.pending;
INSERT INTO antq.pending (province_code, first_year, last_year, unit_ids, queued_at) VALUES
  ('99', 1999, 2000, '{1}', clock_timestamp() - interval '1 minute'),
  ('99', 1999, 1999, NULL, clock_timestamp());
SELECT results_eq($$SELECT keys, lag_ms >= 60000 FROM antq.process_pending(10)$$, $$VALUES (2, true)$$,
                  'process_pending takes two keys and reports the wait of the oldest row');
SELECT is((SELECT count(*) FROM antq.pending), 0::bigint, 'process_pending emptied the queue');

SELECT throws_ok($$INSERT INTO antq.pending (province_code, first_year, last_year) VALUES ('01', 2025, 2024)$$,
                 '23514', NULL, 'a range must not end before it starts');
SELECT ok(NOT has_function_privilege('antq_writer', 'antq.take_pending(integer)', 'EXECUTE'),
          'a writer cannot take from the queue');
SELECT ok(NOT has_function_privilege('antq_admin', 'antq.take_pending(integer)', 'EXECUTE'),
          'nor can an admin: only the worker''s side (the owner) takes');

SELECT * FROM finish();
ROLLBACK;
