-- antq.rating (xếp loại phong trào): the four classification levels, ordered
-- Yếu < Trung bình < Khá < Xuất sắc, stored as the level number 1..4 (extension/types/rating.c).
-- Input accepts every spelling whatever the session's style; output follows antq.rating_style,
-- which is why rating_out is STABLE (PostgreSQL allows STABLE type output functions; it only
-- warns about VOLATILE ones) while every other function here is IMMUTABLE.
-- Binary input (recv) checks all that text input checks: a message of the wrong length or
-- shape is 22P03 (invalid_binary_representation), a well-formed value out of range 22003.

CREATE TYPE antq.rating;

CREATE FUNCTION antq.rating_in(pg_catalog.cstring) RETURNS antq.rating
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_in';
CREATE FUNCTION antq.rating_out(antq.rating) RETURNS pg_catalog.cstring
    LANGUAGE C STABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_out';
CREATE FUNCTION antq.rating_recv(pg_catalog.internal) RETURNS antq.rating
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_recv';
CREATE FUNCTION antq.rating_send(antq.rating) RETURNS pg_catalog.bytea
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_send';

CREATE TYPE antq.rating (
    INPUT = antq.rating_in,
    OUTPUT = antq.rating_out,
    RECEIVE = antq.rating_recv,
    SEND = antq.rating_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain
);

COMMENT ON TYPE antq.rating IS
  'Movement classification (xếp loại phong trào): Yếu < Trung bình < Khá < Xuất sắc (weak < average < good < excellent). Input: Vietnamese with diacritics in any case, xuat_sac/kha/trung_binh/yeu (or with spaces), excellent/good/average/weak; output per antq.rating_style (vi, ascii, en). Casts to and from integer 1..4.';
COMMENT ON FUNCTION antq.rating_in(pg_catalog.cstring) IS 'Text input of antq.rating (xếp loại): any accepted spelling.';
COMMENT ON FUNCTION antq.rating_out(antq.rating) IS 'Text output of antq.rating (xếp loại) in the style of antq.rating_style; STABLE because it reads that setting.';
COMMENT ON FUNCTION antq.rating_recv(pg_catalog.internal) IS 'Binary input of antq.rating (xếp loại): a 4-byte integer 1..4, validated.';
COMMENT ON FUNCTION antq.rating_send(antq.rating) IS 'Binary output of antq.rating (xếp loại): a 4-byte integer 1..4.';

-- Comparison.
CREATE FUNCTION antq.rating_eq(antq.rating, antq.rating) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_eq';
CREATE FUNCTION antq.rating_ne(antq.rating, antq.rating) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_ne';
CREATE FUNCTION antq.rating_lt(antq.rating, antq.rating) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_lt';
CREATE FUNCTION antq.rating_le(antq.rating, antq.rating) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_le';
CREATE FUNCTION antq.rating_gt(antq.rating, antq.rating) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_gt';
CREATE FUNCTION antq.rating_ge(antq.rating, antq.rating) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_ge';
CREATE FUNCTION antq.rating_cmp(antq.rating, antq.rating) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_cmp';
CREATE FUNCTION antq.rating_hash(antq.rating) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_hash';
CREATE FUNCTION antq.rating_hash_extended(antq.rating, pg_catalog.int8) RETURNS pg_catalog.int8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_hash_extended';

COMMENT ON FUNCTION antq.rating_eq(antq.rating, antq.rating) IS 'Same classification (cùng xếp loại); implements =.';
COMMENT ON FUNCTION antq.rating_ne(antq.rating, antq.rating) IS 'Different classification (khác xếp loại); implements <>.';
COMMENT ON FUNCTION antq.rating_lt(antq.rating, antq.rating) IS 'Lower classification (xếp loại thấp hơn); implements <.';
COMMENT ON FUNCTION antq.rating_le(antq.rating, antq.rating) IS 'Lower or same classification (xếp loại không cao hơn); implements <=.';
COMMENT ON FUNCTION antq.rating_gt(antq.rating, antq.rating) IS 'Higher classification (xếp loại cao hơn); implements >.';
COMMENT ON FUNCTION antq.rating_ge(antq.rating, antq.rating) IS 'Higher or same classification (xếp loại không thấp hơn); implements >=.';
COMMENT ON FUNCTION antq.rating_cmp(antq.rating, antq.rating) IS 'Three-way comparison of classifications (so sánh xếp loại) for btree.';
COMMENT ON FUNCTION antq.rating_hash(antq.rating) IS 'Hash of a classification (băm xếp loại) for hash indexes, joins and aggregates.';
COMMENT ON FUNCTION antq.rating_hash_extended(antq.rating, pg_catalog.int8) IS 'Seeded 64-bit hash of a classification (băm xếp loại).';

