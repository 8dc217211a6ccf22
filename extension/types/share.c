/*
 * share.c — the SQL type antq.share (tỷ lệ): a count out of a total.
 *
 * Owns the fmgr wrappers of the type: text and binary I/O (parsing in share_io.c), the
 * comparison and hash support behind the btree and hash operator classes, '+', the
 * transition functions of antq.sum(share) and antq.share_of(boolean), percentages, the
 * casts to numeric and float8, and the Vietnamese newspaper form.
 *
 * Ordering is by value, exactly (128-bit cross-multiplication); 0/0 comes first and equal
 * values order by the smaller total first (1/2 < 2/4), so '=' means the same count and total.
 * Arithmetic that would leave 64 bits raises 22003; an invalid share built from parts 22023.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "share.h"

static void share_reject_text(int rc, const char *str) pg_attribute_noreturn();

/* Raise the error of a rejected text form of str, from a share_parse result code. */
static void
share_reject_text(int rc, const char *str)
{
	if (rc == SHARE_PARSE_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range for type %s: \"%s\"", "antq.share", str),
				 errhint(SHARE_ACCEPTED_FORMS)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "antq.share", str),
			 rc == SHARE_PARSE_NEGATIVE ? errdetail("Count and total cannot be negative.") :
			 rc == SHARE_PARSE_OVER ? errdetail("The count is greater than the total.") : 0,
			 errhint(SHARE_ACCEPTED_FORMS)));
}

PG_FUNCTION_INFO_V1(share_in);
/* Convert the text form count/total to a share. */
Datum
share_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64_t		num;
	int64_t		den;
	int			rc;

	rc = share_parse(str, strlen(str), &num, &den);
	if (rc != SHARE_PARSE_OK)
		share_reject_text(rc, str);
	PG_RETURN_SHARE_P(share_new(num, den));
}

PG_FUNCTION_INFO_V1(share_out);
/* Convert a share to its text form count/total. */
Datum
share_out(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);

	PG_RETURN_CSTRING(psprintf(INT64_FORMAT "/" INT64_FORMAT, s->num, s->den));
}

PG_FUNCTION_INFO_V1(share_recv);
/* Convert the binary form (two 8-byte integers) to a share, validating it. */
Datum
share_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = buf->len - buf->cursor;
	int64_t		num;
	int64_t		den;
	int			rc;

	rc = share_parse_binary((const unsigned char *) buf->data + buf->cursor, len, &num, &den);
	if (rc == SHARE_PARSE_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary value for type %s: %zu bytes, expected %d",
						"antq.share", len, SHARE_BINARY_LEN),
				 errhint("The binary form of antq.share is the count then the total, each an 8-byte integer.")));
	if (rc != SHARE_PARSE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range for type %s in binary input", "antq.share"),
				 errhint("A share needs 0 <= count <= total.")));
	buf->cursor = buf->len;
	PG_RETURN_SHARE_P(share_new(num, den));
}

PG_FUNCTION_INFO_V1(share_send);
/* Convert a share to its binary form. */
Datum
share_send(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);
	StringInfoData buf;
	unsigned char bytes[SHARE_BINARY_LEN];

	share_to_binary(s->num, s->den, bytes);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) bytes, SHARE_BINARY_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(share_make);
/* The share count/total from its parts (antq.share(bigint, bigint)). */
Datum
share_make(PG_FUNCTION_ARGS)
{
	PG_RETURN_SHARE_P(share_new(PG_GETARG_INT64(0), PG_GETARG_INT64(1)));
}

PG_FUNCTION_INFO_V1(share_numerator);
/* The count of a share. */
Datum
share_numerator(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_SHARE_P(0)->num);
}

PG_FUNCTION_INFO_V1(share_denominator);
/* The total of a share. */
Datum
share_denominator(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_SHARE_P(0)->den);
}

/* Three-way comparison of the shares in arguments 0 and 1. */
static int
share_cmp_args(FunctionCallInfo fcinfo)
{
	Share	   *a = PG_GETARG_SHARE_P(0);
	Share	   *b = PG_GETARG_SHARE_P(1);

	return share_compare(a->num, a->den, b->num, b->den);
}

PG_FUNCTION_INFO_V1(share_cmp);
/* Three-way comparison for the btree operator class. */
Datum
share_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(share_cmp_args(fcinfo));
}

PG_FUNCTION_INFO_V1(share_eq);
/* a = b: same count and same total. */
Datum
share_eq(PG_FUNCTION_ARGS)
{
	Share	   *a = PG_GETARG_SHARE_P(0);
	Share	   *b = PG_GETARG_SHARE_P(1);

	PG_RETURN_BOOL(a->num == b->num && a->den == b->den);
}

PG_FUNCTION_INFO_V1(share_ne);
/* a <> b */
Datum
share_ne(PG_FUNCTION_ARGS)
{
	Share	   *a = PG_GETARG_SHARE_P(0);
	Share	   *b = PG_GETARG_SHARE_P(1);

	PG_RETURN_BOOL(a->num != b->num || a->den != b->den);
}

