-- antq.share (tỷ lệ): a count out of a total, text form 139/186, both parts 64-bit, stored as
-- a fixed 16-byte value (extension/types/share.c). Valid shares have 0 <= count <= total; 0/0 means
-- "no units" and has no percentage (percent, the casts and format_vi give NULL or plain 0/0).
-- Ordering is exact by value; 0/0 sorts first and equal values order by the smaller total
-- first (1/2 < 2/4), so '=' means the same count and the same total.
-- Errors: text input 22P02 (22003 when a part exceeds 64 bits); '+' and the aggregates 22003
-- on overflow; antq.share(count, total) 22023 for an invalid pair.
-- Binary input (recv) checks all that text input checks: a message of the wrong length or
-- shape is 22P03 (invalid_binary_representation), a well-formed value out of range 22003.

CREATE TYPE antq.share;

CREATE FUNCTION antq.share_in(pg_catalog.cstring) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_in';
CREATE FUNCTION antq.share_out(antq.share) RETURNS pg_catalog.cstring
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_out';
CREATE FUNCTION antq.share_recv(pg_catalog.internal) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_recv';
CREATE FUNCTION antq.share_send(antq.share) RETURNS pg_catalog.bytea
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_send';

CREATE TYPE antq.share (
    INPUT = antq.share_in,
    OUTPUT = antq.share_out,
    RECEIVE = antq.share_recv,
    SEND = antq.share_send,
    INTERNALLENGTH = 16,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE antq.share IS
  'Share (tỷ lệ): a count out of a total, e.g. 139/186, 0 <= count <= total < 2^63; 0/0 means no units. Roll-ups add counts and totals (+, antq.sum) instead of averaging percentages. Ordered by value, 0/0 first, equal values by the smaller total first (1/2 < 2/4); = means same count and total.';
COMMENT ON FUNCTION antq.share_in(pg_catalog.cstring) IS 'Text input of antq.share (tỷ lệ): count/total.';
COMMENT ON FUNCTION antq.share_out(antq.share) IS 'Text output of antq.share (tỷ lệ): count/total.';
COMMENT ON FUNCTION antq.share_recv(pg_catalog.internal) IS 'Binary input of antq.share (tỷ lệ): count then total, 8-byte integers, validated.';
COMMENT ON FUNCTION antq.share_send(antq.share) IS 'Binary output of antq.share (tỷ lệ): count then total, 8-byte integers.';

-- Construction and parts.
CREATE FUNCTION antq.share(pg_catalog.int8, pg_catalog.int8) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_make';
CREATE FUNCTION antq.numerator(antq.share) RETURNS pg_catalog.int8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_numerator';
CREATE FUNCTION antq.denominator(antq.share) RETURNS pg_catalog.int8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_denominator';
COMMENT ON FUNCTION antq.share(pg_catalog.int8, pg_catalog.int8) IS 'Share (tỷ lệ) count/total from its parts; 22023 unless 0 <= count <= total.';
COMMENT ON FUNCTION antq.numerator(antq.share) IS 'Count of a share (số đạt, tử số).';
COMMENT ON FUNCTION antq.denominator(antq.share) IS 'Total of a share (tổng số, mẫu số).';

-- Comparison.
CREATE FUNCTION antq.share_eq(antq.share, antq.share) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_eq';
CREATE FUNCTION antq.share_ne(antq.share, antq.share) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_ne';
CREATE FUNCTION antq.share_lt(antq.share, antq.share) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_lt';
CREATE FUNCTION antq.share_le(antq.share, antq.share) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_le';
CREATE FUNCTION antq.share_gt(antq.share, antq.share) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_gt';
CREATE FUNCTION antq.share_ge(antq.share, antq.share) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_ge';
CREATE FUNCTION antq.share_cmp(antq.share, antq.share) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_cmp';
CREATE FUNCTION antq.share_hash(antq.share) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_hash';
CREATE FUNCTION antq.share_hash_extended(antq.share, pg_catalog.int8) RETURNS pg_catalog.int8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'share_hash_extended';

COMMENT ON FUNCTION antq.share_eq(antq.share, antq.share) IS 'Same share (cùng tỷ lệ): same count and same total; implements =.';
COMMENT ON FUNCTION antq.share_ne(antq.share, antq.share) IS 'Different share (khác tỷ lệ); implements <>.';
COMMENT ON FUNCTION antq.share_lt(antq.share, antq.share) IS 'Lower share (tỷ lệ thấp hơn); implements <.';
COMMENT ON FUNCTION antq.share_le(antq.share, antq.share) IS 'Lower or same share (tỷ lệ không cao hơn); implements <=.';
COMMENT ON FUNCTION antq.share_gt(antq.share, antq.share) IS 'Higher share (tỷ lệ cao hơn); implements >.';
COMMENT ON FUNCTION antq.share_ge(antq.share, antq.share) IS 'Higher or same share (tỷ lệ không thấp hơn); implements >=.';
COMMENT ON FUNCTION antq.share_cmp(antq.share, antq.share) IS 'Three-way comparison of shares (so sánh tỷ lệ) for btree: exact by value, 0/0 first, ties by smaller total.';
COMMENT ON FUNCTION antq.share_hash(antq.share) IS 'Hash of a share (băm tỷ lệ) for hash indexes, joins and aggregates.';
COMMENT ON FUNCTION antq.share_hash_extended(antq.share, pg_catalog.int8) IS 'Seeded 64-bit hash of a share (băm tỷ lệ).';

CREATE OPERATOR antq.= (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_eq,
    COMMUTATOR = OPERATOR(antq.=), NEGATOR = OPERATOR(antq.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR antq.<> (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_ne,
    COMMUTATOR = OPERATOR(antq.<>), NEGATOR = OPERATOR(antq.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR antq.< (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_lt,
    COMMUTATOR = OPERATOR(antq.>), NEGATOR = OPERATOR(antq.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR antq.<= (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_le,
    COMMUTATOR = OPERATOR(antq.>=), NEGATOR = OPERATOR(antq.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR antq.> (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_gt,
    COMMUTATOR = OPERATOR(antq.<), NEGATOR = OPERATOR(antq.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR antq.>= (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_ge,
    COMMUTATOR = OPERATOR(antq.<=), NEGATOR = OPERATOR(antq.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

COMMENT ON OPERATOR antq.= (antq.share, antq.share) IS 'Same share (cùng tỷ lệ): same count and same total (1/2 = 2/4 is false).';
COMMENT ON OPERATOR antq.<> (antq.share, antq.share) IS 'Different share (khác tỷ lệ).';
COMMENT ON OPERATOR antq.< (antq.share, antq.share) IS 'Lower share (tỷ lệ thấp hơn): by value, 0/0 first, equal values by smaller total.';
COMMENT ON OPERATOR antq.<= (antq.share, antq.share) IS 'Lower or same share (tỷ lệ không cao hơn).';
COMMENT ON OPERATOR antq.> (antq.share, antq.share) IS 'Higher share (tỷ lệ cao hơn).';
COMMENT ON OPERATOR antq.>= (antq.share, antq.share) IS 'Higher or same share (tỷ lệ không thấp hơn).';

CREATE OPERATOR CLASS antq.share_ops
    DEFAULT FOR TYPE antq.share USING btree AS
        OPERATOR 1 antq.<,
        OPERATOR 2 antq.<=,
        OPERATOR 3 antq.=,
        OPERATOR 4 antq.>=,
        OPERATOR 5 antq.>,
        FUNCTION 1 antq.share_cmp(antq.share, antq.share);

CREATE OPERATOR CLASS antq.share_hash_ops
    DEFAULT FOR TYPE antq.share USING hash AS
        OPERATOR 1 antq.=,
        FUNCTION 1 antq.share_hash(antq.share),
        FUNCTION 2 antq.share_hash_extended(antq.share, pg_catalog.int8);

COMMENT ON OPERATOR CLASS antq.share_ops USING btree IS 'Orders shares (thứ tự tỷ lệ) exactly by value, 0/0 first, equal values by smaller total.';
COMMENT ON OPERATOR CLASS antq.share_hash_ops USING hash IS 'Hashes shares (băm tỷ lệ) by count and total.';

-- Arithmetic and aggregates.
CREATE FUNCTION antq.share_add(antq.share, antq.share) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_add';
COMMENT ON FUNCTION antq.share_add(antq.share, antq.share) IS 'Sum of two shares (cộng tỷ lệ): counts added, totals added; 22003 on overflow; implements +.';

CREATE OPERATOR antq.+ (
    LEFTARG = antq.share, RIGHTARG = antq.share, FUNCTION = antq.share_add,
    COMMUTATOR = OPERATOR(antq.+)
);
COMMENT ON OPERATOR antq.+ (antq.share, antq.share) IS 'Sum of two shares (cộng tỷ lệ): 139/186 + 1/14 = 140/200.';

CREATE FUNCTION antq.share_sum_accum(antq.share, antq.share) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_sum_accum';
CREATE FUNCTION antq.share_of_accum(antq.share, pg_catalog.bool) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_of_accum';
COMMENT ON FUNCTION antq.share_sum_accum(antq.share, antq.share) IS 'Transition and combine function of antq.sum(share) and combine function of antq.share_of (cộng dồn tỷ lệ).';
COMMENT ON FUNCTION antq.share_of_accum(antq.share, pg_catalog.bool) IS 'Transition function of antq.share_of (đếm tỷ lệ): adds 1 to the total, and to the count when true.';

CREATE AGGREGATE antq.sum(antq.share) (
    SFUNC = antq.share_sum_accum, STYPE = antq.share,
    COMBINEFUNC = antq.share_sum_accum, PARALLEL = SAFE
);
CREATE AGGREGATE antq.share_of(pg_catalog.bool) (
    SFUNC = antq.share_of_accum, STYPE = antq.share, INITCOND = '0/0',
    COMBINEFUNC = antq.share_sum_accum, PARALLEL = SAFE
);
COMMENT ON AGGREGATE antq.sum(antq.share) IS 'Roll-up of shares (tổng hợp tỷ lệ): sum of counts over sum of totals; NULL over no rows; 22003 on overflow.';
COMMENT ON AGGREGATE antq.share_of(pg_catalog.bool) IS 'Share of rows where the condition holds (tỷ lệ đạt): true rows over non-NULL rows; 0/0 over no rows.';

-- Percentages, casts and the newspaper form.
CREATE FUNCTION antq.percent(antq.share) RETURNS pg_catalog.numeric
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_percent';
CREATE FUNCTION antq.percent(antq.share, pg_catalog.int4) RETURNS pg_catalog.numeric
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_percent_digits';
CREATE FUNCTION antq.share_to_numeric(antq.share) RETURNS pg_catalog.numeric
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_to_numeric';
CREATE FUNCTION antq.share_to_float8(antq.share) RETURNS pg_catalog.float8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_to_float8';
CREATE FUNCTION antq.format_vi(antq.share) RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_format_vi_text';
CREATE FUNCTION antq.format_vi(antq.share, pg_catalog.int4) RETURNS pg_catalog.text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'share_format_vi_text';
COMMENT ON FUNCTION antq.percent(antq.share) IS 'Percentage (phần trăm) 100 × count / total, exact to numeric division precision, trailing zeros trimmed; NULL for 0/0.';
COMMENT ON FUNCTION antq.percent(antq.share, pg_catalog.int4) IS 'Percentage (phần trăm) rounded to the given number of decimals; NULL for 0/0.';
COMMENT ON FUNCTION antq.share_to_numeric(antq.share) IS 'Fraction count / total (giá trị tỷ lệ) as numeric, 0..1; NULL for 0/0; implements the cast.';
COMMENT ON FUNCTION antq.share_to_float8(antq.share) IS 'Fraction count / total (giá trị tỷ lệ) as double precision, 0..1; NULL for 0/0; implements the cast.';
COMMENT ON FUNCTION antq.format_vi(antq.share) IS 'Vietnamese newspaper form (dạng báo chí): 3.321/3.505 (94,75%), dot thousands, comma decimals, at most 2 decimals, rounded half up but never 100% below the whole (19.999/20.000 is 99,99%); 0/0 for no units.';
COMMENT ON FUNCTION antq.format_vi(antq.share, pg_catalog.int4) IS 'Vietnamese newspaper form (dạng báo chí) with at most the given number of decimals, 0 to 4: format_vi(''139/186'', 0) is 139/186 (75%), format_vi(''240/310'', 1) is 240/310 (77,4%); never 100% below the whole.';

CREATE CAST (antq.share AS pg_catalog.numeric) WITH FUNCTION antq.share_to_numeric(antq.share);
CREATE CAST (antq.share AS pg_catalog.float8) WITH FUNCTION antq.share_to_float8(antq.share);
COMMENT ON CAST (antq.share AS pg_catalog.numeric) IS 'Share as a fraction (tỷ lệ thành số thập phân) 0..1; NULL for 0/0.';
COMMENT ON CAST (antq.share AS pg_catalog.float8) IS 'Share as a fraction (tỷ lệ thành số thực) 0..1; NULL for 0/0.';
