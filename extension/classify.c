/*
 * classify.c — classification of the movement (xếp loại phong trào): turns a unit's total score
 * into an antq.rating with the bands of its classification sheet (the province's own sheet for
 * the year if any, else the national one), then applies the sheet's cap for units that did not
 * meet the safe standard (by default at most Trung bình).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "rating.h"
#include "rules.h"

/* What one call site keeps between rows (fn_extra): the sheet of the last kind, province, year. */
typedef struct ClassifyCache
{
	RulesKey	key;
	const ScoringSheet *sheet;
} ClassifyCache;

PG_FUNCTION_INFO_V1(antq_classify);

/* antq.classify(kind, province_code, year, score, safe_met): the rating after bands and cap. */
Datum
antq_classify(PG_FUNCTION_ARGS)
{
	ClassifyCache *cache = (ClassifyCache *) fcinfo->flinfo->fn_extra;
	int			i,
				rating = 0;
	Datum		score;
	const ScoringSheet *sheet;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ClassifyCache));
	if (!rules_key_current(&cache->key, PG_GETARG_TEXT_PP(0), PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
						   PG_GETARG_INT32(2)))
		cache->sheet = rules_sheet(cache->key.kind, cache->key.province_null ? NULL : cache->key.province,
								   cache->key.year);
	sheet = cache->sheet;
	if (sheet == NULL)
		PG_RETURN_NULL();
	score = PG_GETARG_DATUM(3);
	/* The bands tile [0, infinity): the rating is that of the highest band starting at or below. */
	for (i = sheet->nbands - 1; i >= 0 && rating == 0; i--)
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, score, sheet->bands[i].min_score)) >= 0)
			rating = sheet->bands[i].rating;
	if (rating == 0)
		PG_RETURN_NULL();
	/* The cap applies only when the safe standard is known not to be met. */
	if (!PG_ARGISNULL(4) && !PG_GETARG_BOOL(4) && sheet->cap_unmet > 0 && rating > sheet->cap_unmet)
		rating = sheet->cap_unmet;
	PG_RETURN_RATING(rating);
}