PG_FUNCTION_INFO_V1(share_lt);
/* a < b */
Datum
share_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(share_cmp_args(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(share_le);
/* a <= b */
Datum
share_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(share_cmp_args(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(share_gt);
/* a > b */
Datum
share_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(share_cmp_args(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(share_ge);
/* a >= b */
Datum
share_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(share_cmp_args(fcinfo) >= 0);
}

PG_FUNCTION_INFO_V1(share_hash);
/* 32-bit hash of count and total, for the hash operator class. */
Datum
share_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) PG_GETARG_SHARE_P(0), sizeof(Share));
}

PG_FUNCTION_INFO_V1(share_hash_extended);
/* Seeded 64-bit hash of count and total, for the hash operator class. */
Datum
share_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended((const unsigned char *) PG_GETARG_SHARE_P(0), sizeof(Share),
							 PG_GETARG_INT64(1));
}

/* Add b's count and total into a's; leaving 64 bits is an error (22003). */
static void
share_add_into(Share *a, const Share *b)
{
	if (pg_add_s64_overflow(a->num, b->num, &a->num) ||
		pg_add_s64_overflow(a->den, b->den, &a->den))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", "antq.share"),
				 errdetail("The sum of the counts or of the totals does not fit in 64 bits.")));
}

PG_FUNCTION_INFO_V1(share_add);
/* a + b: counts added, totals added. */
Datum
share_add(PG_FUNCTION_ARGS)
{
	Share	   *result = palloc(sizeof(Share));

	*result = *PG_GETARG_SHARE_P(0);
	share_add_into(result, PG_GETARG_SHARE_P(1));
	PG_RETURN_SHARE_P(result);
}

/*
 * The state in argument 0 ready to be changed: itself inside an aggregate, whose state
 * nodeAgg owns (as int8inc does on 32-bit platforms), a copy otherwise.
 */
static Share *
share_state_arg(FunctionCallInfo fcinfo)
{
	Share	   *state = PG_GETARG_SHARE_P(0);
	Share	   *copy;

	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	copy = palloc(sizeof(Share));
	*copy = *state;
	return copy;
}

PG_FUNCTION_INFO_V1(share_sum_accum);
/* Transition and combine function of antq.sum(share) and combine of antq.share_of. */
Datum
share_sum_accum(PG_FUNCTION_ARGS)
{
	Share	   *state = share_state_arg(fcinfo);

	share_add_into(state, PG_GETARG_SHARE_P(1));
	PG_RETURN_SHARE_P(state);
}

PG_FUNCTION_INFO_V1(share_of_accum);
/* Transition function of antq.share_of(boolean): count the row, and count it met if true. */
Datum
share_of_accum(PG_FUNCTION_ARGS)
{
	Share	   *state = share_state_arg(fcinfo);

	if (state->den == PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", "antq.share_of")));
	state->den++;
	if (PG_GETARG_BOOL(1))
		state->num++;
	PG_RETURN_SHARE_P(state);
}

/* numerator * scale / denominator as numeric, trailing zeros trimmed (den > 0). */
static Datum
share_scaled_numeric(const Share *s, int64 scale)
{
	Datum		num = NumericGetDatum(int64_to_numeric(s->num));
	Datum		quotient;

	if (scale != 1)
		num = DirectFunctionCall2(numeric_mul, num, NumericGetDatum(int64_to_numeric(scale)));
	quotient = DirectFunctionCall2(numeric_div, num, NumericGetDatum(int64_to_numeric(s->den)));
	return DirectFunctionCall1(numeric_trim_scale, quotient);
}

PG_FUNCTION_INFO_V1(share_percent);
/* Percentage 100 * count / total as numeric; NULL for 0/0. */
Datum
share_percent(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);

	if (s->den == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(share_scaled_numeric(s, 100));
}

PG_FUNCTION_INFO_V1(share_percent_digits);
/* Percentage rounded to the given number of decimals (negative rounds left of the point). */
Datum
share_percent_digits(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);

	if (s->den == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_round, share_scaled_numeric(s, 100),
										PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(share_to_numeric);
/* The fraction count / total as numeric (cast); NULL for 0/0. */
Datum
share_to_numeric(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);

	if (s->den == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(share_scaled_numeric(s, 1));
}

PG_FUNCTION_INFO_V1(share_to_float8);
/* The fraction count / total as double precision (cast); NULL for 0/0. */
Datum
share_to_float8(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);

	if (s->den == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->num / (double) s->den);
}

PG_FUNCTION_INFO_V1(share_format_vi_text);
/*
 * The Vietnamese newspaper form, e.g. 3.321/3.505 (94,75%): two decimals at most, or as many as
 * the second argument asks (articles print "139/186 (75%)" and "240/310 (77,4%)").
 */
Datum
share_format_vi_text(PG_FUNCTION_ARGS)
{
	Share	   *s = PG_GETARG_SHARE_P(0);
	int32		digits = PG_NARGS() > 1 ? PG_GETARG_INT32(1) : 2;
	char		buf[SHARE_FORMAT_VI_MAX];

	if (digits < 0 || digits > SHARE_FORMAT_VI_DIGITS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("antq.format_vi cannot show %d decimals of a percentage", digits),
				 errhint("Ask for 0 to %d decimals, e.g. antq.format_vi(share, 1) for \"240/310 (77,4%%)\".",
						 SHARE_FORMAT_VI_DIGITS_MAX)));
	share_format_vi(s->num, s->den, digits, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
