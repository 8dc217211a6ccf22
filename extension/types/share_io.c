/*
 * share_io.c — backend-free parsing, checking, ordering and rendering of antq.share (tỷ lệ).
 *
 * Owns what a valid share is (0 <= count <= total, both 64-bit), its text and binary forms,
 * its total order, and the Vietnamese newspaper rendering. Ordering is exact: values are
 * compared by 128-bit cross-multiplication, ties broken by the smaller total first, and 0/0
 * (no units, no value) sorts before everything; so a = b exactly when both parts are equal.
 * This file must not include postgres.h: tests/fuzz/ links it on its own.
 */
#include "share_io.h"

#include <string.h>

#ifndef __SIZEOF_INT128__
#error "antq needs a compiler with a 128-bit integer type"
#endif

/* Check that num/den is a valid share. */
int
share_check(int64_t num, int64_t den)
{
	if (num < 0 || den < 0)
		return SHARE_PARSE_NEGATIVE;
	if (num > den)
		return SHARE_PARSE_OVER;
	return SHARE_PARSE_OK;
}

/* True for the blanks allowed around the numbers. */
static int
share_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Read a decimal integer, perhaps with a minus sign, at s[*pos..len); blanks before it are skipped.
 * Returns SHARE_PARSE_OK, _SYNTAX when no digit is there, or _RANGE when it does not fit.
 */
static int
share_read_int(const char *s, size_t len, size_t *pos, int64_t *out, int *negative)
{
	size_t		i = *pos;
	uint64_t	v = 0;
	int			digits = 0;
	int			overflow = 0;

	while (i < len && share_is_blank(s[i]))
		i++;
	*negative = 0;
	if (i < len && s[i] == '-')
	{
		*negative = 1;
		i++;
	}
	while (i < len && s[i] >= '0' && s[i] <= '9')
	{
		if (v > (UINT64_C(9223372036854775807) - (uint64_t) (s[i] - '0')) / 10)
			overflow = 1;
		else
			v = v * 10 + (uint64_t) (s[i] - '0');
		digits++;
		i++;
	}
	*pos = i;
	if (digits == 0)
		return SHARE_PARSE_SYNTAX;
	if (overflow)
		return SHARE_PARSE_RANGE;
	*out = (int64_t) v;
	return SHARE_PARSE_OK;
}

/* Parse the text form "count/total" of s[0..len), blanks allowed around each number. */
int
share_parse(const char *s, size_t len, int64_t *num, int64_t *den)
{
	size_t		pos = 0;
	int64_t		n = 0;
	int64_t		d = 0;
	int			neg_n;
	int			neg_d;
	int			rc_n;
	int			rc_d;

	rc_n = share_read_int(s, len, &pos, &n, &neg_n);
	if (rc_n == SHARE_PARSE_SYNTAX)
		return SHARE_PARSE_SYNTAX;
	while (pos < len && share_is_blank(s[pos]))
		pos++;
	if (pos >= len || s[pos] != '/')
		return SHARE_PARSE_SYNTAX;
	pos++;
	rc_d = share_read_int(s, len, &pos, &d, &neg_d);
	if (rc_d == SHARE_PARSE_SYNTAX)
		return SHARE_PARSE_SYNTAX;
	while (pos < len && share_is_blank(s[pos]))
		pos++;
	if (pos != len)
		return SHARE_PARSE_SYNTAX;
	/* Well formed: report a sign before a size, then a size, then the relation. */
	if (neg_n || neg_d)
		return SHARE_PARSE_NEGATIVE;
	if (rc_n != SHARE_PARSE_OK || rc_d != SHARE_PARSE_OK)
		return SHARE_PARSE_RANGE;
	*num = n;
	*den = d;
	return share_check(n, d);
}

/* Read an 8-byte big-endian integer. */
static int64_t
share_get_be64(const unsigned char *p)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return (int64_t) v;
}

/* Write an 8-byte big-endian integer. */
static void
share_put_be64(int64_t value, unsigned char *p)
{
	uint64_t	v = (uint64_t) value;
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (unsigned char) (v & 0xFF);
		v >>= 8;
	}
}

