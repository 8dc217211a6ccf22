/*
 * fuzz_share.c — libFuzzer harness for antq.share's text and binary input, ordering and
 * Vietnamese rendering (share_io.c).
 *
 * The first byte picks the form; the rest is the input. Text input is cut at the first NUL,
 * as the server only ever passes C strings to share_in. Accepted values must be valid, print
 * and parse back to themselves and render within SHARE_FORMAT_VI_MAX; binary input must
 * re-encode to the same bytes; 32 bytes of binary give two shares whose comparison must be
 * antisymmetric and zero exactly for identical parts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "share_io.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Check the properties every accepted share has. */
static void
check_share(int64_t num, int64_t den)
{
	char		text[48];
	char	   *vi = malloc(SHARE_FORMAT_VI_MAX);
	int64_t		n2;
	int64_t		d2;
	int			len;
	int			d;

	if (share_check(num, den) != SHARE_PARSE_OK)
		abort();
	len = snprintf(text, sizeof(text), "%" PRId64 "/%" PRId64, num, den);
	if (share_parse(text, (size_t) len, &n2, &d2) != SHARE_PARSE_OK || n2 != num || d2 != den)
		abort();
	if (share_compare(num, den, num, den) != 0)
		abort();
	/* every number of decimals renders within the buffer, and 100% only for the whole */
	for (d = 0; d <= SHARE_FORMAT_VI_DIGITS_MAX; d++)
	{
		size_t		vlen = share_format_vi(num, den, d, vi);

		if (vlen >= SHARE_FORMAT_VI_MAX || strlen(vi) != vlen)
			abort();
		if (num < den && strstr(vi, "(100%)") != NULL)
			abort();
	}
	free(vi);
}

/* Check one input. */
int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int64_t		num;
	int64_t		den;
	int64_t		num2;
	int64_t		den2;

	if (size == 0)
		return 0;
	if (data[0] & 1)
	{
		char	   *text = fuzz_cstring(data, size);

		if (share_parse(text, strlen(text), &num, &den) == SHARE_PARSE_OK)
			check_share(num, den);
		free(text);
	}
	else if (size - 1 == 2 * SHARE_BINARY_LEN)
	{
		if (share_parse_binary(data + 1, SHARE_BINARY_LEN, &num, &den) == SHARE_PARSE_OK &&
			share_parse_binary(data + 1 + SHARE_BINARY_LEN, SHARE_BINARY_LEN, &num2, &den2) == SHARE_PARSE_OK)
		{
			int			ab = share_compare(num, den, num2, den2);
			int			ba = share_compare(num2, den2, num, den);

			if (ab != -ba || ((ab == 0) != (num == num2 && den == den2)))
				abort();
		}
	}
	else
	{
		unsigned char out[SHARE_BINARY_LEN];

		if (share_parse_binary(data + 1, size - 1, &num, &den) == SHARE_PARSE_OK)
		{
			check_share(num, den);
			share_to_binary(num, den, out);
			if (memcmp(out, data + 1, SHARE_BINARY_LEN) != 0)
				abort();
		}
	}
	return 0;
}
