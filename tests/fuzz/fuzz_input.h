/*
 * fuzz_input.h — what the harnesses share: the first input byte picks the form (odd: text,
 * even: binary), and text reaches the parser as the server would pass it to *_in.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdlib.h>
#include <string.h>

/* data[1..size) as a malloc'd C string cut at its first NUL; size must be at least 1. */
static inline char *
fuzz_cstring(const unsigned char *data, size_t size)
{
	char	   *text = malloc(size);

	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	return text;
}

#endif							/* FUZZ_INPUT_H */