/* Parse the binary form (count, total: 8-byte big-endian each) of exactly len bytes. */
int
share_parse_binary(const unsigned char *buf, size_t len, int64_t *num, int64_t *den)
{
	int64_t		n;
	int64_t		d;
	int			rc;

	if (len != SHARE_BINARY_LEN)
		return SHARE_PARSE_LENGTH;
	n = share_get_be64(buf);
	d = share_get_be64(buf + 8);
	rc = share_check(n, d);
	if (rc != SHARE_PARSE_OK)
		return rc;
	*num = n;
	*den = d;
	return SHARE_PARSE_OK;
}

/* Write the binary form of num/den into buf[0..16). */
void
share_to_binary(int64_t num, int64_t den, unsigned char *buf)
{
	share_put_be64(num, buf);
	share_put_be64(den, buf + 8);
}

/* Compare two valid shares: by value, 0/0 first, equal values by the smaller total first. */
int
share_compare(int64_t a_num, int64_t a_den, int64_t b_num, int64_t b_den)
{
	__int128	left;
	__int128	right;

	if (a_den == 0 || b_den == 0)
	{
		if (a_den == b_den)
			return 0;
		return a_den == 0 ? -1 : 1;
	}
	left = (__int128) a_num * b_den;
	right = (__int128) b_num * a_den;
	if (left != right)
		return left < right ? -1 : 1;
	if (a_den != b_den)
		return a_den < b_den ? -1 : 1;
	return 0;
}

/* Write v with '.' between groups of three digits at p; returns the length written. */
static size_t
share_put_grouped(uint64_t v, char *p)
{
	char		digits[20];
	int			n = 0;
	size_t		len = 0;
	int			i;

	do
	{
		digits[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = n - 1; i >= 0; i--)
	{
		p[len++] = digits[i];
		if (i > 0 && i % 3 == 0)
			p[len++] = '.';
	}
	return len;
}

/*
 * Render a valid share as Vietnamese newspapers do: "3.321/3.505 (94,75%)", the percentage
 * rounded half up to at most digits decimals (0 to SHARE_FORMAT_VI_DIGITS_MAX) with trailing
 * zeros dropped, and "0/0" for no units. A share below 1 never shows as 100%: 19.999/20.000
 * is "(99,99%)", not "(100%)", since a reader takes 100% for "every unit" (the rounding is
 * otherwise kept: 1/100.000 is "(0%)" at two decimals, its count shown beside it). buf must hold SHARE_FORMAT_VI_MAX bytes; returns the length (without the NUL).
 */
size_t
share_format_vi(int64_t num, int64_t den, int digits, char *buf)
{
	size_t		len = 0;
	uint64_t	unit = 1;		/* 10^digits */
	uint64_t	scaled;			/* the percentage times 10^digits, rounded */
	uint64_t	frac;
	int			i;

	for (i = 0; i < digits; i++)
		unit *= 10;
	len += share_put_grouped((uint64_t) num, buf + len);
	buf[len++] = '/';
	len += share_put_grouped((uint64_t) den, buf + len);
	if (den == 0)
	{
		buf[len] = '\0';
		return len;
	}
	/* half up, exactly: (num * 100 * unit + den / 2) / den */
	scaled = (uint64_t) (((unsigned __int128) num * 200 * unit + (unsigned __int128) den) /
						 ((unsigned __int128) den * 2));
	if (num < den && scaled >= 100 * unit)
		scaled = 100 * unit - 1;
	buf[len++] = ' ';
	buf[len++] = '(';
	len += share_put_grouped(scaled / unit, buf + len);
	frac = scaled % unit;
	if (frac != 0)
	{
		buf[len++] = ',';
		for (i = digits - 1; i >= 0 && frac != 0; i--)
		{
			uint64_t	p = 1;
			int			j;

			for (j = 0; j < i; j++)
				p *= 10;
			buf[len++] = (char) ('0' + frac / p);
			frac %= p;
		}
	}
	buf[len++] = '%';
	buf[len++] = ')';
	buf[len] = '\0';
	return len;
}
