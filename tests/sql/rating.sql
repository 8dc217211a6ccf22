-- antq.rating: spellings, rejections, styles, ordering, hashing, aggregates, casts, binary I/O.
\set VERBOSITY default
-- Operators live in schema antq like every object of the extension; sessions that compare
-- values put antq on their search_path (ALTER DATABASE ... SET search_path can do it for all).
SET search_path = public, antq;
-- Every accepted spelling maps to the level it names (1 = Yếu .. 4 = Xuất sắc).
SELECT s AS spelling, s::antq.rating::int AS level
FROM (VALUES ('Xuất sắc'), ('XUẤT SẮC'), ('xuất sắc'), ('Xuất Sắc'), ('xuat_sac'), ('xuat sac'),
             ('XUAT_SAC'), ('excellent'), ('Excellent'),
             ('Khá'), ('KHÁ'), ('khá'), ('kha'), ('KHA'), ('good'), ('GOOD'),
             ('Trung bình'), ('TRUNG BÌNH'), ('trung bình'), ('Trung Bình'), ('trung_binh'),
             ('trung binh'), ('Trung_Binh'), ('average'), ('Average'),
             ('Yếu'), ('YẾU'), ('yếu'), ('yeu'), ('YEU'), ('weak'), ('Weak'),
             ('  Khá  '), (E'\tyếu\n'), ('  trung   binh '), ('xuất_sắc')) AS t(s);

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/types.psql

-- Rejections: message and hint listing the accepted forms.
SELECT 'xuat'::antq.rating;
SELECT ''::antq.rating;
SELECT 'Khá!'::antq.rating;
-- Every rejection is 22P02: near misses, mixed spellings, other words, full-width letters.
-- Decomposed (NFD) letters are accepted: rating_in retries them in NFC (the "Khá" below).
SELECT s AS input, pg_temp.try(format('SELECT %L::antq.rating', s)) AS result
FROM (VALUES ('xuat'), (''), ('   '), ('_'), ('xuatsac'), ('xuat-sac'), ('Xuat sắc'), ('khaa'),
             ('trungbinh'), ('trung binh binh'), ('good good'), ('4'), ('1'), ('yếu.'),
             ('very good'), ('giỏi'), (E'Kha\u0301'), ('ＫＨÁ'), (repeat('x', 40))) AS t(s);

-- Output in each style of antq.rating_style (vi is the default).
SHOW antq.rating_style;
SELECT array_agg(r ORDER BY r) AS vi FROM (SELECT i::antq.rating AS r FROM generate_series(1, 4) i) t;
SET antq.rating_style = ascii;
SELECT array_agg(r ORDER BY r) AS ascii FROM (SELECT i::antq.rating AS r FROM generate_series(1, 4) i) t;
SET antq.rating_style = en;
SELECT array_agg(r ORDER BY r) AS en FROM (SELECT i::antq.rating AS r FROM generate_series(1, 4) i) t;
SELECT 'Xuất sắc'::antq.rating::text AS en_text, 'kha'::antq.rating AS en_out;
SET antq.rating_style = 'fr';
RESET antq.rating_style;
SELECT 'excellent'::antq.rating AS vi_again;

-- Ordering: Yếu < Trung bình < Khá < Xuất sắc, all six operators.
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge, a > b AS gt
FROM (VALUES ('yeu'::antq.rating, 'trung_binh'::antq.rating), ('kha', 'kha'), ('xuat_sac', 'kha')) AS t(a, b);

CREATE TABLE rated (unit int, r antq.rating);
INSERT INTO rated SELECT i, (1 + (i * 7) % 4)::antq.rating FROM generate_series(1, 20) i;
INSERT INTO rated VALUES (21, NULL);
SELECT r, count(*) FROM rated GROUP BY r ORDER BY r;
SELECT r FROM rated ORDER BY r DESC NULLS LAST LIMIT 3;

-- min and max.
SELECT antq.min(r), antq.max(r) FROM rated;
SELECT antq.min(r), antq.max(r) FROM rated WHERE unit > 100;

