/*
 * rating_io.c — backend-free parsing and rendering of antq.rating (xếp loại phong trào).
 *
 * Owns the accepted spellings. Text input is folded before matching: ASCII letters and the
 * Vietnamese letters of Latin-1 and Latin Extended Additional are lower-cased, '_' counts as a
 * blank, runs of blanks become one space and blanks at either end are dropped. Input is taken
 * in Unicode NFC (precomposed letters), the form every Vietnamese keyboard produces.
 * This file must not include postgres.h: tests/fuzz/ links it on its own.
 */
#include "rating_io.h"

#include <string.h>

/* Longest folded spelling we accept is 10 bytes ("trung bình"); longer input cannot match. */
#define RATING_FOLD_MAX 16

typedef struct RatingSpelling
{
	const char *folded;
	int			value;
} RatingSpelling;

static const RatingSpelling rating_spellings[] = {
	{"xuất sắc", RATING_EXCELLENT},
	{"khá", RATING_GOOD},
	{"trung bình", RATING_AVERAGE},
	{"yếu", RATING_WEAK},
	{"xuat sac", RATING_EXCELLENT},
	{"kha", RATING_GOOD},
	{"trung binh", RATING_AVERAGE},
	{"yeu", RATING_WEAK},
	{"excellent", RATING_EXCELLENT},
	{"good", RATING_GOOD},
	{"average", RATING_AVERAGE},
	{"weak", RATING_WEAK},
};

/* Labels per style, indexed by [style][value - 1]. */
static const char *const rating_labels[3][4] = {
	{"Yếu", "Trung bình", "Khá", "Xuất sắc"},
	{"yeu", "trung_binh", "kha", "xuat_sac"},
	{"weak", "average", "good", "excellent"},
};

/* True for the blanks we ignore around and collapse inside a spelling. */
static int
rating_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '_';
}

/*
 * Fold s[0..len) into out (at most RATING_FOLD_MAX bytes); returns the folded length, or -1
 * when the result would not fit (and so cannot be an accepted spelling).
 */
static int
rating_fold(const unsigned char *s, size_t len, unsigned char *out)
{
	size_t		i = 0;
	int			n = 0;
	int			pending_blank = 0;

	while (i < len)
	{
		unsigned char c = s[i];

		if (rating_is_blank(c))
		{
			pending_blank = (n > 0);
			i++;
			continue;
		}
		if (pending_blank)
		{
			if (n >= RATING_FOLD_MAX)
				return -1;
			out[n++] = ' ';
			pending_blank = 0;
		}
		if (c >= 'A' && c <= 'Z')
		{
			if (n >= RATING_FOLD_MAX)
				return -1;
			out[n++] = c + ('a' - 'A');
			i++;
		}
		else if (c == 0xC3 && i + 1 < len)
		{
			/* Latin-1 letters U+00C0..U+00DE (not U+00D7 ×) lower-case at +0x20. */
			unsigned char c2 = s[i + 1];

			if (n + 2 > RATING_FOLD_MAX)
				return -1;
			if (c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97)
				c2 += 0x20;
			out[n++] = c;
			out[n++] = c2;
			i += 2;
		}
		else if (c == 0xE1 && i + 2 < len && (s[i + 1] == 0xBA || s[i + 1] == 0xBB))
		{
			/* Latin Extended Additional U+1EA0..U+1EF9: upper case at even code points. */
			unsigned char c2 = s[i + 1];
			unsigned char c3 = s[i + 2];

			if (n + 3 > RATING_FOLD_MAX)
				return -1;
			if (((c2 == 0xBA && c3 >= 0xA0 && c3 <= 0xBF) ||
				 (c2 == 0xBB && c3 >= 0x80 && c3 <= 0xB9)) && (c3 & 1) == 0)
				c3 += 1;
			out[n++] = c;
			out[n++] = c2;
			out[n++] = c3;
			i += 3;
		}
		else
		{
			if (n >= RATING_FOLD_MAX)
				return -1;
			out[n++] = c;
			i++;
		}
	}
	return n;
}

/* Parse the text form s[0..len); on success store 1..4 in *out. */
int
rating_parse(const char *s, size_t len, int *out)
{
	unsigned char folded[RATING_FOLD_MAX];
	int			n;
	size_t		i;

	n = rating_fold((const unsigned char *) s, len, folded);
	if (n <= 0)
		return RATING_PARSE_SYNTAX;
	for (i = 0; i < sizeof(rating_spellings) / sizeof(rating_spellings[0]); i++)
	{
		const char *want = rating_spellings[i].folded;

		if (strlen(want) == (size_t) n && memcmp(want, folded, n) == 0)
		{
			*out = rating_spellings[i].value;
			return RATING_PARSE_OK;
		}
	}
	return RATING_PARSE_SYNTAX;
}

/* Parse the binary form (4-byte big-endian integer 1..4) of exactly len bytes. */
int
rating_parse_binary(const unsigned char *buf, size_t len, int *out)
{
	uint32_t	v;

	if (len != RATING_BINARY_LEN)
		return RATING_PARSE_LENGTH;
	v = ((uint32_t) buf[0] << 24) | ((uint32_t) buf[1] << 16) |
		((uint32_t) buf[2] << 8) | (uint32_t) buf[3];
	if (v < RATING_WEAK || v > RATING_EXCELLENT)
		return RATING_PARSE_RANGE;
	*out = (int) v;
	return RATING_PARSE_OK;
}

/* Write the binary form of value (1..4) into buf[0..4). */
void
rating_to_binary(int value, unsigned char *buf)
{
	buf[0] = 0;
	buf[1] = 0;
	buf[2] = 0;
	buf[3] = (unsigned char) value;
}

/* The label of value (1..4) in the given style. */
const char *
rating_label(int value, RatingStyle style)
{
	return rating_labels[style][value - 1];
}
