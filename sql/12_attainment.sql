-- antq.attainment (kết quả đạt tiêu chí): the outcome of one unit against a criteria set of
-- 1 to 128 criteria, each met, not met or not applicable (extension/types/attainment.c).
-- Text form: one character per criterion in order, '+' met (đạt), '-' not met (không đạt),
-- '.' not applicable (không áp dụng), e.g. '++-+.'; blanks around it are ignored; the empty
-- string is rejected (a criteria set has at least one criterion).
-- Stored as a varlena: int16 count, then two bits per criterion (extension/types/attainment.h).
-- Binary input (recv) checks all that text input checks: a message of the wrong length or
-- shape is 22P03 (invalid_binary_representation), a well-formed value out of range 22003.

CREATE TYPE antq.attainment;

CREATE FUNCTION antq.attainment_in(pg_catalog.cstring) RETURNS antq.attainment
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_in';
CREATE FUNCTION antq.attainment_out(antq.attainment) RETURNS pg_catalog.cstring
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_out';
CREATE FUNCTION antq.attainment_recv(pg_catalog.internal) RETURNS antq.attainment
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_recv';
CREATE FUNCTION antq.attainment_send(antq.attainment) RETURNS pg_catalog.bytea
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_send';

CREATE TYPE antq.attainment (
    INPUT = antq.attainment_in,
    OUTPUT = antq.attainment_out,
    RECEIVE = antq.attainment_recv,
    SEND = antq.attainment_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = plain
);

COMMENT ON TYPE antq.attainment IS
  'Criteria attainment (kết quả đạt tiêu chí) of one unit against a criteria set of 1 to 128 criteria. Text: one character per criterion in order, + met (đạt), - not met (không đạt), . not applicable (không áp dụng), e.g. ''++-+.''; round-trips exactly. Equality and hashing, no ordering.';
COMMENT ON FUNCTION antq.attainment_in(pg_catalog.cstring) IS 'Text input of antq.attainment (kết quả đạt tiêu chí): one of + - . per criterion.';
COMMENT ON FUNCTION antq.attainment_out(antq.attainment) IS 'Text output of antq.attainment (kết quả đạt tiêu chí): one of + - . per criterion.';
COMMENT ON FUNCTION antq.attainment_recv(pg_catalog.internal) IS 'Binary input of antq.attainment (kết quả đạt tiêu chí): int16 count, then 2 bits per criterion, validated.';
COMMENT ON FUNCTION antq.attainment_send(antq.attainment) IS 'Binary output of antq.attainment (kết quả đạt tiêu chí): int16 count, then 2 bits per criterion.';

-- Equality and hashing.
CREATE FUNCTION antq.attainment_eq(antq.attainment, antq.attainment) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'attainment_eq';
CREATE FUNCTION antq.attainment_ne(antq.attainment, antq.attainment) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'attainment_ne';
CREATE FUNCTION antq.attainment_hash(antq.attainment) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'attainment_hash';
CREATE FUNCTION antq.attainment_hash_extended(antq.attainment, pg_catalog.int8) RETURNS pg_catalog.int8
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'attainment_hash_extended';
COMMENT ON FUNCTION antq.attainment_eq(antq.attainment, antq.attainment) IS 'Same attainment (cùng kết quả): same criteria, each in the same state; implements =.';
COMMENT ON FUNCTION antq.attainment_ne(antq.attainment, antq.attainment) IS 'Different attainment (khác kết quả); implements <>.';
COMMENT ON FUNCTION antq.attainment_hash(antq.attainment) IS 'Hash of an attainment (băm kết quả) for hash indexes, joins and aggregates.';
COMMENT ON FUNCTION antq.attainment_hash_extended(antq.attainment, pg_catalog.int8) IS 'Seeded 64-bit hash of an attainment (băm kết quả).';

CREATE OPERATOR antq.= (
    LEFTARG = antq.attainment, RIGHTARG = antq.attainment, FUNCTION = antq.attainment_eq,
    COMMUTATOR = OPERATOR(antq.=), NEGATOR = OPERATOR(antq.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR antq.<> (
    LEFTARG = antq.attainment, RIGHTARG = antq.attainment, FUNCTION = antq.attainment_ne,
    COMMUTATOR = OPERATOR(antq.<>), NEGATOR = OPERATOR(antq.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR antq.= (antq.attainment, antq.attainment) IS 'Same attainment (cùng kết quả đạt tiêu chí).';
COMMENT ON OPERATOR antq.<> (antq.attainment, antq.attainment) IS 'Different attainment (khác kết quả đạt tiêu chí).';

CREATE OPERATOR CLASS antq.attainment_hash_ops
    DEFAULT FOR TYPE antq.attainment USING hash AS
        OPERATOR 1 antq.=,
        FUNCTION 1 antq.attainment_hash(antq.attainment),
        FUNCTION 2 antq.attainment_hash_extended(antq.attainment, pg_catalog.int8);
COMMENT ON OPERATOR CLASS antq.attainment_hash_ops USING hash IS 'Hashes attainments (băm kết quả đạt tiêu chí): GROUP BY, DISTINCT, hash joins, hash indexes.';

-- What an attainment says.
CREATE FUNCTION antq.criteria_count(antq.attainment) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_criteria_count';
CREATE FUNCTION antq.met_count(antq.attainment) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_met_count';
CREATE FUNCTION antq.applicable_count(antq.attainment) RETURNS pg_catalog.int4
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_applicable_count';
CREATE FUNCTION antq.complete(antq.attainment) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_complete';
CREATE FUNCTION antq.missing(antq.attainment) RETURNS pg_catalog.int4[]
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_missing';
CREATE FUNCTION antq.met_share(antq.attainment) RETURNS antq.share
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_met_share';
CREATE FUNCTION antq.criterion_state(antq.attainment, pg_catalog.int4) RETURNS pg_catalog.bool
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_criterion_state';
CREATE FUNCTION antq.attainment(pg_catalog.bool[]) RETURNS antq.attainment
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'attainment_from_bool_array';

COMMENT ON FUNCTION antq.criteria_count(antq.attainment) IS 'Number of criteria in the set (số tiêu chí), applicable or not.';
COMMENT ON FUNCTION antq.met_count(antq.attainment) IS 'Number of criteria met (số tiêu chí đạt).';
COMMENT ON FUNCTION antq.applicable_count(antq.attainment) IS 'Number of applicable criteria (số tiêu chí áp dụng): met or not met.';
COMMENT ON FUNCTION antq.complete(antq.attainment) IS 'True when every applicable criterion is met (đạt đủ tiêu chí).';
COMMENT ON FUNCTION antq.missing(antq.attainment) IS 'Numbers (1-based, in order) of the criteria not met (tiêu chí chưa đạt); empty array when none.';
COMMENT ON FUNCTION antq.met_share(antq.attainment) IS 'Criteria met out of applicable (tỷ lệ tiêu chí đạt), e.g. 28/34.';
COMMENT ON FUNCTION antq.criterion_state(antq.attainment, pg_catalog.int4) IS 'State of criterion n, 1-based (trạng thái tiêu chí): true met, false not met, NULL not applicable; 22023 when n is outside the set.';
COMMENT ON FUNCTION antq.attainment(pg_catalog.bool[]) IS 'Attainment (kết quả đạt tiêu chí) from one boolean per criterion: true met, false not met, NULL not applicable; 1 to 128 elements.';
