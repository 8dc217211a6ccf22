/*
 * attainment.c — the SQL type antq.attainment (kết quả đạt tiêu chí).
 *
 * Owns the fmgr wrappers of the type: text and binary I/O (parsing in attainment_io.c),
 * equality and hashing over the packed bytes (valid values have no stray bits), the counts,
 * complete, missing, met_share, criterion_state, and the constructor from boolean[].
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/array.h"

#include "attainment.h"
#include "share.h"

/* A palloc'd attainment holding count criteria with the given packed states. */
static Attainment *
attainment_from_states(const uint8 *states, int count)
{
	Attainment *a = attainment_new(count);

	memcpy(a->states, states, ATT_STATE_BYTES(count));
	return a;
}

PG_FUNCTION_INFO_V1(attainment_in);
/* Convert the text form (one of + - . per criterion) to an attainment. */
Datum
attainment_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	uint8		states[ATT_STATE_BYTES(ATT_MAX_CRITERIA)];
	int			count;
	size_t		bad_pos = 0;
	int			rc;

	rc = attainment_parse(str, strlen(str), states, &count, &bad_pos);
	if (rc == ATT_PARSE_TOO_MANY)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range for type %s: \"%s\"", "antq.attainment", str),
				 errdetail("An attainment has at most %d criteria.", ATT_MAX_CRITERIA),
				 errhint(ATT_ACCEPTED_FORMS)));
	if (rc != ATT_PARSE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "antq.attainment", str),
				 rc == ATT_PARSE_EMPTY ? errdetail("An attainment has at least one criterion.") :
				 errdetail("Unexpected character at byte %d.", (int) bad_pos + 1),
				 errhint(ATT_ACCEPTED_FORMS)));
	PG_RETURN_ATTAINMENT_P(attainment_from_states(states, count));
}

PG_FUNCTION_INFO_V1(attainment_out);
/* Convert an attainment to its text form. */
Datum
attainment_out(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);
	char	   *buf = palloc(a->count + 1);

	attainment_format(a->states, a->count, buf);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(attainment_recv);
/* Convert the binary form (int16 count, packed states) to an attainment, validating it. */
Datum
attainment_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = buf->len - buf->cursor;
	uint8		states[ATT_STATE_BYTES(ATT_MAX_CRITERIA)];
	int			count;
	int			rc;

	rc = attainment_parse_binary((const unsigned char *) buf->data + buf->cursor, len, states, &count);
	if (rc == ATT_PARSE_EMPTY || rc == ATT_PARSE_TOO_MANY)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range for type %s in binary input", "antq.attainment"),
				 errdetail("An attainment has 1 to %d criteria.", ATT_MAX_CRITERIA)));
	if (rc != ATT_PARSE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary value for type %s", "antq.attainment"),
				 errhint("The binary form of antq.attainment is a 2-byte criteria count, then 2 bits per criterion "
						 "(0 not applicable, 1 met, 2 not met), four to a byte from the low bits, unused bits zero.")));
	buf->cursor = buf->len;
	PG_RETURN_ATTAINMENT_P(attainment_from_states(states, count));
}

PG_FUNCTION_INFO_V1(attainment_send);
/* Convert an attainment to its binary form. */
Datum
attainment_send(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);
	StringInfoData buf;
	unsigned char bytes[ATT_BINARY_MAX];
	size_t		len;

	len = attainment_to_binary(a->states, a->count, bytes);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) bytes, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* True when two attainments have the same criteria in the same states. */
static bool
attainment_equal(const Attainment *a, const Attainment *b)
{
	return a->count == b->count && memcmp(a->states, b->states, ATT_STATE_BYTES(a->count)) == 0;
}

PG_FUNCTION_INFO_V1(attainment_eq);
/* a = b: same number of criteria, each in the same state. */
Datum
attainment_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_equal(PG_GETARG_ATTAINMENT_P(0), PG_GETARG_ATTAINMENT_P(1)));
}

PG_FUNCTION_INFO_V1(attainment_ne);
/* a <> b */
Datum
attainment_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!attainment_equal(PG_GETARG_ATTAINMENT_P(0), PG_GETARG_ATTAINMENT_P(1)));
}

PG_FUNCTION_INFO_V1(attainment_hash);
/* 32-bit hash of count and states, for the hash operator class. */
Datum
attainment_hash(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);

	return hash_any((const unsigned char *) &a->count,
					ATTAINMENT_SIZE(a->count) - offsetof(Attainment, count));
}

