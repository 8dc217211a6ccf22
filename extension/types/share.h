/*
 * share.h — antq.share (tỷ lệ): a count out of a total, both 64-bit, as a fixed-length
 * 16-byte pass-by-reference type. Valid shares have 0 <= num <= den; 0/0 means no units.
 *
 * Parsing, ordering and rendering live in share_io.h (backend-free); this header adds the
 * struct, the fmgr macros and a checked constructor for C callers such as the criteria engine.
 */
#ifndef SHARE_H
#define SHARE_H

#include "fmgr.h"

#include "share_io.h"

typedef struct Share
{
	int64		num;			/* count (số đạt) */
	int64		den;			/* total (tổng số) */
} Share;

#define DatumGetShareP(X)		((Share *) DatumGetPointer(X))
#define SharePGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_SHARE_P(n)	DatumGetShareP(PG_GETARG_DATUM(n))
#define PG_RETURN_SHARE_P(x)	return SharePGetDatum(x)

/* A new share num/den in the current memory context; an invalid one is an error (22023). */
static inline Share *
share_new(int64 num, int64 den)
{
	Share	   *s;

	if (share_check(num, den) != SHARE_PARSE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s: " INT64_FORMAT "/" INT64_FORMAT, "antq.share", num, den),
				 errhint("A share needs 0 <= count <= total.")));
	s = (Share *) palloc(sizeof(Share));
	s->num = num;
	s->den = den;
	return s;
}

#endif							/* SHARE_H */
