-- antq.share: text forms, rejections, ordering, hashing, '+', aggregates (serial and
-- parallel), percentages, casts, the Vietnamese newspaper form and binary I/O.
\set VERBOSITY default
-- Operators live in schema antq like every object of the extension.
SET search_path = public, antq;

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/types.psql

-- Accepted text forms: count/total, blanks around the numbers ignored; output is canonical.
SELECT s AS input, s::antq.share AS share, antq.numerator(s::antq.share) AS count,
       antq.denominator(s::antq.share) AS total
FROM (VALUES ('139/186'), ('0/0'), ('0/5'), ('5/5'), (' 28 / 34 '), (E'\t1/2\n'), ('007/010'),
             ('9223372036854775807/9223372036854775807')) AS t(s);

-- Rejections: 22P02 with the accepted form in the hint; 22003 when a part exceeds 64 bits.
SELECT '187/186'::antq.share;
SELECT '-1/5'::antq.share;
SELECT '1/2/3'::antq.share;
SELECT '9223372036854775808/9223372036854775808'::antq.share;
SELECT s AS input, pg_temp.try(format('SELECT %L::antq.share', s)) AS result
FROM (VALUES (''), ('  '), ('1'), ('/'), ('1/'), ('/2'), ('1//2'), ('1/2x'), ('x1/2'), ('1.5/2'),
             ('1,000/2,000'), ('+1/2'), ('1 2/3'), ('1/-2'), ('-0/0'), ('0x10/0x20'), ('½'),
             ('3/2'), ('1/0'), ('99999999999999999999/1'), ('1/99999999999999999999')) AS t(s);

-- antq.share(count, total) checks its parts: 22023.
SELECT antq.share(28, 34) AS built;
SELECT antq.share(35, 34);
SELECT pg_temp.try('SELECT antq.share(-1, 2)') AS negative;

-- Ordering is exact by value; 0/0 first; equal values by the smaller total first, so
-- 1/2 < 2/4 and '=' means same count and total.
CREATE TABLE shares (id int, s antq.share);
INSERT INTO shares VALUES (1, '1/2'), (2, '2/4'), (3, '0/0'), (4, '0/7'), (5, '0/1'), (6, '1/1'),
    (7, '7/7'), (8, '1/3'), (9, '3074457345618258602/9223372036854775806'), (10, '9223372036854775806/9223372036854775807'),
    (11, '9223372036854775805/9223372036854775806'), (12, '2/3'), (13, '1/2'), (14, NULL);
SELECT id, s FROM shares ORDER BY s, id;
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge, a > b AS gt
FROM (VALUES ('1/2'::antq.share, '2/4'::antq.share), ('2/4', '1/2'), ('1/2', '1/2'), ('0/0', '0/1'),
             ('1/3', '3074457345618258602/9223372036854775806'),
             ('9223372036854775805/9223372036854775806', '9223372036854775806/9223372036854775807')) AS t(a, b);
-- A btree index orders and searches the same way.
CREATE INDEX shares_s ON shares (s);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM shares WHERE s >= '1/2' ORDER BY s;
SELECT id, s FROM shares WHERE s >= '1/2' ORDER BY s, id;
RESET enable_seqscan;

-- Hashing: a hash join and a hash aggregate (GROUP BY) keep 1/2 and 2/4 apart.
SET enable_sort = off;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT a.id, b.id FROM shares a JOIN shares b ON a.s = b.s WHERE a.id < b.id;
SELECT a.id, b.id FROM shares a JOIN shares b ON a.s = b.s WHERE a.id < b.id ORDER BY 1, 2;
EXPLAIN (COSTS OFF) SELECT s, count(*) FROM shares GROUP BY s;
SELECT s, count(*) FROM shares GROUP BY s ORDER BY s;
RESET enable_sort;
RESET enable_mergejoin;
RESET enable_nestloop;

-- '+' adds counts and totals; overflow is 22003.
SELECT '139/186'::antq.share + '1/14'::antq.share AS sum, '0/0'::antq.share + '3/4' AS with_empty;
SELECT '9223372036854775807/9223372036854775807'::antq.share + '0/1'::antq.share;

-- Aggregates: antq.sum over no rows is NULL, antq.share_of over no rows 0/0; NULLs are skipped.
SELECT antq.sum(s) AS sum_all, antq.sum(s) FILTER (WHERE id > 100) AS sum_none FROM shares;
SELECT antq.share_of(b) AS of_values, antq.share_of(b) FILTER (WHERE false) AS of_none
FROM (VALUES (true), (false), (NULL), (true)) AS t(b);
SELECT antq.sum(s) FROM (VALUES ('9223372036854775807/9223372036854775807'::antq.share), ('1/1')) AS t(s);
-- As window aggregates: running totals.
SELECT id, s, antq.sum(s) OVER (ORDER BY id) AS running, antq.share_of(id % 2 = 0) OVER (ORDER BY id) AS even_so_far
FROM shares WHERE id <= 5 ORDER BY id;

