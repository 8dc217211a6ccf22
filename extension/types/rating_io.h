/*
 * rating_io.h — backend-free parsing and rendering of antq.rating (xếp loại phong trào).
 *
 * Plain C with no PostgreSQL dependency, so that the fuzz harness (tests/fuzz/) can drive the
 * very code the server runs; rating.c wraps it in fmgr functions.
 */
#ifndef RATING_IO_H
#define RATING_IO_H

#include <stddef.h>
#include <stdint.h>

/* The four levels, in order; the stored value is the number. */
#define RATING_WEAK			1	/* Yếu */
#define RATING_AVERAGE		2	/* Trung bình */
#define RATING_GOOD			3	/* Khá */
#define RATING_EXCELLENT	4	/* Xuất sắc */

/* Output styles of the GUC antq.rating_style. */
typedef enum RatingStyle
{
	RATING_STYLE_VI = 0,		/* Xuất sắc, Khá, Trung bình, Yếu */
	RATING_STYLE_ASCII = 1,		/* xuat_sac, kha, trung_binh, yeu */
	RATING_STYLE_EN = 2			/* excellent, good, average, weak */
} RatingStyle;

/* Result codes of the parsers. */
#define RATING_PARSE_OK			0
#define RATING_PARSE_SYNTAX		1	/* not one of the accepted spellings (22P02) */
#define RATING_PARSE_RANGE		2	/* binary value outside 1..4 (22003) */
#define RATING_PARSE_LENGTH		3	/* binary message not exactly 4 bytes (22P03) */

/* Length of the binary form: a 4-byte big-endian integer 1..4. */
#define RATING_BINARY_LEN	4

/* The hint every rejection carries. */
#define RATING_ACCEPTED_FORMS \
	"Use one of: Xuất sắc, Khá, Trung bình, Yếu (any case), xuat_sac, kha, trung_binh, yeu, excellent, good, average, weak."

extern int	rating_parse(const char *s, size_t len, int *out);
extern int	rating_parse_binary(const unsigned char *buf, size_t len, int *out);
extern void rating_to_binary(int value, unsigned char *buf);
extern const char *rating_label(int value, RatingStyle style);

#endif							/* RATING_IO_H */
