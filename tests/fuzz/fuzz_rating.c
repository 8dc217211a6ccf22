/*
 * fuzz_rating.c — libFuzzer harness for antq.rating's text and binary input (rating_io.c).
 *
 * The first byte picks the form; the rest is the input. Text input is cut at the first NUL,
 * as the server only ever passes C strings to rating_in. Accepted values must render in
 * every style and parse back to themselves; binary input must re-encode to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "rating_io.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Check one input. */
int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int			value;
	int			again;
	int			style;

	if (size == 0)
		return 0;
	if (data[0] & 1)
	{
		char	   *text = fuzz_cstring(data, size);

		if (rating_parse(text, strlen(text), &value) == RATING_PARSE_OK)
		{
			if (value < RATING_WEAK || value > RATING_EXCELLENT)
				abort();
			for (style = RATING_STYLE_VI; style <= RATING_STYLE_EN; style++)
			{
				const char *label = rating_label(value, (RatingStyle) style);

				if (rating_parse(label, strlen(label), &again) != RATING_PARSE_OK || again != value)
					abort();
			}
		}
		free(text);
	}
	else
	{
		unsigned char out[RATING_BINARY_LEN];

		if (rating_parse_binary(data + 1, size - 1, &value) == RATING_PARSE_OK)
		{
			rating_to_binary(value, out);
			if (memcmp(out, data + 1, RATING_BINARY_LEN) != 0)
				abort();
		}
	}
	return 0;
}