CREATE OPERATOR antq.= (
    LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = antq.rating_eq,
    COMMUTATOR = OPERATOR(antq.=), NEGATOR = OPERATOR(antq.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR antq.<> (
    LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = antq.rating_ne,
    COMMUTATOR = OPERATOR(antq.<>), NEGATOR = OPERATOR(antq.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR antq.< (
    LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = antq.rating_lt,
    COMMUTATOR = OPERATOR(antq.>), NEGATOR = OPERATOR(antq.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR antq.<= (
    LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = antq.rating_le,
    COMMUTATOR = OPERATOR(antq.>=), NEGATOR = OPERATOR(antq.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR antq.> (
    LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = antq.rating_gt,
    COMMUTATOR = OPERATOR(antq.<), NEGATOR = OPERATOR(antq.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR antq.>= (
    LEFTARG = antq.rating, RIGHTARG = antq.rating, FUNCTION = antq.rating_ge,
    COMMUTATOR = OPERATOR(antq.<=), NEGATOR = OPERATOR(antq.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

COMMENT ON OPERATOR antq.= (antq.rating, antq.rating) IS 'Same classification (cùng xếp loại).';
COMMENT ON OPERATOR antq.<> (antq.rating, antq.rating) IS 'Different classification (khác xếp loại).';
COMMENT ON OPERATOR antq.< (antq.rating, antq.rating) IS 'Lower classification (xếp loại thấp hơn): Yếu < Trung bình < Khá < Xuất sắc.';
COMMENT ON OPERATOR antq.<= (antq.rating, antq.rating) IS 'Lower or same classification (xếp loại không cao hơn).';
COMMENT ON OPERATOR antq.> (antq.rating, antq.rating) IS 'Higher classification (xếp loại cao hơn).';
COMMENT ON OPERATOR antq.>= (antq.rating, antq.rating) IS 'Higher or same classification (xếp loại không thấp hơn).';

CREATE OPERATOR CLASS antq.rating_ops
    DEFAULT FOR TYPE antq.rating USING btree AS
        OPERATOR 1 antq.<,
        OPERATOR 2 antq.<=,
        OPERATOR 3 antq.=,
        OPERATOR 4 antq.>=,
        OPERATOR 5 antq.>,
        FUNCTION 1 antq.rating_cmp(antq.rating, antq.rating);

CREATE OPERATOR CLASS antq.rating_hash_ops
    DEFAULT FOR TYPE antq.rating USING hash AS
        OPERATOR 1 antq.=,
        FUNCTION 1 antq.rating_hash(antq.rating),
        FUNCTION 2 antq.rating_hash_extended(antq.rating, pg_catalog.int8);

COMMENT ON OPERATOR CLASS antq.rating_ops USING btree IS 'Orders classifications (thứ tự xếp loại) Yếu < Trung bình < Khá < Xuất sắc: indexes, ORDER BY, merge joins.';
COMMENT ON OPERATOR CLASS antq.rating_hash_ops USING hash IS 'Hashes classifications (băm xếp loại): hash indexes, hash joins, hash aggregates, IN lists.';

-- min and max.
CREATE FUNCTION antq.rating_smaller(antq.rating, antq.rating) RETURNS antq.rating
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_smaller';
CREATE FUNCTION antq.rating_larger(antq.rating, antq.rating) RETURNS antq.rating
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_larger';
COMMENT ON FUNCTION antq.rating_smaller(antq.rating, antq.rating) IS 'The lower of two classifications (xếp loại thấp hơn); transition of min.';
COMMENT ON FUNCTION antq.rating_larger(antq.rating, antq.rating) IS 'The higher of two classifications (xếp loại cao hơn); transition of max.';

CREATE AGGREGATE antq.min(antq.rating) (
    SFUNC = antq.rating_smaller, STYPE = antq.rating,
    COMBINEFUNC = antq.rating_smaller, SORTOP = OPERATOR(antq.<), PARALLEL = SAFE
);
CREATE AGGREGATE antq.max(antq.rating) (
    SFUNC = antq.rating_larger, STYPE = antq.rating,
    COMBINEFUNC = antq.rating_larger, SORTOP = OPERATOR(antq.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE antq.min(antq.rating) IS 'Lowest classification (xếp loại thấp nhất) among the rows.';
COMMENT ON AGGREGATE antq.max(antq.rating) IS 'Highest classification (xếp loại cao nhất) among the rows.';

-- Casts.
CREATE FUNCTION antq.rating_to_int(antq.rating) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'rating_to_int';
CREATE FUNCTION antq.rating_from_int(pg_catalog.int4) RETURNS antq.rating
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'rating_from_int';
COMMENT ON FUNCTION antq.rating_to_int(antq.rating) IS 'Level number of a classification (bậc xếp loại): 1 Yếu, 2 Trung bình, 3 Khá, 4 Xuất sắc.';
COMMENT ON FUNCTION antq.rating_from_int(pg_catalog.int4) IS 'Classification (xếp loại) with level number 1..4; other numbers raise 22003.';

CREATE CAST (antq.rating AS pg_catalog.int4) WITH FUNCTION antq.rating_to_int(antq.rating);
CREATE CAST (pg_catalog.int4 AS antq.rating) WITH FUNCTION antq.rating_from_int(pg_catalog.int4);
CREATE CAST (antq.rating AS pg_catalog.text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (pg_catalog.text AS antq.rating) WITH INOUT;
COMMENT ON CAST (antq.rating AS pg_catalog.int4) IS 'Classification to level number (xếp loại thành bậc) 1..4.';
COMMENT ON CAST (pg_catalog.int4 AS antq.rating) IS 'Level number 1..4 to classification (bậc thành xếp loại); others raise 22003.';
COMMENT ON CAST (antq.rating AS pg_catalog.text) IS 'Classification as text (xếp loại dạng chữ) in the style of antq.rating_style.';
COMMENT ON CAST (pg_catalog.text AS antq.rating) IS 'Text to classification (chữ thành xếp loại): any accepted spelling.';

-- The four levels with labels that do not depend on antq.rating_style, for views a BI tool
-- groups and sorts by (a label that changes with a session setting changes their results).
CREATE FUNCTION antq.rating_levels()
RETURNS TABLE (level integer, code text, label_vi text, label_en text) LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES (1, 'yeu', 'Yếu', 'Weak'), (2, 'trung_binh', 'Trung bình', 'Average'),
         (3, 'kha', 'Khá', 'Good'), (4, 'xuat_sac', 'Xuất sắc', 'Excellent')
$$;
COMMENT ON FUNCTION antq.rating_levels() IS
  'The classification levels (các mức xếp loại): level 1..4, ASCII code, Vietnamese and English labels, fixed whatever antq.rating_style is.';
