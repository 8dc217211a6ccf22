/*
 * fuzz_attainment.c — libFuzzer harness for antq.attainment's text and binary input
 * (attainment_io.c).
 *
 * The first byte picks the form; the rest is the input. Text input is cut at the first NUL,
 * as the server only ever passes C strings to attainment_in. Accepted text must print back
 * to itself without the surrounding blanks; accepted binary must re-encode to the same bytes
 * and survive a trip through the text form.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "attainment_io.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Print states as text and parse it back; it must give the same count and bytes. */
static void
check_text_round_trip(const uint8_t *states, int count)
{
	char	   *text = malloc(count + 1);
	uint8_t		again[ATT_STATE_BYTES(ATT_MAX_CRITERIA)];
	int			count2;
	size_t		bad;

	if (attainment_format(states, count, text) != (size_t) count ||
		attainment_parse(text, count, again, &count2, &bad) != ATT_PARSE_OK ||
		count2 != count || memcmp(again, states, ATT_STATE_BYTES(count)) != 0)
		abort();
	free(text);
}

/* Check one input. */
int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	uint8_t		states[ATT_STATE_BYTES(ATT_MAX_CRITERIA)];
	unsigned char out[ATT_BINARY_MAX];
	int			count;
	size_t		bad;

	if (size == 0)
		return 0;
	if (data[0] & 1)
	{
		char	   *text = fuzz_cstring(data, size);
		size_t		len = strlen(text);

		if (attainment_parse(text, len, states, &count, &bad) == ATT_PARSE_OK)
		{
			if (count < 1 || count > ATT_MAX_CRITERIA)
				abort();
			check_text_round_trip(states, count);
			if (attainment_parse_binary(out, attainment_to_binary(states, count, out),
										states, &count) != ATT_PARSE_OK)
				abort();
		}
		else if (attainment_parse(text, len, states, &count, &bad) == ATT_PARSE_SYNTAX && bad >= len)
			abort();
		free(text);
	}
	else if (attainment_parse_binary(data + 1, size - 1, states, &count) == ATT_PARSE_OK)
	{
		if (attainment_to_binary(states, count, out) != size - 1 || memcmp(out, data + 1, size - 1) != 0)
			abort();
		check_text_round_trip(states, count);
	}
	return 0;
}
