/*
 * rating.h — antq.rating (xếp loại phong trào): the four classification levels as a 4-byte
 * pass-by-value integer 1..4, ordered Yếu < Trung bình < Khá < Xuất sắc.
 *
 * The level numbers (RATING_WEAK .. RATING_EXCELLENT), the parsers and the labels come from
 * rating_io.h; this header adds the fmgr macros and rendering in the session's style.
 */
#ifndef RATING_H
#define RATING_H

#include "fmgr.h"

#include "rating_io.h"

typedef int32 Rating;

#define DatumGetRating(X)		((Rating) DatumGetInt32(X))
#define RatingGetDatum(X)		Int32GetDatum(X)
#define PG_GETARG_RATING(n)		DatumGetRating(PG_GETARG_DATUM(n))
#define PG_RETURN_RATING(x)		return RatingGetDatum(x)

/* rating.c: the value of the GUC antq.rating_style (a RatingStyle). */
extern int	antq_rating_style;

/* The label of rating r (1..4) in the style the session asked for (antq.rating_style). */
static inline const char *
rating_render(Rating r)
{
	return rating_label(r, (RatingStyle) antq_rating_style);
}

#endif							/* RATING_H */
