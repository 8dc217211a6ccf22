/*
 * classify.c — classification of the movement (xếp loại phong trào): turns a unit's total score
 * into an antq.rating with the bands of its classification sheet (the province's own sheet for
 * the year if any, else the national one), then applies the sheet's cap for units that did not
 * meet the safe standard (by default at most Trung bình).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "rating.h"
#include "rules.h"

PG_FUNCTION_INFO_V1(antq_classify);

/* antq.classify(kind, province_code, year, score, safe_met): the rating after bands and cap. */
Datum
antq_classify(PG_FUNCTION_ARGS)
{
	const ScoringSheet *sheet;
	double		score;
	int			i,
				rating = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	sheet = rules_sheet(text_to_cstring(PG_GETARG_TEXT_PP(0)),
						PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
						PG_GETARG_INT32(2));
	if (sheet == NULL)
		PG_RETURN_NULL();
	score = DatumGetFloat8(DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(3)));
	for (i = 0; i < sheet->nbands; i++)
		if (score >= sheet->bands[i].min_score && score < sheet->bands[i].max_score)
			rating = sheet->bands[i].rating;
	if (rating == 0)
		PG_RETURN_NULL();
	/* The cap applies only when the safe standard is known not to be met. */
	if (!PG_ARGISNULL(4) && !PG_GETARG_BOOL(4) && sheet->cap_unmet > 0 && rating > sheet->cap_unmet)
		rating = sheet->cap_unmet;
	PG_RETURN_RATING(rating);
}
