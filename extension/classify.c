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

/*
 * A score already classified at this call site: the sheet, the bytes of the score's numeric
 * body (a numeric's bytes stand for one value, so equal bytes give the same band) and the
 * rating of its band.
 */
typedef struct ScoreMemo
{
	const ScoringSheet *sheet;	/* NULL: empty slot */
	uint8		len;			/* bytes of body */
	uint8		rating;			/* rating of its band, 0 below every band */
	char		body[14];
} ScoreMemo;

#define SCORE_MEMOS 256			/* slots, a power of two */
#define SCORE_PROBES 8			/* slots looked at from a score's own */

/*
 * What one call site keeps between rows (fn_extra): the sheet of the last kind, province and
 * year, and the ratings of the scores seen under the current rules. Scores repeat (sheet
 * points are mostly whole numbers up to 100), and a memo hit is a few byte compares where
 * finding the band costs a numeric comparison per band. Scores that find no free slot are
 * classified without the memo.
 */
typedef struct ClassifyCache
{
	RulesKey	key;
	const ScoringSheet *sheet;
	uint64		memo_generation;	/* rules generation of the sheets in memo */
	ScoreMemo	memo[SCORE_MEMOS];
} ClassifyCache;

/* The rating of the band of sheet that score falls in; 0 when below every band. */
static int
band_rating(const ScoringSheet *sheet, struct varlena *score)
{
	/* Detoasted once here: a score read from a table has a short header numeric_cmp would copy per band. */
	Datum		s = PointerGetDatum(PG_DETOAST_DATUM(PointerGetDatum(score)));
	int			i;

	/* The bands tile [0, infinity): the rating is that of the highest band starting at or below. */
	for (i = sheet->nbands - 1; i >= 0; i--)
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, s, sheet->bands[i].min_score)) >= 0)
			return sheet->bands[i].rating;
	return 0;
}

/* The rating of score's band in the cache's sheet, from the memo when the same score was seen. */
static int
score_rating(ClassifyCache *cache, struct varlena *score)
{
	const char *body = VARDATA_ANY(score);
	int			len = VARSIZE_ANY_EXHDR(score);
	uint32		h = (uint32) len;
	int			i;

	if (cache->memo_generation != cache->key.generation)
	{
		memset(cache->memo, 0, sizeof(cache->memo));
		cache->memo_generation = cache->key.generation;
	}
	if (len < 1 || len > (int) sizeof(cache->memo[0].body))
		return band_rating(cache->sheet, score);
	for (i = 0; i < len; i++)
		h = (h ^ (uint8) body[i]) * 16777619;	/* FNV-1a */
	h ^= h >> 15;
	for (i = 0; i < SCORE_PROBES; i++)
	{
		ScoreMemo  *m = &cache->memo[(h + i) & (SCORE_MEMOS - 1)];

		if (m->sheet == NULL)
		{
			m->rating = (uint8) band_rating(cache->sheet, score);
			m->sheet = cache->sheet;
			m->len = (uint8) len;
			memcpy(m->body, body, len);
			return m->rating;
		}
		if (m->sheet == cache->sheet && m->len == len && memcmp(m->body, body, len) == 0)
			return m->rating;
	}
	return band_rating(cache->sheet, score);
}

PG_FUNCTION_INFO_V1(antq_classify);

/* antq.classify(kind, province_code, year, score, safe_met): the rating after bands and cap. */
Datum
antq_classify(PG_FUNCTION_ARGS)
{
	ClassifyCache *cache = (ClassifyCache *) fcinfo->flinfo->fn_extra;
	int			rating;
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
	rating = score_rating(cache, pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(3)));
	if (rating == 0)
		PG_RETURN_NULL();
	/* The cap applies only when the safe standard is known not to be met. */
	if (!PG_ARGISNULL(4) && !PG_GETARG_BOOL(4) && sheet->cap_unmet > 0 && rating > sheet->cap_unmet)
		rating = sheet->cap_unmet;
	PG_RETURN_RATING(rating);
}