-- Percentages: numeric, exact; rounded with digits; NULL for 0/0.
SELECT s, antq.percent(s) AS percent, antq.percent(s, 2) AS two, antq.percent(s, 0) AS zero
FROM (VALUES ('139/186'::antq.share), ('3321/3505'), ('1/3'), ('1/2'), ('5/5'), ('0/5'), ('0/0')) AS t(s);
-- Casts to numeric and float8: the fraction 0..1; NULL for 0/0.
SELECT s, s::numeric AS as_numeric, s::float8 AS as_float8
FROM (VALUES ('1/2'::antq.share), ('1/3'), ('5/5'), ('0/5'), ('0/0')) AS t(s);

-- The newspaper form: dot thousands, comma decimals, two decimals at most, trailing zeros dropped.
SELECT s, antq.format_vi(s) AS vi
FROM (VALUES ('1482/1482'::antq.share), ('3321/3505'), ('139/186'), ('0/0'), ('0/1234567'), ('1/2'),
             ('1/200'), ('1/3'), ('2/3'), ('99999/100000'), ('999/1000'), ('1234567/7654321'),
             ('9223372036854775807/9223372036854775807'), ('19999/20000'), ('1/100000'),
             ('9223372036854775806/9223372036854775807')) AS t(s);

-- With the number of decimals asked for (articles print "139/186 (75%)", "240/310 (77,4%)"):
-- rounded half up, trailing zeros dropped, but never 100% below the whole.
SELECT s, d, antq.format_vi(s, d) AS vi
FROM (VALUES ('139/186'::antq.share), ('240/310'), ('19999/20000'), ('1/3'), ('2/3'), ('1/2'),
             ('1/100000'), ('0/5'), ('5/5'), ('0/0'), ('1/8')) AS t(s),
     generate_series(0, 4) AS d
ORDER BY s, d;
-- Decimals outside 0..4 are refused, naming the count asked for.
SELECT antq.format_vi('1/3', 5);
SELECT antq.format_vi('1/3', -1);

-- Binary round trip through COPY (FORMAT binary), and what the binary form is.
\copy shares TO '/tmp/antq_regress_share.bin' (FORMAT binary)
CREATE TABLE shares_back (LIKE shares);
\copy shares_back FROM '/tmp/antq_regress_share.bin' (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.s IS NOT DISTINCT FROM b.s) AS same
FROM shares a JOIN shares_back b USING (id);
SELECT antq.share_send('139/186') AS send;
-- Binary input is validated like text input: count > total and negatives are out of range
-- (22003); a wrong length is 22P03.
CREATE TABLE share_bad_files (name text, content bytea);
INSERT INTO share_bad_files VALUES
    ('count over total', pg_temp.copy_file(int8send(5) || int8send(3))),
    ('negative count', pg_temp.copy_file(int8send(-1) || int8send(3))),
    ('negative total', pg_temp.copy_file(int8send(0) || int8send(-3))),
    ('short', pg_temp.copy_file(int8send(1))),
    ('long', pg_temp.copy_file(int8send(1) || int8send(2) || '\x00'::bytea)),
    ('valid 1/2', pg_temp.copy_file(int8send(1) || int8send(2)));
SELECT name, pg_temp.load_file(content, '/tmp/antq_regress_share_bad.bin', 'shares_back') AS result
FROM share_bad_files;
SELECT id, s FROM shares_back WHERE id = 1 ORDER BY s;
\! rm -f /tmp/antq_regress_share.bin /tmp/antq_regress_share_bad.bin

-- Every function is IMMUTABLE STRICT PARALLEL SAFE; the aggregates are PARALLEL SAFE with combine functions.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'antq'
WHERE p.oid::regprocedure::text ~ 'share' AND p.prokind = 'f'
ORDER BY 1::text;
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggcombinefn, p.proparallel
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE a.aggfnoid IN ('antq.sum(antq.share)'::regprocedure, 'antq.share_of(boolean)'::regprocedure);

-- Parallel aggregation gives the same result as serial, on 2M rows.
CREATE TABLE share_big AS SELECT i, antq.share(i % 7, 6 + i % 5) AS s, (i % 3 = 0) OR NULLIF(i % 11, 0) IS NULL AS b
FROM generate_series(1, 2000000) i;
UPDATE share_big SET b = NULL WHERE i % 13 = 0;
ANALYZE share_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT antq.sum(s) AS sum, antq.share_of(b) AS share_of FROM share_big;
SELECT * FROM serial;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT antq.sum(s), antq.share_of(b) FROM share_big;
SELECT p.sum, p.share_of, p.sum = s.sum AND p.share_of = s.share_of AS same_as_serial
FROM (SELECT antq.sum(s) AS sum, antq.share_of(b) AS share_of FROM share_big) p, serial s;
-- Cross-check against built-in counting.
SELECT antq.share(sum(antq.numerator(s))::bigint, sum(antq.denominator(s))::bigint) AS by_sums,
       antq.share(count(*) FILTER (WHERE b), count(b)) AS by_counts FROM share_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