-- A btree index is used for range conditions and ORDER BY.
CREATE INDEX rated_r ON rated (r);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT unit FROM rated WHERE r >= 'khá' ORDER BY r;
SELECT count(*) FROM rated WHERE r >= 'khá';
RESET enable_seqscan;

-- Hashing: a hash join, a hash aggregate, DISTINCT and IN.
CREATE TABLE rating_label (r antq.rating, label text);
INSERT INTO rating_label VALUES ('yeu', 'weak'), ('trung_binh', 'average'), ('kha', 'good'), ('xuat_sac', 'excellent');
SET enable_sort = off;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT l.label, count(*) FROM rated d JOIN rating_label l ON d.r = l.r GROUP BY l.label;
SELECT l.label, count(*) FROM rated d JOIN rating_label l ON d.r = l.r GROUP BY l.label ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT r, count(*) FROM rated GROUP BY r;
SELECT r, count(*) FROM rated GROUP BY r ORDER BY r;
EXPLAIN (COSTS OFF) SELECT DISTINCT r FROM rated;
SELECT count(DISTINCT r) FROM rated;
SELECT count(*) FROM rated WHERE r IN ('Xuất sắc', 'yếu');
RESET enable_sort;
RESET enable_mergejoin;
RESET enable_nestloop;
-- The hash functions give the same hash for every spelling of a level, different across levels.
SELECT count(DISTINCT antq.rating_hash(i::antq.rating)) AS distinct_hashes,
       antq.rating_hash('kha') = antq.rating_hash('GOOD') AS same_level_same_hash,
       antq.rating_hash_extended('kha', 0) = antq.rating_hash_extended('Khá', 0) AS extended_too
FROM generate_series(1, 4) i;

-- Casts to and from integer; numbers outside 1..4 are 22003.
SELECT i::antq.rating AS rating, i::antq.rating::int AS back FROM generate_series(1, 4) i;
SELECT 0::antq.rating;
SELECT pg_temp.try('SELECT 5::antq.rating') AS five, pg_temp.try('SELECT (-1)::antq.rating') AS minus_one;
SELECT 'kha'::text::antq.rating AS from_text, 'kha'::antq.rating::text AS to_text;

-- Binary round trip through COPY (FORMAT binary).
\copy rated TO '/tmp/antq_regress_rating.bin' (FORMAT binary)
CREATE TABLE rated_back (LIKE rated);
\copy rated_back FROM '/tmp/antq_regress_rating.bin' (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.r IS NOT DISTINCT FROM b.r) AS same
FROM rated a JOIN rated_back b USING (unit);
SELECT antq.rating_send('Xuất sắc') AS send_excellent, antq.rating_send('yeu') AS send_weak;

-- Binary input is validated like text input: an int4 5 is out of range (22003), an int8 has
-- the wrong length (22P03).
CREATE TABLE raw4 (unit int, r int4);
INSERT INTO raw4 VALUES (1, 5);
\copy raw4 TO '/tmp/antq_regress_rating_bad.bin' (FORMAT binary)
\copy rated_back FROM '/tmp/antq_regress_rating_bad.bin' (FORMAT binary)
SELECT pg_temp.try($$COPY rated_back FROM '/tmp/antq_regress_rating_bad.bin' (FORMAT binary)$$) AS int4_five;
CREATE TABLE raw8 (unit int, r int8);
INSERT INTO raw8 VALUES (1, 3);
\copy raw8 TO '/tmp/antq_regress_rating_bad.bin' (FORMAT binary)
\copy rated_back FROM '/tmp/antq_regress_rating_bad.bin' (FORMAT binary)
SELECT pg_temp.try($$COPY rated_back FROM '/tmp/antq_regress_rating_bad.bin' (FORMAT binary)$$) AS int8_three;
SELECT count(*) AS still_21_rows FROM rated_back;
\! rm -f /tmp/antq_regress_rating.bin /tmp/antq_regress_rating_bad.bin

-- Functions are IMMUTABLE except the GUC-dependent output (STABLE); all are PARALLEL SAFE.
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'antq' AND (p.proname LIKE 'rating%' OR p.oid = ANY (ARRAY['antq.min(antq.rating)'::regprocedure]))
ORDER BY 1;