PG_FUNCTION_INFO_V1(attainment_hash_extended);
/* Seeded 64-bit hash of count and states, for the hash operator class. */
Datum
attainment_hash_extended(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);

	return hash_any_extended((const unsigned char *) &a->count,
							 ATTAINMENT_SIZE(a->count) - offsetof(Attainment, count),
							 PG_GETARG_INT64(1));
}

/* Number of criteria of a in the given state. */
static int
attainment_count_state(const Attainment *a, AttState state)
{
	int			n = 0;
	int			i;

	for (i = 0; i < a->count; i++)
		n += (attainment_get(a, i) == state);
	return n;
}

PG_FUNCTION_INFO_V1(attainment_criteria_count);
/* Number of criteria in the set, applicable or not. */
Datum
attainment_criteria_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_ATTAINMENT_P(0)->count);
}

PG_FUNCTION_INFO_V1(attainment_met_count);
/* Number of criteria met. */
Datum
attainment_met_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(attainment_count_state(PG_GETARG_ATTAINMENT_P(0), ATT_MET));
}

PG_FUNCTION_INFO_V1(attainment_applicable_count);
/* Number of criteria that apply (met or not met). */
Datum
attainment_applicable_count(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_INT32(a->count - attainment_count_state(a, ATT_NA));
}

PG_FUNCTION_INFO_V1(attainment_complete);
/*
 * True when every applicable criterion is met (none not met). Tested a byte at a time: not met
 * (2) is the only state with its high bit set; and a plain value (as antq.evaluate returns) is
 * read without a detoast call, as this runs on every evaluated row.
 */
Datum
attainment_complete(PG_FUNCTION_ARGS)
{
	struct varlena *v = (struct varlena *) PG_GETARG_POINTER(0);
	Attainment *a = VARATT_IS_4B_U(v) ? (Attainment *) v : PG_GETARG_ATTAINMENT_P(0);
	int			i;

	for (i = 0; i < ATT_STATE_BYTES(a->count); i++)
		if (a->states[i] & 0xAA)
			PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}

PG_FUNCTION_INFO_V1(attainment_missing);
/* The 1-based numbers of the criteria not met, in order, as int[] (empty when none). */
Datum
attainment_missing(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);
	Datum		numbers[ATT_MAX_CRITERIA];
	int			n = 0;
	int			i;

	for (i = 0; i < a->count; i++)
	{
		if (attainment_get(a, i) == ATT_NOT_MET)
			numbers[n++] = Int32GetDatum(i + 1);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(numbers, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(attainment_met_share);
/* Criteria met out of criteria applicable, as antq.share. */
Datum
attainment_met_share(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_SHARE_P(share_new(attainment_count_state(a, ATT_MET),
								a->count - attainment_count_state(a, ATT_NA)));
}

PG_FUNCTION_INFO_V1(attainment_criterion_state);
/* State of criterion n (1-based): true met, false not met, NULL not applicable. */
Datum
attainment_criterion_state(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT_P(0);
	int32		n = PG_GETARG_INT32(1);
	AttState	state;

	if (n < 1 || n > a->count)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("criterion %d does not exist in an attainment of %d criteria", n, a->count)));
	state = attainment_get(a, n - 1);
	if (state == ATT_NA)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(state == ATT_MET);
}

PG_FUNCTION_INFO_V1(attainment_from_bool_array);
/* An attainment from boolean[]: true met, false not met, NULL not applicable. */
Datum
attainment_from_bool_array(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *values;
	bool	   *nulls;
	int			n;
	int			i;
	Attainment *a;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("antq.attainment(boolean[]) needs a one-dimensional array")));
	deconstruct_array(arr, BOOLOID, 1, true, TYPALIGN_CHAR, &values, &nulls, &n);
	if (n < 1 || n > ATT_MAX_CRITERIA)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an attainment has 1 to %d criteria, not %d", ATT_MAX_CRITERIA, n)));
	a = attainment_new(n);
	for (i = 0; i < n; i++)
	{
		if (!nulls[i])
			attainment_set(a, i, DatumGetBool(values[i]) ? ATT_MET : ATT_NOT_MET);
	}
	PG_RETURN_ATTAINMENT_P(a);
}
