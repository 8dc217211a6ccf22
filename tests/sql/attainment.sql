-- antq.attainment: text form (one of + - . per criterion), rejections, functions, the
-- boolean[] constructor, equality and hashing, binary I/O.
\set VERBOSITY default
-- Operators live in schema antq like every object of the extension.
SET search_path = public, antq;

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/types.psql

-- The text form round-trips: '+' met, '-' not met, '.' not applicable; blanks around are dropped.
SELECT s AS input, s::antq.attainment AS attainment, s::antq.attainment::text = btrim(s, E' \t\n') AS round_trip
FROM (VALUES ('++-+.'), ('+'), ('-'), ('.'), ('  +-.  '), (E'\t++++\n'), ('+-+-'), ('+-+-+')) AS t(s);
-- 64 and 128 criteria (the most) round-trip too.
SELECT a::text = s AS round_trip_64, antq.criteria_count(a) AS n, antq.met_count(a) AS met, antq.applicable_count(a) AS applicable
FROM (SELECT repeat('+-.+', 16) AS s) t, LATERAL (SELECT s::antq.attainment AS a) x;
SELECT a::text = s AS round_trip_128, antq.criteria_count(a) AS n, antq.missing(a) = '{}' AS none_missing
FROM (SELECT repeat('+', 127) || '.' AS s) t, LATERAL (SELECT s::antq.attainment AS a) x;

-- Rejections: 22P02 for other characters and the empty string, 22003 beyond 128 criteria.
SELECT '++x+'::antq.attainment;
SELECT ''::antq.attainment;
SELECT repeat('+', 129)::antq.attainment;
SELECT s AS input, pg_temp.try(format('SELECT %L::antq.attainment', s)) AS result
FROM (VALUES ('   '), ('+ +'), ('++,--'), ('1'), ('t'), ('+-.x'), ('✓'), ('+\-'), ('.' || repeat('-', 128))) AS t(s);

-- What an attainment says.
SELECT a, antq.criteria_count(a) AS n, antq.met_count(a) AS met, antq.applicable_count(a) AS applicable,
       antq.complete(a) AS complete, antq.missing(a) AS missing, antq.met_share(a) AS met_share
FROM (VALUES ('++-+.'::antq.attainment), ('+++'), ('...'), ('---'), ('+.+.-'),
             ((repeat('+', 28) || repeat('-', 6) || repeat('.', 30))::antq.attainment)) AS t(a);
SELECT n, antq.criterion_state('+-.'::antq.attainment, n) AS state FROM generate_series(1, 3) n;
SELECT antq.criterion_state('+-.'::antq.attainment, 4);
SELECT pg_temp.try('SELECT antq.criterion_state(''+-.''::antq.attainment, 0)') AS zero;

-- The constructor from boolean[]: true met, false not met, NULL not applicable.
SELECT antq.attainment(ARRAY[true, true, false, true, NULL]) AS built,
       antq.attainment(ARRAY[true, true, false, true, NULL]) = '++-+.' AS same_as_text;
SELECT antq.attainment(array_agg(i % 3 = 0 OR NULL ORDER BY i)) AS from_agg FROM generate_series(1, 10) i;
SELECT antq.attainment('{}'::boolean[]);
SELECT pg_temp.try('SELECT antq.attainment(array_fill(true, ARRAY[129]))') AS too_many,
       pg_temp.try('SELECT antq.attainment(''{{true},{false}}''::boolean[])') AS two_dims;

-- Equality: same criteria in the same states; a different length is different.
SELECT a, b, a = b AS eq, a <> b AS ne
FROM (VALUES ('++-'::antq.attainment, '++-'::antq.attainment), ('++-', '++.'), ('++-', '++-+'), ('+', ' + ')) AS t(a, b);

-- Hashing: a hash join, a hash aggregate and DISTINCT.
CREATE TABLE att_results (unit int, a antq.attainment);
INSERT INTO att_results SELECT i, antq.attainment(ARRAY[i % 2 = 0, i % 3 = 0, CASE WHEN i % 5 = 0 THEN NULL ELSE true END])
FROM generate_series(1, 30) i;
CREATE TABLE att_outcome (a antq.attainment, label text);
INSERT INTO att_outcome VALUES ('+++', 'all met'), ('---', 'none met'), ('++.', 'met, third n/a');
SET enable_sort = off;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT o.label, count(*) FROM att_results r JOIN att_outcome o ON r.a = o.a GROUP BY o.label;
SELECT o.label, count(*) FROM att_results r JOIN att_outcome o ON r.a = o.a GROUP BY o.label ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM att_results GROUP BY a;
SELECT a::text, count(*) FROM att_results GROUP BY a ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT DISTINCT a FROM att_results;
SELECT count(*) AS distinct_attainments FROM (SELECT DISTINCT a FROM att_results) d;
RESET enable_sort;
RESET enable_mergejoin;
RESET enable_nestloop;
-- A hash index works too.
CREATE INDEX att_results_a ON att_results USING hash (a);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT unit FROM att_results WHERE a = '+++';
SELECT unit FROM att_results WHERE a = '+++' ORDER BY unit;
RESET enable_seqscan;

-- Binary round trip through COPY (FORMAT binary), and what the binary form is.
INSERT INTO att_results VALUES (100, repeat('+-.', 42)::antq.attainment), (101, NULL);
\copy att_results TO '/tmp/antq_regress_attainment.bin' (FORMAT binary)
CREATE TABLE att_results_back (LIKE att_results);
\copy att_results_back FROM '/tmp/antq_regress_attainment.bin' (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.a IS NOT DISTINCT FROM b.a) AS same
FROM att_results a JOIN att_results_back b USING (unit);
SELECT antq.attainment_send('++-+.') AS send;
-- Binary input is validated: unused bits, the state 3, a count outside 1..128, wrong lengths.
CREATE TABLE att_bad_files (name text, content bytea);
INSERT INTO att_bad_files VALUES
    ('valid ++-+.', pg_temp.copy_file('\x00056500'::bytea)),
    ('bits after the last criterion', pg_temp.copy_file('\x00056504'::bytea)),
    ('state 3', pg_temp.copy_file('\x00056503'::bytea)),
    ('count 0', pg_temp.copy_file('\x0000'::bytea)),
    ('count 129', pg_temp.copy_file('\x0081'::bytea || decode(repeat('55', 33), 'hex'))),
    ('count -1', pg_temp.copy_file('\xffff00'::bytea)),
    ('missing state byte', pg_temp.copy_file('\x000565'::bytea)),
    ('extra byte', pg_temp.copy_file('\x0005650000'::bytea)),
    ('one byte', pg_temp.copy_file('\x00'::bytea));
SELECT name, pg_temp.load_file(content, '/tmp/antq_regress_attainment_bad.bin', 'att_results_back') AS result
FROM att_bad_files;
SELECT unit, a FROM att_results_back WHERE unit = 1;
\! rm -f /tmp/antq_regress_attainment.bin /tmp/antq_regress_attainment_bad.bin

-- Every function is IMMUTABLE STRICT PARALLEL SAFE.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'antq'
WHERE p.oid::regprocedure::text ~ 'attainment'
ORDER BY 1::text;
