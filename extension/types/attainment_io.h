/*
 * attainment_io.h — backend-free core of antq.attainment (kết quả đạt tiêu chí): the state of
 * each criterion packed two bits apiece, and the text and binary forms.
 *
 * Packing: criterion i (0-based) lives in byte i / 4, bits 2 * (i % 4) and up; a state is
 * ATT_NA (0), ATT_MET (1) or ATT_NOT_MET (2); 3 never occurs and the bits after the last
 * criterion are zero, so two attainments are equal exactly when their bytes are.
 * Plain C with no PostgreSQL dependency, so that tests/fuzz/ can drive it.
 */
#ifndef ATTAINMENT_IO_H
#define ATTAINMENT_IO_H

#include <stddef.h>
#include <stdint.h>

/* State of one criterion. */
typedef enum
{
	ATT_NA = 0,					/* not applicable (không áp dụng): text '.' */
	ATT_MET = 1,				/* met (đạt): text '+' */
	ATT_NOT_MET = 2				/* not met (không đạt): text '-' */
} AttState;

/* An attainment covers 1 to ATT_MAX_CRITERIA criteria. */
#define ATT_MAX_CRITERIA		128
/* Bytes of packed states for n criteria. */
#define ATT_STATE_BYTES(n)		(((n) + 3) / 4)
/* Longest binary form: 2-byte count plus the packed states. */
#define ATT_BINARY_MAX			(2 + ATT_STATE_BYTES(ATT_MAX_CRITERIA))

/* Result codes of the parsers. */
#define ATT_PARSE_OK			0
#define ATT_PARSE_SYNTAX		1	/* a character other than + - . (22P02) */
#define ATT_PARSE_EMPTY			2	/* no criteria (22P02) */
#define ATT_PARSE_TOO_MANY		3	/* more than ATT_MAX_CRITERIA criteria (22003) */
#define ATT_PARSE_LENGTH		4	/* binary length does not match its count (22P03) */
#define ATT_PARSE_BAD_STATE		5	/* binary state 3 or stray bits after the last (22P03) */

/* The hint every rejection of the text form carries. */
#define ATT_ACCEPTED_FORMS \
	"Write one character per criterion, in order: + met, - not met, . not applicable (1 to 128 criteria), e.g. ++-+."

/* State of criterion index0 (0-based) in packed states. */
static inline AttState
att_state_get(const uint8_t *states, int index0)
{
	return (AttState) ((states[index0 / 4] >> (2 * (index0 % 4))) & 3);
}

/* Set the state of criterion index0 (0-based) in packed states. */
static inline void
att_state_set(uint8_t *states, int index0, AttState state)
{
	int			shift = 2 * (index0 % 4);

	states[index0 / 4] = (uint8_t) ((states[index0 / 4] & ~(3 << shift)) | ((int) state << shift));
}

extern int	attainment_parse(const char *s, size_t len, uint8_t *states, int *count, size_t *bad_pos);
extern int	attainment_parse_binary(const unsigned char *buf, size_t len, uint8_t *states, int *count);
extern size_t attainment_to_binary(const uint8_t *states, int count, unsigned char *buf);
extern size_t attainment_format(const uint8_t *states, int count, char *buf);

#endif							/* ATTAINMENT_IO_H */
