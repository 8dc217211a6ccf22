/*
 * rating.c — the SQL type antq.rating (xếp loại phong trào) and the GUC antq.rating_style.
 *
 * Owns the fmgr wrappers of the type: text and binary I/O (parsing in rating_io.c), the
 * comparison and hash support behind the btree and hash operator classes, min/max support,
 * and the casts to and from integer. Output follows antq.rating_style; input accepts every
 * style whatever the setting, so a dump taken in one style restores in another.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "antq.h"
#include "rating.h"

/* Session setting, read by rating_out; a GUC variable is global by nature. */
int			antq_rating_style = RATING_STYLE_VI;

static const struct config_enum_entry rating_style_options[] = {
	{"vi", RATING_STYLE_VI, false},
	{"ascii", RATING_STYLE_ASCII, false},
	{"en", RATING_STYLE_EN, false},
	{NULL, 0, false}
};

/* Define the GUC antq.rating_style. */
void
antq_rating_init(void)
{
	DefineCustomEnumVariable("antq.rating_style",
							 "Output style of antq.rating (xếp loại): vi, ascii or en.",
							 "vi writes Xuất sắc, Khá, Trung bình, Yếu; ascii writes xuat_sac, kha, trung_binh, yeu; "
							 "en writes excellent, good, average, weak. Input accepts all three.",
							 &antq_rating_style,
							 RATING_STYLE_VI,
							 rating_style_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}

/*
 * Parse str again in Unicode NFC, for Vietnamese written decomposed (NFD: "Xuất sắc" as letters
 * followed by combining marks), which looks the same as the precomposed form the parser knows
 * but is not. Only for non-ASCII input in a UTF8 database (where normalize() works); false when
 * that does not apply or the normalized text is no rating either.
 */
static bool
rating_parse_nfc(const char *str, int *value)
{
	const unsigned char *p;
	text	   *nfc;

	if (GetDatabaseEncoding() != PG_UTF8)
		return false;
	for (p = (const unsigned char *) str; *p != '\0' && *p < 0x80; p++)
		;
	if (*p == '\0')
		return false;
	nfc = DatumGetTextPP(DirectFunctionCall2(unicode_normalize_func,
											 PointerGetDatum(cstring_to_text(str)),
											 PointerGetDatum(cstring_to_text("NFC"))));
	return rating_parse(VARDATA_ANY(nfc), VARSIZE_ANY_EXHDR(nfc), value) == RATING_PARSE_OK;
}

PG_FUNCTION_INFO_V1(rating_in);
/* Convert the text form (any accepted spelling) to a rating. */
Datum
rating_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			value;

	if (rating_parse(str, strlen(str), &value) != RATING_PARSE_OK &&
		!rating_parse_nfc(str, &value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "antq.rating", str),
				 errhint(RATING_ACCEPTED_FORMS)));
	PG_RETURN_RATING(value);
}

PG_FUNCTION_INFO_V1(rating_out);
/* Convert a rating to text in the style of antq.rating_style. */
Datum
rating_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(rating_render(PG_GETARG_RATING(0))));
}

PG_FUNCTION_INFO_V1(rating_recv);
/* Convert the binary form (4-byte integer 1..4) to a rating, validating it. */
Datum
rating_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = buf->len - buf->cursor;
	int			value;
	int			rc;

	rc = rating_parse_binary((const unsigned char *) buf->data + buf->cursor, len, &value);
	if (rc == RATING_PARSE_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary value for type %s: %zu bytes, expected %d",
						"antq.rating", len, RATING_BINARY_LEN),
				 errhint("The binary form of antq.rating is a 4-byte integer from 1 (Yếu) to 4 (Xuất sắc).")));
	if (rc != RATING_PARSE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range for type %s in binary input", "antq.rating"),
				 errhint("The binary form of antq.rating is a 4-byte integer from 1 (Yếu) to 4 (Xuất sắc).")));
	buf->cursor = buf->len;
	PG_RETURN_RATING(value);
}

PG_FUNCTION_INFO_V1(rating_send);
/* Convert a rating to its binary form. */
Datum
rating_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	unsigned char bytes[RATING_BINARY_LEN];

	rating_to_binary(PG_GETARG_RATING(0), bytes);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) bytes, RATING_BINARY_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(rating_cmp);
/* Three-way comparison for the btree operator class. */
Datum
rating_cmp(PG_FUNCTION_ARGS)
{
	Rating		a = PG_GETARG_RATING(0);
	Rating		b = PG_GETARG_RATING(1);

	PG_RETURN_INT32(a < b ? -1 : (a > b ? 1 : 0));
}

PG_FUNCTION_INFO_V1(rating_eq);
/* a = b */
Datum
rating_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_RATING(0) == PG_GETARG_RATING(1));
}

PG_FUNCTION_INFO_V1(rating_ne);
/* a <> b */
Datum
rating_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_RATING(0) != PG_GETARG_RATING(1));
}

PG_FUNCTION_INFO_V1(rating_lt);
/* a < b */
Datum
rating_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_RATING(0) < PG_GETARG_RATING(1));
}

PG_FUNCTION_INFO_V1(rating_le);
/* a <= b */
Datum
rating_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_RATING(0) <= PG_GETARG_RATING(1));
}

PG_FUNCTION_INFO_V1(rating_gt);
/* a > b */
Datum
rating_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_RATING(0) > PG_GETARG_RATING(1));
}

PG_FUNCTION_INFO_V1(rating_ge);
/* a >= b */
Datum
rating_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_RATING(0) >= PG_GETARG_RATING(1));
}

PG_FUNCTION_INFO_V1(rating_smaller);
/* The lower of two ratings (min's transition). */
Datum
rating_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_RATING(Min(PG_GETARG_RATING(0), PG_GETARG_RATING(1)));
}

PG_FUNCTION_INFO_V1(rating_larger);
/* The higher of two ratings (max's transition). */
Datum
rating_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_RATING(Max(PG_GETARG_RATING(0), PG_GETARG_RATING(1)));
}

PG_FUNCTION_INFO_V1(rating_hash);
/* 32-bit hash for the hash operator class. */
Datum
rating_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_RATING(0));
}

PG_FUNCTION_INFO_V1(rating_hash_extended);
/* Seeded 64-bit hash for the hash operator class. */
Datum
rating_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_RATING(0), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(rating_to_int);
/* The level number of a rating: 1 Yếu .. 4 Xuất sắc. */
Datum
rating_to_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_RATING(0));
}

PG_FUNCTION_INFO_V1(rating_from_int);
/* The rating with level number 1..4; other numbers are out of range. */
Datum
rating_from_int(PG_FUNCTION_ARGS)
{
	int32		value = PG_GETARG_INT32(0);

	if (value < RATING_WEAK || value > RATING_EXCELLENT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer %d is out of range for type %s", value, "antq.rating"),
				 errhint("Use 1 (Yếu), 2 (Trung bình), 3 (Khá) or 4 (Xuất sắc).")));
	PG_RETURN_RATING(value);
}
