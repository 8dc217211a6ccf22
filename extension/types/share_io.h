/*
 * share_io.h — backend-free parsing, checking, ordering and rendering of antq.share (tỷ lệ).
 *
 * Plain C with no PostgreSQL dependency, so that the fuzz harness (tests/fuzz/) can drive the
 * very code the server runs; share.c wraps it in fmgr functions.
 */
#ifndef SHARE_IO_H
#define SHARE_IO_H

#include <stddef.h>
#include <stdint.h>

/* Result codes of the parsers. */
#define SHARE_PARSE_OK			0
#define SHARE_PARSE_SYNTAX		1	/* not "count/total" in digits (22P02) */
#define SHARE_PARSE_RANGE		2	/* a part does not fit in 64 bits (22003) */
#define SHARE_PARSE_NEGATIVE	3	/* a part is negative (22P02) */
#define SHARE_PARSE_OVER		4	/* count greater than total (22P02) */
#define SHARE_PARSE_LENGTH		5	/* binary message not exactly 16 bytes (22P03) */

/* Length of the binary form: count then total, each an 8-byte big-endian integer. */
#define SHARE_BINARY_LEN	16

/* Enough for "9.223.372.036.854.775.807/9.223.372.036.854.775.807 (99,9999%)" and its NUL. */
#define SHARE_FORMAT_VI_MAX	64

/* The hint every rejection of the text form carries. */
#define SHARE_ACCEPTED_FORMS \
	"Write count/total with whole numbers 0 <= count <= total < 2^63, e.g. 139/186; 0/0 means no units."

extern int	share_check(int64_t num, int64_t den);
extern int	share_parse(const char *s, size_t len, int64_t *num, int64_t *den);
extern int	share_parse_binary(const unsigned char *buf, size_t len, int64_t *num, int64_t *den);
extern void share_to_binary(int64_t num, int64_t den, unsigned char *buf);
extern int	share_compare(int64_t a_num, int64_t a_den, int64_t b_num, int64_t b_den);
#define SHARE_FORMAT_VI_DIGITS_MAX 4	/* decimals format_vi may show */
extern size_t share_format_vi(int64_t num, int64_t den, int digits, char *buf);

#endif							/* SHARE_IO_H */
