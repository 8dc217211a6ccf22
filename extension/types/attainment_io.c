/*
 * attainment_io.c — backend-free text and binary forms of antq.attainment (kết quả đạt tiêu chí).
 *
 * Text: one character per criterion in order, '+' met, '-' not met, '.' not applicable,
 * blanks around the whole ignored, e.g. "++-+.". Binary: a 2-byte big-endian count, then
 * the packed states exactly as stored (attainment_io.h). Both are validated completely, so
 * every accepted value satisfies the packing invariants the equality and hash rely on.
 * This file must not include postgres.h: tests/fuzz/ links it on its own.
 */
#include "attainment_io.h"

#include <string.h>

/* True for the blanks allowed around the text form. */
static int
att_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Parse the text form s[0..len) into states (ATT_STATE_BYTES(ATT_MAX_CRITERIA) bytes, zeroed
 * here) and *count; on ATT_PARSE_SYNTAX *bad_pos is the offset of the offending byte.
 */
int
attainment_parse(const char *s, size_t len, uint8_t *states, int *count, size_t *bad_pos)
{
	size_t		start = 0;
	size_t		end = len;
	size_t		i;

	memset(states, 0, ATT_STATE_BYTES(ATT_MAX_CRITERIA));
	while (start < end && att_is_blank(s[start]))
		start++;
	while (end > start && att_is_blank(s[end - 1]))
		end--;
	for (i = start; i < end; i++)
	{
		if (s[i] != '+' && s[i] != '-' && s[i] != '.')
		{
			*bad_pos = i;
			return ATT_PARSE_SYNTAX;
		}
	}
	if (end == start)
		return ATT_PARSE_EMPTY;
	if (end - start > ATT_MAX_CRITERIA)
		return ATT_PARSE_TOO_MANY;
	for (i = start; i < end; i++)
		att_state_set(states, (int) (i - start),
					  s[i] == '+' ? ATT_MET : s[i] == '-' ? ATT_NOT_MET : ATT_NA);
	*count = (int) (end - start);
	return ATT_PARSE_OK;
}

/* Parse the binary form of exactly len bytes into states and *count. */
int
attainment_parse_binary(const unsigned char *buf, size_t len, uint8_t *states, int *count)
{
	int			n;
	int			nbytes;
	int			i;

	if (len < 2)
		return ATT_PARSE_LENGTH;
	n = (int16_t) (((unsigned int) buf[0] << 8) | buf[1]);
	if (n < 1)
		return ATT_PARSE_EMPTY;
	if (n > ATT_MAX_CRITERIA)
		return ATT_PARSE_TOO_MANY;
	nbytes = ATT_STATE_BYTES(n);
	if (len != (size_t) (2 + nbytes))
		return ATT_PARSE_LENGTH;
	memcpy(states, buf + 2, nbytes);
	for (i = 0; i < n; i++)
	{
		if (att_state_get(states, i) == 3)
			return ATT_PARSE_BAD_STATE;
	}
	if (n % 4 != 0 && (states[nbytes - 1] >> (2 * (n % 4))) != 0)
		return ATT_PARSE_BAD_STATE;
	*count = n;
	return ATT_PARSE_OK;
}

/* Write the binary form into buf (ATT_BINARY_MAX bytes); returns its length. */
size_t
attainment_to_binary(const uint8_t *states, int count, unsigned char *buf)
{
	buf[0] = (unsigned char) ((count >> 8) & 0xFF);
	buf[1] = (unsigned char) (count & 0xFF);
	memcpy(buf + 2, states, ATT_STATE_BYTES(count));
	return 2 + ATT_STATE_BYTES(count);
}

/* Write the text form into buf (count + 1 bytes); returns its length. */
size_t
attainment_format(const uint8_t *states, int count, char *buf)
{
	static const char symbols[3] = {'.', '+', '-'};
	int			i;

	for (i = 0; i < count; i++)
		buf[i] = symbols[att_state_get(states, i)];
	buf[count] = '\0';
	return (size_t) count;
}
